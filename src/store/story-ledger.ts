/**
 * What each channel has been told about each story: the per-subscription ledger that lets a story
 * digest lead with what is new or changed since the channel last heard ("troops: 10,000 → 12,000;
 * you were told 10,000 on 2 Dec"), and the thread each story lives in where the channel has threads on.
 *
 * The ledger is never written on its own. A story digest records, with its delivery, what it will
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
}

/**
 * Where a part of a story digest goes in a channel with threads on (the same shape as the digest
 * senders' PartThread): `start` opens a thread on the part, `reply` posts into the story's thread.
 */
export type PlannedThread = { mode: 'start'; name: string } | { mode: 'reply'; ref: string };

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
}
