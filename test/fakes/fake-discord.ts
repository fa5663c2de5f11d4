/**
 * A local stand-in for Discord that the real discord.js 14 talks to: REST under `/api/v10`, the
 * gateway over WebSocket (plain JSON: `?v=10&encoding=json`, no zlib), interactions with Discord's
 * 3 s / 15 min windows, message limits (400 code 50035) and switchable rate limits (429).
 *
 *   const discord = await createFakeDiscord();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
 *   client.once('clientReady', …); await client.login('any-token');
 *   const ix = discord.sendCommand('brief', { topic: 'ai' });
 *   const cb = await ix.waitForCallback();     // { type: 4, data: { content … }, status: 204 }
 *   await client.destroy(); await discord.stop();   // client first: a closed gateway makes it reconnect
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import {
  validateMessage,
  validateAutocomplete,
  isEmptyMessage,
  invalidFormBody,
  type LimitProblem,
} from './discord-limits.js';
import {
  Scripts,
  closeServer,
  compilePattern,
  decodePath,
  listen,
  readBody,
  send,
  sleep,
  waitFor,
  type FakeReply,
  type Registration,
  type ScriptHandler,
  type WaitOptions,
} from './util.js';

export { DISCORD_LIMITS, type LimitProblem } from './discord-limits.js';
export type { FakeReply, Registration, ScriptContext, ScriptHandler, WaitOptions } from './util.js';

type Json = Record<string, unknown>;

/** Permission bits used by the fake's defaults and handy in tests (strings, as Discord sends them). */
export const PERMISSIONS = {
  ADMINISTRATOR: 1n << 3n,
  MANAGE_CHANNELS: 1n << 4n,
  MANAGE_GUILD: 1n << 5n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  USE_APPLICATION_COMMANDS: 1n << 31n,
} as const;

const MEMBER_PERMISSIONS =
  PERMISSIONS.VIEW_CHANNEL |
  PERMISSIONS.SEND_MESSAGES |
  PERMISSIONS.EMBED_LINKS |
  PERMISSIONS.READ_MESSAGE_HISTORY |
  PERMISSIONS.USE_APPLICATION_COMMANDS;
const ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | PERMISSIONS.ADMINISTRATOR | PERMISSIONS.MANAGE_GUILD;
const BOT_PERMISSIONS = PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS | PERMISSIONS.READ_MESSAGE_HISTORY;

export interface DiscordUser {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot?: boolean;
  [key: string]: unknown;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** 0 text, 1 DM, 5 announcement, … */
  type: number;
  guildId?: string;
}

/**
 * A public thread started from a message (type 11). Its id is the message's; it is a channel of its
 * own: messages are posted to it with POST /channels/{thread id}/messages.
 */
export interface FakeThread extends FakeChannel {
  parentId: string;
  /** The message in the parent channel the thread was started from. */
  messageId: string;
  archived: boolean;
  /** Archived and locked: only members with MANAGE_THREADS may unarchive it (a bot's post answers 400 50083). */
  locked: boolean;
  autoArchiveDuration: number;
  createdAt: number;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  locale: string;
  channels: FakeChannel[];
}

export interface DiscordMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: DiscordUser;
  content: string;
  embeds: Json[];
  components: Json[];
  flags: number;
  nonce?: string | number;
  timestamp: string;
  edited_timestamp: string | null;
  type: number;
  webhook_id?: string;
  application_id?: string;
  [key: string]: unknown;
}

export interface DiscordRequest {
  method: string;
  /** Decoded, without `/api/v10` and without the query: '/webhooks/1/tok/messages/@original'. */
  path: string;
  /** As received, e.g. '/api/v10/webhooks/1/tok/messages/%40original'. */
  rawPath: string;
  apiVersion?: number;
  query: URLSearchParams;
  /** Parsed JSON (for multipart: the `payload_json`), a string for other bodies, undefined when empty. */
  body: unknown;
  files: string[];
  headers: IncomingHttpHeaders;
  time: number;
  /** Filled in when the fake answers. */
  status?: number;
  response?: unknown;
}

export interface InteractionCallbackRecord {
  interactionId: string;
  token: string;
  /** 4 reply, 5 defer, 6 deferred update, 7 update, 8 autocomplete result, 9 modal. */
  type: number | undefined;
  data: unknown;
  time: number;
  /** Since the INTERACTION_CREATE dispatch. */
  elapsedMs: number;
  /** True when it came after the answer window (and was refused with 10062). */
  late: boolean;
  status: number;
  /** Discord's error code when refused: 10062, 40060, 50035, 50006. */
  code?: number;
  problems: LimitProblem[];
}

export interface WebhookRecord {
  interactionId: string;
  method: string;
  /** '@original' or a follow-up message id; undefined for a new follow-up. */
  messageId?: string;
  body: unknown;
  time: number;
  elapsedMs: number;
  status: number;
  code?: number;
  problems: LimitProblem[];
}

export interface FakeInteraction {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  /** The `d` of the INTERACTION_CREATE dispatch. */
  payload: Json;
  dispatchedAt: number;
  /** Every callback attempt, accepted or not. */
  callbacks: InteractionCallbackRecord[];
  /** The accepted initial callback. */
  acknowledged?: InteractionCallbackRecord;
  /** The reply (type 4), the placeholder (type 5) or the updated component message (6/7); edits change it. */
  original?: DiscordMessage;
  webhooks: WebhookRecord[];
  followUps: DiscordMessage[];
  /** Choices of an autocomplete answer (type 8). */
  choices?: Json[];
  /** Resolves with the first callback attempt (accepted or refused) after `since` (default: any). */
  waitForCallback(options?: WaitOptions & { accepted?: boolean }): Promise<InteractionCallbackRecord>;
  /** Resolves with the first accepted edit of @original. */
  waitForEdit(options?: WaitOptions): Promise<WebhookRecord>;
  waitForFollowUp(options?: WaitOptions): Promise<DiscordMessage>;
  waitFor<T>(predicate: (ix: FakeInteraction) => T | undefined | null | false, options?: WaitOptions): Promise<T>;
}

export interface InteractionContext {
  guildId?: string;
  channelId?: string;
  /** Send from a DM instead of a guild channel (user instead of member, no permissions). */
  dm?: boolean;
  user?: Partial<DiscordUser>;
  /** The member's permissions bitfield in the channel (string or bigint). Default: an ordinary member. */
  permissions?: string | bigint;
  /** Shortcut for ADMINISTRATOR | MANAGE_GUILD on top of the ordinary permissions. */
  admin?: boolean;
  roles?: string[];
  locale?: string;
  appPermissions?: string | bigint;
}

export type CommandOptionInput =
  | Array<{ name: string; type: number; value?: unknown; options?: unknown[]; focused?: boolean }>
  | Record<string, string | number | boolean>;

export interface DiscordRateLimitConfig {
  /** Requests per second per bot token (all authenticated REST calls; interaction callbacks are exempt). */
  globalPerSecond: number;
  /** Messages per channel per window. */
  channelMessages: number;
  channelWindowMs: number;
}

