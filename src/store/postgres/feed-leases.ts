import { DEFAULT_FEED_LEASE_MS, type FeedLeaseStore, type FeedLeaseStoreOptions } from '../feed-leases.js';
import { processOwner } from '../deliveries.js';
import type { PostgresPool } from './pool.js';

/**
 * The feed lease port (../feed-leases.ts) on PostgreSQL. Taking a lease is one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE`: the conflicting row is locked and the condition
 * (expired, or already ours) is checked on its latest version, so of replicas asking at once
 * exactly one gets a free or expired lease.
 */

interface Row {
  source_id: string;
  owner: string;
  lease_until: string;
}

export function createPostgresFeedLeaseStore(pool: PostgresPool, options: FeedLeaseStoreOptions = {}): FeedLeaseStore {
  const owner = options.owner ?? processOwner();
  const leaseMs = options.leaseMs ?? DEFAULT_FEED_LEASE_MS;
  const until = (now: Date): string => new Date(now.getTime() + leaseMs).toISOString();
  return {
    owner,
    async acquire(sourceId, now) {
      const result = await pool.query(
        `INSERT INTO feed_leases (source_id, owner, lease_until) VALUES ($1, $2, $3)
         ON CONFLICT (source_id) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
         WHERE feed_leases.owner = EXCLUDED.owner OR feed_leases.lease_until <= $4`,
        [sourceId, owner, until(now), now.toISOString()],
      );
      return result.rowCount === 1;
    },
    async renew(sourceId, now) {
      const result = await pool.query('UPDATE feed_leases SET lease_until = $3 WHERE source_id = $1 AND owner = $2', [sourceId, owner, until(now)]);
      return result.rowCount === 1;
    },
    async release(sourceId) {
      await pool.query('DELETE FROM feed_leases WHERE source_id = $1 AND owner = $2', [sourceId, owner]);
    },
    async get(sourceId) {
      const { rows } = await pool.query<Row>('SELECT * FROM feed_leases WHERE source_id = $1', [sourceId]);
      const row = rows[0];
      return row ? { sourceId: row.source_id, owner: row.owner, until: row.lease_until } : undefined;
    },
  };
}
