import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BriefbotError } from '../errors.js';
import { allowListProblems } from '../net/address-policy.js';
import { PLATFORM_NAMES } from '../platforms/names.js';
import { postgresUrlProblem } from './database-url.js';
import { checkFeedUrl } from './feed-url.js';

/**
 * One schema over `config/*.yaml` and the environment, parsed once at start-up. Every problem is
 * reported at once as `path: message`. Platform API base URLs are configuration with production
 * defaults, so tests and stand-ins redirect the whole process by configuration alone.
 */

const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

const SubscriptionSchema = z.object({
  platform: z.enum(PLATFORM_NAMES),
  channel: z.string().min(1),
  schedule: z.string().min(1),
  timezone: z.string().default('UTC'),
  backfill: z.number().int().min(0).max(50).optional(),
  nothingNew: z.enum(['skip', 'note']).optional(),
  /** Story digests: one thread per story in the channel, its updates posted there (default off). */
  threads: z.boolean().optional(),
  /** Story digests: a story with nothing material new is left out (`skip`, the default) or shown in one line. */
  unchanged: z.enum(['skip', 'line']).optional(),
});

const FeedSchema = z.object({
  // The same rules as `/sources add`, as a schema check so each bad entry is reported as `feeds.N.url: …` with the others.
  url: z.string().superRefine((text, ctx) => {
    const check = checkFeedUrl(text);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.problem });
  }),
  name: z.string().optional(),
  intervalMinutes: z.number().int().min(1).max(24 * 60).default(15),
});

/** How briefbot fetches feeds and pages (see src/net/safe-fetch.ts). */
const FetchSchema = z.object({
  /**
   * Addresses or CIDR ranges briefbot may fetch from although they are not public (loopback,
   * private, link-local...): e.g. an intranet news server. Empty by default: refuse them all.
   */
  allow: z
    .array(z.string())
    .default([])
    .superRefine((entries, ctx) => {
      for (const problem of allowListProblems(entries)) ctx.addIssue({ code: 'custom', message: problem });
    }),
  connectTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  timeoutMs: z.number().int().min(500).max(120_000).default(15_000),
  maxBytes: z.number().int().min(1024).max(5 * 1024 * 1024).default(5 * 1024 * 1024),
  maxRedirects: z.number().int().min(0).max(5).default(5),
  /** Where a site owner can read what briefbot is; sent in the User-Agent as `briefbot/<version> (+<url>)`. */
  contactUrl: z.string().url().optional(),
});

/**
 * Which Discord gateway shards this process runs. Discord asks a bot to shard past 2,500 guilds
 * per connection; each shard receives the events of the guilds with `(guild_id >> 22) % count`
 * equal to its id, so replicas split the guilds by splitting the ids. Written as environment text
 * (`DISCORD_SHARD_IDS=0,1`, `DISCORD_SHARD_COUNT=2` or `auto`) or as YAML (`ids: [0, 1]`, `count: 2`).
 * Absent: one connection, as an unsharded bot.
 */
const ShardIdsSchema = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
      : typeof value === 'number'
        ? [value]
        : value,
  z.array(z.number({ error: (issue) => `expected a shard id (a whole number from 0), got "${String(issue.input)}"` }).int('expected a whole number').min(0, 'shard ids start at 0'), {
    message: 'expected shard ids, e.g. "0,1" or "2"',
  }),
);
const ShardCountSchema = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : typeof value === 'string' ? value.trim() : value),
  z.union([z.literal('auto'), z.number().int().min(1, 'expected 1 or more shards')], { message: 'expected a whole number of shards (1 or more) or "auto"' }),
);
const DiscordShardsSchema = z
  .object({
    /** The shards this process runs (DISCORD_SHARD_IDS); all of 0…count-1 when left out. */
    ids: ShardIdsSchema.optional(),
    /** Shards across all processes (DISCORD_SHARD_COUNT), or 'auto': Discord's recommendation, all run here. */
    count: ShardCountSchema.optional(),
  })
  .superRefine((shards, ctx) => {
    const { ids, count } = shards;
    if (ids !== undefined && count === undefined) {
      ctx.addIssue({ code: 'custom', path: ['count'], message: 'DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT: the total number of shards across every process' });
    }
    if (ids !== undefined && count === 'auto') {
      ctx.addIssue({ code: 'custom', path: ['ids'], message: 'DISCORD_SHARD_COUNT=auto runs every shard in this process; leave DISCORD_SHARD_IDS unset, or give a whole-number count' });
    }
    if (ids === undefined) return;
    if (ids.length === 0) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'expected at least one shard id' });
    const seen = new Set<number>();
    for (const id of ids) {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['ids'], message: `shard ${id} is listed twice` });
      seen.add(id);
      if (typeof count === 'number' && id >= count) {
        ctx.addIssue({ code: 'custom', path: ['ids'], message: `shard ${id} does not exist with DISCORD_SHARD_COUNT=${count}: ids run from 0 to ${count - 1}` });
      }
    }
  });

