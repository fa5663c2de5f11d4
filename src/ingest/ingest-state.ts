import { randomUUID } from 'node:crypto';
import type { BriefingChanges } from '../library/library.js';

/**
 * What ingestion remembers between polls and restarts: the feed sources (with their conditional
 * GET validators and health), every item already seen (so each arrives once), and each article's
 * revisions. Kept to this narrow interface so a store can back it: SQLite on one machine,
 * PostgreSQL for several replicas (postgres-ingest-state.ts); the in-memory version below is what
 * the tests and the console use. Every method answers with a promise, like the Library, because
 * the state may sit on a database server; the in-process stores answer at once (asyncIngestState).
 */

export type SourceStatus = 'ok' | 'failing';

export interface FeedSource {
  /** Stable and short: `feed-` and a hash of the canonical URL. */
  id: string;
  url: string;
  /** A name given in config or chat. */
  name?: string;
  /** The feed's own title, from the last good poll. */
  title?: string;
  /** Listed in config (synced at start-up; removed there) or added in chat. */
  origin: 'config' | 'chat';
  addedBy?: string;
  addedAt: string;
  intervalMinutes: number;
  /** Validators from the last 200 response, sent back as If-None-Match / If-Modified-Since. */
  etag?: string;
  lastModified?: string;
  /** True once a good poll has recorded the existing items as backlog. */
  primed: boolean;
  lastPolledAt?: string;
  lastSuccessAt?: string;
  nextPollAt?: string;
  consecutiveFailures: number;
  lastError?: string;
  /** `failing` after repeated errors in a row; back to `ok` on the next good poll. */
  status: SourceStatus;
  /** Items delivered (briefed and added) from this source so far. */
  delivered: number;
}

export type SeenStatus = 'backlog' | 'delivered' | 'failed';

export interface SeenItem {
  /** A feed source id, `folder:<dir>` for the briefings folders, `link` for links briefed in chat. */
  sourceId: string;
  /** Unique within the source: `guid:<id>`, `url:<canonical url>`, `file:<name>` or `hash:<content hash>`. */
  key: string;
  guid?: string;
  /** The item's link canonicalised: dedup across sources goes by this. */
  canonicalUrl?: string;
  /** Hash of the item as the source carried it; a different hash is an edit. */
  contentHash: string;
  /** The library entry it became (absent for backlog and failures). */
  articleId?: string;
  status: SeenStatus;
  firstSeenAt: string;
  lastSeenAt: string;
  error?: string;
}

export interface ArticleRevision {
  articleId: string;
  /** 1 for the article as first seen. */
  number: number;
  /** The article's text hash (the library entry's contentHash). */
  contentHash: string;
  at: string;
  /** Where this revision came from (file path, feed item URL). */
  source: string;
  /** What changed since the previous revision (absent for revision 1). */
  changes?: BriefingChanges;
}

/** What identifies an item to claim: as findSeen looks it up. */
export interface SeenQuery {
  sourceId: string;
  key: string;
  /** When given, the claim covers this URL in every source: two feeds carrying one story brief it once. */
  canonicalUrl?: string;
}

/** The right to brief one item for a while, handed to the caller that won it. */
export interface SeenClaim {
  /** `url:<canonical url>` when the item has one, else `item:<source id> <key>`: what two claimants collide on. */
  claimKey: string;
  /** Unique to this claim: only its holder lets go of it, never a later holder's claim after a takeover. */
  token: string;
  /** ISO 8601: after this, another caller may take the item over. */
  until: string;
}

export interface ClaimOptions {
  now: Date;
  /** How long the claim holds (default DEFAULT_SEEN_CLAIM_MS). */
  ttlMs?: number;
}

/** Long enough to fetch an item's page and brief it (a poll's budget is a minute), short enough that a dead claimant's items come back soon. */
export const DEFAULT_SEEN_CLAIM_MS = 10 * 60_000;

/** The key two claims of one item collide on (see SeenClaim.claimKey). */
export function claimKeyFor(query: SeenQuery): string {
  return query.canonicalUrl ? `url:${query.canonicalUrl}` : `item:${query.sourceId} ${query.key}`;
}

export interface IngestState {
  /** Every source, oldest first; sources added at the same moment in the order they were saved. */
  listSources(): Promise<FeedSource[]>;
  getSource(id: string): Promise<FeedSource | undefined>;
  /** Inserts or replaces the source with this id. */
  saveSource(source: FeedSource): Promise<void>;
  /** Forgets the source; the items it delivered stay seen, so adding it back re-posts nothing. */
  removeSource(id: string): Promise<boolean>;

  /** The item seen under this key in this source, else an item anywhere with this canonical URL. */
  findSeen(query: SeenQuery): Promise<SeenItem | undefined>;
  /**
   * "First to see an item wins": the caller that gets the claim briefs the item, every other
   * caller leaves it alone. Without it, two replicas polling feeds that carry the same item (one
   * story in two feeds, or one feed whose lease expired mid-poll) could both pass findSeen and
   * both brief and post it. The claim is a separate, short-lived record rather than a 'pending'
   * seen item, so findSeen and countSeen never show half-done work, and it expires, so an item
   * whose claimant died mid-brief is taken over once `until` passes instead of being lost.
   *
   * Winning answers the item's seen record as it is now, read after the claim was taken: a
   * claimant that lost a race, and claims after the winner let go, sees what the winner saved and
   * decides again (usually: unchanged, nothing to do). Resolves undefined when another caller
   * holds an unexpired claim; a claim is never re-entrant, even within one process.
   */
  claimSeen(query: SeenQuery, options: ClaimOptions): Promise<{ claim: SeenClaim; seen: SeenItem | undefined } | undefined>;
  /** Lets go of a claim once the item's seen record is saved (or the caller gave up); a claim taken over meanwhile is left alone. */
  releaseSeen(claim: SeenClaim): Promise<void>;
  /** Inserts or replaces the item under (sourceId, key). */
  saveSeen(item: SeenItem): Promise<void>;
  /** How many items a source has seen, by status (for `/sources list`). */
  countSeen(sourceId: string): Promise<Record<SeenStatus, number>>;