export interface GatewayConnection {
  query: URLSearchParams;
  openedAt: number;
  identify?: Json;
  /** `[shard_id, num_shards]` of the session (from IDENTIFY; `[0, 1]` when it sent none). */
  shard?: [number, number];
  resumed?: boolean;
  sessionId?: string;
  heartbeats: number;
  closedCode?: number;
}

export interface GatewayFrame {
  direction: 'in' | 'out';
  op: number;
  t?: string | null;
  d: unknown;
  time: number;
}

export interface CommandRegistration {
  scope: 'global' | string;
  commands: Json[];
  time: number;
}

export interface FakeDiscordOptions {
  applicationId?: string;
  botUser?: Partial<DiscordUser>;
  /** Default: one guild "Fake Guild" with #general and #news. */
  guilds?: Array<{ id?: string; name?: string; ownerId?: string; locale?: string; channels?: Array<Partial<FakeChannel>> }>;
  /** When set, IDENTIFY/RESUME with another token is closed with 4004 and bot REST calls get 401. */
  token?: string;
  /** The first-answer window of an interaction (Discord: 3,000 ms). */
  interactionWindowMs?: number;
  /** How long an interaction token stays valid for @original edits and follow-ups (Discord: 15 min). */
  tokenLifetimeMs?: number;
  heartbeatIntervalMs?: number;
  /** Switch on Discord's limits (true = 50 req/s global, 5 messages / 5 s per channel). */
  rateLimits?: boolean | Partial<DiscordRateLimitConfig>;
  /** How long an `enforce_nonce` nonce is remembered (Discord: "a few minutes"). */
  nonceWindowMs?: number;
  /** `shards` in GET /gateway/bot (what `shards: 'auto'` runs). Default: enough for `maxGuildsPerShard`. */
  recommendedShards?: number;
  /**
   * Guilds one session may hold; an IDENTIFY whose shard would hold more is closed with 4011
   * Sharding required (Discord: 2,500).
   */
  maxGuildsPerShard?: number;
  /**
   * `session_start_limit.max_concurrency` in GET /gateway/bot (Discord: 1, or 16 and up for large
   * bots). discord.js identifies the shards of one bucket (`shard_id % max_concurrency`) 5 s apart.
   */
  maxConcurrency?: number;
}

export interface FakeDiscord {
  apiUrl: string;
  gatewayUrl: string;
  port: number;
  applicationId: string;
  botUser: DiscordUser;
  guilds: FakeGuild[];
  /** Every REST request received, in order. */
  requests: DiscordRequest[];
  /** Messages created in channels and threads (POST /channels/:id/messages), in order. */
  messages: DiscordMessage[];
  /** Threads started from messages (POST /channels/:id/messages/:messageId/threads); deleted ones are removed. */
  threads: FakeThread[];
  interactions: FakeInteraction[];
  /** Every interaction callback attempt, including ones for unknown interactions. */
  callbacks: InteractionCallbackRecord[];
  /** Every payload refused for breaking a limit (route + problems). */
  violations: Array<{ method: string; path: string; problems: LimitProblem[]; time: number }>;
  /** Repeated `enforce_nonce` sends that returned the existing message instead of a new one. */
  nonceHits: Array<{ nonce: string; channelId: string; messageId: string; crossChannel: boolean; time: number }>;
  commands: CommandRegistration[];
  gatewayConnections: GatewayConnection[];
  gatewayLog: GatewayFrame[];
  /** Errors thrown inside the fake itself (answered as 500). */
  errors: Error[];

  register<B = unknown>(method: string, pathPattern: string, handler: ScriptHandler<B>): Registration;
  setRateLimits(config: boolean | Partial<DiscordRateLimitConfig>): void;
  /** 'missing-access' → 403 code 50001, 'unknown' → 404 code 10003, null → normal again. */
  setChannelFault(channelId: string, fault: 'missing-access' | 'unknown' | null): void;
  addChannel(guildId: string, channel: Partial<FakeChannel>): FakeChannel;
  findChannel(channelId: string): FakeChannel | undefined;
  /** The messages posted in a thread (deleted or not), in order. */
  threadMessages(threadId: string): DiscordMessage[];
  /**
   * Deletes a thread as a moderator would: posting to it answers 404 10003 Unknown Channel, and its
   * message may start a new thread. Throws for an unknown thread.
   */
  deleteThread(threadId: string): void;
  /** Archives a thread; `locked` as well: then a bot's post answers 400 50083 instead of unarchiving it. */
  archiveThread(threadId: string, options?: { locked?: boolean }): void;

  sendInteraction(partial: Json & { type?: number }, context?: InteractionContext): FakeInteraction;
  sendCommand(name: string, options?: CommandOptionInput, context?: InteractionContext): FakeInteraction;
  sendAutocomplete(
    name: string,
    focused: { name: string; value: string; type?: number },
    context?: InteractionContext & { otherOptions?: CommandOptionInput },
  ): FakeInteraction;
  sendButton(customId: string, context?: InteractionContext & { message?: DiscordMessage }): FakeInteraction;
  /**
   * Sends any dispatch (op 0) the way Discord routes it: a guild's event (`d.guild_id`, or `d.id`
   * of a GUILD_* event) to the sessions whose shard is `(guild_id >> 22) % num_shards`, anything
   * else (DMs) to shard 0. Throws when no ready session runs that shard.
   */
  dispatch(t: string, d: unknown): void;
  /** Changes `shards` in GET /gateway/bot. */
  setRecommendedShards(count: number): void;
  /** Closes the ready gateway connections (only shard `shardId`'s when given) with `code` (default 4000: the client resumes). */
  dropGateway(code?: number, shardId?: number): void;
  readonly gatewayReady: boolean;

  waitFor<T>(predicate: () => T | undefined | null | false, options?: WaitOptions): Promise<T>;
  waitForRequest(method: string, pathPattern: string, options?: WaitOptions): Promise<DiscordRequest>;
  waitForMessage(predicate?: (m: DiscordMessage) => boolean, options?: WaitOptions): Promise<DiscordMessage>;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------- helpers for scripted replies

/** A 429 like Discord's. `retryAfter` in seconds (fractions allowed; the real header is whole seconds). */
export function discordRateLimited(retryAfter = 0.1, { global = false, scope }: { global?: boolean; scope?: string } = {}): FakeReply {
  const headers: Record<string, string> = {
    'retry-after': String(retryAfter),
    'x-ratelimit-scope': scope ?? (global ? 'global' : 'user'),
  };
  if (global) headers['x-ratelimit-global'] = 'true';
  else {
    headers['x-ratelimit-limit'] = '5';
    headers['x-ratelimit-remaining'] = '0';
    headers['x-ratelimit-reset'] = ((Date.now() + retryAfter * 1000) / 1000).toFixed(3);
    headers['x-ratelimit-reset-after'] = retryAfter.toFixed(3);
    headers['x-ratelimit-bucket'] = 'fake-scripted';
  }
  return {
    status: 429,
    headers,
    body: { message: 'You are being rate limited.', retry_after: retryAfter, global, ...(global ? { code: 0 } : {}) },
  };
}

/** A Discord JSON error, e.g. discordError(403, 50001, 'Missing Access'). */
export function discordError(status: number, code: number, message: string): FakeReply {
  return { status, body: { message, code } };
}

// ---------------------------------------------------------------- shards

/** The shard that receives a guild's events, as Discord computes it. */
export function shardOfGuild(guildId: string, numShards: number): number {
  // Unsharded, every guild is on shard 0, whatever a test named it.
  if (numShards === 1) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(numShards));
}

