import type { Database } from 'better-sqlite3';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { createSqliteLedgerWriter, type DeliveryPlan } from './story-ledger.js';

/**
 * Digest deliveries: one row per (subscription, scheduled slot), guarded by a unique constraint.
 * A row is written before anything is sent, and every part's progress is written as it happens,
 * so a process that dies mid-send knows on restart exactly what may have gone out.
 *
 * Several replicas may share one store (PostgreSQL): a pending delivery is sent only by the
 * process that holds its claim. Recording a slot claims it for the recorder; a pending delivery
 * nobody holds, or whose claim has expired (its process died), is taken with `claimPending`.
 * Every write about a send renews the claim, and is refused (false, undefined) once the claim is
 * another's: the sender then stops. This file is the port and its SQLite implementation; the
 * PostgreSQL one is in postgres/deliveries.ts, and test/store/contract/ holds both to one contract.
 *
 * A story digest's delivery carries a plan (story-ledger.ts): the thread each part goes to, and
 * what it tells the channel. Each part's thread comes back with it and is kept beside its ref;
 * marking the delivery delivered writes what it told to the channel's story ledger in the same
 * transaction, so the ledger always matches what the channel was sent.
 */

export type DeliveryStatus = 'pending' | 'delivered' | 'skipped' | 'failed' | 'expired';