const HTTP_DEFAULTS = { port: 3000, host: '0.0.0.0', headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 512, keepAliveTimeoutMs: 5_000 };

/** The one HTTP listener (health, metrics, Slack's requests) and the limits that keep slow or many clients from holding it. */
const HttpSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(HTTP_DEFAULTS.port),
    host: z.string().min(1).default(HTTP_DEFAULTS.host),
    /** Time a client has to send its request headers. */
    headersTimeoutMs: z.number().int().min(100).max(300_000).default(HTTP_DEFAULTS.headersTimeoutMs),
    /** Time a client has to send the whole request. */
    requestTimeoutMs: z.number().int().min(100).max(600_000).default(HTTP_DEFAULTS.requestTimeoutMs),
    /** Connections open at once; more are closed as they arrive. */
    maxConnections: z.number().int().min(1).max(100_000).default(HTTP_DEFAULTS.maxConnections),
    /** How long an idle keep-alive connection stays open. */
    keepAliveTimeoutMs: z.number().int().min(0).max(600_000).default(HTTP_DEFAULTS.keepAliveTimeoutMs),
  })
  .superRefine((http, ctx) => {
    // Node refuses a headers timeout longer than the whole-request timeout.
    if (http.headersTimeoutMs > http.requestTimeoutMs) {
      ctx.addIssue({ code: 'custom', path: ['requestTimeoutMs'], message: `must be at least headersTimeoutMs (${http.headersTimeoutMs})` });
    }
  });

/** Feed polling and folder watching. */
const IngestSchema = z.object({
  /** Feeds polled at once. */
  pollConcurrency: z.number().int().min(1).max(64).default(8),
  /** Pages fetched at once for one feed's snippet-only items. */
  pageConcurrency: z.number().int().min(1).max(16).default(4),
  /** Failed polls in a row before a source shows as failing in /sources list. */
  failingAfter: z.number().int().min(1).max(100).default(3),
  /** Watch the briefings folders for new and changed files while running. */
  watch: z.boolean().default(true),
  /** Quiet time after a file changes before it is read. */
  debounceMs: z.number().int().min(10).max(60_000).default(300),
  /** Safety-net rescan of the folders (stat only). */
  rescanSeconds: z.number().int().min(1).max(3600).default(30),
});

