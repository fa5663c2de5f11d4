import type { Database } from 'better-sqlite3';

/**
 * Digest deliveries: one row per (subscription, scheduled slot), guarded by a unique constraint.
 * A row is written before anything is sent, and every part's progress is written as it happens,
 * so a process that dies mid-send knows on restart exactly what may have gone out.
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
  /** A part whose send started and was not confirmed: it may have landed. */
  attemptedPart?: number;
  /** Consecutive failures at the current part (rate limits not counted): what the backoff grows with. */
  attempts: number;
  lastError?: string;
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
  attempted_part: number | null;
  attempts: number;
  last_error: string | null;
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
    parts: JSON.parse(row.parts) as unknown[],
    partsSent: row.parts_sent,
    refs: JSON.parse(row.refs) as string[],
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.attempted_part !== null) d.attemptedPart = row.attempted_part;
  if (row.last_error !== null) d.lastError = row.last_error;
  if (row.finished_at !== null) d.finishedAt = row.finished_at;
  return d;
}

export interface DeliveryStore {
  /**
   * Records the slot under the unique constraint. `created: false` means this slot was already
   * recorded (by an earlier firing, a catch-up, or before a crash) and `delivery` is that row.
   */
  record(input: NewDelivery, now: Date): { delivery: Delivery; created: boolean };
  get(id: number): Delivery | undefined;
  find(subscriptionId: number, slot: string): Delivery | undefined;
  /** Whether a slot at or after `slot` is recorded for the subscription. */
  hasAtOrAfter(subscriptionId: number, slot: string): boolean;
  /**
   * Where the subscription's next digest starts: the position covered by its latest digest that
   * went out, is going out, or found nothing new. Failed ones do not count: their items come again.
   */
  cursor(subscriptionId: number): number | undefined;
  pending(): Delivery[];
  latest(subscriptionId: number, statuses: DeliveryStatus[]): Delivery | undefined;
  failuresSince(subscriptionId: number, since: string): { count: number; last?: Delivery };
  /** About to send `part`: from now on it may have landed. */
  markAttempt(id: number, part: number, now: Date): void;
  markSent(id: number, part: number, ref: string, now: Date): Delivery;
  /** A failed attempt at the current part, to be tried again (it raises the backoff). */
  markFailedAttempt(id: number, error: string, now: Date): void;
  /**
   * The current part will be tried again after `error`. `counts`: a failure that raises the
   * backoff (a rate limit does not). `notSent`: the part certainly did not land (a 429, a refused
   * connection), so it is no longer marked as possibly landed and the next attempt just sends.
   */
  markRetry(id: number, retry: { error: string; counts: boolean; notSent: boolean }, now: Date): void;
  finish(id: number, status: 'delivered' | 'failed' | 'expired', now: Date, error?: string): void;
  counts(): Record<DeliveryStatus, number>;
}

