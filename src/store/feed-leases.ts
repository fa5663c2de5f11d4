import type { Database } from 'better-sqlite3';
import { processOwner } from './deliveries.js';

/**
 * Feed polling leases: with several replicas on one store, each feed is polled by one replica at a
 * time. Before polling a feed a replica takes its lease (free, expired, or already its own); the
 * lease lasts `leaseMs` and a replica renews it while a poll runs long, so one that dies stops
 * holding its feeds once their leases expire and the others poll them. Taking a lease is one
 * atomic upsert, so replicas asking at once never both get it. This file is the port and its
 * SQLite implementation; postgres/feed-leases.ts is the PostgreSQL one, and test/store/contract/
 * holds both to one contract.
 */

export interface FeedLease {
  sourceId: string;
  owner: string;
  /** ISO 8601, UTC. */
  until: string;
}

export interface FeedLeaseStore {
  /** This process's name in leases: unique per process. */
  readonly owner: string;
  /** Takes or renews the feed's lease until `now` + the lease; false when another process holds it. */
  acquire(sourceId: string, now: Date): Promise<boolean>;
  /** Renews a lease this process holds; false when it is no longer this process's (expired and taken). */
  renew(sourceId: string, now: Date): Promise<boolean>;
  /** Lets go of the feed's lease if this process holds it: another may poll it at once. */
  release(sourceId: string): Promise<void>;
  /** The feed's lease as recorded (it may have expired), or undefined when there is none. */
  get(sourceId: string): Promise<FeedLease | undefined>;
}

export interface FeedLeaseStoreOptions {
  owner?: string;
  /** How long a lease holds without renewal (default five minutes: longer than one feed's poll). */
  leaseMs?: number;
}

export const DEFAULT_FEED_LEASE_MS = 300_000;

interface Row {
  source_id: string;
  owner: string;
  lease_until: string;
}

export function createFeedLeaseStore(db: Database, options: FeedLeaseStoreOptions = {}): FeedLeaseStore {
  const owner = options.owner ?? processOwner();
  const leaseMs = options.leaseMs ?? DEFAULT_FEED_LEASE_MS;
  // Writes only over a lease that is expired or already this process's; SQLite writes one at a time.
  const acquire = db.prepare(`
    INSERT INTO feed_leases (source_id, owner, lease_until) VALUES (@sourceId, @owner, @until)
    ON CONFLICT (source_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
    WHERE feed_leases.owner = excluded.owner OR feed_leases.lease_until <= @now`);
  const renew = db.prepare('UPDATE feed_leases SET lease_until = ? WHERE source_id = ? AND owner = ?');
  const release = db.prepare('DELETE FROM feed_leases WHERE source_id = ? AND owner = ?');
  const get = db.prepare<[string], Row>('SELECT * FROM feed_leases WHERE source_id = ?');
  const until = (now: Date): string => new Date(now.getTime() + leaseMs).toISOString();
  return {
    owner,
    acquire: async (sourceId, now) => acquire.run({ sourceId, owner, until: until(now), now: now.toISOString() }).changes === 1,
    renew: async (sourceId, now) => renew.run(until(now), sourceId, owner).changes === 1,
    release: async (sourceId) => {
      release.run(sourceId, owner);
    },
    get: async (sourceId) => {
      const row = get.get(sourceId);
      return row ? { sourceId: row.source_id, owner: row.owner, until: row.lease_until } : undefined;
    },
  };
}