  /**
   * Records revision `number` of an article once: when that number is already recorded (another
   * replica ingested the same edit at the same moment, or an append is retried) the first record
   * stays and this one is ignored, rather than failing the ingest or writing the revision twice.
   * Resolves whether this call recorded it.
   */
  appendRevision(revision: ArticleRevision): Promise<boolean>;
  /** Oldest first. */
  listRevisions(articleId: string): Promise<ArticleRevision[]>;
}

/** An ingest state whose answers are ready at once (memory, SQLite): the same methods, without the promises. */
export type SyncIngestState = { [K in keyof IngestState]: IngestState[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never };

/** The IngestState port over a synchronous implementation: the in-process stores answer at once. */
export function asyncIngestState(sync: SyncIngestState): IngestState {
  return {
    listSources: async () => sync.listSources(),
    getSource: async (id) => sync.getSource(id),
    saveSource: async (source) => sync.saveSource(source),
    removeSource: async (id) => sync.removeSource(id),
    findSeen: async (query) => sync.findSeen(query),
    claimSeen: async (query, options) => sync.claimSeen(query, options),
    releaseSeen: async (claim) => sync.releaseSeen(claim),
    saveSeen: async (item) => sync.saveSeen(item),
    countSeen: async (sourceId) => sync.countSeen(sourceId),
    appendRevision: async (revision) => sync.appendRevision(revision),
    listRevisions: async (articleId) => sync.listRevisions(articleId),
  };
}

export function createMemoryIngestState(): IngestState {
  return asyncIngestState(createSyncMemoryIngestState());
}

/**
 * Claims kept in this process, for the in-process stores: memory, and SQLite, whose file one
 * process uses at a time (src/store/lock.ts), so a claim need not outlive the process that took it.
 */
export function createProcessClaims(findSeen: (query: SeenQuery) => SeenItem | undefined): Pick<SyncIngestState, 'claimSeen' | 'releaseSeen'> {
  const claims = new Map<string, SeenClaim>();
  return {
    claimSeen(query, { now, ttlMs = DEFAULT_SEEN_CLAIM_MS }) {
      const claimKey = claimKeyFor(query);
      const held = claims.get(claimKey);
      if (held && Date.parse(held.until) > now.getTime()) return undefined;
      const claim: SeenClaim = { claimKey, token: randomUUID(), until: new Date(now.getTime() + ttlMs).toISOString() };
      claims.set(claimKey, claim);
      return { claim: { ...claim }, seen: findSeen(query) };
    },
    releaseSeen(claim) {
      if (claims.get(claim.claimKey)?.token === claim.token) claims.delete(claim.claimKey);
    },
  };
}

function createSyncMemoryIngestState(): SyncIngestState {
  const sources = new Map<string, FeedSource>();
  const seen = new Map<string, SeenItem>();
  const byUrl = new Map<string, SeenItem>();
  const revisions = new Map<string, ArticleRevision[]>();
  const seenKey = (sourceId: string, key: string): string => `${sourceId}\u0000${key}`;
  const copy = <T extends object>(value: T): T => structuredClone(value);
  const findSeen = ({ sourceId, key, canonicalUrl }: SeenQuery): SeenItem | undefined => {
    const item = seen.get(seenKey(sourceId, key)) ?? (canonicalUrl ? byUrl.get(canonicalUrl) : undefined);
    return item ? copy(item) : undefined;
  };

  return {
    listSources: () => [...sources.values()].sort((a, b) => a.addedAt.localeCompare(b.addedAt)).map(copy),
    getSource: (id) => {
      const source = sources.get(id);
      return source ? copy(source) : undefined;
    },
    saveSource: (source) => {
      sources.set(source.id, copy(source));
    },
    removeSource: (id) => sources.delete(id),

    findSeen,
    ...createProcessClaims(findSeen),
    saveSeen(item) {
      const stored = copy(item);
      seen.set(seenKey(item.sourceId, item.key), stored);
      if (item.canonicalUrl) byUrl.set(item.canonicalUrl, stored);
    },
    countSeen(sourceId) {
      const counts: Record<SeenStatus, number> = { backlog: 0, delivered: 0, failed: 0 };
      for (const item of seen.values()) if (item.sourceId === sourceId) counts[item.status]++;
      return counts;
    },

    appendRevision(revision) {
      const list = revisions.get(revision.articleId) ?? [];
      if (list.some((r) => r.number === revision.number)) return false;
      list.push(copy(revision));
      list.sort((a, b) => a.number - b.number);
      revisions.set(revision.articleId, list);
      return true;
    },
    listRevisions: (articleId) => (revisions.get(articleId) ?? []).map(copy),
  };
}
