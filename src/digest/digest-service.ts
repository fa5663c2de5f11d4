import type { Logger } from 'pino';
import type { DigestCommands } from '../commands/types.js';
import type { Config } from '../config/config.js';
import type { Library } from '../library/library.js';
import { createDeliveryStore, type DeliveryStore } from '../store/deliveries.js';
import { storeOpenError, type Store } from '../store/store.js';
import { createSubscriptionStore, type SubscriptionStore } from '../store/subscriptions.js';
import { syncConfigSubscriptions } from './config-subscriptions.js';
import { createDeliveryRunner } from './delivery-runner.js';
import { createDigestCommands } from './digest-commands.js';
import { deliveryDeadline, type DigestJobDeps, type DigestJobReport } from './digest-job.js';
import { createDigestScheduler, type DigestScheduler } from './scheduler.js';
import type { DigestSender } from './sender.js';
import type { PlatformName } from '../platforms/names.js';

/**
 * Everything digests need, wired from the configuration: the store's subscriptions and
 * deliveries, a sender per enabled platform, the delivery runner, the node-cron scheduler and
 * the /digest commands. `app.ts` only calls this, `start()` and `stop()`.
 */

export interface DigestService {
  commands: DigestCommands;
  deps: DigestJobDeps;
  scheduler: DigestScheduler;
  /** Applies the configured subscriptions, then starts the tasks and the catch-up. */
  start(): { catchUp: Promise<DigestJobReport> };
  /** Stops the tasks and waits (bounded by `digest.shutdownGraceMs`) for sends in flight. */
  stop(): Promise<number>;
}

export interface DigestServiceOptions {
  config: Config;
  store: Store;
  library: Library;
  logger: Logger;
  /** Defaults: a sender for each platform the configuration enables. */
  senders?: Partial<Record<PlatformName, DigestSender>>;
  now?: () => Date;
  /** The delivery runner's waits and jitter (tests run the waits on a faster clock). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Senders for the platforms whose credentials are set. Loaded lazily so the console never loads discord.js or Bolt. */
export async function createSenders(config: Config, platforms: readonly PlatformName[]): Promise<Partial<Record<PlatformName, DigestSender>>> {
  const senders: Partial<Record<PlatformName, DigestSender>> = {};
  if (platforms.includes('discord') && config.discord.token) {
    const { createDiscordSender } = await import('./discord-sender.js');
    senders.discord = createDiscordSender({ token: config.discord.token, apiUrl: config.discord.apiUrl });
  }
  if (platforms.includes('slack') && config.slack.botToken) {
    const { createSlackSender } = await import('./slack-sender.js');
    senders.slack = createSlackSender({ token: config.slack.botToken, apiUrl: config.slack.apiUrl });
  }
  return senders;
}

export function createDigestService(options: DigestServiceOptions): DigestService {
  const { config, store, library } = options;
  const logger = options.logger.child({ component: 'digest' });
  const now = options.now ?? (() => new Date());
  let subscriptions: SubscriptionStore;
  let deliveries: DeliveryStore;
  try {
    subscriptions = createSubscriptionStore(store.db);
    deliveries = createDeliveryStore(store.db);
  } catch (error) {
    throw storeOpenError(store.path, error);
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
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const deps: DigestJobDeps = {
    store,
    library,
    subscriptions,
    deliveries,
    runner,
    settings: { catchUpHours: settings.catchUpHours, backfill: settings.backfill, nothingNew: settings.nothingNew, maxItems: settings.maxItems },
    logger,
  };
  const scheduler = createDigestScheduler(deps, { now });
  const commands = createDigestCommands({ ...deps, now, onChange: (s) => scheduler.refresh(s) });

  return {
    commands,
    deps,
    scheduler,
    start() {
      const report = syncConfigSubscriptions(subscriptions, settings.subscriptions, now(), library.position);
      if (report.created + report.updated + report.removed > 0) logger.info({ created: report.created, updated: report.updated, removed: report.removed }, 'configured digest subscriptions applied');
      return scheduler.start();
    },
    stop: () => scheduler.stop(settings.shutdownGraceMs),
  };
}
