import { createHash } from 'node:crypto';
import type { DigestPlatformName } from '../store/subscriptions.js';

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
}

export interface SentRef {
  /** The platform's id for the message: a Discord message id, a Slack ts. */
  ref: string;
}

export interface DigestSender {
  readonly platform: DigestPlatformName;
  /**
   * Posts one part. Repeating a call for the same part must be harmless where the platform
   * allows it (Discord: the nonce). Throws a DeliveryError saying whether to retry.
   */
  send(part: OutgoingPart): Promise<SentRef>;
  /** Finds a part an earlier attempt may have posted (Slack: channel history, by message metadata). */
  findSent?(part: OutgoingPart): Promise<SentRef | undefined>;
}

/**
 * - `retry`: try again after a backoff (rate limits, 5xx, network); `retryAfterMs` when the platform said how long.
 * - `permanent`: the channel or the token is gone or closed to us: pause the subscription.
 * - `rejected`: the platform refused this message (a payload problem): fail this digest, keep the subscription.
 */
export type FailureKind = 'retry' | 'permanent' | 'rejected';

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
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
