/**
 * Waits between attempts at a digest message. Nothing here ends a delivery: only a permanent
 * error and the delivery's deadline (its subscription's next slot) do, in the delivery runner.
 *
 * - A failure whose outcome is unknown or a server error (5xx, timeout, network): the wait
 *   doubles from `minDelayMs` up to `maxDelayMs` with each consecutive failure, with a little
 *   jitter so channels do not retry in lockstep; a retry-after the platform gave is waited out.
 * - A rate limit (429) is not a failure: the platform's retry-after is waited out with up to a
 *   quarter more on top (so every channel a workspace-wide limit stopped does not come back in
 *   the same millisecond), and it does not raise the failure backoff. Without a retry-after, the
 *   doubling wait of consecutive rate limits stands in for it.
 */

export interface RetryPolicy {
  /**
   * No longer used: attempts are not counted toward giving a digest up (the deadline is the
   * subscription's next slot). Accepted so configurations that set it keep loading.
   */
  attempts?: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { minDelayMs: 1000, maxDelayMs: 5 * 60_000 };

function backoff(policy: RetryPolicy, consecutive: number): number {
  return Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, consecutive - 1));
}

/** The wait after `failed` consecutive failures (not rate limits) at the same message. */
export function retryDelay(policy: RetryPolicy, failed: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const jittered = backoff(policy, failed) * (0.8 + 0.4 * random());
  return Math.ceil(Math.max(jittered, retryAfterMs ?? 0));
}

/** The wait after the `consecutive`-th rate limit in a row at the same message: never less than its retry-after. */
export function rateLimitDelay(policy: RetryPolicy, consecutive: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const base = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : backoff(policy, consecutive);
  return Math.ceil(base * (1 + 0.25 * random()));
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
