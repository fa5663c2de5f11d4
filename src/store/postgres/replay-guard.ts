import type { PostgresPool } from './pool.js';

/**
 * The Slack replay guard (platforms/slack/request-guard.ts: ReplayGuard) on the shared store, so a
 * signed request accepted by one replica is a replay for all of them, whichever replica a load
 * balancer hands it to. Remembering is one `INSERT … ON CONFLICT DO UPDATE … WHERE expired`: of
 * replicas given the same request at once exactly one gets `new`. The type is structural (the
 * store does not import the platform layer). Expired rows are deleted by each process at most
 * once a minute, after a remember.
 */

export interface PostgresReplayGuard {
  remember(key: string, expiresAtMs: number): Promise<'new' | 'seen'>;
}

export interface PostgresReplayGuardOptions {
  now?: () => number;
  /** How often this process deletes expired rows (default a minute). */
  sweepEveryMs?: number;
}

export function createPostgresReplayGuard(pool: PostgresPool, options: PostgresReplayGuardOptions = {}): PostgresReplayGuard {
  const now = options.now ?? Date.now;
  const sweepEveryMs = options.sweepEveryMs ?? 60_000;
  let nextSweep = now() + sweepEveryMs;
  return {
    async remember(key, expiresAtMs) {
      const at = now();
      const result = await pool.query(
        `INSERT INTO request_replays (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE request_replays.expires_at <= $3`,
        [key, new Date(expiresAtMs).toISOString(), new Date(at).toISOString()],
      );
      if (at >= nextSweep) {
        nextSweep = at + sweepEveryMs;
        // Housekeeping only: a failed sweep is retried at the next one and never refuses a request.
        await pool.query('DELETE FROM request_replays WHERE expires_at <= $1', [new Date(at).toISOString()]).catch(() => undefined);
      }
      return result.rowCount === 1 ? 'new' : 'seen';
    },
  };
}
