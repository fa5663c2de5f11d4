import { z } from 'zod';
import type { Article } from '../articles/article.js';
import { BriefingSchema, type Briefing } from '../briefing/index.js';

/**
 * The library holds every briefing briefbot has made and answers the lookups the commands
 * need. It is an interface so that the in-memory index (console, tests) and the SQLite store
 * (digests, restarts) answer the same way.
 */

/** What changed in an article since its previous revision, worked out by diffing the two briefings. */
export interface BriefingChanges {
  headline?: { before: string; after: string };
  tldr?: { before: string; after: string };
  /** A figure about the same thing whose value changed: "4,000 troops" → "6,000 troops". */
  figuresChanged: Array<{ before: string; after: string }>;
  figuresAdded: string[];
  figuresRemoved: string[];
  quotesAdded: Array<{ text: string; speaker?: string }>;
  quotesRemoved: Array<{ text: string; speaker?: string }>;
  keyPointsAdded: string[];
  /** Set when the length changed: an edit that touched none of the above still shows here. */
  wordCount?: { before: number; after: number };
}

/** Set on an entry once its article has been revised: which revision this is, when, and what changed. */
export interface EntryRevision {
  /** 2 for the first edit (the original is revision 1). */
  number: number;
  /** When briefbot saw this revision (ISO 8601). */
  revisedAt: string;
  /** The content hash of the revision this one replaced. */
  previousHash: string;
  changes: BriefingChanges;
}

export interface LibraryEntry {
  briefing: Briefing;
  /** When briefbot first ingested this article (ISO 8601). */
  ingestedAt: string;
  /** SHA-256 of the article's text, to recognise an unchanged re-ingest. */
  contentHash: string;
  /** Where it came from: a file path, a feed item URL, "stdin". */
  source?: string;
  /** Present when the article has been edited since briefbot first saw it; stores keep it with the entry. */
  revision?: EntryRevision;
}

/**
 * What a stored entry must look like to be served: the briefing in the engine's schema, and the
 * entry's own fields. A store validates every entry it reads against this, so a damaged or
 * out-of-shape row is found and reported instead of reaching a renderer.
 */
export const LibraryEntrySchema = z.looseObject({
  briefing: BriefingSchema,
  ingestedAt: z.string(),
  contentHash: z.string(),
  source: z.string().optional(),
  // Loose, as the entry itself: fields added later (to the revision record too) survive a read.
  revision: z.looseObject({ number: z.number().int().positive(), revisedAt: z.string(), previousHash: z.string() }).optional(),
});

/** What made an entry's briefing, for stores that keep it so the briefing can be made again. */
export interface EntryOrigin {
  /** The article as it was briefed (its id the entry's id). */
  article: Article;
}

export interface AddResult {
  id: string;
  status: 'added' | 'updated' | 'unchanged';
}

export interface QuoteHit {
  quote: string;
  speaker?: string;
  role?: string;
  /** Who the article says spoke, where it describes and does not name them ("one senior official"). */
  source?: string;
  articleId: string;
  articleTitle: string;
  published?: string;
  sentence: number;
  score: number;
}

export interface QuoteQuery {
  /** Words of the quote, or of the speaker's name. */
  query?: string;
  /** Only quotes by this speaker (case-insensitive; surname or full name). */
  speaker?: string;
  /** Only quotes from this article (id or a reference `find` accepts). */
  article?: string;
  limit?: number;
}

export interface ListQuery {
  query?: string;
  limit?: number;
  offset?: number;
}

/** Briefings in the order they were first added, from a position on (digests: "what is new"). */
export interface AddedSince {
  /** Oldest first. */
  items: LibraryEntry[];
  /** The position after the last item returned: pass it to the next call. */
  position: number;
  /** More were added after `position` than `limit` let through. */
  more: boolean;
}

/**
 * Every lookup answers with a promise: the library may sit on a database server (PostgreSQL) as
 * well as in this process (memory, SQLite), and one interface serves all three. `size` and
 * `position` stay properties, each read asking the store afresh.
 */
export interface Library {
  /**
   * Stores a briefing the running engine has just made; an unchanged re-ingest is a no-op and an
   * update keeps the first ingestion time and position. A store that outlives the engine keeps the
   * origin's article, to re-brief it when the engine improves (the in-memory library has no need).
   */
  add(entry: LibraryEntry, origin?: EntryOrigin): Promise<AddResult>;
  get(id: string): Promise<LibraryEntry | undefined>;
  /** Resolves what a person typed: an id, a unique id prefix, a file name, or words of the title. */
  find(reference: string): Promise<LibraryEntry | undefined>;
  /** Newest first (by publication date, then ingestion). */
  list(query?: ListQuery): Promise<{ items: LibraryEntry[]; total: number }>;
  latest(): Promise<LibraryEntry | undefined>;
  searchQuotes(query: QuoteQuery): Promise<QuoteHit[]>;
  /** Known speakers, most quoted first, optionally starting with or containing `prefix`. */
  speakers(prefix?: string, limit?: number): Promise<string[]>;
  /** Articles whose id or title match what was typed so far, for autocomplete. */
  suggestArticles(prefix: string, limit?: number): Promise<Array<{ id: string; title: string }>>;
  readonly size: Promise<number>;
  /** How far ingestion has got: grows by one for every briefing added (not for updates); 0 when empty. */
  readonly position: Promise<number>;
  /** Briefings first added after `position`, oldest first, at most `limit` (default all). */
  addedSince(position: number, limit?: number): Promise<AddedSince>;
  /**
   * The articles these briefings were made from (the latest revision), where the store kept them:
   * story grouping and the comparisons across outlets read the text, which a briefing does not hold.
   * Ids unknown, or stored without their article, are left out of the map.
   */
  articles(ids: readonly string[]): Promise<Map<string, Article>>;
}

/** A library whose answers are ready at once (memory, SQLite): the same methods, without the promises. */
export type SyncLibrary = Sync<Library>;
type Sync<T> = { [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K] extends Promise<infer R> ? R : T[K] };

/** The Library port over a synchronous implementation: the in-process stores answer at once. */
export function asyncLibrary(sync: SyncLibrary): Library {
  return {
    add: async (entry, origin) => sync.add(entry, origin),
    get: async (id) => sync.get(id),
    find: async (reference) => sync.find(reference),
    list: async (query) => sync.list(query),
    latest: async () => sync.latest(),
    searchQuotes: async (query) => sync.searchQuotes(query),
    speakers: async (prefix, limit) => sync.speakers(prefix, limit),
    suggestArticles: async (prefix, limit) => sync.suggestArticles(prefix, limit),
    get size() {
      return Promise.resolve(sync.size);
    },
    get position() {
      return Promise.resolve(sync.position);
    },
    addedSince: async (position, limit) => sync.addedSince(position, limit),
    articles: async (ids) => sync.articles(ids),
  };
}

/** The order every library lists in: newest publication first, then newest ingestion, then id. */
export function sortNewestFirst(a: LibraryEntry, b: LibraryEntry): number {
  const pa = a.briefing.byline.published ?? a.ingestedAt;
  const pb = b.briefing.byline.published ?? b.ingestedAt;
  if (pa !== pb) return pa < pb ? 1 : -1;
  if (a.ingestedAt !== b.ingestedAt) return a.ingestedAt < b.ingestedAt ? 1 : -1;
  return a.briefing.id < b.briefing.id ? -1 : 1;
}
