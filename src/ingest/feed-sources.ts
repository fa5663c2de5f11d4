import type { Logger } from 'pino';
import { checkFeedUrl } from '../config/feed-url.js';
import { BriefbotError } from '../errors.js';
import type { FeedPoller } from './feed-poller.js';
import type { FeedSource, IngestState } from './ingest-state.js';
import { sourceIdFor } from './item-identity.js';

/**
 * The feed sources briefbot follows: those listed in config (synced at start-up) and those added
 * in chat with `/sources add`. Adding a source polls it once straight away, so a link that is not
 * a feed, or that points into a private network, is refused with the reason, and the feed's
 * existing items are recorded as backlog rather than posted.
 */

export const DEFAULT_INTERVAL_MINUTES = 15;

export interface SourceSummary {
  id: string;
  url: string;
  /** The configured name, else the feed's own title. */
  name?: string;
  origin: 'config' | 'chat';
  status: 'ok' | 'failing' | 'new';
  intervalMinutes: number;
  lastSuccessAt?: string;
  nextPollAt?: string;
  consecutiveFailures: number;
  lastError?: string;
  delivered: number;
  backlog: number;
}

export interface ConfiguredFeed {
  url: string;
  name?: string;
  intervalMinutes?: number;
}

export interface SourceRegistry {
  /** Makes the config-listed sources match `feeds` (adding, updating, removing config sources only). */
  syncConfig(feeds: readonly ConfiguredFeed[]): Promise<void>;
  list(): Promise<SourceSummary[]>;
  /** Adds a feed and polls it once; refuses (and forgets it) if that first poll fails. */
  add(url: string, addedBy: string, options?: { name?: string; intervalMinutes?: number }): Promise<SourceSummary>;
  /** Removes a chat-added source by list number, id or URL. */
  remove(reference: string): Promise<SourceSummary>;
}

export interface SourceRegistryOptions {
  state: IngestState;
  poller: FeedPoller;
  logger: Logger;
  now?: () => Date;
  defaultIntervalMinutes?: number;
}

function normaliseFeedUrl(text: string): string {
  const check = checkFeedUrl(text);
  if (!check.ok) throw new BriefbotError('usage', check.problem);
  return check.url;
}

export function createSourceRegistry(options: SourceRegistryOptions): SourceRegistry {
  const { state, poller, logger } = options;
  const now = options.now ?? (() => new Date());
  const defaultInterval = options.defaultIntervalMinutes ?? DEFAULT_INTERVAL_MINUTES;

  async function summary(source: FeedSource): Promise<SourceSummary> {
    const counts = await state.countSeen(source.id);
    const result: SourceSummary = {
      id: source.id,
      url: source.url,
      origin: source.origin,
      status: source.status === 'failing' ? 'failing' : source.primed ? 'ok' : 'new',
      intervalMinutes: source.intervalMinutes,
      consecutiveFailures: source.consecutiveFailures,
      delivered: source.delivered,
      backlog: counts.backlog,
    };
    const name = source.name ?? source.title;
    if (name) result.name = name;
    if (source.lastSuccessAt) result.lastSuccessAt = source.lastSuccessAt;
    if (source.nextPollAt) result.nextPollAt = source.nextPollAt;
    if (source.lastError) result.lastError = source.lastError;
    return result;
  }

  function newSource(url: string, origin: FeedSource['origin'], extra: { name?: string; intervalMinutes?: number; addedBy?: string }): FeedSource {
    const source: FeedSource = {
      id: sourceIdFor(url),
      url,
      origin,
      addedAt: now().toISOString(),
      intervalMinutes: extra.intervalMinutes ?? defaultInterval,
      primed: false,
      consecutiveFailures: 0,
      status: 'ok',
      delivered: 0,
    };
    if (extra.name) source.name = extra.name;
    if (extra.addedBy) source.addedBy = extra.addedBy;
    return source;
  }

  return {
    async syncConfig(feeds): Promise<void> {
      const wanted = new Map<string, ConfiguredFeed>();
      for (const feed of feeds) {
        const url = normaliseFeedUrl(feed.url);
        wanted.set(sourceIdFor(url), { ...feed, url });
      }
      for (const source of await state.listSources()) {
        if (source.origin === 'config' && !wanted.has(source.id)) {
          await state.removeSource(source.id);
          logger.info({ sourceId: source.id, url: source.url }, 'feed no longer in config; removed');
        }
      }
      for (const [id, feed] of wanted) {
        const existing = await state.getSource(id);
        const extra = { ...(feed.name ? { name: feed.name } : {}), ...(feed.intervalMinutes ? { intervalMinutes: feed.intervalMinutes } : {}) };
        if (!existing) {
          await state.saveSource(newSource(feed.url, 'config', extra));
        } else {
          const updated: FeedSource = { ...existing, origin: 'config', intervalMinutes: feed.intervalMinutes ?? defaultInterval };
          if (feed.name) updated.name = feed.name;
          else delete updated.name;
          await state.saveSource(updated);
        }
      }
    },

    list: async () => Promise.all((await state.listSources()).map(summary)),

    async add(text, addedBy, extra = {}): Promise<SourceSummary> {
      const url = normaliseFeedUrl(text);
      const id = sourceIdFor(url);
      const existing = await state.getSource(id);
      if (existing) throw new BriefbotError('usage', `already following ${existing.url} (${existing.name ?? existing.title ?? existing.id})`);
      await state.saveSource(newSource(url, 'chat', { ...extra, addedBy }));
      const report = await poller.pollSource(id);
      if (report.outcome === 'failed') {
        await state.removeSource(id);
        throw new BriefbotError('unavailable', `could not add ${url}: ${report.error ?? 'the first poll failed'}`);
      }
      const source = await state.getSource(id);
      if (!source) throw new BriefbotError('not-found', `${url} was removed while it was being added`);
      logger.info({ sourceId: id, url, addedBy, backlog: report.backlog }, 'feed added');
      return summary(source);
    },

    async remove(reference): Promise<SourceSummary> {
      const ref = reference.trim();
      const sources = await state.listSources();
      const index = /^\d+$/.test(ref) ? Number(ref) - 1 : -1;
      let source = index >= 0 ? sources[index] : sources.find((s) => s.id === ref);
      if (!source) {
        try {
          const id = sourceIdFor(normaliseFeedUrl(ref));
          source = sources.find((s) => s.id === id);
        } catch {
          // not a URL: fall through to not found
        }
      }
      if (!source) throw new BriefbotError('not-found', `no source matches "${ref.slice(0, 100)}" (see /sources list)`);
      if (source.origin === 'config') throw new BriefbotError('forbidden', `${source.url} is listed in the configuration; remove it there`);
      await state.removeSource(source.id);
      logger.info({ sourceId: source.id, url: source.url }, 'feed removed');
      return summary(source);
    },
  };
}
