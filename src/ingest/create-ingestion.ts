import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Library } from '../library/library.js';
import type { FeedLeaseStore } from '../store/feed-leases.js';
import { createAddressPolicy } from '../net/address-policy.js';
import { createSafeFetcher, type SafeFetcher, type SafeFetchConfig } from '../net/safe-fetch.js';
import { briefbotUserAgent } from '../net/user-agent.js';
import { createFeedPoller, type FeedPoller } from './feed-poller.js';
import { createSourceRegistry, type SourceRegistry } from './feed-sources.js';
import { createFolderWatcher, type FolderWatcher } from './folder-watcher.js';
import { createMemoryIngestState, type IngestState } from './ingest-state.js';
import { createLinkBriefer, type LinkBriefer } from './link-briefer.js';
import type { IngestEvent } from './record-article.js';
import type { ProgressFactory } from '../util/progress.js';

/**
 * Every way articles come in, built from the configuration: the safe fetcher, the feed poller
 * with its sources, the briefings-folder watcher and the link briefer. `start` begins polling and
 * watching; `stop` ends both, cancels fetches under way and waits for work already started.
 */

export function createFetcherFromConfig(fetch: Config['fetch'], overrides: Partial<SafeFetchConfig> = {}): SafeFetcher {
  return createSafeFetcher({
    policy: createAddressPolicy(fetch.allow),
    userAgent: briefbotUserAgent(fetch.contactUrl),
    connectTimeoutMs: fetch.connectTimeoutMs,
    timeoutMs: fetch.timeoutMs,
    maxBytes: fetch.maxBytes,
    maxRedirects: fetch.maxRedirects,
    ...overrides,
  });
}

export interface IngestionOptions {
  config: Pick<Config, 'briefings' | 'feeds' | 'fetch' | 'ingest'>;
  library: Library;
  logger: Logger;
  /** Where sources, seen items and revisions are kept; in memory unless the store provides one. */
  state?: IngestState;
  /**
   * Feed leases, when several replicas share the store (PostgreSQL): each feed is then polled by
   * one replica at a time. Left out on one machine.
   */
  leases?: FeedLeaseStore;
  fetcher?: SafeFetcher;
  now?: () => Date;
  onEvent?: (event: IngestEvent) => void;
  /** Progress of the folder watcher's first scan (see createProgress). */
  progress?: ProgressFactory;
}

export interface Ingestion {
  state: IngestState;
  fetcher: SafeFetcher;
  poller: FeedPoller;
  sources: SourceRegistry;
  links: LinkBriefer;
  watcher: FolderWatcher;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createIngestion(options: IngestionOptions): Ingestion {
  const { config, library } = options;
  const logger = options.logger.child({ component: 'ingest' });
  const state = options.state ?? createMemoryIngestState();
  const fetcher = options.fetcher ?? createFetcherFromConfig(config.fetch);
  const now = options.now ?? (() => new Date());
  const onEvent = (event: IngestEvent): void => {
    logger.info({ kind: event.kind, sourceId: event.sourceId, articleId: event.entry.briefing.id, revision: event.entry.revision?.number }, event.kind === 'new' ? 'new article' : 'article revised');
    options.onEvent?.(event);
  };
  const poller = createFeedPoller({
    state,
    library,
    fetcher,
    logger: logger.child({ component: 'feeds' }),
    now,
    concurrency: config.ingest.pollConcurrency,
    pageConcurrency: config.ingest.pageConcurrency,
    failingAfter: config.ingest.failingAfter,
    ...(options.leases ? { leases: options.leases } : {}),
    onEvent,
  });
  const sources = createSourceRegistry({ state, poller, logger: logger.child({ component: 'sources' }), now });
  const watcher = createFolderWatcher({
    dirs: [config.briefings.dir, ...config.briefings.folders],
    library,
    state,
    logger: logger.child({ component: 'folder-watcher' }),
    now,
    debounceMs: config.ingest.debounceMs,
    rescanMs: config.ingest.rescanSeconds * 1000,
    onEvent,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const links = createLinkBriefer({ fetcher, library, state, logger: logger.child({ component: 'links' }), now });
  return {
    state,
    fetcher,
    poller,
    sources,
    links,
    watcher,
    async start(): Promise<void> {
      await sources.syncConfig(config.feeds);
      if (config.ingest.watch) await watcher.start();
      poller.start();
    },
    async stop(): Promise<void> {
      watcher.stop();
      // Both wait for work already under way, which may still write the state: the store behind it closes after this.
      await Promise.all([watcher.idle(), poller.stop()]);
    },
  };
}
