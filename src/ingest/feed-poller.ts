import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { slugify, type Article, type Block } from '../articles/index.js';
import { BriefbotError, describeError } from '../errors.js';
import type { Library } from '../library/library.js';
import { DEFAULT_FEED_LEASE_MS, type FeedLeaseStore } from '../store/feed-leases.js';
import { decodeBody, type SafeFetcher } from '../net/safe-fetch.js';
import { isFetchError } from '../net/fetch-error.js';
import { FEED_ACCEPT_HEADER, FEED_CONTENT_TYPES } from './feed-formats.js';
import type { FeedItem } from './feed-items.js';
import type { blocksFromHtml as BlocksFromHtml } from './extract-html.js';
import type { fetchPageArticle as FetchPageArticle } from './fetch-page.js';
import { DEFAULT_SEEN_CLAIM_MS, type FeedSource, type IngestState, type SeenClaim, type SeenItem } from './ingest-state.js';
import { identifyItem, type ItemIdentity } from './item-identity.js';
import { mapLimit } from './limit.js';
import { recordArticle, type IngestEvent } from './record-article.js';

/**
 * Polls feed sources: each on its own interval, with a conditional GET (ETag, Last-Modified).
 * The first good poll of a source records what the feed already holds as backlog, briefing and
 * posting none of it; after that each new item is briefed once (by GUID, or by canonical URL
 * across feeds, even when several replicas poll feeds carrying it: the one that claims it first
 * briefs it, see IngestState.claimSeen), an edited item becomes a revision, and an item carrying only a snippet has its
 * page fetched and read with Readability. Sources are polled a few at a time, each fetch bounded
 * by its timeouts and size cap, so one slow, huge or broken feed never holds up the others; a
 * source that keeps failing is marked failing (and polled less often) until it recovers.
 */

export const DEFAULT_POLL_CONCURRENCY = 8;
export const DEFAULT_PAGE_CONCURRENCY = 4;
export const DEFAULT_FAILING_AFTER = 3;
export const DEFAULT_TICK_MS = 15_000;
/** Past this, a poll stops fetching pages for snippets and briefs the snippets themselves. */
export const DEFAULT_POLL_BUDGET_MS = 60_000;
export const MAX_ITEMS_PER_POLL = 200;
export const DEFAULT_LEASE_RENEW_MS = Math.floor(DEFAULT_FEED_LEASE_MS / 3);
const MAX_BACKOFF_MINUTES = 6 * 60;

/** An item's own content counts as the full text from this many words; a description or summary from this many. */
export const MIN_CONTENT_WORDS = 40;
export const MIN_SUMMARY_WORDS = 120;

export interface FeedPollerOptions {
  state: IngestState;
  library: Library;
  fetcher: SafeFetcher;
  logger: Logger;
  now?: () => Date;
  /** Sources polled at once. */
  concurrency?: number;
  /** Pages fetched at once for one source's snippet items. */
  pageConcurrency?: number;
  /** Consecutive failed polls before a source shows as failing. */
  failingAfter?: number;
  tickMs?: number;
  pollBudgetMs?: number;
  /** How long a claim on an item holds (see IngestState.claimSeen): an item whose briefer died is taken over after this. */
  claimMs?: number;
  /**
   * With several replicas on one store: each feed is polled by the replica holding its lease.
   * Absent on one machine, where nothing else polls the feeds.
   */
  leases?: FeedLeaseStore;
  /** How often a lease is renewed while its feed's poll runs (default a third of the default lease, so two renewals can fail before it lapses). */
  leaseRenewMs?: number;
  onEvent?: (event: IngestEvent) => void;
}

export interface PollReport {
  sourceId: string;
  url: string;
  /** `elsewhere`: another replica holds the feed's lease, or polled it since it was found due. */
  outcome: 'fetched' | 'not-modified' | 'failed' | 'removed' | 'elsewhere';
  items: number;
  delivered: number;
  revised: number;
  backlog: number;
  unchanged: number;
  duplicates: number;
  /** New or edited items another replica (or another poll) had claimed: left to it. */
  elsewhere: number;
  failedItems: number;
  error?: string;
  ms: number;
}

export interface FeedPoller {
  /** Polls one source now, whatever its schedule; joins a poll already under way. */
  pollSource(id: string): Promise<PollReport>;
  /** Polls every source whose time has come (at most `concurrency` at once) and resolves when they are done; with leases, only those this replica gets the lease of. */
  pollDue(): Promise<PollReport[]>;
  /** Checks for due sources every tick. */
  start(): void;
  /** Stops ticking, cancels fetches under way and waits for polls to settle. */
  stop(): Promise<void>;
}

