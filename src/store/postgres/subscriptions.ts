import type { PlatformName } from '../../platforms/names.js';
import {
  unchangedBy,
  type NothingNewPolicy,
  type SaveResult,
  type Subscription,
  type SubscriptionStatus,
  type SubscriptionStore,
  type UnchangedPolicy,
} from '../subscriptions.js';
import { inTransaction, type PostgresPool } from './pool.js';

/**
 * The subscription port (../subscriptions.ts) on PostgreSQL. Saving a channel's subscription
 * takes a transaction-level advisory lock on the channel, so two replicas applying the same
 * configured subscription at start-up (or two people subscribing one channel at once) serialise:
 * one creates it, the other finds it.
 */

interface Row {
  id: number;
  platform: PlatformName;
  channel_id: string;
  workspace: string | null;
  channel_name: string | null;
  schedule: string;
  cron: string;
  timezone: string;
  backfill: number | null;
  nothing_new: NothingNewPolicy | null;
  threads: boolean | null;
  unchanged: UnchangedPolicy | null;
  source: 'chat' | 'config';
  status: SubscriptionStatus;
  paused_reason: string | null;
  paused_at: string | null;
  active_since: string;
  start_position: number;
  created_at: string;
  created_by: string | null;
  updated_at: string;
}

function fromRow(row: Row): Subscription {
  const s: Subscription = {
    id: row.id,
    platform: row.platform,
    channelId: row.channel_id,
    schedule: row.schedule,
    cron: row.cron,
    timezone: row.timezone,
    source: row.source,
    status: row.status,
    activeSince: row.active_since,
    startPosition: row.start_position,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.workspace !== null) s.workspace = row.workspace;
  if (row.channel_name !== null) s.channelName = row.channel_name;
  if (row.backfill !== null) s.backfill = row.backfill;
  if (row.nothing_new !== null) s.nothingNew = row.nothing_new;
  if (row.threads !== null) s.threads = row.threads;
  if (row.unchanged !== null) s.unchanged = row.unchanged;
  if (row.paused_reason !== null) s.pausedReason = row.paused_reason;
  if (row.paused_at !== null) s.pausedAt = row.paused_at;
  if (row.created_by !== null) s.createdBy = row.created_by;
  return s;
}

const LIVE_FOR_CHANNEL = "SELECT * FROM subscriptions WHERE platform = $1 AND channel_id = $2 AND status <> 'removed'";

export function createPostgresSubscriptionStore(pool: PostgresPool): SubscriptionStore {
  const one = async (sql: string, params: unknown[]): Promise<Subscription | undefined> => {
    const { rows } = await pool.query<Row>(sql, params);
    return rows[0] ? fromRow(rows[0]) : undefined;
  };
  const all = async (sql: string): Promise<Subscription[]> => (await pool.query<Row>(sql)).rows.map(fromRow);

  return {
    save: (input, now, position) =>
      inTransaction(pool, async (client): Promise<SaveResult> => {
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`subscription:${input.platform}:${input.channelId}`]);
        const iso = now.toISOString();
        const { rows } = await client.query<Row>(LIVE_FOR_CHANNEL, [input.platform, input.channelId]);
        const existing = rows[0];
        if (!existing) {
          const inserted = await client.query<Row>(
            `INSERT INTO subscriptions (platform, channel_id, workspace, channel_name, schedule, cron, timezone, backfill, nothing_new,
               source, status, active_since, start_position, created_at, created_by, updated_at, threads, unchanged)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', $11, $12, $11, $13, $11, $14, $15) RETURNING *`,
            [
              input.platform,
              input.channelId,
              input.workspace ?? null,
              input.channelName ?? null,
              input.schedule,
              input.cron,
              input.timezone,
              input.backfill ?? null,
              input.nothingNew ?? null,
              input.source,
              iso,
              position,
              input.createdBy ?? null,
              input.threads ?? null,
              input.unchanged ?? null,
            ],
          );
          return { subscription: fromRow(inserted.rows[0]!), change: 'created' };
        }
        if (unchangedBy(fromRow(existing), input)) return { subscription: fromRow(existing), change: 'unchanged' };
        const updated = await client.query<Row>(
          `UPDATE subscriptions SET workspace = COALESCE($2, workspace), channel_name = COALESCE($3, channel_name),
             schedule = $4, cron = $5, timezone = $6, backfill = $7, nothing_new = $8, source = $9, threads = $11, unchanged = $12,
             status = 'active', paused_reason = NULL, paused_at = NULL,
             active_since = CASE WHEN status = 'paused' THEN $10 ELSE active_since END, updated_at = $10
           WHERE id = $1 RETURNING *`,
          [
            existing.id,
            input.workspace ?? null,
            input.channelName ?? null,
            input.schedule,
            input.cron,
            input.timezone,
            input.backfill ?? null,
            input.nothingNew ?? null,
            input.source,
            iso,
            input.threads ?? null,
            input.unchanged ?? null,
          ],
        );
        return { subscription: fromRow(updated.rows[0]!), change: existing.status === 'paused' ? 'resumed' : 'updated' };
      }),
    get: (id) => one('SELECT * FROM subscriptions WHERE id = $1', [id]),
    forChannel: (platform, channelId) => one(LIVE_FOR_CHANNEL, [platform, channelId]),
    live: () => all("SELECT * FROM subscriptions WHERE status <> 'removed' ORDER BY id"),
    active: () => all("SELECT * FROM subscriptions WHERE status = 'active' ORDER BY id"),
    pause: async (id, reason, now) => {
      const iso = now.toISOString();
      await pool.query("UPDATE subscriptions SET status = 'paused', paused_reason = $2, paused_at = $3, updated_at = $3 WHERE id = $1 AND status = 'active'", [id, reason, iso]);
    },
    remove: async (id, now) => {
      await pool.query("UPDATE subscriptions SET status = 'removed', updated_at = $2 WHERE id = $1 AND status <> 'removed'", [id, now.toISOString()]);
    },
  };
}