export const ConfigSchema = z.object({
  briefings: z
    .object({
      /** The folder of bundled and dropped-in articles. */
      dir: z.string().default('briefings'),
      /** More folders to read articles from. */
      folders: z.array(z.string()).default([]),
    })
    .default({ dir: 'briefings', folders: [] }),
  store: z
    .object({
      /** The SQLite file: the one-machine store, used when no `url` is given. */
      path: z.string().default('data/briefbot.db'),
      /** A PostgreSQL connection URL (`DATABASE_URL`): the shared store of several replicas. */
      url: z
        .string()
        .superRefine((text, ctx) => {
          const problem = postgresUrlProblem(text);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .optional(),
    })
    .default({ path: 'data/briefbot.db' }),
  log: z.object({ level: LogLevel.default('info') }).default({ level: 'info' }),
  http: HttpSchema.default(HTTP_DEFAULTS),
  discord: z
    .object({
      token: z.string().optional(),
      applicationId: z.string().optional(),
      apiUrl: z.string().url().default('https://discord.com/api'),
      /** Register commands to this guild only (instant), instead of globally. */
      guildId: z.string().optional(),
      /** Gateway shards for this process; unset: one unsharded connection. */
      shards: DiscordShardsSchema.optional(),
    })
    .default({ apiUrl: 'https://discord.com/api' }),
  slack: z
    .object({
      botToken: z.string().optional(),
      signingSecret: z.string().optional(),
      appToken: z.string().optional(),
      apiUrl: z.string().url().default('https://slack.com/api/'),
      /** Path Slack posts slash commands and interactions to, in HTTP mode. */
      path: z.string().startsWith('/').default('/slack/events'),
      /** Slack user ids allowed to manage digests besides workspace admins and owners. */
      admins: z.array(z.string()).default([]),
    })
    .default({ apiUrl: 'https://slack.com/api/', path: '/slack/events', admins: [] }),
  digest: z
    .object({
      /** Missed slots within this many hours are delivered once after a restart. */
      catchUpHours: z.number().min(0).max(168).default(12),
      /** A new subscription's first digest carries at most this many existing briefings. */
      backfill: z.number().int().min(0).max(50).default(3),
      nothingNew: z.enum(['skip', 'note']).default('skip'),
      subscriptions: z.array(SubscriptionSchema).default([]),
      /** Briefings in one digest at most; the others are counted ("12 more in /articles"). */
      maxItems: z.number().int().min(1).max(50).default(20),
      /**
       * The backoff between attempts at one message after a failure whose outcome is unknown or a
       * server error. A rate limit waits out its retry-after and is not a failure; only a permanent
       * error or the deadline (the subscription's next slot) ends a delivery.
       */
      retry: z
        .object({
          /**
           * @deprecated Ignored: attempts are no longer counted toward giving a digest up. Still
           * accepted, without a word, so configurations that set it keep loading; any whole
           * number will do, since it no longer means anything.
           */
          attempts: z.number().int().min(0).optional(),
          minDelayMs: z.number().int().min(0).max(60_000).default(1_000),
          maxDelayMs: z.number().int().min(0).max(3_600_000).default(300_000),
        })
        .default({ minDelayMs: 1_000, maxDelayMs: 300_000 }),
      /** How long a shutdown waits for digests that are being sent (the rest resume at the next start). */
      shutdownGraceMs: z.number().int().min(0).max(120_000).default(10_000),
      /**
       * How long a replica's claim on a delivery lasts without a write (PostgreSQL, several
       * replicas): a replica that died mid-send holds its deliveries this long before another
       * takes them over. Every write about a send renews it, so it only has to outlast one send.
       */
      claimLeaseMs: z.number().int().min(1_000).max(3_600_000).default(120_000),
    })
    .default({
      catchUpHours: 12,
      backfill: 3,
      nothingNew: 'skip',
      subscriptions: [],
      maxItems: 20,
      retry: { minDelayMs: 1_000, maxDelayMs: 300_000 },
      shutdownGraceMs: 10_000,
      claimLeaseMs: 120_000,
    }),
  feeds: z.array(FeedSchema).default([]),
  fetch: FetchSchema.default({ allow: [], connectTimeoutMs: 5_000, timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 }),
  ingest: IngestSchema.default({ pollConcurrency: 8, pageConcurrency: 4, failingAfter: 3, watch: true, debounceMs: 300, rescanSeconds: 30 }),
});

export type Config = z.infer<typeof ConfigSchema>;
export type SubscriptionConfig = z.infer<typeof SubscriptionSchema>;
export type FetchConfig = z.infer<typeof FetchSchema>;
export type IngestConfig = z.infer<typeof IngestSchema>;

type Env = Record<string, string | undefined>;

/** Environment variables and the config path each one sets. */
export const ENV_VARIABLES: Array<[string, string[], 'string' | 'number']> = [
  ['BRIEFINGS_DIR', ['briefings', 'dir'], 'string'],
  ['DATABASE_PATH', ['store', 'path'], 'string'],
  ['DATABASE_URL', ['store', 'url'], 'string'],
  ['LOG_LEVEL', ['log', 'level'], 'string'],
  ['PORT', ['http', 'port'], 'number'],
  ['HOST', ['http', 'host'], 'string'],
  ['DISCORD_TOKEN', ['discord', 'token'], 'string'],
  ['DISCORD_APPLICATION_ID', ['discord', 'applicationId'], 'string'],
  ['DISCORD_API_URL', ['discord', 'apiUrl'], 'string'],
  ['DISCORD_GUILD_ID', ['discord', 'guildId'], 'string'],
  ['DISCORD_SHARD_IDS', ['discord', 'shards', 'ids'], 'string'],
  ['DISCORD_SHARD_COUNT', ['discord', 'shards', 'count'], 'string'],
  ['SLACK_BOT_TOKEN', ['slack', 'botToken'], 'string'],
  ['SLACK_SIGNING_SECRET', ['slack', 'signingSecret'], 'string'],
  ['SLACK_APP_TOKEN', ['slack', 'appToken'], 'string'],
  ['SLACK_API_URL', ['slack', 'apiUrl'], 'string'],
  ['SLACK_PATH', ['slack', 'path'], 'string'],
];

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Merges `source` into `target`, object by object (arrays and scalars replace). */
export function mergeDeep(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && existing && typeof existing === 'object' && !Array.isArray(existing)) {
      mergeDeep(existing as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** Reads every `*.yaml`/`*.yml` in the folder, in name order, later files overriding earlier ones. */
export function readConfigFiles(dir: string): { data: Record<string, unknown>; problems: string[] } {
  const data: Record<string, unknown> = {};
  const problems: string[] = [];
  if (!existsSync(dir)) return { data, problems };
  for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    try {
      const parsed: unknown = parseYaml(readFileSync(join(dir, name), 'utf8'));
      if (parsed === null || parsed === undefined) continue;
      if (typeof parsed !== 'object' || Array.isArray(parsed)) {
        problems.push(`${name}: expected a mapping of settings`);
        continue;
      }
      mergeDeep(data, parsed as Record<string, unknown>);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return { data, problems };
}

export interface LoadConfigOptions {
  dir?: string;
  env?: Env;
  /** Extra settings on top (command-line flags, tests). */
  overrides?: Record<string, unknown>;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const dir = resolve(options.dir ?? env.BRIEFBOT_CONFIG_DIR ?? 'config');
  const { data, problems } = readConfigFiles(dir);
  for (const [name, path, type] of ENV_VARIABLES) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) problems.push(`${name}: expected a number, got "${raw}"`);
      else setPath(data, path, n);
    } else {
      setPath(data, path, raw);
    }
  }
  if (options.overrides) mergeDeep(data, options.overrides);
  const result = ConfigSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (problems.length > 0 || !result.success) {
    throw new BriefbotError('config', `configuration problems:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return result.data;
}
