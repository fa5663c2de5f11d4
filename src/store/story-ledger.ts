import type { Database } from 'better-sqlite3';

/**
 * What each channel has been told about each story: the per-subscription ledger that lets a story
 * digest lead with what is new or changed since the channel last heard ("troops: 10,000 → 12,000;
 * you were told 10,000 on 2 Dec"), and the thread each story lives in where the channel has threads on.
 *
 * The ledger is never written on its own (only `forget` deletes from it on its own, stories long
 * untold; see LEDGER_KEEP_DAYS). A story digest records, with its delivery, what it will
 * tell (`DeliveryPlan.told`); the delivery store applies it in the same transaction that marks the
 * delivery delivered. A crash before that leaves the delivery pending (it is resumed and finished
 * later) and the ledger untouched; after it, both are written. So the ledger can neither be lost
 * nor doubled, and always matches what the channel was sent. A delivery that fails leaves no trace
 * in the ledger: its stories are told again next time.
 */

/** One fact of a story as a channel was told it. */
export interface ToldFact {
  kind: 'point' | 'figure' | 'quote' | 'outlet';
  /**
   * What identifies the fact across digests: a figure's measure ("figure:troops|"), a quote's
   * speaker and words, an outlet's name, a key point's words. Unique within a story.
   */
  key: string;
  /** What was told: a figure's value, a point's or quote's text, an outlet's name. */
  value: string;
  /** The fact as the channel saw it, for "you were told …". */
  text: string;
}

/** A fact in the ledger: when the channel was told it (the slot of the digest that told it). */
export interface LedgerFact extends ToldFact {
  toldAt: string;
}

/** A story told in a delivery: the facts the channel holds from then on, and the part that opened its thread. */
export interface StoryTelling {
  story: string;
  facts: ToldFact[];
  /** The index of the part posted for this story in a channel with threads on: its SentRef.thread is the story's thread. */
  threadPart?: number;
  /**
   * The story's thread as the channel's ledger already knows it, for a telling with no part of its
   * own (a one-line "nothing new"): kept under this story's id, so a thread found under a story
   * merged into it is not lost when that older record is forgotten.
   */
  thread?: string;
}

/**
 * Where a part of a story digest goes in a channel with threads on (the same shape as the digest
 * senders' PartThread): `start` opens a thread on the part, `reply` posts into the story's thread.
 */
export type PlannedThread = { mode: 'start'; name: string } | { mode: 'reply'; ref: string; name?: string };

/** What a story digest carries beside its rendered parts. */
export interface DeliveryPlan {
  /** One per part; null for a part posted in the channel. */
  threads?: Array<PlannedThread | null>;
  /** Applied to the ledger when the delivery is marked delivered, in the same transaction. */
  told?: StoryTelling[];
}

/** A channel's record of one story. */
export interface StoryRecordForChannel {
  facts: LedgerFact[];
  /** The story's thread in the channel (Discord thread id, Slack ts), once one was opened. */
  thread?: string;
}

export interface StoryLedger {
  /** What the subscription's channel has been told of each of these stories; stories never told are absent. */
  told(subscriptionId: number, storyIds: readonly string[]): Promise<Map<string, StoryRecordForChannel>>;
  /**
   * Forgets the stories a channel was last told of before `before`, with their facts;
   * returns how many (channel, story) records went. A fact told at or after `before` is kept, so a
   * delivery finishing meanwhile loses nothing it told.
   */
  forget(before: Date): Promise<number>;
}

/**
 * How long the ledger keeps a story after it was last told to a channel. The story book drops a
 * story quiet for 30 days (story-book.ts), and a later article then starts a new story; the ledger
 * keeps three times that, so a story still alive is only forgotten by a channel that has not been
 * told of it for 90 days (and would then get it whole once more).
 */
export const LEDGER_KEEP_DAYS = 90;

/** The two statements both stores forget with: the old facts of stories last told before $BEFORE, then those stories. */
export const FORGET_FACTS = `
  DELETE FROM story_facts WHERE told_at < $BEFORE AND (subscription_id, story) IN (
    SELECT subscription_id, story FROM story_ledger WHERE told_at < $BEFORE)`;
export const FORGET_STORIES = `DELETE FROM story_ledger WHERE told_at < $BEFORE`;

/**
 * What marking a delivery delivered writes to the ledger, worked out once for both stores: one row
 * per story told (with its thread, when the part that opened or carried it came back with one),
 * and one per fact. A story told twice in one plan, or a key twice in one story, is written once,
 * the later telling winning, as if the tellings had been applied in order (PostgreSQL refuses an
 * upsert that touches one row twice in a statement).
 */
export interface LedgerWrites {
  stories: Array<{ story: string; thread: string | null }>;
  /** `position`: the fact's place in its story's telling, so facts told together come back in the order told. */
  facts: Array<ToldFact & { story: string; position: number }>;
}