/**
 * A guild id (a snowflake) whose events go to `shardId` of `numShards`; `n` picks one of many.
 * The shard comes from the id's timestamp bits, so ids are spaced by `numShards` milliseconds.
 */
export function guildIdOnShard(shardId: number, numShards: number, n = 0): string {
  let ms = 600_000_000_000n + BigInt(n) * BigInt(numShards);
  ms += BigInt(shardId) - (ms % BigInt(numShards));
  return ((ms << 22n) | 1n).toString();
}

// ---------------------------------------------------------------- the fake

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;
function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

function toPermissionString(value: string | bigint | undefined, fallback: bigint): string {
  if (value === undefined) return fallback.toString();
  return typeof value === 'bigint' ? value.toString() : value;
}

function optionType(value: unknown): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function toOptions(input: CommandOptionInput | undefined): Json[] {
  if (!input) return [];
  if (Array.isArray(input)) return input as Json[];
  return Object.entries(input).map(([name, value]) => ({ name, type: optionType(value), value }));
}

async function parseBody(buf: Buffer, contentType: string | undefined): Promise<{ body: unknown; files: string[] }> {
  if (buf.length === 0) return { body: undefined, files: [] };
  const ct = contentType ?? '';
  if (ct.startsWith('multipart/form-data')) {
    const form = await new Response(buf, { headers: { 'content-type': ct } }).formData();
    const files: string[] = [];
    let body: unknown;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
      else if (typeof value !== 'string') files.push(value.name);
    }
    return { body, files };
  }
  const text = buf.toString('utf8');
  if (ct.includes('json')) return { body: JSON.parse(text), files: [] };
  return { body: text, files: [] };
}

