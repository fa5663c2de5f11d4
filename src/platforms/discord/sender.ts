import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes } from 'discord.js';
import { describeError } from '../../errors.js';
import type { RequestPace } from '../../store/request-pace.js';
import { DeliveryError, neverSent, partNonce, type DigestSender, type OutgoingPart, type SentRef } from '../../digest/sender.js';

/**
 * Digest messages to Discord through @discordjs/rest (the REST client discord.js uses), pointed
 * at `config.discord.apiUrl`. The client keeps each channel's bucket from the X-RateLimit
 * headers and waits out a 429's retry-after; a wait longer than `maxRateLimitWaitMs` comes back
 * as `rate-limited` for the delivery runner to wait out (never counted as a failure), and 5xx
 * answers come straight back, so the runner's backoff decides. The bot-wide 50
 * requests a second is kept by the window below rather than the client's own, which times its
 * windows from when requests leave: under load they can leave late and land in Discord's
 * previous window. Every part carries a nonce derived from the delivery key with
 * `enforce_nonce`, so a repeated send returns the message already posted.
 *
 * Story parts in a channel with threads on (`part.thread`): a `start` posts the message, then
 * starts a thread from it (the thread's id is the message's); a `reply` posts in the thread, which
 * Discord unarchives for a bot's post. A thread that is gone (deleted, or archived and locked) is
 * not the channel being gone: the part is posted in the channel as a new start instead, and only
 * the channel's own answer to that can pause the subscription.
 */

export interface DiscordSenderOptions {
  token: string;
  /** e.g. https://discord.com/api (the client adds /v10). */
  apiUrl: string;
  /** One HTTP request's time limit. */
  timeoutMs?: number;
  /** A rate-limit wait longer than this is handed back to the scheduler as a retry. */
  maxRateLimitWaitMs?: number;
  /** Requests per second across the bot (Discord: 50). */
  globalRequestsPerSecond?: number;
  /**
   * The longest one send may take, rate-limit waits and 429 retries inside the client included;
   * past it the send ends with an unknown outcome (the nonce makes the next attempt safe), so one
   * request never outlives the delivery's deadline by much.
   */
  sendDeadlineMs?: number;
  /**
   * The bot-wide limit kept together with other replicas that use the same token (on the shared
   * store: store/request-pace.ts). Each request reserves its instant there first; the window below
   * still holds this process to `globalRequestsPerSecond`.
   */
  globalPace?: RequestPace;
}

/** Discord error codes that mean the channel is gone or closed to the bot. */
const PERMANENT_CODES = new Map<number, string>([
  [10003, 'Unknown Channel: the channel was deleted or the bot cannot see it'],
  [10004, 'Unknown Guild: the bot is no longer in the server'],
  [50001, 'Missing Access: the bot cannot see the channel'],
  [50013, 'Missing Permissions: the bot may not post in the channel'],
  [50007, 'Cannot send messages to this user'],
  [40001, 'Unauthorized'],
]);

/** Discord's longest thread name, in characters. */
export const THREAD_NAME_MAX = 100;
/** The longest auto-archive Discord offers (a week, in minutes): a story's thread stays in the list that long. */
const THREAD_AUTO_ARCHIVE_MINUTES = 10080;
/** A thread was created from this message already: a retried start whose first attempt got that far. */
const THREAD_ALREADY_CREATED = 160004;
/**
 * Answers to a post in a thread that mean the thread, not the channel, is closed: 10003 (deleted;
 * a channel deleted with it answers 10003 again to the post in the channel), 50083 (archived and
 * locked, which a bot cannot undo), 160005 (locked).
 */
const THREAD_GONE_CODES = new Set([10003, 50083, 160005]);

function discordCode(error: unknown): number | undefined {
  if (!(error instanceof DiscordAPIError)) return undefined;
  const code = typeof error.code === 'number' ? error.code : Number(error.code);
  return Number.isFinite(code) ? code : undefined;
}

/**
 * A thread name Discord takes: one line, at most 100 characters, never empty. Cut by code points
 * and counted in UTF-16 units, so it is within the limit however Discord counts.
 */
