import { createHash } from 'node:crypto';
import type { PlatformName } from '../platforms/names.js';

/**
 * What the digest scheduler needs from a chat platform, and no more: post one message of a
 * digest, and (where the platform offers no idempotent send) look for a message an earlier
 * attempt may have posted. Everything platform-specific (nonces, metadata, rate limits, error
 * codes) stays behind this; the scheduler is tested against stand-ins of it.
 */

export interface OutgoingPart {
  channelId: string;
  /** `<subscription id>:<slot>`: the delivery this message belongs to. */
  deliveryKey: string;
  /** 0-based part of the digest, and how many parts it has. */
  index: number;
  count: number;
  /** The platform's message body, as the renderer made it. */
  payload: unknown;
  /** When the delivery was recorded: no earlier message can be one of its parts. */
  since: Date;
  /** Where a story digest's part goes when the channel has threads on (see PartThread); none: the channel itself. */
  thread?: PartThread;
}

/**
 * A part of a story digest in a channel with threads on:
 * - `start`: the part is a story's first message in the channel; it is posted in the channel and a
 *   thread is opened on it, named `name` (Discord: a thread started from the message, whose id is
 *   the message's; Slack: the message's ts is the thread).
 * - `reply`: the part is an update of a story whose thread is `ref`: it is posted in that thread
 *   (Discord: the thread channel; Slack: `thread_ts`). Should the thread be gone (deleted, locked),
 *   the sender posts the part in the channel and opens a new thread on it, and says so in `SentRef.thread`;
 *   Discord names that thread `name` (the story's title) when given, else after the part's first title or line.
 */
export type PartThread = { mode: 'start'; name: string } | { mode: 'reply'; ref: string; name?: string };

export interface SentRef {
  /** The platform's id for the message: a Discord message id, a Slack ts. */
  ref: string;
  /**
   * For a threaded part, the story's thread from now on: for `start` the message's own thread, for
   * `reply` the thread replied in, or the one opened anew when it was gone.
   */
  thread?: string;
}

export interface DigestSender {
  readonly platform: PlatformName;
  /**
   * Posts one part. Repeating a call for the same part must be harmless where the platform
   * allows it (Discord: the nonce). Throws a DeliveryError saying whether to retry.
   */
  send(part: OutgoingPart): Promise<SentRef>;
  /** Finds a part an earlier attempt may have posted (Slack: channel history, by message metadata). */
  findSent?(part: OutgoingPart): Promise<SentRef | undefined>;
}

/**
 * - `retry`: try again after a backoff (5xx, network, timeouts).
 * - `rate-limited`: the platform refused to take the request yet (429): wait out its retry-after,
 *   then try again; never a failure, never a sign the message landed.
 * - `permanent`: the channel or the token is gone or closed to us: pause the subscription.
 * - `rejected`: the platform refused this message (a payload problem): fail this digest, keep the subscription.
 */
export type FailureKind = 'retry' | 'rate-limited' | 'permanent' | 'rejected';

/**
 * What is known of the message after the failure:
 * - `not-sent`: it certainly did not land (a 429, a refused connection, a name that did not resolve):
 *   the next attempt just sends;
 * - `unknown`: the request may have reached the platform (a timeout, a connection lost after
 *   sending, a 5xx): before sending again, look for it (Slack's history) or rely on the nonce (Discord).
 */
export type SendOutcome = 'not-sent' | 'unknown';

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly outcome: SendOutcome;

  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown; outcome?: SendOutcome },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.outcome = options?.outcome ?? (kind === 'rate-limited' ? 'not-sent' : 'unknown');
  }
}

/** Connection errors that happen before a byte of the request is sent. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whether a network error shows the request never left: its code, or a code anywhere down its
 * causes (fetch wraps the socket error in `cause`, the Slack client in `original`).
 */
export function neverSent(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; cause?: unknown; original?: unknown; errors?: unknown };
    if (typeof e.code === 'string' && NEVER_SENT.has(e.code)) return true;
    // Happy Eyeballs tries several addresses: refused on every one is refused.
    if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((inner) => neverSent(inner))) return true;
    current = e.cause ?? e.original;
  }
  return false;
}

export function isDeliveryError(error: unknown): error is DeliveryError {
  return error instanceof DeliveryError;
}

/** The delivery key: what both platforms' de-duplication is derived from. */
export function deliveryKey(subscriptionId: number, slot: string): string {
  return `${subscriptionId}:${slot}`;
}

/**
 * A Discord nonce for one part of one delivery: 25 hex characters of a SHA-256 (Discord allows
 * 25). Discord matches nonces per bot across channels, so the key, not the channel, makes it unique.
 */
export function partNonce(key: string, index: number): string {
  return createHash('sha256').update(`${key}#${index}`).digest('hex').slice(0, 25);
}

/** The Slack message-metadata event type briefbot's digest messages carry. */
export const DIGEST_EVENT_TYPE = 'briefbot_digest';