export function createDeliveryStore(db: Database): DeliveryStore {
  const insert = db.prepare(`
    INSERT INTO deliveries (subscription_id, slot, status, items, through_position, parts, created_at, updated_at, finished_at)
    VALUES (@subscriptionId, @slot, @status, @items, @throughPosition, @parts, @now, @now, @finishedAt)
    ON CONFLICT (subscription_id, slot) DO NOTHING`);
  const bySlot = db.prepare<[number, string], Row>('SELECT * FROM deliveries WHERE subscription_id = ? AND slot = ?');
  const byId = db.prepare<[number], Row>('SELECT * FROM deliveries WHERE id = ?');
  const atOrAfter = db.prepare<[number, string], { n: number }>('SELECT COUNT(*) AS n FROM deliveries WHERE subscription_id = ? AND slot >= ?');
  const cursor = db.prepare<[number], { p: number | null }>(
    "SELECT MAX(through_position) AS p FROM deliveries WHERE subscription_id = ? AND status IN ('pending', 'delivered', 'skipped')",
  );
  const pending = db.prepare<[], Row>("SELECT * FROM deliveries WHERE status = 'pending' ORDER BY slot, id");
  const failures = db.prepare<[number, string], { n: number }>(
    "SELECT COUNT(*) AS n FROM deliveries WHERE subscription_id = ? AND status = 'failed' AND updated_at >= ?",
  );
  const lastFailure = db.prepare<[number], Row>("SELECT * FROM deliveries WHERE subscription_id = ? AND status = 'failed' ORDER BY slot DESC, id DESC LIMIT 1");
  const attempt = db.prepare('UPDATE deliveries SET attempted_part = ?, updated_at = ? WHERE id = ?');
  const sent = db.prepare(`
    UPDATE deliveries SET parts_sent = @next, refs = json_insert(refs, '$[#]', @ref), attempted_part = NULL, attempts = 0, updated_at = @now
    WHERE id = @id AND parts_sent = @part`);
  const retry = db.prepare(`
    UPDATE deliveries SET attempts = attempts + @counts, last_error = @error,
      attempted_part = CASE WHEN @notSent = 1 THEN NULL ELSE attempted_part END, updated_at = @now
    WHERE id = @id`);
  const finish = db.prepare("UPDATE deliveries SET status = ?, last_error = COALESCE(?, last_error), finished_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'");
  const counts = db.prepare<[], { status: DeliveryStatus; n: number }>('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status');

  return {
    record: db.transaction((input: NewDelivery, now: Date) => {
      const iso = now.toISOString();
      const result = insert.run({
        subscriptionId: input.subscriptionId,
        slot: input.slot,
        status: input.status,
        items: input.items,
        throughPosition: input.throughPosition,
        parts: JSON.stringify(input.parts),
        now: iso,
        finishedAt: input.status === 'skipped' ? iso : null,
      });
      return { delivery: fromRow(bySlot.get(input.subscriptionId, input.slot)!), created: result.changes === 1 };
    }),
    get: (id) => {
      const row = byId.get(id);
      return row ? fromRow(row) : undefined;
    },
    find: (subscriptionId, slot) => {
      const row = bySlot.get(subscriptionId, slot);
      return row ? fromRow(row) : undefined;
    },
    hasAtOrAfter: (subscriptionId, slot) => atOrAfter.get(subscriptionId, slot)!.n > 0,
    cursor: (subscriptionId) => cursor.get(subscriptionId)?.p ?? undefined,
    pending: () => pending.all().map(fromRow),
    latest: (subscriptionId, statuses) => {
      const marks = statuses.map(() => '?').join(', ');
      const row = db
        .prepare<unknown[], Row>(`SELECT * FROM deliveries WHERE subscription_id = ? AND status IN (${marks}) ORDER BY slot DESC, id DESC LIMIT 1`)
        .get(subscriptionId, ...statuses);
      return row ? fromRow(row) : undefined;
    },
    failuresSince: (subscriptionId, since) => {
      const count = failures.get(subscriptionId, since)!.n;
      const last = lastFailure.get(subscriptionId);
      return last ? { count, last: fromRow(last) } : { count };
    },
    markAttempt: (id, part, now) => {
      attempt.run(part, now.toISOString(), id);
    },
    markSent: (id, part, ref, now) => {
      sent.run({ id, part, next: part + 1, ref, now: now.toISOString() });
      return fromRow(byId.get(id)!);
    },
    markFailedAttempt: (id, error, now) => {
      retry.run({ id, error, counts: 1, notSent: 0, now: now.toISOString() });
    },
    markRetry: (id, { error, counts, notSent }, now) => {
      retry.run({ id, error, counts: counts ? 1 : 0, notSent: notSent ? 1 : 0, now: now.toISOString() });
    },
    finish: (id, status, now, error) => {
      const iso = now.toISOString();
      finish.run(status, error ?? null, iso, iso, id);
    },
    counts: () => {
      const out: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, skipped: 0, failed: 0, expired: 0 };
      for (const row of counts.all()) out[row.status] = row.n;
      return out;
    },
  };
}
