import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes } from 'discord.js';
import { describeError } from '../errors.js';
import { DeliveryError, partNonce, type DigestSender, type OutgoingPart } from './sender.js';

/**
 * Digest messages to Discord through @discordjs/rest (the REST client discord.js uses), pointed
 * at `config.discord.apiUrl`. The client itself keeps to Discord's limits: the global 50
 * requests a second, and each channel's bucket from the X-RateLimit headers, waiting out a 429's
 * retry-after. It gives up waiting past `maxRateLimitWaitMs` and 5xx answers come straight back,
 * so the scheduler's bounded backoff decides. Every part carries a nonce derived from the
 * delivery key with `enforce_nonce`, so a repeated send returns the message already posted.
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
    return new DeliveryError('retry', `rate limited for ${error.retryAfter} ms (${error.global ? 'global' : error.route})`, error.retryAfter, { cause: error });
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    const known = PERMANENT_CODES.get(code);
    if (known) return new DeliveryError('permanent', `Discord ${error.status} ${code}: ${known}`, undefined, { cause: error });
    if (error.status === 401) return new DeliveryError('permanent', 'Discord 401: the bot token was revoked or is wrong', undefined, { cause: error });
    if (error.status === 403 || error.status === 404) {
      return new DeliveryError('permanent', `Discord ${error.status} ${code}: ${error.message}`, undefined, { cause: error });
    }
    if (error.status === 429 || error.status >= 500) return new DeliveryError('retry', `Discord ${error.status}: ${error.message}`, undefined, { cause: error });
    return new DeliveryError('rejected', `Discord ${error.status} ${code}: ${error.message}`, undefined, { cause: error });
  }
  if (error instanceof HTTPError) return new DeliveryError('retry', `Discord HTTP ${error.status}`, undefined, { cause: error });
  // Network errors and timeouts: the message may or may not have landed; the nonce makes the retry safe.
  return new DeliveryError('retry', `Discord request failed: ${describeError(error)}`, undefined, { cause: error });
}

export function createDiscordSender(options: DiscordSenderOptions): DigestSender {
  const maxWait = options.maxRateLimitWaitMs ?? 30_000;
  const rest = new REST({
    api: options.apiUrl.replace(/\/+$/, ''),
    version: '10',
    // 5xx and network errors come back to the scheduler at once: its backoff is bounded and logged.
    retries: 0,
    timeout: options.timeoutMs ?? 15_000,
    globalRequestsPerSecond: options.globalRequestsPerSecond ?? 50,
    rejectOnRateLimit: (limit) => limit.retryAfter > maxWait,
  }).setToken(options.token);

  return {
    platform: 'discord',
    async send(part: OutgoingPart) {
      const body = { ...(part.payload as Record<string, unknown>), nonce: partNonce(part.deliveryKey, part.index), enforce_nonce: true };
      try {
        const message = (await rest.post(Routes.channelMessages(part.channelId), { body })) as { id: string };
        return { ref: message.id };
      } catch (error) {
        throw classifyDiscordError(error);
      }
    },
  };
}
