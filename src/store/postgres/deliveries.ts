import {
  COMPACTABLE,
  alignThreadRefs,
  DEFAULT_CLAIM_LEASE_MS,
  processOwner,
  type Delivery,
  type DeliveryStatus,
  type DeliveryStore,
  type DeliveryStoreOptions,
} from '../deliveries.js';
import { ledgerWrites, type DeliveryPlan } from '../story-ledger.js';
import { inTransaction, type PostgresClient, type PostgresPool } from './pool.js';

/**
 * The delivery port (../deliveries.ts) on PostgreSQL, for several replicas on one database. A
 * slot is recorded once under the unique (subscription, slot) constraint and claimed by the
 * replica that recorded it. Pending deliveries that nobody holds, or whose claim expired because
 * their replica died, are claimed with `FOR UPDATE SKIP LOCKED`: replicas claiming at once each
 * lock different rows and never wait on one another, and a row claimed meanwhile is re-checked
 * under its lock and left alone. Every write about a send renews the claim and is refused once
 * another replica holds it, so a replica that lost its claim stops instead of sending twice.
 *
 * Marking a delivery delivered and writing what its plan told to the story ledger is one
 * transaction on one client: the ledger is written exactly when the status is.
 */

interface Row {
  id: number;
  subscription_id: number;
  slot: string;
  status: DeliveryStatus;
  items: number;
  through_position: number;
  parts: unknown[];
  parts_sent: number;
  refs: string[];
  thread_refs: Array<string | null>;
  plan: DeliveryPlan | null;
  attempted_part: number | null;
  attempts: number;
  last_error: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

function fromRow(row: Row): Delivery {
  const d: Delivery = {
    id: row.id,
    subscriptionId: row.subscription_id,
    slot: row.slot,
    status: row.status,
    items: row.items,
    throughPosition: row.through_position,
    parts: row.parts,
    partsSent: row.parts_sent,
    refs: row.refs,
    threadRefs: alignThreadRefs(row.refs, row.thread_refs),
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.attempted_part !== null) d.attemptedPart = row.attempted_part;
  if (row.last_error !== null) d.lastError = row.last_error;
  if (row.finished_at !== null) d.finishedAt = row.finished_at;
  if (row.claimed_by !== null) d.claimedBy = row.claimed_by;
  if (row.claimed_until !== null) d.claimedUntil = row.claimed_until;
  if (row.plan !== null) d.plan = row.plan;
  return d;
}

const bySlotOrder = (a: Delivery, b: Delivery): number => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : a.id - b.id);

// Each write about a send is this replica's only while the claim is: `$owner` is always parameter 2.
const MINE = "status = 'pending' AND (claimed_by = $2 OR claimed_by IS NULL)";

/**
 * Writes a delivered delivery's plan to the story ledger, on the client whose transaction marked it
 * delivered: two statements whatever the size of the digest. A fact or story already recorded by
 * a later slot is left as it is, so a delivery finished out of order never puts an older value back.
 */
async function writeLedger(client: PostgresClient, delivery: Delivery): Promise<void> {
  const writes = ledgerWrites(delivery.plan?.told, delivery.threadRefs);
  if (writes.stories.length > 0) {
    await client.query(
      `INSERT INTO story_ledger (subscription_id, story, thread, told_at, delivery_id)
       SELECT $1::bigint, s.story, s.thread, $2::timestamptz, $3::bigint FROM unnest($4::text[], $5::text[]) AS s (story, thread)
       ON CONFLICT (subscription_id, story) DO UPDATE SET thread = COALESCE(excluded.thread, story_ledger.thread), told_at = excluded.told_at, delivery_id = excluded.delivery_id
       WHERE excluded.told_at >= story_ledger.told_at`,
      [delivery.subscriptionId, delivery.slot, delivery.id, writes.stories.map((s) => s.story), writes.stories.map((s) => s.thread)],
    );
  }
  if (writes.facts.length > 0) {
    const f = writes.facts;
    await client.query(
      `INSERT INTO story_facts (subscription_id, story, key, kind, value, text, position, told_at, delivery_id)
       SELECT $1::bigint, f.story, f.key, f.kind, f.value, f.text, f.position, $2::timestamptz, $3::bigint
       FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[]) AS f (story, key, kind, value, text, position)
       ON CONFLICT (subscription_id, story, key) DO UPDATE SET kind = excluded.kind, value = excluded.value, text = excluded.text,
         position = excluded.position, told_at = excluded.told_at, delivery_id = excluded.delivery_id
       WHERE excluded.told_at >= story_facts.told_at`,
      [
        delivery.subscriptionId,
        delivery.slot,
        delivery.id,
        f.map((x) => x.story),
        f.map((x) => x.key),
        f.map((x) => x.kind),
        f.map((x) => x.value),
        f.map((x) => x.text),
        f.map((x) => x.position),
      ],
    );
  }
}