export async function createFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = options.applicationId ?? snowflake();
  const botUser: DiscordUser = {
    id: applicationId,
    username: 'briefbot',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
    flags: 0,
    ...options.botUser,
  };
  const interactionWindowMs = options.interactionWindowMs ?? 3000;
  const tokenLifetimeMs = options.tokenLifetimeMs ?? 15 * 60_000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
  const nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;
  const maxGuildsPerShard = options.maxGuildsPerShard ?? 2500;
  const maxConcurrency = options.maxConcurrency ?? 1;
  let recommendedShards = options.recommendedShards;

  const defaultUser: DiscordUser = {
    id: '100000000000000001',
    username: 'tester',
    discriminator: '0',
    global_name: 'Tester',
    avatar: null,
  };

  const guilds: FakeGuild[] = (options.guilds ?? [{}]).map((g, gi) => {
    const id = g.id ?? snowflake();
    const channels = (g.channels ?? [{ name: 'general' }, { name: 'news' }]).map((c) => ({
      id: c.id ?? snowflake(),
      name: c.name ?? `channel-${gi}`,
      type: c.type ?? 0,
      guildId: id,
    }));
    return { id, name: g.name ?? (gi === 0 ? 'Fake Guild' : `Fake Guild ${gi + 1}`), ownerId: g.ownerId ?? defaultUser.id, locale: g.locale ?? 'en-US', channels };
  });
  const dmChannels: FakeChannel[] = [];

  const requests: DiscordRequest[] = [];
  const messages: DiscordMessage[] = [];
  const threads: FakeThread[] = [];
  const interactions: FakeInteraction[] = [];
  const interactionsById = new Map<string, FakeInteraction>();
  const interactionsByToken = new Map<string, FakeInteraction>();
  const callbacks: InteractionCallbackRecord[] = [];
  const violations: FakeDiscord['violations'] = [];
  const nonceHits: FakeDiscord['nonceHits'] = [];
  const nonces = new Map<string, { message: DiscordMessage; time: number }>();
  const commands: CommandRegistration[] = [];
  const gatewayConnections: GatewayConnection[] = [];
  const gatewayLog: GatewayFrame[] = [];
  const errors: Error[] = [];
  const channelFaults = new Map<string, 'missing-access' | 'unknown'>();
  const scripts = new Scripts();

  let rateLimits: DiscordRateLimitConfig | null = null;
  const globalWindow = { start: 0, count: 0 };
  const channelWindows = new Map<string, { resetAt: number; count: number }>();
  function setRateLimits(config: boolean | Partial<DiscordRateLimitConfig>): void {
    rateLimits = config === false ? null : { globalPerSecond: 50, channelMessages: 5, channelWindowMs: 5000, ...(config === true ? {} : config) };
    channelWindows.clear();
    globalWindow.start = 0;
    globalWindow.count = 0;
  }
  if (options.rateLimits) setRateLimits(options.rateLimits);

  const findChannel = (channelId: string): FakeChannel | undefined =>
    guilds.flatMap((g) => g.channels).find((c) => c.id === channelId) ??
    dmChannels.find((c) => c.id === channelId) ??
    threads.find((t) => t.id === channelId);
  const findThread = (threadId: string): FakeThread | undefined => threads.find((t) => t.id === threadId);

  function threadObject(thread: FakeThread): Json {
    const posted = messages.filter((m) => m.channel_id === thread.id).length;
    return {
      id: thread.id,
      type: thread.type,
      guild_id: thread.guildId,
      parent_id: thread.parentId,
      name: thread.name,
      owner_id: botUser.id,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
      message_count: posted,
      total_message_sent: posted,
      member_count: 1,
      thread_metadata: {
        archived: thread.archived,
        auto_archive_duration: thread.autoArchiveDuration,
        archive_timestamp: new Date(thread.createdAt).toISOString(),
        locked: thread.locked,
        create_timestamp: new Date(thread.createdAt).toISOString(),
      },
    };
  }

  function channelObject(channel: FakeChannel): Json {
    const thread = findThread(channel.id);
    if (thread) return threadObject(thread);
    if (channel.type === 1) {
      return { id: channel.id, type: 1, last_message_id: null, flags: 0, recipients: [defaultUser] };
    }
    const position = guilds.find((g) => g.id === channel.guildId)?.channels.indexOf(channel) ?? 0;
    return {
      id: channel.id,
      type: channel.type,
      guild_id: channel.guildId,
      name: channel.name,
      position,
      permission_overwrites: [],
      parent_id: null,
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    };
  }

  function guildCreatePayload(guild: FakeGuild): Json {
    const now = new Date().toISOString();
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      preferred_locale: guild.locale,
      features: [],
      premium_tier: 0,
      premium_progress_bar_enabled: false,
      nsfw_level: 0,
      application_id: null,
      description: null,
      banner: null,
      vanity_url_code: null,
      max_video_channel_users: 25,
      roles: [
        {
          id: guild.id,
          name: '@everyone',
          permissions: MEMBER_PERMISSIONS.toString(),
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          icon: null,
          unicode_emoji: null,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      channels: guild.channels.map((c) => {
        const o = channelObject(c);
        delete o.guild_id;
        return o;
      }),
      threads: [],
      members: [{ user: botUser, roles: [], joined_at: now, deaf: false, mute: false, flags: 0, nick: null, avatar: null, premium_since: null, pending: false, communication_disabled_until: null }],
      member_count: 2,
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      joined_at: now,
      large: false,
      unavailable: false,
      lazy: true,
    };
  }

  function makeMessage(channelId: string, body: Json, extra: Partial<DiscordMessage> = {}): DiscordMessage {
    const channel = findChannel(channelId);
    const message: DiscordMessage = {
      id: snowflake(),
      channel_id: channelId,
      ...(channel?.guildId ? { guild_id: channel.guildId } : {}),
      author: botUser,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? (body.embeds as Json[]).map((e) => ({ type: 'rich', ...e })) : [],
      components: Array.isArray(body.components) ? (body.components as Json[]) : [],
      attachments: [],
      flags: typeof body.flags === 'number' ? body.flags : 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      pinned: false,
      type: 0,
      ...(body.nonce !== undefined ? { nonce: body.nonce as string | number } : {}),
      ...extra,
    };
    return message;
  }

  function applyEdit(message: DiscordMessage, body: Json): void {
    if (typeof body.content === 'string') message.content = body.content;
    if (body.content === null) message.content = '';
    if (Array.isArray(body.embeds)) message.embeds = (body.embeds as Json[]).map((e) => ({ type: 'rich', ...e }));
    if (Array.isArray(body.components)) message.components = body.components as Json[];
    if (typeof body.flags === 'number') message.flags = (message.flags & 64) | body.flags;
    message.flags &= ~128; // no longer "thinking…"
    message.edited_timestamp = new Date().toISOString();
  }

  function rateHeaders(limit: number, remaining: number, resetAt: number, bucket: string): Record<string, string> {
    const resetAfter = Math.max(0, resetAt - Date.now()) / 1000;
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': bucket,
    };
  }

  function refuse(method: string, path: string, problems: LimitProblem[], prefix: string[] = []): FakeReply {
    violations.push({ method, path, problems, time: Date.now() });
    return { status: 400, body: invalidFormBody(problems, prefix) };
  }

  function checkChannel(channelId: string): FakeReply | undefined {
    // A thread is closed to the bot whenever its parent channel is.
    const parentId = findThread(channelId)?.parentId;
    const fault = channelFaults.get(channelId) ?? (parentId === undefined ? undefined : channelFaults.get(parentId));
    if (fault === 'missing-access') return discordError(403, 50001, 'Missing Access');
    if (fault === 'unknown' || !findChannel(channelId)) return discordError(404, 10003, 'Unknown Channel');
    return undefined;
  }

  // ------------------------------------------------------------ channel messages

  function createChannelMessage(req: DiscordRequest, channelId: string): FakeReply {
    const fault = checkChannel(channelId);
    if (fault) return fault;
    const body = (req.body ?? {}) as Json;
    const problems = validateMessage(body);
    if (problems.length) return refuse(req.method, req.path, problems);
    if (isEmptyMessage(body, req.files.length)) return discordError(400, 50006, 'Cannot send an empty message');
    const thread = findThread(channelId);
    if (thread?.archived) {
      // Discord: a post by a member who may send in threads unarchives the thread, unless it is locked.
      if (thread.locked) return discordError(400, 50083, 'Thread is archived');
      thread.archived = false;
    }

    let headers: Record<string, string> = {};
    if (rateLimits) {
      const now = Date.now();
      let w = channelWindows.get(channelId);
      if (!w || now >= w.resetAt) {
        w = { resetAt: now + rateLimits.channelWindowMs, count: 0 };
        channelWindows.set(channelId, w);
      }
      if (w.count >= rateLimits.channelMessages) {
        const retryAfter = (w.resetAt - now) / 1000;
        return {
          status: 429,
          headers: {
            ...rateHeaders(rateLimits.channelMessages, 0, w.resetAt, 'fake-channel-messages'),
            'retry-after': retryAfter.toFixed(3),
            'x-ratelimit-scope': 'user',
          },
          body: { message: 'You are being rate limited.', retry_after: Number(retryAfter.toFixed(3)), global: false },
        };
      }
      w.count += 1;
      headers = rateHeaders(rateLimits.channelMessages, rateLimits.channelMessages - w.count, w.resetAt, 'fake-channel-messages');
    }

    const nonce = body.nonce === undefined || body.nonce === null ? undefined : String(body.nonce);
    if (nonce !== undefined && body.enforce_nonce === true) {
      // Discord: "another message created by the same author with the same nonce" → that message, no new one.
      const seen = nonces.get(nonce);
      if (seen && Date.now() - seen.time <= nonceWindowMs) {
        nonceHits.push({ nonce, channelId, messageId: seen.message.id, crossChannel: seen.message.channel_id !== channelId, time: Date.now() });
        return { status: 200, headers, body: seen.message };
      }
    }
    const message = makeMessage(channelId, body);
    messages.push(message);
    if (nonce !== undefined && body.enforce_nonce === true) nonces.set(nonce, { message, time: Date.now() });
    return { status: 200, headers, body: message };
  }

  // ------------------------------------------------------------ threads

  /** Discord's thread lengths, in characters. */
  const THREAD_NAME_MAX = 100;
  const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

  function startThreadFromMessage(req: DiscordRequest, channelId: string, messageId: string): FakeReply {
    const fault = checkChannel(channelId);
    if (fault) return fault;
    const channel = findChannel(channelId)!;
    if (findThread(channelId) || (channel.type !== 0 && channel.type !== 5)) {
      return discordError(400, 50024, 'Cannot execute action on this channel type');
    }
    const message = messages.find((m) => m.id === messageId && m.channel_id === channelId);
    if (!message) return discordError(404, 10008, 'Unknown Message');
    const body = (req.body ?? {}) as Json;
    const problems: LimitProblem[] = [];
    const name = typeof body.name === 'string' ? body.name.trim() : undefined;
    if (name === undefined) problems.push({ path: ['name'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    else if ([...name].length < 1 || [...name].length > THREAD_NAME_MAX) {
      problems.push({ path: ['name'], code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between 1 and ${THREAD_NAME_MAX} in length.` });
    }
    const duration = body.auto_archive_duration;
    if (duration !== undefined && !ARCHIVE_DURATIONS.includes(Number(duration))) {
      problems.push({ path: ['auto_archive_duration'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${ARCHIVE_DURATIONS.join(', ')}}.` });
    }
    if (problems.length) return refuse(req.method, req.path, problems);
    if (findThread(messageId)) return discordError(400, 160004, 'A thread has already been created for this message');
    const thread: FakeThread = {
      id: messageId,
      name: name!,
      type: 11,
      ...(channel.guildId ? { guildId: channel.guildId } : {}),
      parentId: channelId,
      messageId,
      archived: false,
      locked: false,
      autoArchiveDuration: duration === undefined ? 4320 : Number(duration),
      createdAt: Date.now(),
    };
    threads.push(thread);
    message.thread = threadObject(thread);
    return { status: 201, body: threadObject(thread) };
  }

  // ------------------------------------------------------------ interactions

  const ALLOWED_CALLBACKS: Record<number, number[]> = {
    2: [4, 5, 9, 10, 12],
    3: [4, 5, 6, 7, 9, 10],
    4: [8],
    5: [4, 5, 6, 7],
  };

  function interactionCallback(req: DiscordRequest, id: string, token: string): FakeReply {
    const ix = interactionsById.get(id);
    const now = Date.now();
    const body = (req.body ?? {}) as Json;
    const type = typeof body.type === 'number' ? body.type : undefined;
    const record: InteractionCallbackRecord = {
      interactionId: id,
      token,
      type,
      data: body.data,
      time: now,
      elapsedMs: ix ? now - ix.dispatchedAt : Number.NaN,
      late: false,
      status: 0,
      problems: [],
    };
    callbacks.push(record);
    const answer = (reply: FakeReply): FakeReply => {
      record.status = reply.status;
      const code = (reply.body as Json | undefined)?.code;
      if (typeof code === 'number') record.code = code;
      return reply;
    };
    if (!ix || ix.token !== token) return answer(discordError(404, 10062, 'Unknown interaction'));
    ix.callbacks.push(record);
    if (ix.acknowledged) return answer(discordError(400, 40060, 'Interaction has already been acknowledged.'));
    if (record.elapsedMs > interactionWindowMs) {
      record.late = true;
      return answer(discordError(404, 10062, 'Unknown interaction'));
    }
    if (type === undefined || !(ALLOWED_CALLBACKS[ix.type] ?? []).includes(type)) {
      record.problems = [{ path: ['type'], code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: `Callback type ${String(type)} is invalid for interaction type ${ix.type}` }];
      return answer(refuse(req.method, req.path, record.problems));
    }
    const data = (body.data ?? {}) as Json;
    if (type === 4 || type === 7) {
      record.problems = validateMessage(data);
      if (record.problems.length) return answer(refuse(req.method, req.path, record.problems, ['data']));
      if (type === 4 && isEmptyMessage(data, req.files.length)) return answer(discordError(400, 50006, 'Cannot send an empty message'));
    }
    if (type === 8) {
      record.problems = validateAutocomplete(data);
      if (record.problems.length) return answer(refuse(req.method, req.path, record.problems, ['data']));
      ix.choices = data.choices as Json[];
    }

    ix.acknowledged = record;
    const channelId = String((ix.payload.channel as Json | undefined)?.id ?? ix.payload.channel_id);
    const interactionMeta = {
      id: ix.id,
      type: ix.type,
      user: (ix.payload.member as Json | undefined)?.user ?? ix.payload.user,
      authorizing_integration_owners: ix.payload.authorizing_integration_owners,
    };
    const fromWebhook = { webhook_id: applicationId, application_id: applicationId, interaction_metadata: interactionMeta };
    if (type === 4) {
      ix.original = makeMessage(channelId, data, { ...fromWebhook, type: ix.type === 2 ? 20 : 19 });
    } else if (type === 5) {
      const flags = (typeof data.flags === 'number' ? data.flags : 0) | 128;
      ix.original = makeMessage(channelId, { flags }, { ...fromWebhook, type: ix.type === 2 ? 20 : 19 });
    } else if (type === 6 || type === 7) {
      const target = (ix.payload.message as DiscordMessage | undefined) ?? makeMessage(channelId, {});
      ix.original = { ...target };
      if (type === 7) applyEdit(ix.original, data);
    }
    if (req.query.get('with_response') === 'true') {
      return answer({
        status: 200,
        body: {
          interaction: {
            id: ix.id,
            type: ix.type,
            response_message_id: ix.original?.id,
            response_message_loading: type === 5,
            response_message_ephemeral: Boolean((ix.original?.flags ?? 0) & 64),
          },
          resource: { type, ...(ix.original && type !== 6 ? { message: ix.original } : {}) },
        },
      });
    }
    return answer({ status: 204 });
  }

  function webhookRequest(req: DiscordRequest, appId: string, token: string, messageId: string | undefined): FakeReply {
    const ix = interactionsByToken.get(token);
    const now = Date.now();
    const record: WebhookRecord = {
      interactionId: ix?.id ?? '',
      method: req.method,
      ...(messageId !== undefined ? { messageId } : {}),
      body: req.body,
      time: now,
      elapsedMs: ix ? now - ix.dispatchedAt : Number.NaN,
      status: 0,
      problems: [],
    };
    const answer = (reply: FakeReply): FakeReply => {
      record.status = reply.status;
      const code = (reply.body as Json | undefined)?.code;
      if (typeof code === 'number') record.code = code;
      return reply;
    };
    if (!ix || appId !== applicationId) return answer(discordError(404, 10015, 'Unknown Webhook'));
    ix.webhooks.push(record);
    if (!ix.acknowledged) return answer(discordError(404, 10015, 'Unknown Webhook'));
    if (record.elapsedMs > tokenLifetimeMs) return answer(discordError(401, 50027, 'Invalid Webhook Token'));
    const body = (req.body ?? {}) as Json;
    const find = (mid: string): DiscordMessage | undefined =>
      mid === '@original' ? ix.original : (ix.followUps.find((m) => m.id === mid) ?? (ix.original?.id === mid ? ix.original : undefined));

    if (messageId === undefined) {
      if (req.method !== 'POST') return answer(discordError(405, 0, '405: Method Not Allowed'));
      record.problems = validateMessage(body);
      if (record.problems.length) return answer(refuse(req.method, req.path, record.problems));
      if (isEmptyMessage(body, req.files.length)) return answer(discordError(400, 50006, 'Cannot send an empty message'));
      const channelId = String((ix.payload.channel as Json | undefined)?.id ?? ix.payload.channel_id);
      const message = makeMessage(channelId, body, { webhook_id: applicationId, application_id: applicationId, type: 0 });
      ix.followUps.push(message);
      return answer(req.query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 });
    }
    const target = find(messageId);
    if (!target) return answer(discordError(404, 10008, 'Unknown Message'));
    if (req.method === 'GET') return answer({ status: 200, body: target });
    if (req.method === 'DELETE') {
      if (messageId === '@original' || target === ix.original) delete ix.original;
      else ix.followUps = ix.followUps.filter((m) => m !== target);
      return answer({ status: 204 });
    }
    if (req.method === 'PATCH') {
      record.problems = validateMessage(body);
      if (record.problems.length) return answer(refuse(req.method, req.path, record.problems));
      applyEdit(target, body);
      return answer({ status: 200, body: target });
    }
    return answer(discordError(405, 0, '405: Method Not Allowed'));
  }

  // ------------------------------------------------------------ routing

  const routes: Array<{ method: string; match: (p: string) => Record<string, string> | undefined; handle: (req: DiscordRequest, p: Record<string, string>) => FakeReply }> = [];
  const route = (method: string, pattern: string, handle: (req: DiscordRequest, p: Record<string, string>) => FakeReply): void => {
    routes.push({ method, match: compilePattern(pattern), handle });
  };

  route('GET', '/gateway/bot', () => ({
    status: 200,
    body: {
      url: gatewayUrl,
      shards: recommendedShards ?? Math.max(1, Math.ceil(guilds.length / maxGuildsPerShard)),
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: maxConcurrency },
    },
  }));
  route('GET', '/gateway', () => ({ status: 200, body: { url: gatewayUrl } }));
  route('GET', '/users/@me', () => ({ status: 200, body: botUser }));
  route('GET', '/applications/@me', () => ({ status: 200, body: { id: applicationId, name: botUser.username, flags: 0, bot: botUser, description: '', icon: null } }));
  route('POST', '/users/@me/channels', (req) => {
    const recipient = String((req.body as Json | undefined)?.recipient_id ?? defaultUser.id);
    const channel: FakeChannel = dmChannels.find((c) => c.name === recipient) ?? { id: snowflake(), name: recipient, type: 1 };
    if (!dmChannels.includes(channel)) dmChannels.push(channel);
    return { status: 200, body: { ...channelObject(channel), recipients: [{ ...defaultUser, id: recipient }] } };
  });
  route('GET', '/channels/:channelId', (_req, p) => {
    const fault = checkChannel(p.channelId!);
    return fault ?? { status: 200, body: channelObject(findChannel(p.channelId!)!) };
  });
  route('POST', '/channels/:channelId/messages', (req, p) => createChannelMessage(req, p.channelId!));
  route('POST', '/channels/:channelId/messages/:messageId/threads', (req, p) => startThreadFromMessage(req, p.channelId!, p.messageId!));
  route('GET', '/channels/:channelId/messages/:messageId', (_req, p) => {
    const fault = checkChannel(p.channelId!);
    if (fault) return fault;
    const message = messages.find((m) => m.id === p.messageId && m.channel_id === p.channelId);
    return message ? { status: 200, body: message } : discordError(404, 10008, 'Unknown Message');
  });
  route('PATCH', '/channels/:channelId/messages/:messageId', (req, p) => {
    const fault = checkChannel(p.channelId!);
    if (fault) return fault;
    const message = messages.find((m) => m.id === p.messageId && m.channel_id === p.channelId);
    if (!message) return discordError(404, 10008, 'Unknown Message');
    const problems = validateMessage(req.body);
    if (problems.length) return refuse(req.method, req.path, problems);
    applyEdit(message, (req.body ?? {}) as Json);
    return { status: 200, body: message };
  });
  route('DELETE', '/channels/:channelId/messages/:messageId', (_req, p) => {
    const index = messages.findIndex((m) => m.id === p.messageId && m.channel_id === p.channelId);
    if (index < 0) return discordError(404, 10008, 'Unknown Message');
    messages.splice(index, 1);
    return { status: 204 };
  });
  route('POST', '/interactions/:id/:token/callback', (req, p) => interactionCallback(req, p.id!, p.token!));
  route('POST', '/webhooks/:appId/:token', (req, p) => webhookRequest(req, p.appId!, p.token!, undefined));
  route('*', '/webhooks/:appId/:token/messages/:messageId', (req, p) => webhookRequest(req, p.appId!, p.token!, p.messageId!));
  const putCommands = (req: DiscordRequest, p: Record<string, string>): FakeReply => {
    if (p.appId !== applicationId) return discordError(403, 50001, 'Missing Access');
    if (p.guildId && !guilds.some((g) => g.id === p.guildId)) return discordError(403, 50001, 'Missing Access');
    const list = Array.isArray(req.body) ? (req.body as Json[]) : [];
    const saved = list.map((c) => ({
      id: snowflake(),
      application_id: applicationId,
      version: snowflake(),
      type: 1,
      default_member_permissions: null,
      ...c,
      ...(p.guildId ? { guild_id: p.guildId } : {}),
    }));
    commands.push({ scope: p.guildId ?? 'global', commands: saved, time: Date.now() });
    return { status: 200, body: saved };
  };
  const getCommands = (scope: string): FakeReply => ({
    status: 200,
    body: [...commands].reverse().find((c) => c.scope === scope)?.commands ?? [],
  });
  route('PUT', '/applications/:appId/commands', putCommands);
  route('PUT', '/applications/:appId/guilds/:guildId/commands', putCommands);
  route('GET', '/applications/:appId/commands', () => getCommands('global'));
  route('GET', '/applications/:appId/guilds/:guildId/commands', (_req, p) => getCommands(p.guildId!));

  function checkGlobalLimit(req: DiscordRequest): FakeReply | undefined {
    if (!rateLimits) return undefined;
    const auth = req.headers.authorization;
    if (!auth || req.path.startsWith('/interactions/')) return undefined;
    const now = Date.now();
    if (now - globalWindow.start >= 1000) {
      globalWindow.start = now;
      globalWindow.count = 0;
    }
    if (globalWindow.count >= rateLimits.globalPerSecond) {
      return discordRateLimited(Number(((globalWindow.start + 1000 - now) / 1000).toFixed(3)), { global: true });
    }
    globalWindow.count += 1;
    return undefined;
  }

  async function handle(httpReq: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(httpReq.url ?? '/', 'http://127.0.0.1');
    const decoded = decodePath(url.pathname);
    const m = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(decoded);
    const raw = await readBody(httpReq);
    let parsed: { body: unknown; files: string[] };
    try {
      parsed = await parseBody(raw, httpReq.headers['content-type']);
    } catch {
      parsed = { body: raw.toString('utf8'), files: [] };
    }
    const req: DiscordRequest = {
      method: (httpReq.method ?? 'GET').toUpperCase(),
      path: m ? (m[2] ?? '/') : decoded,
      rawPath: url.pathname,
      ...(m?.[1] ? { apiVersion: Number(m[1]) } : {}),
      query: url.searchParams,
      body: parsed.body,
      files: parsed.files,
      headers: httpReq.headers,
      time: Date.now(),
    };
    requests.push(req);
    let reply: FakeReply | undefined;
    try {
      if (!m) {
        reply = discordError(404, 0, '404: Not Found');
      } else if (options.token && req.headers.authorization && req.headers.authorization !== `Bot ${options.token}`) {
        reply = discordError(401, 0, '401: Unauthorized');
      }
      reply ??= checkGlobalLimit(req);
      reply ??= scripts.run(req.method, req.path, { body: req.body, query: req.query, headers: req.headers }) ?? undefined;
      if (!reply) {
        for (const r of routes) {
          if (r.method !== '*' && r.method !== req.method) continue;
          const params = r.match(req.path);
          if (params) {
            reply = r.handle(req, params);
            break;
          }
        }
      }
      // Never 401 for an unknown route: discord.js would drop its token.
      reply ??= discordError(404, 0, '404: Not Found');
    } catch (error) {
      errors.push(error as Error);
      reply = { status: 500, body: { message: `fake-discord: ${(error as Error).message}`, code: 0 } };
    }
    if (reply.delayMs) await sleep(reply.delayMs);
    req.status = reply.status;
    req.response = reply.body;
    send(res, reply);
  }

  // ------------------------------------------------------------ gateway

  interface Session {
    id: string;
    seq: number;
    /** [shard_id, num_shards] */
    shard: [number, number];
  }
  const sessions = new Map<string, Session>();
  const live = new Map<WebSocket, { conn: GatewayConnection; session?: Session }>();

  function sendFrame(ws: WebSocket, frame: { op: number; d: unknown; s?: number | null; t?: string | null }): void {
    const full = { op: frame.op, d: frame.d, s: frame.s ?? null, t: frame.t ?? null };
    gatewayLog.push({ direction: 'out', op: full.op, t: full.t, d: full.d, time: Date.now() });
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(full));
  }

  function dispatchTo(ws: WebSocket, session: Session, t: string, d: unknown): void {
    session.seq += 1;
    sendFrame(ws, { op: 0, t, d, s: session.seq });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      errors.push(error as Error);
      if (!res.headersSent) send(res, { status: 500, body: { message: String(error), code: 0 } });
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const conn: GatewayConnection = {
      query: new URL(req.url ?? '/', 'http://127.0.0.1').searchParams,
      openedAt: Date.now(),
      heartbeats: 0,
    };
    gatewayConnections.push(conn);
    live.set(ws, { conn });
    ws.on('close', (code) => {
      conn.closedCode = code;
      live.delete(ws);
    });
    ws.on('error', () => undefined);
    sendFrame(ws, { op: 10, d: { heartbeat_interval: heartbeatIntervalMs, _trace: ['fake-discord'] } });
    ws.on('message', (raw: Buffer) => {
      let frame: { op: number; d: unknown };
      try {
        frame = JSON.parse(raw.toString('utf8')) as { op: number; d: unknown };
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      gatewayLog.push({ direction: 'in', op: frame.op, d: frame.d, time: Date.now() });
      const state = live.get(ws);
      if (!state) return;
      switch (frame.op) {
        case 1:
          conn.heartbeats += 1;
          sendFrame(ws, { op: 11, d: null });
          break;
        case 2: {
          const d = frame.d as Json;
          if (state.session) {
            ws.close(4005, 'Already authenticated.');
            return;
          }
          if (options.token && d.token !== options.token) {
            ws.close(4004, 'Authentication failed.');
            return;
          }
          conn.identify = d;
          const shard = identifiedShard(d.shard);
          if (!shard) {
            ws.close(4010, 'Invalid shard.');
            return;
          }
          if (shard[1] > 1 && readyConnections().some(([, other]) => other.shard[0] === shard[0] && other.shard[1] === shard[1])) {
            // Discord itself lets a second session take the same shard and sends its guilds' events
            // to both: every command would be answered twice. The fake refuses it so tests see it.
            ws.close(4010, 'Invalid shard: another session runs this shard.');
            return;
          }
          const shardGuilds = guilds.filter((g) => shardOfGuild(g.id, shard[1]) === shard[0]);
          if (shardGuilds.length > maxGuildsPerShard) {
            ws.close(4011, 'Sharding required.');
            return;
          }
          conn.shard = shard;
          const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, shard };
          sessions.set(session.id, session);
          state.session = session;
          conn.sessionId = session.id;
          dispatchTo(ws, session, 'READY', {
            v: 10,
            user: botUser,
            guilds: shardGuilds.map((g) => ({ id: g.id, unavailable: true })),
            session_id: session.id,
            session_type: 'normal',
            resume_gateway_url: gatewayUrl,
            shard,
            application: { id: applicationId, flags: 0 },
            user_settings: {},
            private_channels: [],
            relationships: [],
            presences: [],
            geo_ordered_rtc_regions: [],
            guild_join_requests: [],
            _trace: ['fake-discord'],
          });
          for (const guild of shardGuilds) dispatchTo(ws, session, 'GUILD_CREATE', guildCreatePayload(guild));
          break;
        }
        case 6: {
          const d = frame.d as { token?: string; session_id?: string; seq?: number };
          if (options.token && d.token !== options.token) {
            ws.close(4004, 'Authentication failed.');
            return;
          }
          const session = d.session_id ? sessions.get(d.session_id) : undefined;
          if (!session) {
            sendFrame(ws, { op: 9, d: false });
            return;
          }
          state.session = session;
          conn.sessionId = session.id;
          conn.shard = session.shard;
          conn.resumed = true;
          dispatchTo(ws, session, 'RESUMED', { _trace: ['fake-discord'] });
          break;
        }
        default:
          // op 3 presence, op 4 voice, op 8 request members: recorded in gatewayLog, otherwise ignored.
          break;
      }
    });
  });

  const port = await listen(server);
  const apiUrl = `http://127.0.0.1:${port}/api`;
  const gatewayUrl = `ws://127.0.0.1:${port}`;

  function readyConnections(): Array<[WebSocket, Session]> {
    const out: Array<[WebSocket, Session]> = [];
    for (const [ws, state] of live) if (state.session && ws.readyState === WebSocket.OPEN) out.push([ws, state.session]);
    return out;
  }

  /** `[shard_id, num_shards]` from an IDENTIFY, `[0, 1]` without one, undefined when Discord would refuse it. */
  function identifiedShard(value: unknown): [number, number] | undefined {
    if (value === undefined || value === null) return [0, 1];
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [id, count] = value as unknown[];
    if (!Number.isInteger(id) || !Number.isInteger(count)) return undefined;
    if ((count as number) < 1 || (id as number) < 0 || (id as number) >= (count as number)) return undefined;
    return [id as number, count as number];
  }

  /** The guild an event belongs to, for routing: `guild_id`, or the guild itself for GUILD_* events. */
  function guildOfEvent(t: string, d: unknown): string | undefined {
    if (!d || typeof d !== 'object') return undefined;
    const payload = d as Json;
    if (typeof payload.guild_id === 'string') return payload.guild_id;
    if (t.startsWith('GUILD_') && typeof payload.id === 'string') return payload.id;
    return undefined;
  }

  function dispatch(t: string, d: unknown): void {
    const ready = readyConnections();
    if (ready.length === 0) throw new Error(`fake-discord: no identified gateway connection to dispatch ${t} to`);
    const guildId = guildOfEvent(t, d);
    const targets = ready.filter(([, session]) => (guildId ? shardOfGuild(guildId, session.shard[1]) : 0) === session.shard[0]);
    if (targets.length === 0) {
      const running = ready.map(([, session]) => `[${session.shard.join(', ')}]`).join(' ');
      throw new Error(`fake-discord: no gateway session runs the shard of ${guildId ? `guild ${guildId}` : 'DMs (shard 0)'} for ${t}; sessions: ${running}`);
    }
    for (const [ws, session] of targets) dispatchTo(ws, session, t, d);
  }

  function defaultChannel(context: InteractionContext): FakeChannel {
    if (context.channelId) {
      const found = findChannel(context.channelId);
      if (found) return found;
      return { id: context.channelId, name: 'unknown', type: context.dm ? 1 : 0, ...(context.dm ? {} : { guildId: context.guildId ?? guilds[0]?.id }) } as FakeChannel;
    }
    if (context.dm) {
      const channel = { id: snowflake(), name: context.user?.id ?? defaultUser.id, type: 1 };
      dmChannels.push(channel);
      return channel;
    }
    const guild = (context.guildId ? guilds.find((g) => g.id === context.guildId) : guilds[0]) ?? guilds[0];
    const channel = guild?.channels.find((c) => c.type === 0);
    if (!channel) throw new Error('fake-discord: no text channel to send the interaction from');
    return channel;
  }

  function sendInteraction(partial: Json & { type?: number }, context: InteractionContext = {}): FakeInteraction {
    const type = partial.type ?? 2;
    const channel = defaultChannel(context);
    const user: DiscordUser = { ...defaultUser, ...context.user } as DiscordUser;
    const guildId = context.dm ? undefined : (channel.guildId ?? context.guildId ?? guilds[0]?.id);
    const guild = guilds.find((g) => g.id === guildId);
    const memberPermissions = toPermissionString(context.permissions, context.admin ? ADMIN_PERMISSIONS : MEMBER_PERMISSIONS);
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(24).toString('base64url')}`;
    const base: Json = {
      id,
      application_id: applicationId,
      type,
      token,
      version: 1,
      locale: context.locale ?? 'en-US',
      app_permissions: toPermissionString(context.appPermissions, BOT_PERMISSIONS),
      entitlements: [],
      authorizing_integration_owners: guildId ? { '0': guildId } : { '1': user.id },
      context: guildId ? 0 : 1,
      attachment_size_limit: 10_485_760,
      channel_id: channel.id,
      channel: channelObject(channel),
    };
    if (guildId) {
      base.guild_id = guildId;
      base.guild = { id: guildId, locale: guild?.locale ?? 'en-US', features: [] };
      base.guild_locale = guild?.locale ?? 'en-US';
      base.member = {
        user,
        roles: context.roles ?? [],
        permissions: memberPermissions,
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        nick: null,
        avatar: null,
        premium_since: null,
        pending: false,
        communication_disabled_until: null,
      };
    } else {
      base.user = user;
    }
    const payload: Json = { ...base, ...partial, type };
    if (partial.data && typeof partial.data === 'object') payload.data = { ...(partial.data as Json) };
    if (type === 3 && !payload.message) {
      payload.message = makeMessage(channel.id, { content: 'message with buttons', components: [] });
    }

    const ix: FakeInteraction = {
      id,
      token,
      type,
      payload,
      dispatchedAt: 0,
      callbacks: [],
      webhooks: [],
      followUps: [],
      waitForCallback: ({ accepted, ...wait } = {}) =>
        waitFor(() => ix.callbacks.find((c) => accepted === undefined || (accepted ? c.status < 300 : c.status >= 300)), {
          what: `a callback to interaction ${id}`,
          ...wait,
        }),
      waitForEdit: (wait = {}) =>
        waitFor(() => ix.webhooks.find((w) => w.method === 'PATCH' && w.status === 200), { what: `an edit of @original of ${id}`, ...wait }),
      waitForFollowUp: (wait = {}) => waitFor(() => ix.followUps[0], { what: `a follow-up to ${id}`, ...wait }),
      waitFor: (predicate, wait = {}) => waitFor(() => predicate(ix), { what: `interaction ${id}`, ...wait }),
    };
    interactions.push(ix);
    interactionsById.set(id, ix);
    interactionsByToken.set(token, ix);
    ix.dispatchedAt = Date.now();
    dispatch('INTERACTION_CREATE', payload);
    return ix;
  }

  const fake: FakeDiscord = {
    apiUrl,
    gatewayUrl,
    port,
    applicationId,
    botUser,
    guilds,
    requests,
    messages,
    threads,
    interactions,
    callbacks,
    violations,
    nonceHits,
    commands,
    gatewayConnections,
    gatewayLog,
    errors,
    register: (method, pathPattern, handler) => scripts.register(method, pathPattern, handler),
    setRateLimits,
    setChannelFault(channelId, fault) {
      if (fault) channelFaults.set(channelId, fault);
      else channelFaults.delete(channelId);
    },
    addChannel(guildId, channel) {
      const guild = guilds.find((g) => g.id === guildId);
      if (!guild) throw new Error(`fake-discord: no guild ${guildId}`);
      const created: FakeChannel = { id: channel.id ?? snowflake(), name: channel.name ?? 'channel', type: channel.type ?? 0, guildId };
      guild.channels.push(created);
      return created;
    },
    findChannel,
    threadMessages: (threadId) => messages.filter((m) => m.channel_id === threadId),
    deleteThread(threadId) {
      const index = threads.findIndex((t) => t.id === threadId);
      if (index < 0) throw new Error(`fake-discord: no thread ${threadId}`);
      threads.splice(index, 1);
      const started = messages.find((m) => m.id === threadId);
      if (started) delete started.thread;
    },
    archiveThread(threadId, { locked = false } = {}) {
      const thread = findThread(threadId);
      if (!thread) throw new Error(`fake-discord: no thread ${threadId}`);
      thread.archived = true;
      thread.locked = locked;
    },
    sendInteraction,
    sendCommand(name, opts, context) {
      return sendInteraction({ type: 2, data: { id: snowflake(), name, type: 1, options: toOptions(opts) } }, context);
    },
    sendAutocomplete(name, focused, context = {}) {
      const options = [
        ...toOptions(context.otherOptions),
        { name: focused.name, type: focused.type ?? 3, value: focused.value, focused: true },
      ];
      return sendInteraction({ type: 4, data: { id: snowflake(), name, type: 1, options } }, context);
    },
    sendButton(customId, context = {}) {
      const partial: Json = { type: 3, data: { custom_id: customId, component_type: 2 } };
      if (context.message) partial.message = context.message;
      return sendInteraction(partial, context);
    },
    dispatch,
    setRecommendedShards(count) {
      recommendedShards = count;
    },
    dropGateway(code = 4000, shardId) {
      for (const [ws, session] of readyConnections()) if (shardId === undefined || session.shard[0] === shardId) ws.close(code, 'fake-discord: dropped');
    },
    get gatewayReady() {
      return readyConnections().length > 0;
    },
    waitFor: (predicate, wait) => waitFor(predicate, wait),
    waitForRequest(method, pathPattern, wait = {}) {
      const match = compilePattern(pathPattern);
      return waitFor(() => requests.find((r) => r.method === method.toUpperCase() && match(r.path) && r.status !== undefined), {
        what: `${method} ${pathPattern}`,
        ...wait,
      });
    },
    waitForMessage(predicate = () => true, wait = {}) {
      return waitFor(() => messages.find(predicate), { what: 'a channel message', ...wait });
    },
    async stop() {
      scripts.clear();
      await closeServer(server, wss);
    },
  };
  return fake;
}