export function ledgerWrites(told: readonly StoryTelling[] | undefined, threadRefs: readonly (string | null)[]): LedgerWrites {
  const stories = new Map<string, string | null>();
  const facts = new Map<string, ToldFact & { story: string; position: number }>();
  const positions = new Map<string, number>();
  for (const telling of told ?? []) {
    const thread = telling.threadPart === undefined ? (telling.thread ?? null) : (threadRefs[telling.threadPart] ?? telling.thread ?? null);
    stories.set(telling.story, thread ?? stories.get(telling.story) ?? null);
    for (const fact of telling.facts) {
      const position = positions.get(telling.story) ?? 0;
      positions.set(telling.story, position + 1);
      const id = JSON.stringify([telling.story, fact.key]);
      facts.delete(id);
      facts.set(id, { story: telling.story, kind: fact.kind, key: fact.key, value: fact.value, text: fact.text, position });
    }
  }
  return { stories: [...stories].map(([story, thread]) => ({ story, thread })), facts: [...facts.values()] };
}

/** A story's row joined with one of its facts (none: the fact columns are null), as both stores read the ledger. */
export interface LedgerRow {
  story: string;
  thread: string | null;
  kind: ToldFact['kind'] | null;
  key: string | null;
  value: string | null;
  text: string | null;
  told_at: string | null;
}

/**
 * The query both stores read the ledger with: one statement, so it sees a story and its facts as
 * one delivery left them (on PostgreSQL a delivery may commit between two statements).
 * `$STORIES` is the store's way of matching the asked ids; facts in the order they were told.
 */
export const LEDGER_QUERY = `
  SELECT l.story, l.thread, f.kind, f.key, f.value, f.text, f.told_at
  FROM story_ledger l LEFT JOIN story_facts f ON f.subscription_id = l.subscription_id AND f.story = l.story
  WHERE l.subscription_id = $SUBSCRIPTION AND l.story $STORIES
  ORDER BY l.story, f.told_at, f.position, f.key`;

/** The records `told` answers with, from LEDGER_QUERY's rows. */
export function ledgerRecords(rows: readonly LedgerRow[]): Map<string, StoryRecordForChannel> {
  const out = new Map<string, StoryRecordForChannel>();
  for (const row of rows) {
    let record = out.get(row.story);
    if (!record) {
      record = row.thread === null ? { facts: [] } : { facts: [], thread: row.thread };
      out.set(row.story, record);
    }
    if (row.key !== null) record.facts.push({ kind: row.kind!, key: row.key, value: row.value!, text: row.text!, toldAt: row.told_at! });
  }
  return out;
}

/**
 * Applies a delivered delivery's plan on SQLite: called by the delivery store inside the
 * transaction that marks it delivered (deliveries.ts), never on its own. A fact or story already
 * recorded by a later slot is left as it is, so a delivery finished out of order never puts an
 * older value back.
 */
export function createSqliteLedgerWriter(db: Database): (delivery: { id: number; subscriptionId: number; slot: string; told?: StoryTelling[]; threadRefs: readonly (string | null)[] }) => void {
  const story = db.prepare(`
    INSERT INTO story_ledger (subscription_id, story, thread, told_at, delivery_id) VALUES (@subscriptionId, @story, @thread, @toldAt, @deliveryId)
    ON CONFLICT (subscription_id, story) DO UPDATE SET thread = COALESCE(excluded.thread, story_ledger.thread), told_at = excluded.told_at, delivery_id = excluded.delivery_id
    WHERE excluded.told_at >= story_ledger.told_at`);
  const fact = db.prepare(`
    INSERT INTO story_facts (subscription_id, story, key, kind, value, text, position, told_at, delivery_id)
    VALUES (@subscriptionId, @story, @key, @kind, @value, @text, @position, @toldAt, @deliveryId)
    ON CONFLICT (subscription_id, story, key) DO UPDATE SET kind = excluded.kind, value = excluded.value, text = excluded.text,
      position = excluded.position, told_at = excluded.told_at, delivery_id = excluded.delivery_id
    WHERE excluded.told_at >= story_facts.told_at`);
  return (delivery) => {
    const writes = ledgerWrites(delivery.told, delivery.threadRefs);
    const common = { subscriptionId: delivery.subscriptionId, toldAt: delivery.slot, deliveryId: delivery.id };
    for (const s of writes.stories) story.run({ ...common, story: s.story, thread: s.thread });
    for (const f of writes.facts) fact.run({ ...common, story: f.story, key: f.key, kind: f.kind, value: f.value, text: f.text, position: f.position });
  };
}

/** The ledger on SQLite: reading, and forgetting what is long untold (the delivery store writes it, see above). */
export function createStoryLedger(db: Database): StoryLedger {
  const query = db.prepare<[number, string], LedgerRow>(LEDGER_QUERY.replace('$SUBSCRIPTION', '?').replace('$STORIES', 'IN (SELECT value FROM json_each(?))'));
  const forgetFacts = db.prepare(FORGET_FACTS.replaceAll('$BEFORE', '@before'));
  const forgetStories = db.prepare(FORGET_STORIES.replaceAll('$BEFORE', '@before'));
  const forget = db.transaction((before: string) => {
    forgetFacts.run({ before });
    return forgetStories.run({ before }).changes;
  });
  return {
    told: async (subscriptionId, storyIds) => (storyIds.length === 0 ? new Map() : ledgerRecords(query.all(subscriptionId, JSON.stringify(storyIds)))),
    forget: async (before) => forget(before.toISOString()),
  };
}