export interface Delivery {
  id: number;
  subscriptionId: number;
  /** The scheduled instant (ISO 8601, UTC). */
  slot: string;
  status: DeliveryStatus;
  items: number;
  throughPosition: number;
  /** The rendered messages, in order. */
  parts: unknown[];
  partsSent: number;
  /** Platform ids of the messages sent (Discord message id, Slack ts). */
  refs: string[];
  /** Beside `refs`, one per part sent: the thread the part went to or opened (SentRef.thread), or null. */
  threadRefs: Array<string | null>;
  /** A story digest's plan: each part's thread, and what it tells the channel (applied when delivered). */
  plan?: DeliveryPlan;
  /** A part whose send started and was not confirmed: it may have landed. */
  attemptedPart?: number;
  /** Consecutive failures at the current part (rate limits not counted): what the backoff grows with. */
  attempts: number;
  lastError?: string;
  /** The process sending it now (see DeliveryStore.owner), while its claim holds. */
  claimedBy?: string;
  claimedUntil?: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export interface NewDelivery {
  subscriptionId: number;
  slot: string;
  status: 'pending' | 'skipped';
  items: number;
  throughPosition: number;
  parts: unknown[];
  plan?: DeliveryPlan;
}

interface Row {
  id: number;
  subscription_id: number;
  slot: string;
  status: DeliveryStatus;
  items: number;
  through_position: number;
  parts: string;
  parts_sent: number;
  refs: string;
  thread_refs: string;
  plan: string | null;
  attempted_part: number | null;
  attempts: number;
  last_error: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** One thread entry per ref: rows whose parts went out before threads were recorded read as null. */
export function alignThreadRefs(refs: readonly string[], threadRefs: ReadonlyArray<string | null>): Array<string | null> {
  return refs.map((_, i) => threadRefs[i] ?? null);
}

function fromRow(row: Row): Delivery {
  const refs = JSON.parse(row.refs) as string[];
  const d: Delivery = {
    id: row.id,
    subscriptionId: row.subscription_id,
    slot: row.slot,
    status: row.status,
    items: row.items,
    throughPosition: row.through_position,
    parts: JSON.parse(row.parts) as unknown[],
    partsSent: row.parts_sent,
    refs,
    threadRefs: alignThreadRefs(refs, JSON.parse(row.thread_refs) as Array<string | null>),
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.attempted_part !== null) d.attemptedPart = row.attempted_part;
  if (row.last_error !== null) d.lastError = row.last_error;
  if (row.finished_at !== null) d.finishedAt = row.finished_at;
  if (row.claimed_by !== null) d.claimedBy = row.claimed_by;
  if (row.claimed_until !== null) d.claimedUntil = row.claimed_until;
  if (row.plan !== null) d.plan = JSON.parse(row.plan) as DeliveryPlan;
  return d;
}

export interface DeliveryStore {
  /** This process's name in claims: unique per process, as replicas may share a host. */
  readonly owner: string;
  /**
   * Records the slot under the unique constraint, claimed by this process when pending. `created:
   * false` means this slot was already recorded (by an earlier firing, a catch-up, another replica,
   * or before a crash) and `delivery` is that row: someone else sends it, or claimPending finds it.
   */
  record(input: NewDelivery, now: Date): Promise<{ delivery: Delivery; created: boolean }>;
  get(id: number): Promise<Delivery | undefined>;
  find(subscriptionId: number, slot: string): Promise<Delivery | undefined>;
  /** Whether a slot at or after `slot` is recorded for the subscription. */
  hasAtOrAfter(subscriptionId: number, slot: string): Promise<boolean>;
  /**
   * Where the subscription's next digest starts: the position covered by its latest digest that
   * went out, is going out, or found nothing new. Failed ones do not count: their items come again.
   */
  cursor(subscriptionId: number): Promise<number | undefined>;
  /**
   * Claims the pending deliveries no other process holds (never claimed, released, claimed until
   * before `now`, or already this process's own), oldest slot first, optionally only the given
   * subscriptions' and at most `limit`. Two processes at once never get the same delivery. Its own
   * come back so that the job hands every pending delivery to the runner, which knows those it is
   * already sending (as a single process always did).
   */
  claimPending(now: Date, options?: { subscriptionIds?: readonly number[]; limit?: number }): Promise<Delivery[]>;
  /** Lets go of this process's claim without finishing the delivery (shutting down, platform not here). */
  release(id: number): Promise<void>;
  latest(subscriptionId: number, statuses: DeliveryStatus[]): Promise<Delivery | undefined>;
  failuresSince(subscriptionId: number, since: string): Promise<{ count: number; last?: Delivery }>;
  /** About to send `part`: from now on it may have landed. False: the claim is another's, do not send. */
  markAttempt(id: number, part: number, now: Date): Promise<boolean>;
  /**
   * Part `part` landed as `ref`, in `thread` when it went to or opened one (SentRef.thread).
   * Undefined: the claim is another's (or the part was already marked).
   */
  markSent(id: number, part: number, ref: string, now: Date, thread?: string): Promise<Delivery | undefined>;
  /** A failed attempt at the current part, to be tried again (it raises the backoff). */
  markFailedAttempt(id: number, error: string, now: Date): Promise<boolean>;
  /**
   * The current part will be tried again after `error`. `counts`: a failure that raises the
   * backoff (a rate limit does not). `notSent`: the part certainly did not land (a 429, a refused
   * connection), so it is no longer marked as possibly landed and the next attempt just sends.
   * `holdMs`: the wait before that attempt, added to the claim so it outlasts the wait.
   */
  markRetry(id: number, retry: { error: string; counts: boolean; notSent: boolean; holdMs?: number }, now: Date): Promise<boolean>;
  /**
   * Ends a pending delivery this process holds (or nobody holds); false when it was not ended here.
   * 'delivered' applies the plan's `told` to the story ledger in the same transaction, and only
   * when this call ended the delivery; 'failed' and 'expired' write nothing there.
   */
  finish(id: number, status: 'delivered' | 'failed' | 'expired', now: Date, error?: string): Promise<boolean>;
  counts(): Promise<Record<DeliveryStatus, number>>;
  /**
   * Drops the rendered parts and the plan of at most `limit` deliveries finished before `before`:
   * only sending reads them, and a story digest's plan is in the ledger once delivered. The row
   * stays (slot, status, refs, error), so cursors, "since" and /digest status read as before.
   * Returns how many were compacted (fewer than `limit`: none are left).
   */
  compact(before: Date, limit: number): Promise<number>;
}

/**
 * How long a finished delivery keeps its rendered parts and plan (DeliveryStore.compact): 10,000
 * daily digests store some tens of MB of parts a day, which nothing reads once they are sent.
 */
export const DELIVERY_PARTS_KEEP_DAYS = 30;

/** The deliveries `compact` takes, a batch at a time (both stores; '[]' is text on SQLite, JSONB on PostgreSQL). */
export const COMPACTABLE = `
  SELECT id FROM deliveries
  WHERE finished_at < $BEFORE AND status <> 'pending' AND (parts <> '[]' OR plan IS NOT NULL)
  LIMIT $LIMIT`;

export interface DeliveryStoreOptions {
  /** This process's name in claims; a fresh one by default. */
  owner?: string;
  /** How long a claim holds without a write renewing it (default two minutes). */
  leaseMs?: number;
}

export const DEFAULT_CLAIM_LEASE_MS = 120_000;

/** A name for this process in claims: host, process id and a random part (a pid is reused across restarts and containers). */
export function processOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * On SQLite one process has the file at a time (lock.ts), so claims found when it opens were left
 * by a process that is gone: let go of them all, and the new process resumes at once.
 */
export function releaseDeadClaims(db: Database): void {
  // A store opened with older steps only (tests of the migration machinery) has no claims to let go of.
  const hasClaims = db.prepare("SELECT 1 FROM pragma_table_info('deliveries') WHERE name = 'claimed_by'").get() !== undefined;
  if (hasClaims) db.prepare("UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL WHERE status = 'pending' AND claimed_by IS NOT NULL").run();
}

export function createDeliveryStore(db: Database, options: DeliveryStoreOptions = {}): DeliveryStore {
  const owner = options.owner ?? processOwner();
  const leaseMs = options.leaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  const until = (now: Date, extraMs = 0): string => new Date(now.getTime() + leaseMs + extraMs).toISOString();
  const insert = db.prepare(`
    INSERT INTO deliveries (subscription_id, slot, status, items, through_position, parts, plan, claimed_by, claimed_until, created_at, updated_at, finished_at)
    VALUES (@subscriptionId, @slot, @status, @items, @throughPosition, @parts, @plan, @claimedBy, @claimedUntil, @now, @now, @finishedAt)
    ON CONFLICT (subscription_id, slot) DO NOTHING`);
  const bySlot = db.prepare<[number, string], Row>('SELECT * FROM deliveries WHERE subscription_id = ? AND slot = ?');
  const byId = db.prepare<[number], Row>('SELECT * FROM deliveries WHERE id = ?');
  const compact = db.prepare(`UPDATE deliveries SET parts = '[]', plan = NULL WHERE id IN (${COMPACTABLE.replace('$BEFORE', '@before').replace('$LIMIT', '@limit')})`);
  const atOrAfter = db.prepare<[number, string], { n: number }>('SELECT COUNT(*) AS n FROM deliveries WHERE subscription_id = ? AND slot >= ?');
  const cursor = db.prepare<[number], { p: number | null }>(
    "SELECT MAX(through_position) AS p FROM deliveries WHERE subscription_id = ? AND status IN ('pending', 'delivered', 'skipped')",
  );
  const claimable = db.prepare<[string, string], Row>(
    "SELECT * FROM deliveries WHERE status = 'pending' AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until <= ?) ORDER BY slot, id",
  );
  const claim = db.prepare(
    "UPDATE deliveries SET claimed_by = @owner, claimed_until = @until WHERE id = @id AND status = 'pending' AND (claimed_by IS NULL OR claimed_by = @owner OR claimed_until <= @now)",
  );
  const release = db.prepare('UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?');
  const failures = db.prepare<[number, string], { n: number }>(
    "SELECT COUNT(*) AS n FROM deliveries WHERE subscription_id = ? AND status = 'failed' AND updated_at >= ?",
  );
  const lastFailure = db.prepare<[number], Row>("SELECT * FROM deliveries WHERE subscription_id = ? AND status = 'failed' ORDER BY slot DESC, id DESC LIMIT 1");
  // Each write about a send is this process's only while its claim is: `mine` guards every one.
  const mine = '(claimed_by = @owner OR claimed_by IS NULL)';
  const attempt = db.prepare(`UPDATE deliveries SET attempted_part = @part, claimed_by = @owner, claimed_until = @until, updated_at = @now WHERE id = @id AND status = 'pending' AND ${mine}`);
  const sent = db.prepare(`
    UPDATE deliveries SET parts_sent = @next, refs = json_insert(refs, '$[#]', @ref), thread_refs = json_insert(thread_refs, '$[#]', @thread),
      attempted_part = NULL, attempts = 0,
      claimed_by = @owner, claimed_until = @until, updated_at = @now
    WHERE id = @id AND parts_sent = @part AND status = 'pending' AND ${mine}`);
  const retry = db.prepare(`
    UPDATE deliveries SET attempts = attempts + @counts, last_error = @error,
      attempted_part = CASE WHEN @notSent = 1 THEN NULL ELSE attempted_part END, claimed_by = @owner, claimed_until = @until, updated_at = @now
    WHERE id = @id AND status = 'pending' AND ${mine}`);
  const finish = db.prepare(`
    UPDATE deliveries SET status = @status, last_error = COALESCE(@error, last_error), finished_at = @now, updated_at = @now,
      claimed_by = NULL, claimed_until = NULL
    WHERE id = @id AND status = 'pending' AND ${mine}`);
  const counts = db.prepare<[], { status: DeliveryStatus; n: number }>('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status');

  const recordNow = db.transaction((input: NewDelivery, now: Date) => {
    const iso = now.toISOString();
    const pending = input.status === 'pending';
    const result = insert.run({
      subscriptionId: input.subscriptionId,
      slot: input.slot,
      status: input.status,
      items: input.items,
      throughPosition: input.throughPosition,
      parts: JSON.stringify(input.parts),
      plan: input.plan === undefined ? null : JSON.stringify(input.plan),
      claimedBy: pending ? owner : null,
      claimedUntil: pending ? until(now) : null,
      now: iso,
      finishedAt: input.status === 'skipped' ? iso : null,
    });
    return { delivery: fromRow(bySlot.get(input.subscriptionId, input.slot)!), created: result.changes === 1 };
  });
  // SQLite writes one transaction at a time, so a select-then-update in one transaction is the claim.
  const claimNow = db.transaction((now: Date, ids: ReadonlySet<number> | undefined, limit: number): Delivery[] => {
    const iso = now.toISOString();
    const claimed: Delivery[] = [];
    for (const row of claimable.all(owner, iso)) {
      if (claimed.length >= limit) break;
      if (ids && !ids.has(row.subscription_id)) continue;
      const lease = until(now);
      if (claim.run({ owner, until: lease, id: row.id, now: iso }).changes === 1) claimed.push(fromRow({ ...row, claimed_by: owner, claimed_until: lease }));
    }
    return claimed;
  });

  const writeLedger = createSqliteLedgerWriter(db);
  // The ledger is written with the status or not at all: one transaction, and only by the call that ended the delivery.
  const finishNow = db.transaction((id: number, status: 'delivered' | 'failed' | 'expired', now: Date, error: string | undefined): boolean => {
    if (finish.run({ id, status, error: error ?? null, owner, now: now.toISOString() }).changes !== 1) return false;
    if (status === 'delivered') {
      const delivery = fromRow(byId.get(id)!);
      const told = delivery.plan?.told;
      if (told?.length) writeLedger({ id, subscriptionId: delivery.subscriptionId, slot: delivery.slot, told, threadRefs: delivery.threadRefs });
    }
    return true;
  });

  return {
    owner,
    record: async (input, now) => recordNow(input, now),
    get: async (id) => {
      const row = byId.get(id);
      return row ? fromRow(row) : undefined;
    },
    find: async (subscriptionId, slot) => {
      const row = bySlot.get(subscriptionId, slot);
      return row ? fromRow(row) : undefined;
    },
    hasAtOrAfter: async (subscriptionId, slot) => atOrAfter.get(subscriptionId, slot)!.n > 0,
    cursor: async (subscriptionId) => cursor.get(subscriptionId)?.p ?? undefined,
    claimPending: async (now, claimOptions = {}) =>
      claimNow(now, claimOptions.subscriptionIds ? new Set(claimOptions.subscriptionIds) : undefined, claimOptions.limit ?? Number.POSITIVE_INFINITY),
    release: async (id) => {
      release.run(id, owner);
    },
    latest: async (subscriptionId, statuses) => {
      const marks = statuses.map(() => '?').join(', ');
      const row = db
        .prepare<unknown[], Row>(`SELECT * FROM deliveries WHERE subscription_id = ? AND status IN (${marks}) ORDER BY slot DESC, id DESC LIMIT 1`)
        .get(subscriptionId, ...statuses);
      return row ? fromRow(row) : undefined;
    },
    failuresSince: async (subscriptionId, since) => {
      const count = failures.get(subscriptionId, since)!.n;
      const last = lastFailure.get(subscriptionId);
      return last ? { count, last: fromRow(last) } : { count };
    },
    markAttempt: async (id, part, now) => attempt.run({ id, part, owner, until: until(now), now: now.toISOString() }).changes === 1,
    markSent: async (id, part, ref, now, thread) => {
      const changed = sent.run({ id, part, next: part + 1, ref, thread: thread ?? null, owner, until: until(now), now: now.toISOString() }).changes === 1;
      return changed ? fromRow(byId.get(id)!) : undefined;
    },
    markFailedAttempt: async (id, error, now) =>
      retry.run({ id, error, counts: 1, notSent: 0, owner, until: until(now), now: now.toISOString() }).changes === 1,
    markRetry: async (id, { error, counts, notSent, holdMs }, now) =>
      retry.run({ id, error, counts: counts ? 1 : 0, notSent: notSent ? 1 : 0, owner, until: until(now, holdMs ?? 0), now: now.toISOString() }).changes === 1,
    finish: async (id, status, now, error) => finishNow(id, status, now, error),
    compact: async (before, limit) => compact.run({ before: before.toISOString(), limit }).changes,
    counts: async () => {
      const out: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, skipped: 0, failed: 0, expired: 0 };
      for (const row of counts.all()) out[row.status] = row.n;
      return out;
    },
  };
}
