/**
 * A local stand-in for Slack that the real @slack/bolt 5 talks to: the Web API under `/api/`
 * (`clientOptions: { slackApiUrl: slack.apiUrl }`), `response_url`s under `/response/:id`, and a
 * Socket Mode WebSocket (`apps.connections.open` hands out its ws:// URL).
 *
 *   const slack = await createFakeSlack();
 *   const app = new App({ token: 'xoxb-fake', signingSecret, clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 1 } } });
 *   await app.start(0);
 *   const res = await slack.sendSlashCommand(`http://127.0.0.1:${port}/slack/events`, signingSecret, { text: 'ai' });
 *   await res.response.waitForPost();
 *   await app.stop(); await slack.stop();      // the app first: Socket Mode reconnects to a vanished server
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createHmac } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import { validateSlackMessage, type SlackProblem } from './slack-limits.js';
import {
  Scripts,
  closeServer,
  listen,
  randomId,
  readBody,
  send,
  sleep,
  waitFor,
  type FakeReply,
  type Registration,
  type ScriptHandler,
  type WaitOptions,
} from './util.js';

export { SLACK_LIMITS, type SlackProblem } from './slack-limits.js';
export type { FakeReply, Registration, ScriptContext, ScriptHandler, WaitOptions } from './util.js';

type Json = Record<string, unknown>;

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  is_bot: boolean;
  tz: string;
  [key: string]: unknown;
}

export interface SlackApiRequest {
  /** 'chat.postMessage', … */
  method: string;
  /** Form fields, with `blocks`, `attachments` and `metadata` JSON-decoded. */
  params: Json;
  token?: string;
  headers: IncomingHttpHeaders;
  time: number;
  status?: number;
  response?: unknown;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  /** A reply's thread (its parent's ts). Posted replies only: a parent's own is added when it is listed. */
  thread_ts?: string;
  /** A reply also shown in the channel (`reply_broadcast`): conversations.history lists it. */
  reply_broadcast?: boolean;
  text?: string;
  blocks?: Json[];
  attachments?: Json[];
  metadata?: { event_type: string; event_payload: Json };
  user: string;
  bot_id?: string;
  app_id?: string;
  edited?: { user: string; ts: string };
  /** The fields as posted. */
  params: Json;
  time: number;
}

export interface ResponseUrlPost {
  id: string;
  body: Json;
  time: number;
  status: number;
  error?: string;
}

export interface ResponseUrlHandle {
  id: string;
  url: string;
  createdAt: number;
  posts: ResponseUrlPost[];
  waitForPost(options?: WaitOptions): Promise<ResponseUrlPost>;
}

export interface SocketAck {
  envelope_id: string;
  payload: unknown;
  time: number;
  /** Since the envelope was sent. */
  elapsedMs: number;
  /** After the ack window (Slack would have shown the user an error / retried the event). */
  late: boolean;
}

export interface SocketEnvelope {
  envelope_id: string;
  type: string;
  payload: Json;
  sentAt: number;
  ack?: SocketAck;
  waitForAck(options?: WaitOptions): Promise<SocketAck>;
}

export interface SocketConnection {
  url: string;
  openedAt: number;
  closedAt?: number;
  closeCode?: number;
  /** Raw frames the client sent (acks and anything else). */
  received: unknown[];
}

export interface SlashCommandResult {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** JSON body when there is one. */
  json?: unknown;
}

export interface FakeSlackOptions {
  /** When set, Web API calls must carry this token (else `invalid_auth`). */
  botToken?: string;
  /** When set, apps.connections.open must carry this token (else `invalid_auth`). */
  appToken?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** Socket Mode ack window (Slack: 3,000 ms). */
  ackWindowMs?: number;
  /** Per-channel chat.postMessage limit (true = 1 message/s answered with 429 + Retry-After: 1). */
  rateLimits?: boolean | { perChannelPerSecond?: number; retryAfterSec?: number };
  /**
   * A sustained rate-limit episode: for `forMs` from the first chat.postMessage, answer that share
   * of posts 429 with `Retry-After: retryAfterSec` (default 1), posting nothing. `random` makes
   * the choice repeatable; `now` lets a test run the episode on a faster clock than the wall's.
   */
  rateLimitEpisode?: RateLimitEpisode;
  users?: Array<Partial<SlackUser> & { id: string }>;
  /** How many times a response_url may be used (Slack: 5) and for how long (Slack: 30 min). */
  responseUrlUses?: number;
  responseUrlLifetimeMs?: number;
}

