import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes } from 'discord.js';
import { describeError } from '../../errors.js';
import type { RequestPace } from '../../store/request-pace.js';
import { DeliveryError, neverSent, partNonce, type DigestSender, type OutgoingPart } from '../../digest/sender.js';

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

  return {
    platform: 'discord',
    async send(part: OutgoingPart) {
      const body = { ...(part.payload as Record<string, unknown>), nonce: partNonce(part.deliveryKey, part.index), enforce_nonce: true };
      const signal = AbortSignal.timeout(options.sendDeadlineMs ?? 120_000);
      try {
        await options.globalPace?.take(signal);
      } catch (error) {
        // Nothing was sent: the pace's store failed, or the send's deadline passed while waiting.
        throw new DeliveryError('retry', `Discord send not started: ${describeError(error)}`, undefined, { cause: error, outcome: 'not-sent' });
      }
      const id = await window.acquire();
      try {
        const message = (await rest.post(Routes.channelMessages(part.channelId), { body, signal })) as { id: string };
        return { ref: message.id };
      } catch (error) {
        throw classifyDiscordError(error);
      } finally {
        window.answered(id);
      }
    },
  };
}
