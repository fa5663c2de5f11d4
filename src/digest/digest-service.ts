import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Library } from '../library/library.js';
import { createStoryBook, type StoryBook } from '../stories/index.js';
import { createDeliveryStore, DELIVERY_PARTS_KEEP_DAYS, type DeliveryStore } from '../store/deliveries.js';
import { storeOpenError, type Store } from '../store/store.js';
import { createStoryLedger, LEDGER_KEEP_DAYS, type StoryLedger } from '../store/story-ledger.js';
import { createSubscriptionStore, type SubscriptionStore } from '../store/subscriptions.js';
import { syncConfigSubscriptions } from './config-subscriptions.js';
import { createDeliveryRunner } from './delivery-runner.js';
import { createDigestCommands, type DigestRegistry } from './digest-commands.js';
import { deliveryDeadline, type DigestJobDeps, type DigestJobReport, type DigestRenderer } from './digest-job.js';
import { createDigestScheduler, type DigestScheduler } from './scheduler.js';
import type { DigestSender } from './sender.js';
import type { PlatformName } from '../platforms/names.js';

/**
 * Everything digests need, wired from the configuration: the store's subscriptions and
 * deliveries, the delivery runner, the node-cron scheduler and the /digest commands. What is a
 * platform's (its senders, its renderer) is handed in by app.ts from src/platforms/, so no
 * platform is named here.
 */

export interface DigestService {
  commands: DigestRegistry;
  deps: DigestJobDeps;
  /** What each channel was told of each story (written by the deliveries as they are delivered), for story digests. */
  ledger: StoryLedger;
  scheduler: DigestScheduler;
  /** Applies the configured subscriptions, then starts the tasks and the catch-up. */
  start(): Promise<{ catchUp: Promise<DigestJobReport> }>;
  /** Stops the tasks and waits (bounded by `digest.shutdownGraceMs`) for sends in flight. */
  stop(): Promise<number>;
  /**
   * The store's housekeeping (hourly once started, the first a minute after start): forgets the
   * ledger's stories last told LEDGER_KEEP_DAYS ago or more, and drops the rendered parts of
   * deliveries finished DELIVERY_PARTS_KEEP_DAYS ago or more. Says how many of each.
   */
  housekeep(): Promise<{ forgotten: number; compacted: number }>;
}

/** How often the service runs its housekeeping, and how long after start the first time (off the start's path). */
const HOUSEKEEPING_EVERY_MS = 3_600_000;
const HOUSEKEEPING_FIRST_MS = 60_000;
/**
 * Deliveries compacted per statement: a store that has kept a year of parts is worked through in
 * batches, letting the event loop (and, on SQLite, every other writer) in between.
 */
const COMPACT_BATCH = 500;

export interface DigestServiceOptions {
  config: Config;
  /** The SQLite store; its subscriptions and deliveries are used unless `stores` is given. */
  store?: Store;
  /** The digest's ports on another store (PostgreSQL: postgres/subscriptions.ts, postgres/deliveries.ts, postgres/story-ledger.ts). */
  stores?: { subscriptions: SubscriptionStore; deliveries: DeliveryStore; ledger: StoryLedger };
  library: Library;
  /**
   * The stories of the library (one per process, shared with the commands): digests then post one
   * item per story and tell each channel what is new since it last heard. Created here when not given.
   */
  stories?: StoryBook;
  logger: Logger;
  /** A sender per running platform (src/platforms/index.ts: createSenders); a delivery for another waits. */
  senders?: Partial<Record<PlatformName, DigestSender>>;
  /** Each platform's digest renderer (src/platforms/index.ts: renderDigest). */
  render: DigestRenderer;
  now?: () => Date;
  /** The delivery runner's waits and jitter (tests run the waits on a faster clock). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export function createDigestService(options: DigestServiceOptions): DigestService {
  const { config, store, library } = options;
  const logger = options.logger.child({ component: 'digest' });
  const now = options.now ?? (() => new Date());
  let subscriptions: SubscriptionStore;
  let deliveries: DeliveryStore;
  let ledger: StoryLedger;
  if (options.stores) {
    ({ subscriptions, deliveries, ledger } = options.stores);
  } else {
    if (!store) throw new Error('createDigestService needs a store: the SQLite store, or `stores` on another');
    try {
      subscriptions = createSubscriptionStore(store.db);
      deliveries = createDeliveryStore(store.db, { leaseMs: config.digest.claimLeaseMs });
      ledger = createStoryLedger(store.db);
    } catch (error) {
      throw storeOpenError(store.path, error);
    }
  }
  const settings = config.digest;
  const runner = createDeliveryRunner({
    deliveries,
    subscriptions,
    senders: options.senders ?? {},
    retry: settings.retry,
    logger,
    now,
    deadline: (subscription, delivery) => deliveryDeadline(subscription, delivery.slot),
    // Three renewals a lease: a claim survives a send that waits long in the platform client's queue.
    renewClaimEveryMs: Math.max(1, Math.floor(settings.claimLeaseMs / 3)),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const deps: DigestJobDeps = {
    render: options.render,
    library,
    subscriptions,
    deliveries,
    runner,
    settings: { catchUpHours: settings.catchUpHours, backfill: settings.backfill, nothingNew: settings.nothingNew, maxItems: settings.maxItems },
    logger,
    stories: { stories: options.stories ?? createStoryBook({ library }), ledger },
  };
  const scheduler = createDigestScheduler(deps, { now });
  const commands = createDigestCommands({ ...deps, now, onChange: (s) => scheduler.refresh(s) });

  const daysAgo = (days: number): Date => new Date(now().getTime() - days * 86_400_000);
  async function housekeep(): Promise<{ forgotten: number; compacted: number }> {
    const forgotten = await ledger.forget(daysAgo(LEDGER_KEEP_DAYS));
    const before = daysAgo(DELIVERY_PARTS_KEEP_DAYS);
    let compacted = 0;
    for (;;) {
      const n = await deliveries.compact(before, COMPACT_BATCH);
      compacted += n;
      if (n < COMPACT_BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (forgotten + compacted > 0) logger.info({ forgotten, compacted, ledgerKeepDays: LEDGER_KEEP_DAYS, partsKeepDays: DELIVERY_PARTS_KEEP_DAYS }, 'housekeeping: forgot stories long untold, dropped old digests\' parts');
    return { forgotten, compacted };
  }
  // Housekeeping never stops a digest: a failure is logged and tried again at the next hour.
  const housekeepQuietly = (): void => {
    housekeep().catch((error: unknown) => logger.warn({ err: error }, 'housekeeping failed; it runs again in an hour'));
  };
  let housekeeping: NodeJS.Timeout | undefined;

  return {
    commands,
    deps,
    ledger,
    scheduler,
    async start() {
      const report = await syncConfigSubscriptions(subscriptions, settings.subscriptions, now(), await library.position);
      if (report.created + report.updated + report.removed > 0) logger.info({ created: report.created, updated: report.updated, removed: report.removed }, 'configured digest subscriptions applied');
      housekeeping ??= setTimeout(() => {
        housekeepQuietly();
        housekeeping = setInterval(housekeepQuietly, HOUSEKEEPING_EVERY_MS).unref();
      }, HOUSEKEEPING_FIRST_MS).unref();
      return scheduler.start();
    },
    stop: () => {
      clearTimeout(housekeeping);
      housekeeping = undefined;
      return scheduler.stop(settings.shutdownGraceMs);
    },
    housekeep,
  };
}