export interface RateLimitEpisode {
  share: number;
  forMs: number;
  retryAfterSec?: number;
  random?: () => number;
  now?: () => number;
}

export interface FakeSlack {
  /** http://127.0.0.1:PORT */
  url: string;
  /** For `clientOptions.slackApiUrl`: http://127.0.0.1:PORT/api/ */
  apiUrl: string;
  port: number;
  teamId: string;
  botUserId: string;
  botId: string;
  appId: string;
  /** Every Web API call, in order. */
  requests: SlackApiRequest[];
  /** Messages in channels (chat.postMessage, plus seeded ones), in order of posting. */
  messages: SlackMessage[];
  ephemerals: Array<{ channel: string; user: string; params: Json; time: number; message_ts: string }>;
  /** Every POST to a response_url (what `respond()` sent), in order. */
  responses: ResponseUrlPost[];
  /** Payloads refused for breaking a limit. */
  violations: Array<{ method: string; problems: SlackProblem[]; time: number }>;
  envelopes: SocketEnvelope[];
  acks: SocketAck[];
  socketConnections: SocketConnection[];
  users: Map<string, SlackUser>;
  errors: Error[];

  /** Script one Web API method ('chat.postMessage', '*' for all, 'response_url' for response URLs). */
  register<B = Json>(method: string, handler: ScriptHandler<B>): Registration;
  setRateLimits(config: FakeSlackOptions['rateLimits']): void;
  /** Starts (or with undefined, ends) a rate-limit episode; see FakeSlackOptions.rateLimitEpisode. */
  setRateLimitEpisode(episode: RateLimitEpisode | undefined): void;
  /** Posts the episode answered 429. */
  readonly episodeRateLimited: number;
  setUser(user: Partial<SlackUser> & { id: string }): SlackUser;
  /** Puts a message into a channel's history as if someone (default: a user) had posted it. */
  addMessage(channel: string, message: Partial<SlackMessage>): SlackMessage;
  /** The replies in the thread of `threadTs` (not the parent), in order; also those of a deleted parent. */
  threadReplies(channel: string, threadTs: string): SlackMessage[];
  /**
   * Removes a message for good (an admin's delete, a retention policy). A parent's thread goes with
   * it: replies to it answer `thread_not_found`, and so does conversations.replies. Throws if absent.
   */
  deleteMessage(channel: string, ts: string): void;
  newResponseUrl(): ResponseUrlHandle;
  responseUrl(id: string): ResponseUrlHandle | undefined;

  /** Signs and POSTs a slash command to a Bolt HTTP endpoint, with a response_url on this fake. */
  sendSlashCommand(
    url: string,
    signingSecret: string,
    fields?: Record<string, string>,
    options?: { timestamp?: number; signature?: string },
  ): Promise<SlashCommandResult & { response: ResponseUrlHandle }>;

  readonly socketConnected: boolean;
  /** Sends an envelope to the (first) open Socket Mode connection. */
  sendEnvelope(type: string, payload: Json, extra?: Json): SocketEnvelope;
  sendSocketSlashCommand(fields?: Record<string, string>): SocketEnvelope & { response: ResponseUrlHandle };
  sendSocketEvent(event: Json): SocketEnvelope;
  /** Sends `{ type: 'disconnect', reason }` (the client reconnects through apps.connections.open). */
  disconnectSocket(reason?: string): void;

