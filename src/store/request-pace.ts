/**
 * A request rate shared by several processes: each request first reserves its own instant, spaced
 * `1 / perSecond` after the previous reservation whichever process made it, and waits for it.
 *
 * Why it exists: Discord's 50 requests a second is one budget per bot token, however many
 * replicas use the token. Each replica keeping 50/s on its own makes the replicas together go
 * over, and Discord answers the excess with global 429s; enough of those (10,000 invalid requests
 * in 10 minutes) get the bot's IP banned for an hour. Splitting the budget in fixed shares
 * (50 / replicas each) avoids the 429s but leaves a replica that has more to send slow while the
 * others idle. A shared pace keeps the sum at the limit and lets whoever has work use it.
 *
 * The algorithm is GCRA (a "virtual scheduling" token bucket with no burst): one row per limit
 * holds the next free instant; a reservation is one atomic UPDATE on it. postgres/request-pace.ts
 * is the implementation on the shared store.
 */

export interface RequestPace {
  /** Reserves the next instant for one request and waits until it (rejects if `signal` aborts first). */
  take(signal?: AbortSignal): Promise<void>;
  /** Reserves the next instant without waiting: milliseconds from now until it (0 or more), and the instant itself (ms since epoch, by the store's clock). */
  reserve(): Promise<{ waitMs: number; at: number }>;
}

export interface RequestPaceOptions {
  /** The limit's name: processes with the same name share one pace. */
  name: string;
  /** Requests a second across every process (for Discord's global limit of 50, a little less: arrival jitter). */
  perSecond: number;
}

/** What a shared Discord pace keeps to: 2 under Discord's 50/s, so requests that travel at uneven speeds still land in time. */
export const DISCORD_SHARED_PER_SECOND = 48;

/** Waits `ms`, or rejects with the signal's reason when it aborts. */
export function waitFor(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
