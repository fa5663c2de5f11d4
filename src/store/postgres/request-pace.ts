import { BriefbotError } from '../../errors.js';
import { waitFor, type RequestPace, type RequestPaceOptions } from '../request-pace.js';
import type { PostgresPool } from './pool.js';

/**
 * The shared request pace (../request-pace.ts) on PostgreSQL. The row `request_pace(name)` holds
 * the instant the next request may go; a reservation is one statement that takes
 * max(that instant, the database's clock) as this request's instant and moves the row on by one
 * interval. The row lock serialises replicas reserving at once, so no two get the same instant,
 * and every instant comes from one clock (the database's), so replicas' clocks may differ. A
 * replica that dies with reservations unused only leaves gaps: the pace never stalls on it.
 */

export function createPostgresRequestPace(pool: PostgresPool, options: RequestPaceOptions): RequestPace {
  if (!(options.perSecond > 0)) throw new BriefbotError('config', `a request pace needs a positive rate, not ${options.perSecond}`);
  const intervalMs = 1000 / options.perSecond;
  const reserve = async (): Promise<{ waitMs: number; at: number }> => {
    const { rows } = await pool.query<{ at_ms: string; wait_ms: string }>(
      `WITH clock AS (SELECT clock_timestamp() AS now)
       INSERT INTO request_pace AS pace (name, next_at)
       SELECT $1, clock.now + make_interval(secs => $2::float8 / 1000) FROM clock
       ON CONFLICT (name) DO UPDATE
         SET next_at = GREATEST(pace.next_at, (SELECT now FROM clock)) + make_interval(secs => $2::float8 / 1000)
       RETURNING EXTRACT(EPOCH FROM pace.next_at) * 1000 - $2::float8 AS at_ms,
                 GREATEST(0, EXTRACT(EPOCH FROM (pace.next_at - (SELECT now FROM clock))) * 1000 - $2::float8) AS wait_ms`,
      [options.name, intervalMs],
    );
    const row = rows[0]!;
    return { at: Number(row.at_ms), waitMs: Number(row.wait_ms) };
  };
  return {
    reserve,
    async take(signal) {
      const { waitMs } = await reserve();
      await waitFor(waitMs, signal);
    },
  };
}