  waitFor<T>(predicate: () => T | undefined | null | false, options?: WaitOptions): Promise<T>;
  waitForCall(method: string, options?: WaitOptions): Promise<SlackApiRequest>;
  waitForMessage(predicate?: (m: SlackMessage) => boolean, options?: WaitOptions): Promise<SlackMessage>;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------- helpers for scripted replies

/** HTTP 429 with `Retry-After` in whole seconds, as Slack does. */
export function slackRateLimited(retryAfterSec = 1): FakeReply {
  return { status: 429, headers: { 'retry-after': String(retryAfterSec) }, body: { ok: false, error: 'ratelimited' } };
}

/** `{ ok: false, error }` with HTTP 200, e.g. slackError('channel_not_found'). */
export function slackError(error: string, extra: Json = {}): FakeReply {
  return { status: 200, body: { ok: false, error, ...extra } };
}

/** A non-200 HTTP answer (the Web API client retries it per retryConfig). */
export function slackHttpError(status = 500): FakeReply {
  return { status, body: `fake-slack: HTTP ${status}` };
}

// ---------------------------------------------------------------- HTTP-mode helpers

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function signSlackRequest(
  secret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): { timestamp: string; signature: string; headers: Record<string, string> } {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    timestamp: String(timestamp),
    signature,
    headers: { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
  };
}

export const DEFAULT_SLASH_FIELDS: Readonly<Record<string, string>> = {
  token: 'deprecated-verification-token',
  team_id: 'T0FAKE',
  team_domain: 'fake',
  channel_id: 'C0GENERAL',
  channel_name: 'general',
  user_id: 'U0TESTER',
  user_name: 'tester',
  command: '/brief',
  text: '',
  api_app_id: 'A0FAKE',
  is_enterprise_install: 'false',
};

/**
 * POSTs a signed, form-urlencoded slash command to `url` (a Bolt HTTP receiver's /slack/events).
 * Put the fake's response URL in `fields.response_url` (FakeSlack#sendSlashCommand does it for you).
 * `signature` overrides the computed one (to forge); `timestamp` is in seconds.
 */
export async function sendSlashCommand(
  url: string,
  secret: string,
  fields: Record<string, string> = {},
  { timestamp, signature }: { timestamp?: number; signature?: string } = {},
): Promise<SlashCommandResult> {
  const all: Record<string, string> = { ...DEFAULT_SLASH_FIELDS, trigger_id: `${Date.now()}.${randomId()}`, ...fields };
  const body = new URLSearchParams(all).toString();
  const signed = signSlackRequest(secret, body, timestamp);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': signed.timestamp,
      'x-slack-signature': signature ?? signed.signature,
    },
    body,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, headers: Object.fromEntries(res.headers.entries()), ...(json !== undefined ? { json } : {}) };
}

// ---------------------------------------------------------------- the fake

const JSON_FIELDS = ['blocks', 'attachments', 'metadata'];

function parseParams(buf: Buffer, contentType: string | undefined): Json {
  const text = buf.toString('utf8');
  if (!text) return {};
  if ((contentType ?? '').includes('json')) return JSON.parse(text) as Json;
  const params: Json = Object.fromEntries(new URLSearchParams(text).entries());
  for (const key of JSON_FIELDS) {
    if (typeof params[key] === 'string') {
      try {
        params[key] = JSON.parse(params[key] as string);
      } catch {
        // leave it as the string: validation reports invalid_blocks_format / invalid_metadata_format
      }
    }
  }
  return params;
}

const truthy = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;

/** Whether a message lies between `oldest` and `latest` (history and replies), ends included when `inclusive`. */
function inWindow(m: { ts: string }, params: Record<string, unknown>): boolean {
  const oldest = Number(params.oldest ?? 0);
  const latest = params.latest === undefined ? Number.POSITIVE_INFINITY : Number(params.latest);
  const t = Number(m.ts);
  return truthy(params.inclusive) ? t >= oldest && t <= latest : t > oldest && t < latest;
}

