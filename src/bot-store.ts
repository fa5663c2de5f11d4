import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import type { DigestServiceOptions } from './digest/digest-service.js';
import type { IngestState } from './ingest/ingest-state.js';
import { createPostgresIngestState } from './ingest/postgres-ingest-state.js';
import { rebriefInBackground, type RebriefProgress } from './ingest/rebrief.js';
import { createSqliteIngestState } from './ingest/sqlite-ingest-state.js';
import type { Library } from './library/library.js';
import { createPostgresLibrary } from './library/postgres-library.js';
import { createSqliteLibrary } from './library/sqlite-library.js';
import { processOwner } from './store/deliveries.js';
import type { FeedLeaseStore } from './store/feed-leases.js';
import { createPostgresDeliveryStore } from './store/postgres/deliveries.js';
import { createPostgresFeedLeaseStore } from './store/postgres/feed-leases.js';
import { createPostgresReplayGuard, type PostgresReplayGuard } from './store/postgres/replay-guard.js';
import { createPostgresRequestPace } from './store/postgres/request-pace.js';
import { createPostgresStoryLedger } from './store/postgres/story-ledger.js';
import type { RequestPace } from './store/request-pace.js';
import { openPostgresStore, redactUrl } from './store/postgres/store.js';
import { createPostgresSubscriptionStore } from './store/postgres/subscriptions.js';
import { openStore } from './store/store.js';

/**
 * Wiring only: the bot's store, whichever it is. SQLite (DATABASE_PATH) for one process on one
 * machine; PostgreSQL (DATABASE_URL) for several replicas sharing one database. Either way the bot
 * gets a library, the digest's subscriptions and deliveries, the ingest state, the background
 * re-briefing, and one `close` to call once nothing that writes to the store is running.
 */

export interface BotStore {
  library: Library;
  /** What createDigestService takes for its subscriptions and deliveries. */
  digest: Pick<DigestServiceOptions, 'store' | 'stores'>;
  /** Feed sources, seen items and revisions, for createIngestion. */
  ingestState: IngestState;
  /**
   * What several replicas must share beyond the data (PostgreSQL only; one process keeps these to
   * itself): feed polling leases, the pace a platform's bot-wide limit is kept with, and the Slack
   * requests already accepted (a replay to another replica is refused).
   */
  shared?: {
    leases: FeedLeaseStore;
    globalPace: (platform: string, perSecond: number) => RequestPace;
    replayGuard: PostgresReplayGuard;
  };
  /** Starts re-briefing what an older engine made; its `stop` is awaited by `close`. */
  startRebrief(onProgress?: RebriefProgress): void;
  /** Stops the re-briefing, then closes the store. Call after everything else writing to it has stopped. */
  close(): Promise<void>;
}

export async function openBotStore(config: Config, logger: Logger): Promise<BotStore> {
  if (config.store.url !== undefined) return openPostgresBotStore(config, config.store.url, logger);
  const store = openStore({ path: config.store.path });
  const library = createSqliteLibrary(store, { logger: logger.child({ component: 'library' }) });
  let rebriefer: ReturnType<typeof rebriefInBackground> | undefined;
  return {
    library,
    digest: { store },
    ingestState: createSqliteIngestState(store),
    startRebrief(onProgress) {
      rebriefer = rebriefInBackground({ library, logger: logger.child({ component: 'rebrief' }), ...(onProgress ? { onProgress } : {}) });
    },
    async close() {
      await rebriefer?.stop();
      store.close();
    },
  };
}

async function openPostgresBotStore(config: Config, url: string, logger: Logger): Promise<BotStore> {
  // The name this process goes by in delivery claims: host, pid and a random part, so a restarted
  // replica (same host, maybe the same pid in a container) is never taken for the one that died.
  const owner = processOwner();
  // Every replica opens the store at start; the migrations run once, under an advisory lock.
  const pg = await openPostgresStore({ url, applicationName: `briefbot ${owner}`.slice(0, 63) });
  logger.info({ store: redactUrl(url), schema: pg.version, owner }, 'PostgreSQL store open');
  const library = createPostgresLibrary(pg.pool, { logger: logger.child({ component: 'library' }) });
  return {
    library,
    digest: {
      stores: {
        subscriptions: createPostgresSubscriptionStore(pg.pool),
        deliveries: createPostgresDeliveryStore(pg.pool, { owner, leaseMs: config.digest.claimLeaseMs }),
        ledger: createPostgresStoryLedger(pg.pool),
      },
    },
    ingestState: createPostgresIngestState(pg.pool),
    shared: {
      leases: createPostgresFeedLeaseStore(pg.pool, { owner }),
      globalPace: (platform, perSecond) => createPostgresRequestPace(pg.pool, { name: `${platform}-global`, perSecond }),
      replayGuard: createPostgresReplayGuard(pg.pool),
    },
    startRebrief() {
      // The re-briefer (ingest/rebrief.ts) reads the SQLite library synchronously; on PostgreSQL it
      // does not run yet, and briefings an older engine made are served as they are.
      void library.outdated().then(
        (outdated) => {
          if (outdated > 0) logger.child({ component: 'rebrief' }).warn({ outdated }, 'stored briefings made by an older engine are not re-briefed on PostgreSQL yet: they are served as they are');
        },
        (error: unknown) => logger.warn({ err: error }, 'could not count the briefings an older engine made'),
      );
    },
    close: () => pg.close(),
  };
}