export function createPostgresDeliveryStore(pool: PostgresPool, options: DeliveryStoreOptions = {}): DeliveryStore {
  const owner = options.owner ?? processOwner();
  const leaseMs = options.leaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  const until = (now: Date, extraMs = 0): string => new Date(now.getTime() + leaseMs + extraMs).toISOString();
  const one = async (sql: string, params: unknown[]): Promise<Delivery | undefined> => {
    const { rows } = await pool.query<Row>(sql, params);
    return rows[0] ? fromRow(rows[0]) : undefined;
  };
  const changed = async (sql: string, params: unknown[]): Promise<boolean> => ((await pool.query(sql, params)).rowCount ?? 0) > 0;

  return {
    owner,
    async record(input, now) {
      const iso = now.toISOString();
      const pending = input.status === 'pending';
      const { rows } = await pool.query<Row>(
        `INSERT INTO deliveries (subscription_id, slot, status, items, through_position, parts, plan, claimed_by, claimed_until, created_at, updated_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $11::jsonb, $7, $8, $9, $9, $10)
         ON CONFLICT (subscription_id, slot) DO NOTHING RETURNING *`,
        [
          input.subscriptionId,
          input.slot,
          input.status,
          input.items,
          input.throughPosition,
          JSON.stringify(input.parts),
          pending ? owner : null,
          pending ? until(now) : null,
          iso,
          input.status === 'skipped' ? iso : null,
          input.plan === undefined ? null : JSON.stringify(input.plan),
        ],
      );
      if (rows[0]) return { delivery: fromRow(rows[0]), created: true };
      // The conflicting row is committed (ON CONFLICT waits for a concurrent insert to finish).
      const existing = await one('SELECT * FROM deliveries WHERE subscription_id = $1 AND slot = $2', [input.subscriptionId, input.slot]);
      return { delivery: existing!, created: false };
    },
    get: (id) => one('SELECT * FROM deliveries WHERE id = $1', [id]),
    find: (subscriptionId, slot) => one('SELECT * FROM deliveries WHERE subscription_id = $1 AND slot = $2', [subscriptionId, slot]),
    async hasAtOrAfter(subscriptionId, slot) {
      const { rows } = await pool.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM deliveries WHERE subscription_id = $1 AND slot >= $2) AS found', [subscriptionId, slot]);
      return rows[0]!.found;
    },
    async cursor(subscriptionId) {
      const { rows } = await pool.query<{ p: number | null }>(
        "SELECT MAX(through_position) AS p FROM deliveries WHERE subscription_id = $1 AND status IN ('pending', 'delivered', 'skipped')",
        [subscriptionId],
      );
      return rows[0]?.p ?? undefined;
    },
    async claimPending(now, claimOptions = {}) {
      const iso = now.toISOString();
      const ids = claimOptions.subscriptionIds ? [...claimOptions.subscriptionIds] : null;
      const { rows } = await pool.query<Row>(
        `UPDATE deliveries SET claimed_by = $1, claimed_until = $2
         WHERE id IN (
           SELECT id FROM deliveries
           WHERE status = 'pending' AND (claimed_by IS NULL OR claimed_by = $1 OR claimed_until <= $3)
             AND ($4::bigint[] IS NULL OR subscription_id = ANY ($4::bigint[]))
           ORDER BY slot, id
           LIMIT $5
           FOR UPDATE SKIP LOCKED
         )
         RETURNING *`,
        [owner, until(now), iso, ids, claimOptions.limit ?? null],
      );
      return rows.map(fromRow).sort(bySlotOrder);
    },
    async release(id) {
      await pool.query('UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL WHERE id = $1 AND claimed_by = $2', [id, owner]);
    },
    latest: (subscriptionId, statuses) =>
      one('SELECT * FROM deliveries WHERE subscription_id = $1 AND status = ANY ($2::text[]) ORDER BY slot DESC, id DESC LIMIT 1', [subscriptionId, statuses]),
    async failuresSince(subscriptionId, since) {
      const { rows } = await pool.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM deliveries WHERE subscription_id = $1 AND status = 'failed' AND updated_at >= $2",
        [subscriptionId, since],
      );
      const last = await one("SELECT * FROM deliveries WHERE subscription_id = $1 AND status = 'failed' ORDER BY slot DESC, id DESC LIMIT 1", [subscriptionId]);
      return last ? { count: rows[0]!.n, last } : { count: rows[0]!.n };
    },
    markAttempt: (id, part, now) =>
      changed(`UPDATE deliveries SET attempted_part = $3, claimed_by = $2, claimed_until = $4, updated_at = $5 WHERE id = $1 AND ${MINE}`, [
        id,
        owner,
        part,
        until(now),
        now.toISOString(),
      ]),
    markSent: (id, part, ref, now, thread) =>
      one(
        `UPDATE deliveries SET parts_sent = $3 + 1, refs = refs || jsonb_build_array($4::text), thread_refs = thread_refs || jsonb_build_array($7::text),
           attempted_part = NULL, attempts = 0, claimed_by = $2, claimed_until = $5, updated_at = $6
         WHERE id = $1 AND parts_sent = $3 AND ${MINE} RETURNING *`,
        [id, owner, part, ref, until(now), now.toISOString(), thread ?? null],
      ),
    markFailedAttempt: (id, error, now) =>
      changed(`UPDATE deliveries SET attempts = attempts + 1, last_error = $3, claimed_by = $2, claimed_until = $4, updated_at = $5 WHERE id = $1 AND ${MINE}`, [
        id,
        owner,
        error,
        until(now),
        now.toISOString(),
      ]),
    markRetry: (id, { error, counts, notSent, holdMs }, now) =>
      changed(
        `UPDATE deliveries SET attempts = attempts + $3, last_error = $4, attempted_part = CASE WHEN $5 THEN NULL ELSE attempted_part END,
           claimed_by = $2, claimed_until = $6, updated_at = $7
         WHERE id = $1 AND ${MINE}`,
        [id, owner, counts ? 1 : 0, error, notSent, until(now, holdMs ?? 0), now.toISOString()],
      ),
    finish: (id, status, now, error) => {
      const sql = `UPDATE deliveries SET status = $3, last_error = COALESCE($4, last_error), finished_at = $5, updated_at = $5, claimed_by = NULL, claimed_until = NULL
         WHERE id = $1 AND ${MINE} RETURNING *`;
      const params = [id, owner, status, error ?? null, now.toISOString()];
      // Only 'delivered' writes the ledger, so only it needs a transaction around the update.
      if (status !== 'delivered') return changed(sql, params);
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<Row>(sql, params);
        if (!rows[0]) return false;
        const delivery = fromRow(rows[0]);
        if (delivery.plan?.told?.length) await writeLedger(client, delivery);
        return true;
      });
    },
    async compact(before, limit) {
      const batch = COMPACTABLE.replace('$BEFORE', '$1').replace('$LIMIT', '$2');
      const result = await pool.query(`UPDATE deliveries SET parts = '[]'::jsonb, plan = NULL WHERE id IN (${batch})`, [before.toISOString(), limit]);
      return result.rowCount ?? 0;
    },
    async counts() {
      const out: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, skipped: 0, failed: 0, expired: 0 };
      const { rows } = await pool.query<{ status: DeliveryStatus; n: number }>('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status');
      for (const row of rows) out[row.status] = row.n;
      return out;
    },
  };
}