export async function createFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? 'T0FAKE';
  const botUserId = options.botUserId ?? 'U0BOT';
  const botId = options.botId ?? 'B0BOT';
  const appId = options.appId ?? 'A0FAKE';
  const ackWindowMs = options.ackWindowMs ?? 3000;
  const responseUrlUses = options.responseUrlUses ?? 5;
  const responseUrlLifetimeMs = options.responseUrlLifetimeMs ?? 30 * 60_000;

  const requests: SlackApiRequest[] = [];
  const messages: SlackMessage[] = [];
  const ephemerals: FakeSlack['ephemerals'] = [];
  const responses: ResponseUrlPost[] = [];
  const violations: FakeSlack['violations'] = [];
  const envelopes: SocketEnvelope[] = [];
  const acks: SocketAck[] = [];
  const socketConnections: SocketConnection[] = [];
  const users = new Map<string, SlackUser>();
  const errors: Error[] = [];
  const responseUrls = new Map<string, ResponseUrlHandle>();
  const scripts = new Scripts();

  let rateLimit: { perChannelPerSecond: number; retryAfterSec: number } | null = null;
  const recentPosts = new Map<string, number[]>();
  function setRateLimits(config: FakeSlackOptions['rateLimits']): void {
    rateLimit = config ? { perChannelPerSecond: 1, retryAfterSec: 1, ...(config === true ? {} : config) } : null;
    recentPosts.clear();
  }
  setRateLimits(options.rateLimits);

  let episode: (Required<RateLimitEpisode> & { startedAt?: number }) | undefined;
  let episodeRateLimited = 0;
  function setRateLimitEpisode(config: RateLimitEpisode | undefined): void {
    episode = config ? { retryAfterSec: 1, random: Math.random, now: Date.now, ...config } : undefined;
  }
  setRateLimitEpisode(options.rateLimitEpisode);
  function episodeAnswer(): FakeReply | undefined {
    if (!episode) return undefined;
    const now = episode.now();
    episode.startedAt ??= now;
    if (now - episode.startedAt >= episode.forMs || episode.random() >= episode.share) return undefined;
    episodeRateLimited++;
    return slackRateLimited(episode.retryAfterSec);
  }

  function setUser(user: Partial<SlackUser> & { id: string }): SlackUser {
    const full: SlackUser = {
      team_id: teamId,
      name: user.id.toLowerCase(),
      real_name: user.id,
      deleted: false,
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: false,
      tz: 'Europe/London',
      ...users.get(user.id),
      ...user,
    };
    users.set(full.id, full);
    return full;
  }
  setUser({ id: 'U0TESTER', name: 'tester', real_name: 'Tester' });
  setUser({ id: 'U0ADMIN', name: 'admin', real_name: 'Admin', is_admin: true });
  setUser({ id: botUserId, name: 'briefbot', real_name: 'briefbot', is_bot: true });
  for (const user of options.users ?? []) setUser(user);

  let lastTs = 0;
  function nextTs(): string {
    // Slack ts: seconds.microseconds, unique and increasing within a channel.
    let micros = Date.now() * 1000;
    if (micros <= lastTs) micros = lastTs + 1;
    lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  function newResponseUrl(id: string = randomId('R')): ResponseUrlHandle {
    const handle: ResponseUrlHandle = {
      id,
      url: `${baseUrl}/response/${id}`,
      createdAt: Date.now(),
      posts: [],
      waitForPost: (wait = {}) => waitFor(() => handle.posts[0], { what: `a POST to response_url ${id}`, ...wait }),
    };
    responseUrls.set(id, handle);
    return handle;
  }

  function refuse(method: string, problems: SlackProblem[]): FakeReply {
    violations.push({ method, problems, time: Date.now() });
    const first = problems[0]!;
    const details = problems.map((p) => p.detail);
    return {
      status: 200,
      body: { ok: false, error: first.error, errors: details, response_metadata: { messages: details.map((d) => `[ERROR] ${d}`) } },
    };
  }

  function toMessage(params: Json, channel: string, ts: string): SlackMessage {
    const message: SlackMessage = {
      channel,
      ts,
      user: botUserId,
      bot_id: botId,
      app_id: appId,
      params,
      time: Date.now(),
    };
    if (typeof params.text === 'string') message.text = params.text;
    if (Array.isArray(params.blocks)) message.blocks = params.blocks as Json[];
    if (Array.isArray(params.attachments)) message.attachments = params.attachments as Json[];
    if (params.metadata && typeof params.metadata === 'object') message.metadata = params.metadata as SlackMessage['metadata'];
    if (typeof params.thread_ts === 'string') message.thread_ts = params.thread_ts;
    if (message.thread_ts && truthy(params.reply_broadcast)) message.reply_broadcast = true;
    return message;
  }

  const isReply = (m: SlackMessage): boolean => m.thread_ts !== undefined && m.thread_ts !== m.ts;
  const repliesOf = (channel: string, threadTs: string): SlackMessage[] =>
    messages.filter((m) => m.channel === channel && isReply(m) && m.thread_ts === threadTs);
  const findMessage = (channel: string, ts: string): SlackMessage | undefined => messages.find((m) => m.channel === channel && m.ts === ts);

  function publicMessage(m: SlackMessage, withMetadata: boolean): Json {
    const out: Json = { type: 'message', user: m.user, ts: m.ts, text: m.text ?? '', team: teamId };
    if (m.bot_id) out.bot_id = m.bot_id;
    if (m.app_id) out.app_id = m.app_id;
    if (m.blocks) out.blocks = m.blocks;
    if (m.attachments) out.attachments = m.attachments;
    if (m.thread_ts) out.thread_ts = m.thread_ts;
    if (m.reply_broadcast) out.subtype = 'thread_broadcast';
    if (!isReply(m)) {
      // A parent carries its thread's summary, as Slack lists it.
      const replies = repliesOf(m.channel, m.ts);
      if (replies.length) {
        out.thread_ts = m.ts;
        out.reply_count = replies.length;
        out.reply_users_count = new Set(replies.map((r) => r.user)).size;
        out.reply_users = [...new Set(replies.map((r) => r.user))];
        out.latest_reply = replies[replies.length - 1]!.ts;
      }
    }
    if (m.edited) out.edited = m.edited;
    if (withMetadata && m.metadata) out.metadata = m.metadata;
    return out;
  }
  /** One page of a listing, as Slack pages it: `limit` (default, at most `max`) from the opaque cursor on. */
  function pageOf(all: SlackMessage[], params: Record<string, unknown>, defaultLimit: number, max: number): { messages: Json[]; has_more: boolean; response_metadata: { next_cursor: string } } {
    const limit = Math.min(Number(params.limit ?? defaultLimit) || defaultLimit, max);
    const start = typeof params.cursor === 'string' && params.cursor ? Number(Buffer.from(params.cursor, 'base64').toString()) : 0;
    const hasMore = start + limit < all.length;
    return {
      messages: all.slice(start, start + limit).map((m) => publicMessage(m, truthy(params.include_all_metadata))),
      has_more: hasMore,
      response_metadata: { next_cursor: hasMore ? Buffer.from(String(start + limit)).toString('base64') : '' },
    };
  }


  type Api = (req: SlackApiRequest) => FakeReply;
  const ok = (body: Json = {}): FakeReply => ({ status: 200, body: { ok: true, ...body } });

  const api: Record<string, Api> = {
    'api.test': (req) => ok({ args: req.params }),
    'auth.test': () =>
      ok({ url: 'https://fake.slack.test/', team: 'Fake Team', user: 'briefbot', team_id: teamId, user_id: botUserId, bot_id: botId, is_enterprise_install: false }),
    'apps.connections.open': (req) => {
      if (!req.token?.startsWith('xapp-')) return slackError('not_allowed_token_type');
      if (options.appToken && req.token !== options.appToken) return slackError('invalid_auth');
      return ok({ url: `${wsBaseUrl}/link/?ticket=${randomId('t')}&app_id=${appId}` });
    },
    'chat.postMessage': (req) => {
      const channel = typeof req.params.channel === 'string' ? req.params.channel : '';
      if (!channel) return slackError('channel_not_found');
      const problems = validateSlackMessage(req.params);
      if (problems.length) return refuse(req.method, problems);
      const limited = episodeAnswer();
      if (limited) return limited;
      if (rateLimit) {
        const now = Date.now();
        const recent = (recentPosts.get(channel) ?? []).filter((t) => now - t < 1000);
        if (recent.length >= rateLimit.perChannelPerSecond) {
          recentPosts.set(channel, recent);
          return slackRateLimited(rateLimit.retryAfterSec);
        }
        recent.push(now);
        recentPosts.set(channel, recent);
      }
      let params = req.params;
      if (params.thread_ts !== undefined && params.thread_ts !== '') {
        // Slack answers thread_not_found when thread_ts names no message of the channel (it never
        // posted, or was deleted for good). A reply's ts puts the post in that reply's thread.
        const target = findMessage(channel, String(params.thread_ts));
        if (!target) return slackError('thread_not_found');
        params = { ...params, thread_ts: target.thread_ts && isReply(target) ? target.thread_ts : target.ts };
      }
      const message = toMessage(params, channel, nextTs());
      messages.push(message);
      return ok({ channel, ts: message.ts, message: publicMessage(message, true) });
    },
    'chat.update': (req) => {
      const message = messages.find((m) => m.channel === req.params.channel && m.ts === req.params.ts);
      if (!message) return slackError('message_not_found');
      const problems = validateSlackMessage(req.params);
      if (problems.length) return refuse(req.method, problems);
      const updated = toMessage({ ...message.params, ...req.params }, message.channel, message.ts);
      Object.assign(message, updated, { edited: { user: botUserId, ts: nextTs() } });
      return ok({ channel: message.channel, ts: message.ts, text: message.text ?? '', message: publicMessage(message, true) });
    },
    'chat.delete': (req) => {
      const index = messages.findIndex((m) => m.channel === req.params.channel && m.ts === req.params.ts);
      if (index < 0) return slackError('message_not_found');
      messages.splice(index, 1);
      return ok({ channel: req.params.channel, ts: req.params.ts });
    },
    'chat.postEphemeral': (req) => {
      const channel = typeof req.params.channel === 'string' ? req.params.channel : '';
      const user = typeof req.params.user === 'string' ? req.params.user : '';
      if (!channel) return slackError('channel_not_found');
      if (!users.has(user)) return slackError('user_not_found');
      const problems = validateSlackMessage(req.params);
      if (problems.length) return refuse(req.method, problems);
      const message_ts = nextTs();
      ephemerals.push({ channel, user, params: req.params, time: Date.now(), message_ts });
      return ok({ message_ts });
    },
    'conversations.history': (req) => {
      const channel = req.params.channel;
      if (typeof channel !== 'string' || !channel) return slackError('channel_not_found');
      // Like Slack: the channel's messages and thread parents; a reply only when broadcast to the channel. Newest first.
      const all = messages
        .filter((m) => m.channel === channel && (!isReply(m) || m.reply_broadcast) && inWindow(m, req.params))
        .sort((a, b) => Number(b.ts) - Number(a.ts));
      return ok({ ...pageOf(all, req.params, 100, 999), pin_count: 0, channel_actions_ts: null, channel_actions_count: 0 });
    },
    'conversations.replies': (req) => {
      const channel = req.params.channel;
      if (typeof channel !== 'string' || !channel) return slackError('channel_not_found');
      const ts = typeof req.params.ts === 'string' ? req.params.ts : '';
      const named = findMessage(channel, ts);
      if (!named) return slackError('thread_not_found');
      // A reply's ts lists just that reply; a parent's, the parent first and then its replies, oldest first.
      if (isReply(named)) return ok({ messages: [publicMessage(named, truthy(req.params.include_all_metadata))], has_more: false, response_metadata: { next_cursor: '' } });
      const replies = repliesOf(channel, named.ts)
        .filter((m) => inWindow(m, req.params))
        .sort((a, b) => Number(a.ts) - Number(b.ts));
      return ok(pageOf([named, ...replies], req.params, 1000, 1000));
    },
    'users.info': (req) => {
      const user = users.get(String(req.params.user ?? ''));
      return user ? ok({ user }) : slackError('user_not_found');
    },
  };

  async function handleApi(httpReq: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const raw = await readBody(httpReq);
    let params: Json;
    try {
      params = parseParams(raw, httpReq.headers['content-type']);
    } catch {
      params = {};
    }
    const auth = httpReq.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof params.token === 'string' ? params.token : undefined;
    const req: SlackApiRequest = { method, params, ...(token ? { token } : {}), headers: httpReq.headers, time: Date.now() };
    requests.push(req);
    let reply: FakeReply | undefined;
    try {
      reply = scripts.run('POST', method, { body: params, query: new URLSearchParams(), headers: httpReq.headers }) ?? undefined;
      if (!reply) {
        const impl = api[method];
        if (!impl) reply = slackError('unknown_method');
        else if (!token) reply = slackError('not_authed');
        else if (method !== 'apps.connections.open' && options.botToken && token !== options.botToken) reply = slackError('invalid_auth');
        else if (method !== 'apps.connections.open' && token.startsWith('xapp-')) reply = slackError('not_allowed_token_type');
        else reply = impl(req);
      }
    } catch (error) {
      errors.push(error as Error);
      reply = { status: 500, body: `fake-slack: ${(error as Error).message}` };
    }
    if (reply.delayMs) await sleep(reply.delayMs);
    req.status = reply.status;
    req.response = reply.body;
    send(res, reply);
  }

  async function handleResponseUrl(httpReq: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = await readBody(httpReq);
    let body: Json = {};
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as Json) : {};
    } catch {
      body = { _raw: raw.toString('utf8') };
    }
    const handle = responseUrls.get(id) ?? newResponseUrl(id);
    const post: ResponseUrlPost = { id, body, time: Date.now(), status: 0 };
    let reply = scripts.run('POST', 'response_url', { body, query: new URLSearchParams(), headers: httpReq.headers }) ?? undefined;
    if (!reply) {
      const used = handle.posts.filter((p) => p.status === 200).length;
      if (Date.now() - handle.createdAt > responseUrlLifetimeMs) reply = { status: 404, body: 'expired_url' };
      else if (used >= responseUrlUses) reply = { status: 404, body: 'used_url' };
      else {
        const problems = validateSlackMessage(body, { requireText: !truthy(body.delete_original) });
        if (problems.length) {
          violations.push({ method: 'response_url', problems, time: Date.now() });
          reply = { status: 400, body: problems[0]!.error };
        } else reply = { status: 200, body: { ok: true } };
      }
    }
    if (reply.delayMs) await sleep(reply.delayMs);
    post.status = reply.status;
    if (reply.status !== 200) post.error = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    handle.posts.push(post);
    responses.push(post);
    send(res, reply);
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const apiMatch = /^\/api\/([\w.]+)$/.exec(path);
    const responseMatch = /^\/response\/([^/]+)$/.exec(path);
    let work: Promise<void>;
    if (apiMatch && req.method === 'POST') work = handleApi(req, res, apiMatch[1]!);
    else if (apiMatch) work = Promise.resolve(send(res, { status: 405, body: 'method not allowed' }));
    else if (responseMatch && req.method === 'POST') work = handleResponseUrl(req, res, decodeURIComponent(responseMatch[1]!));
    else work = Promise.resolve(send(res, { status: 404, body: 'not found' }));
    work.catch((error: unknown) => {
      errors.push(error as Error);
      if (!res.headersSent) send(res, { status: 500, body: String(error) });
    });
  });

  // ------------------------------------------------------------ Socket Mode
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Map<WebSocket, SocketConnection>();
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (!path.startsWith('/link')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const conn: SocketConnection = { url: req.url ?? '', openedAt: Date.now(), received: [] };
    socketConnections.push(conn);
    sockets.set(ws, conn);
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      conn.closedAt = Date.now();
      conn.closeCode = code;
      sockets.delete(ws);
    });
    ws.on('message', (raw: Buffer) => {
      let frame: unknown;
      try {
        frame = JSON.parse(raw.toString('utf8'));
      } catch {
        frame = raw.toString('utf8');
      }
      conn.received.push(frame);
      const f = frame as { envelope_id?: string; payload?: unknown };
      if (typeof f?.envelope_id !== 'string') return;
      const envelope = envelopes.find((e) => e.envelope_id === f.envelope_id);
      const now = Date.now();
      const elapsedMs = envelope ? now - envelope.sentAt : Number.NaN;
      const ack: SocketAck = { envelope_id: f.envelope_id, payload: f.payload, time: now, elapsedMs, late: elapsedMs > ackWindowMs };
      acks.push(ack);
      if (envelope && !envelope.ack) envelope.ack = ack;
    });
    const hello = {
      type: 'hello',
      num_connections: sockets.size,
      debug_info: { host: 'fake-slack-applink', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: appId },
    };
    ws.send(JSON.stringify(hello));
  });

  const port = await listen(server);
  const baseUrl = `http://127.0.0.1:${port}`;
  const wsBaseUrl = `ws://127.0.0.1:${port}`;

  function openSocket(): WebSocket {
    for (const ws of sockets.keys()) if (ws.readyState === WebSocket.OPEN) return ws;
    throw new Error('fake-slack: no open Socket Mode connection');
  }

  function sendEnvelope(type: string, payload: Json, extra: Json = {}): SocketEnvelope {
    const ws = openSocket();
    const envelope: SocketEnvelope = {
      envelope_id: randomId('env-'),
      type,
      payload,
      sentAt: Date.now(),
      waitForAck: (wait = {}) => waitFor(() => envelope.ack, { what: `an ack of envelope ${envelope.envelope_id}`, ...wait }),
    };
    envelopes.push(envelope);
    ws.send(JSON.stringify({ envelope_id: envelope.envelope_id, payload, type, ...extra }));
    return envelope;
  }

  const fake: FakeSlack = {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    port,
    teamId,
    botUserId,
    botId,
    appId,
    requests,
    messages,
    ephemerals,
    responses,
    violations,
    envelopes,
    acks,
    socketConnections,
    users,
    errors,
    register: (method, handler) => scripts.register('POST', method === '*' ? ':method' : method, handler),
    setRateLimits,
    setRateLimitEpisode,
    get episodeRateLimited() {
      return episodeRateLimited;
    },
    setUser,
    addMessage(channel, message) {
      const full: SlackMessage = { channel, ts: nextTs(), user: 'U0TESTER', params: {}, time: Date.now(), ...message };
      messages.push(full);
      return full;
    },
    threadReplies: (channel, threadTs) => repliesOf(channel, threadTs),
    deleteMessage(channel, ts) {
      const index = messages.findIndex((m) => m.channel === channel && m.ts === ts);
      if (index < 0) throw new Error(`fake-slack: no message ${ts} in ${channel}`);
      messages.splice(index, 1);
    },
    newResponseUrl: () => newResponseUrl(),
    responseUrl: (id) => responseUrls.get(id),
    async sendSlashCommand(url, signingSecret, fields = {}, opts = {}) {
      const response = newResponseUrl();
      const result = await sendSlashCommand(
        url,
        signingSecret,
        { team_id: teamId, api_app_id: appId, response_url: response.url, ...fields },
        opts,
      );
      return { ...result, response };
    },
    get socketConnected() {
      return [...sockets.keys()].some((ws) => ws.readyState === WebSocket.OPEN);
    },
    sendEnvelope,
    sendSocketSlashCommand(fields = {}) {
      const response = newResponseUrl();
      const payload: Json = {
        ...DEFAULT_SLASH_FIELDS,
        team_id: teamId,
        api_app_id: appId,
        trigger_id: `${Date.now()}.${randomId()}`,
        response_url: response.url,
        ...fields,
      };
      return { ...sendEnvelope('slash_commands', payload, { accepts_response_payload: true }), response };
    },
    sendSocketEvent(event) {
      const payload: Json = {
        token: 'deprecated-verification-token',
        team_id: teamId,
        api_app_id: appId,
        event: { event_ts: nextTs(), ...event },
        type: 'event_callback',
        event_id: randomId('Ev'),
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
        event_context: randomId('ctx'),
      };
      return sendEnvelope('events_api', payload, { accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
    },
    disconnectSocket(reason = 'refresh_requested') {
      const ws = openSocket();
      ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-slack-applink' } }));
    },
    waitFor: (predicate, wait) => waitFor(predicate, wait),
    waitForCall: (method, wait = {}) =>
      waitFor(() => requests.find((r) => r.method === method && r.status !== undefined), { what: `a ${method} call`, ...wait }),
    waitForMessage: (predicate = () => true, wait = {}) => waitFor(() => messages.find(predicate), { what: 'a Slack message', ...wait }),
    async stop() {
      scripts.clear();
      await closeServer(server, wss);
    },
  };
  return fake;
}