export function threadName(name: string, fallback = 'Story'): string {
  const line = name.replace(/\s+/g, ' ').trim();
  let out = '';
  for (const char of line) {
    if (out.length + char.length > THREAD_NAME_MAX) break;
    out += char;
  }
  out = out.trim();
  return out || fallback;
}

/** A name for a thread opened anew for a reply whose thread is gone: the part's first title or line. */
function nameFromPayload(payload: unknown): string {
  const body = (payload ?? {}) as { content?: unknown; embeds?: Array<{ title?: unknown }> };
  const title = Array.isArray(body.embeds) ? body.embeds.find((e) => typeof e?.title === 'string' && e.title.trim())?.title : undefined;
  const content = typeof body.content === 'string' ? body.content.split('\n').find((line) => line.trim()) : undefined;
  const text = typeof title === 'string' ? title : (content ?? '');
  // The renderer escapes markdown; a thread name shows it as typed.
  return threadName(text.replace(/\\([\\`*_{}[\]()#+\-.!|~>])/g, '$1'));
}

export function classifyDiscordError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof RateLimitError) {
    return new DeliveryError('rate-limited', `rate limited for ${error.retryAfter} ms (${error.global ? 'global' : error.route})`, error.retryAfter, { cause: error });
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    const known = PERMANENT_CODES.get(code);
    if (known) return new DeliveryError('permanent', `Discord ${error.status} ${code}: ${known}`, undefined, { cause: error });
    if (error.status === 401) return new DeliveryError('permanent', 'Discord 401: the bot token was revoked or is wrong', undefined, { cause: error });
    if (error.status === 403 || error.status === 404) {
      return new DeliveryError('permanent', `Discord ${error.status} ${code}: ${error.message}`, undefined, { cause: error });
    }
    if (error.status === 429) return new DeliveryError('rate-limited', `Discord 429: ${error.message}`, undefined, { cause: error });
    if (error.status >= 500) return new DeliveryError('retry', `Discord ${error.status}: ${error.message}`, undefined, { cause: error });
    return new DeliveryError('rejected', `Discord ${error.status} ${code}: ${error.message}`, undefined, { cause: error });
  }
  if (error instanceof HTTPError) {
    if (error.status === 429) return new DeliveryError('rate-limited', 'Discord HTTP 429', undefined, { cause: error });
    return new DeliveryError('retry', `Discord HTTP ${error.status}`, undefined, { cause: error });
  }
  // A refused connection sent nothing; after a timeout the message may have landed, and the nonce makes the retry safe.
  const outcome = neverSent(error) ? 'not-sent' : 'unknown';
  return new DeliveryError('retry', `Discord request failed: ${describeError(error)}`, undefined, { cause: error, outcome });
}

/**
 * A limit of `limit` requests per `windowMs`, counted the way Discord counts: a window opens with
 * the first request that arrives and lasts `windowMs`. Arrival cannot be seen from here, but the
 * first answer of a window comes after it, so the next window opens `windowMs` after that answer:
 * never early, however late requests leave or slow they travel, and late by only one round trip.
 */
export interface RequestWindow {
  /** Waits for room in the current window; returns its number, to pass to `answered`. */
  acquire(): Promise<number>;
  /** A request of window `id` was answered (any answer: Discord counted it). */
  answered(id: number): void;
}

export function createRequestWindow(limit: number, windowMs: number, now: () => number = Date.now): RequestWindow {
  let id = 0;
  let used = 0;
  let firstAnswer: number | undefined;
  let waiters: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;

  const wakeAll = (): void => {
    timer = undefined;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  const wakeAt = (at: number): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(wakeAll, Math.max(0, at - now()));
  };

  return {
    async acquire() {
      for (;;) {
        if (used < limit) {
          used++;
          return id;
        }
        if (firstAnswer !== undefined && now() >= firstAnswer + windowMs) {
          id++;
          used = 0;
          firstAnswer = undefined;
          continue;
        }
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    answered(windowId) {
      if (windowId !== id || firstAnswer !== undefined) return;
      firstAnswer = now();
      // A millisecond of margin: clocks tick in whole milliseconds.
      wakeAt(firstAnswer + windowMs + 1);
    },
  };
}

export function createDiscordSender(options: DiscordSenderOptions): DigestSender {
  const maxWait = options.maxRateLimitWaitMs ?? 30_000;
  const window = createRequestWindow(options.globalRequestsPerSecond ?? 50, 1000);
  const rest = new REST({
    api: options.apiUrl.replace(/\/+$/, ''),
    version: '10',
    // 5xx and network errors come back to the scheduler at once: its backoff is bounded and logged.
    retries: 0,
    timeout: options.timeoutMs ?? 15_000,
    // The window above keeps the global limit; the client still obeys a global 429 if one comes.
    globalRequestsPerSecond: Number.MAX_SAFE_INTEGER,
    // With a shared pace, a global 429 comes back to the runner rather than being retried inside the
    // client: the retry then reserves a new instant in the pace, so replicas together stay at the
    // limit instead of adding retries on top of it.
    rejectOnRateLimit: (limit) => limit.retryAfter > maxWait || (options.globalPace !== undefined && limit.global),
  }).setToken(options.token);

  /**
   * One POST through the shared pace and the window; failures come back classified. After the
   * part's message has landed (`landed`), any failure leaves an unknown outcome: the message is
   * there, and the nonce returns it to the next attempt.
   */
  const post = async (route: `/${string}`, body: unknown, signal: AbortSignal, landed: boolean): Promise<unknown> => {
    try {
      await options.globalPace?.take(signal);
    } catch (error) {
      // Nothing was sent: the pace's store failed, or the send's deadline passed while waiting.
      throw new DeliveryError('retry', `Discord send not started: ${describeError(error)}`, undefined, { cause: error, outcome: landed ? 'unknown' : 'not-sent' });
    }
    const id = await window.acquire();
    try {
      return await rest.post(route, { body, signal });
    } finally {
      window.answered(id);
    }
  };

  const afterLanding = (error: unknown): DeliveryError => {
    const failure = classifyDiscordError(error);
    if (failure.outcome === 'unknown') return failure;
    return new DeliveryError(failure.kind, failure.message, failure.retryAfterMs, { cause: failure.cause ?? error, outcome: 'unknown' });
  };

  /** Posts the part in `channelId` and starts a thread named `name` from it. */
  const start = async (channelId: string, body: unknown, name: string, signal: AbortSignal): Promise<SentRef> => {
    let message: { id: string; channel_id?: string };
    try {
      message = (await post(Routes.channelMessages(channelId), body, signal, false)) as { id: string; channel_id?: string };
    } catch (error) {
      throw classifyDiscordError(error);
    }
    // The nonce gave back the message an earlier attempt posted in the story's thread, before that
    // thread went: the part is there already, and the next update finds the thread gone.
    if (message.channel_id !== undefined && message.channel_id !== channelId) return { ref: message.id, thread: message.channel_id };
    try {
      await post(Routes.threads(channelId, message.id), { name: threadName(name), auto_archive_duration: THREAD_AUTO_ARCHIVE_MINUTES }, signal, true);
    } catch (error) {
      // The nonce gave back the message of an attempt that had started its thread too.
      if (discordCode(error) !== THREAD_ALREADY_CREATED) throw afterLanding(error);
    }
    return { ref: message.id, thread: message.id };
  };

  return {
    platform: 'discord',
    async send(part: OutgoingPart): Promise<SentRef> {
      const body = { ...(part.payload as Record<string, unknown>), nonce: partNonce(part.deliveryKey, part.index), enforce_nonce: true };
      const signal = AbortSignal.timeout(options.sendDeadlineMs ?? 120_000);
      const thread = part.thread;
      if (thread?.mode === 'start') return start(part.channelId, body, thread.name, signal);
      if (thread?.mode === 'reply') {
        try {
          const message = (await post(Routes.channelMessages(thread.ref), body, signal, false)) as { id: string };
          return { ref: message.id, thread: thread.ref };
        } catch (error) {
          const code = discordCode(error);
          if (code === undefined || !THREAD_GONE_CODES.has(code)) throw classifyDiscordError(error);
        }
        // Nothing was posted in the thread, so the same nonce is free for the post in the channel.
        return start(part.channelId, body, thread.name ?? nameFromPayload(part.payload), signal);
      }
      try {
        const message = (await post(Routes.channelMessages(part.channelId), body, signal, false)) as { id: string };
        return { ref: message.id };
      } catch (error) {
        throw classifyDiscordError(error);
      }
    },
  };
}
