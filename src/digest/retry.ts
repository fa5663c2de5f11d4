/**
 * Bounded retries: every failed attempt at a message counts, the wait doubles from `minDelayMs`
 * up to `maxDelayMs` (with a little jitter so channels do not retry in lockstep), a platform's
 * retry-after is always waited out in full, and after `attempts` the digest is given up on.
 */

export interface RetryPolicy {
  /** Attempts at one message before the digest fails. */
  attempts: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, minDelayMs: 1000, maxDelayMs: 5 * 60_000 };

/** The wait before attempt `failed + 1`, after `failed` failures. */
export function retryDelay(policy: RetryPolicy, failed: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const backoff = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, failed - 1));
  const jittered = backoff * (0.8 + 0.4 * random());
  return Math.ceil(Math.max(jittered, retryAfterMs ?? 0));
}

/** A sleep that a shutdown can cut short (it then resolves early; the caller checks why). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