function wordCount(blocks: Block[]): number {
  return blocks.reduce((n, b) => n + (b.kind === 'paragraph' ? b.text.split(/\s+/).filter(Boolean).length : 0), 0);
}

function hasSentences(blocks: Block[]): boolean {
  return blocks.some((b) => b.kind === 'paragraph' && /[\p{L}]{2,}/u.test(b.text));
}

function addMinutes(date: Date, minutes: number): string {
  return new Date(date.getTime() + minutes * 60_000).toISOString();
}


/**
 * The HTML reader (linkedom, Readability) and the page fetcher, loaded on first use: together they
 * are about 17 MB of a running bot's memory, and a bot that polls no feed never needs them.
 */
async function htmlReader(): Promise<{ blocksFromHtml: typeof BlocksFromHtml; fetchPageArticle: typeof FetchPageArticle }> {
  const [{ blocksFromHtml }, { fetchPageArticle }] = await Promise.all([import('./extract-html.js'), import('./fetch-page.js')]);
  return { blocksFromHtml, fetchPageArticle };
}
export function createFeedPoller(options: FeedPollerOptions): FeedPoller {
  const { state, library, fetcher, logger } = options;
  const now = options.now ?? (() => new Date());
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_POLL_CONCURRENCY);
  const pageConcurrency = Math.max(1, options.pageConcurrency ?? DEFAULT_PAGE_CONCURRENCY);
  const failingAfter = Math.max(1, options.failingAfter ?? DEFAULT_FAILING_AFTER);
  const pollBudgetMs = options.pollBudgetMs ?? DEFAULT_POLL_BUDGET_MS;
  const claimMs = options.claimMs ?? DEFAULT_SEEN_CLAIM_MS;
  const leases = options.leases;
  const leaseRenewMs = Math.max(1, options.leaseRenewMs ?? DEFAULT_LEASE_RENEW_MS);
  const tickMs = options.tickMs ?? DEFAULT_TICK_MS;
  const inFlight = new Map<string, Promise<PollReport>>();
  const waiting: Array<{ id: string; whenDue: boolean; resolve: (report: PollReport) => void }> = [];
  let active = 0;
  let timer: NodeJS.Timeout | undefined;
  let shutdown = new AbortController();
  // Every fetch under way listens for shutdown: many at once is expected, not a leak.
  setMaxListeners(0, shutdown.signal);

  /** The article for an item: its own text when it carries the full text, else its page, else its snippet. */
  async function articleFor(item: FeedItem, identity: ItemIdentity, source: FeedSource, deadline: number): Promise<Article> {
    const { blocksFromHtml, fetchPageArticle } = await htmlReader();
    const content = item.contentHtml ? blocksFromHtml(item.contentHtml) : [];
    const summary = item.summaryHtml ? blocksFromHtml(item.summaryHtml) : [];
    const contentWords = wordCount(content);
    const summaryWords = wordCount(summary);
    let blocks = contentWords >= summaryWords ? content : summary;
    let page: Article | undefined;
    const full = contentWords >= MIN_CONTENT_WORDS || summaryWords >= MIN_SUMMARY_WORDS;
    if (!full && item.link && Date.now() < deadline && !shutdown.signal.aborted) {
      try {
        page = (await fetchPageArticle(fetcher, item.link, shutdown.signal)).article;
        blocks = page.blocks;
      } catch (error) {
        if (!hasSentences(blocks)) throw error;
        logger.info({ sourceId: source.id, link: item.link, err: describeError(error) }, 'full text unavailable; briefing the snippet');
      }
    }
    if (!hasSentences(blocks)) throw new BriefbotError('no-sentences', `item "${item.title.slice(0, 80)}" has no text to brief`);
    const title = item.title || page?.title || blocks.find((b) => b.kind === 'paragraph')!.text.slice(0, 100);
    const article: Article = {
      id: slugify(title, identity.key),
      title,
      // The feed's categories and the page's own sections ("Opinion"), each once.
      tags: [...new Set([...item.tags, ...(page?.tags ?? [])])],
      highlights: [],
      blocks,
      source: { format: 'feed', path: item.link ?? source.url },
    };
    if (item.link) article.url = item.link;
    const published = item.published ?? page?.published;
    if (published) article.published = published;
    const author = item.author ?? page?.author;
    if (author) article.author = author;
    const outlet = source.name ?? source.title ?? page?.outlet;
    if (outlet) article.outlet = outlet;
    return article;
  }

  /**
   * Polls under the feed's lease when replicas share the store: a feed whose lease another replica
   * holds is left to it this round, and one found due but polled meanwhile (its lease let go of
   * already) is not polled twice. The lease is renewed while the poll runs, and let go of after it,
   * so the next poll may be any replica's. A renewal that fails (the lease lapsed and was taken)
   * is logged and the poll goes on: item claims still keep each item to one replica.
   */
  async function poll(id: string, whenDue: boolean): Promise<PollReport> {
    if (!leases) return pollOnce(id);
    const skipped = (): PollReport => ({ sourceId: id, url: '', outcome: 'elsewhere', items: 0, delivered: 0, revised: 0, backlog: 0, unchanged: 0, duplicates: 0, elsewhere: 0, failedItems: 0, ms: 0 });
    if (!(await leases.acquire(id, now()))) return skipped();
    const renewal = setInterval(() => {
      leases.renew(id, now()).then(
        (held) => {
          if (!held) logger.warn({ sourceId: id, owner: leases.owner }, 'feed lease lapsed during a poll; another replica may poll it');
        },
        (error: unknown) => logger.warn({ sourceId: id, err: describeError(error) }, 'could not renew a feed lease'),
      );
    }, leaseRenewMs);
    renewal.unref();
    try {
      if (whenDue) {
        const source = await state.getSource(id);
        if (source?.nextPollAt && Date.parse(source.nextPollAt) > now().getTime()) return { ...skipped(), url: source.url };
      }
      return await pollOnce(id);
    } finally {
      clearInterval(renewal);
      await leases.release(id).catch((error: unknown) => logger.warn({ sourceId: id, err: describeError(error) }, 'could not let go of a feed lease; it lapses on its own'));
    }
  }

  async function pollOnce(id: string): Promise<PollReport> {
    const started = Date.now();
    const source = await state.getSource(id);
    const report: PollReport = { sourceId: id, url: source?.url ?? '', outcome: 'removed', items: 0, delivered: 0, revised: 0, backlog: 0, unchanged: 0, duplicates: 0, elsewhere: 0, failedItems: 0, ms: 0 };
    if (!source) return report;
    const log = logger.child({ sourceId: id, url: source.url });
    const polledAt = now();
    let parsed;
    let validators: Pick<FeedSource, 'etag' | 'lastModified'> = {};
    try {
      const result = await fetcher.fetch(source.url, {
        accept: FEED_CONTENT_TYPES,
        acceptHeader: FEED_ACCEPT_HEADER,
        allowMissingContentType: true,
        signal: shutdown.signal,
        ...(source.primed && source.etag ? { etag: source.etag } : {}),
        ...(source.primed && source.lastModified ? { lastModified: source.lastModified } : {}),
      });
      if (result.etag) validators.etag = result.etag;
      if (result.lastModified) validators.lastModified = result.lastModified;
      if (result.notModified) {
        validators = { ...(source.etag ? { etag: source.etag } : {}), ...(source.lastModified ? { lastModified: source.lastModified } : {}), ...validators };
        report.outcome = 'not-modified';
      } else {
        const { parseFeedText } = await import('./feed-items.js');
        parsed = parseFeedText(decodeBody(result.body, result.charset), result.url);
        report.outcome = 'fetched';
      }
    } catch (error) {
      report.outcome = 'failed';
      report.error = describeError(error);
      report.ms = Date.now() - started;
      // Cancelled because briefbot is stopping: not the source's fault.
      if (shutdown.signal.aborted) return report;
      const current = await state.getSource(id);
      if (!current) return { ...report, outcome: 'removed' };
      const failures = current.consecutiveFailures + 1;
      const failing = failures >= failingAfter;
      const backoff = Math.min(current.intervalMinutes * 2 ** Math.min(failures - 1, 10), Math.max(current.intervalMinutes, MAX_BACKOFF_MINUTES));
      await state.saveSource({ ...current, consecutiveFailures: failures, lastError: report.error, lastPolledAt: polledAt.toISOString(), nextPollAt: addMinutes(polledAt, backoff), status: failing ? 'failing' : current.status });
      log.warn({ err: report.error, reason: isFetchError(error) ? error.failure : 'bad-feed', failures, failing }, 'feed poll failed');
      return report;
    }

    let delivered = 0;
    if (parsed) {
      // Feeds list newest first; deliver in the order things happened.
      const items = parsed.items.slice(0, MAX_ITEMS_PER_POLL).reverse();
      report.items = items.length;
      const outlet = source.name ?? parsed.title;
      const work: Array<{ item: FeedItem; identity: ItemIdentity; claim: SeenClaim; seen?: SeenItem }> = [];
      const seenAt = polledAt.toISOString();
      /** Records what needs no briefing and says whether the item does, given what is seen of it. */
      const settle = async (item: FeedItem, identity: ItemIdentity, seen: SeenItem | undefined): Promise<{ brief: boolean; own?: SeenItem }> => {
        const own = seen && seen.sourceId === id && seen.key === identity.key ? seen : undefined;
        const record = (status: SeenItem['status'], articleId?: string): Promise<void> =>
          state.saveSeen({
            sourceId: id,
            key: identity.key,
            ...(item.guid ? { guid: item.guid } : {}),
            ...(identity.canonicalUrl ? { canonicalUrl: identity.canonicalUrl } : {}),
            contentHash: identity.contentHash,
            ...(articleId ? { articleId } : {}),
            status,
            firstSeenAt: own?.firstSeenAt ?? seenAt,
            lastSeenAt: seenAt,
          });
        if (!source.primed) {
          // First look at this feed: what is already there is backlog, recorded and never posted.
          if (!own) await record(seen?.status === 'delivered' ? 'delivered' : 'backlog', seen?.articleId);
          report.backlog++;
        } else if (seen && !own) {
          // Already arrived through another feed, or under another key: arrives once.
          await record(seen.status, seen.articleId);
          report.duplicates++;
        } else if (own && own.contentHash === identity.contentHash) {
          report.unchanged++;
        } else if (own?.status === 'backlog') {
          await record('backlog');
          report.backlog++;
        } else {
          return { brief: true, ...(own ? { own } : {}) };
        }
        return { brief: false };
      };
      /** Claims held and not yet let go of. */
      const claims = new Set<SeenClaim>();
      const release = async (claim: SeenClaim): Promise<void> => {
        claims.delete(claim);
        await state.releaseSeen(claim);
      };
      try {
        for (const item of items) {
          const identity = identifyItem(item);
          const query = { sourceId: id, key: identity.key, ...(identity.canonicalUrl ? { canonicalUrl: identity.canonicalUrl } : {}) };
          if (!(await settle(item, identity, await state.findSeen(query))).brief) continue;
          // Another replica (or another of this one's polls) may be briefing the same item: the
          // claim decides who does, and the winner looks again at what is seen now.
          const won = await state.claimSeen(query, { now: now(), ttlMs: claimMs });
          if (!won) {
            report.elsewhere++;
            continue;
          }
          claims.add(won.claim);
          const decision = await settle(item, identity, won.seen);
          if (!decision.brief) {
            await release(won.claim);
            continue;
          }
          work.push({ item, identity, claim: won.claim, ...(decision.own ? { seen: decision.own } : {}) });
        }
        const deadline = started + pollBudgetMs;
        const articles = await mapLimit(work, pageConcurrency, async ({ item, identity }) => {
          try {
            return { article: await articleFor(item, identity, { ...source, ...(outlet ? { title: outlet } : {}) }, deadline) };
          } catch (error) {
            return { error: describeError(error) };
          }
        });
        // One after another, in feed order, as the items happened.
        for (const [i, { item, identity, claim, seen }] of work.entries()) {
          const built = articles[i]!;
          const at = now();
          const base = {
            sourceId: id,
            key: identity.key,
            ...(item.guid ? { guid: item.guid } : {}),
            ...(identity.canonicalUrl ? { canonicalUrl: identity.canonicalUrl } : {}),
            contentHash: identity.contentHash,
            firstSeenAt: seen?.firstSeenAt ?? at.toISOString(),
            lastSeenAt: at.toISOString(),
          };
          if (!built.article) {
            report.failedItems++;
            await state.saveSeen({ ...base, status: 'failed', error: built.error ?? 'unreadable', ...(seen?.articleId ? { articleId: seen.articleId } : {}) });
            await release(claim);
            log.warn({ item: item.link ?? item.guid, err: built.error }, 'feed item could not be briefed');
            continue;
          }
          try {
            const result = await recordArticle(
              { library, state },
              { article: built.article, source: item.link ?? `${source.url}#${identity.key}`, now: at, ...(seen?.articleId ? { articleId: seen.articleId } : {}) },
            );
            await state.saveSeen({ ...base, status: 'delivered', articleId: result.entry.briefing.id });
            if (result.status === 'added') {
              report.delivered++;
              delivered++;
              options.onEvent?.({ kind: 'new', sourceId: id, entry: result.entry });
            } else if (result.status === 'revised') {
              report.revised++;
              options.onEvent?.({ kind: 'revised', sourceId: id, entry: result.entry, ...(result.revision ? { changes: result.revision.changes } : {}) });
            } else {
              report.unchanged++;
            }
          } catch (error) {
            report.failedItems++;
            await state.saveSeen({ ...base, status: 'failed', error: describeError(error) });
            log.warn({ item: item.link ?? item.guid, err: describeError(error) }, 'feed item could not be briefed');
          }
          await release(claim);
        }
      } finally {
        // Claims a failure (or shutdown) left behind are let go of at once rather than left to expire.
        await Promise.all([...claims].map((claim) => state.releaseSeen(claim).catch(() => undefined)));
      }
    }

    const current = await state.getSource(id);
    report.ms = Date.now() - started;
    if (!current) return { ...report, outcome: 'removed' };
    const updated: FeedSource = {
      ...current,
      primed: true,
      consecutiveFailures: 0,
      status: 'ok',
      lastPolledAt: polledAt.toISOString(),
      lastSuccessAt: polledAt.toISOString(),
      nextPollAt: addMinutes(polledAt, current.intervalMinutes),
      delivered: current.delivered + delivered,
    };
    delete updated.lastError;
    delete updated.etag;
    delete updated.lastModified;
    // Items left to another claimant are looked at again next time, in case it dies before saving
    // them: without validators the next poll gets the whole feed, not a 304.
    if (report.elsewhere === 0) Object.assign(updated, validators);
    if (parsed?.title) updated.title = parsed.title;
    await state.saveSource(updated);
    log.debug({ ...report }, 'feed polled');
    return report;
  }

  function pump(): void {
    while (active < concurrency && waiting.length > 0) {
      const job = waiting.shift()!;
      active++;
      void poll(job.id, job.whenDue)
        .catch((error: unknown): PollReport => {
          logger.error({ err: error, sourceId: job.id }, 'feed poll crashed');
          return { sourceId: job.id, url: '', outcome: 'failed', items: 0, delivered: 0, revised: 0, backlog: 0, unchanged: 0, duplicates: 0, elsewhere: 0, failedItems: 0, error: describeError(error), ms: 0 };
        })
        .then((report) => {
          active--;
          job.resolve(report);
          pump();
        });
    }
  }

  /** `whenDue`: asked for because the source was found due, so skipped if another replica has polled it since. */
  function request(id: string, whenDue = false): Promise<PollReport> {
    const existing = inFlight.get(id);
    if (existing) return existing;
    const promise = new Promise<PollReport>((resolve) => {
      waiting.push({ id, whenDue, resolve });
    });
    inFlight.set(id, promise);
    void promise.then(() => inFlight.delete(id));
    pump();
    return promise;
  }

  async function due(): Promise<string[]> {
    const at = now().getTime();
    return (await state.listSources())
      .filter((s) => !s.nextPollAt || Date.parse(s.nextPollAt) <= at)
      .map((s) => s.id);
  }

  return {
    pollSource: (id) => request(id),
    pollDue: async () => Promise.all((await due()).map((id) => request(id, true))),
    start(): void {
      if (timer) return;
      if (shutdown.signal.aborted) {
        shutdown = new AbortController();
        setMaxListeners(0, shutdown.signal);
      }
      const tick = (): void => {
        void due().then(
          (ids) => ids.forEach((id) => void request(id, true)),
          (error: unknown) => logger.error({ err: error }, 'could not list the feeds due'),
        );
      };
      tick();
      timer = setInterval(tick, tickMs).unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      waiting.splice(0).forEach((job) => job.resolve({ sourceId: job.id, url: '', outcome: 'failed', items: 0, delivered: 0, revised: 0, backlog: 0, unchanged: 0, duplicates: 0, elsewhere: 0, failedItems: 0, error: 'stopped', ms: 0 }));
      shutdown.abort();
      await Promise.all([...inFlight.values()]);
    },
  };
}
