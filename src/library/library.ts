import type { Briefing } from '../briefing/index.js';

/**
 * The library holds every briefing briefbot has made and answers the lookups the commands
 * need. It is an interface so that the in-memory index (console, tests) and the SQLite store
 * (digests, restarts) answer the same way.
 */

export interface LibraryEntry {
  briefing: Briefing;
  /** When briefbot first ingested this article (ISO 8601). */
  ingestedAt: string;
  /** SHA-256 of the article's text, to recognise an unchanged re-ingest. */
  contentHash: string;
  /** Where it came from: a file path, a feed item URL, "stdin". */
  source?: string;
}

export interface AddResult {
  id: string;
  status: 'added' | 'updated' | 'unchanged';
}

export interface QuoteHit {
  quote: string;
  speaker?: string;
  role?: string;
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

export interface Library {
  /** Stores a briefing; an unchanged re-ingest is a no-op and an update keeps the first ingestion time and position. */
  add(entry: LibraryEntry): AddResult;
  get(id: string): LibraryEntry | undefined;
  /** Resolves what a person typed: an id, a unique id prefix, a file name, or words of the title. */
  find(reference: string): LibraryEntry | undefined;
  /** Newest first (by publication date, then ingestion). */
  list(query?: ListQuery): { items: LibraryEntry[]; total: number };
  latest(): LibraryEntry | undefined;
  searchQuotes(query: QuoteQuery): QuoteHit[];
  /** Known speakers, most quoted first, optionally starting with or containing `prefix`. */
  speakers(prefix?: string, limit?: number): string[];
  /** Articles whose id or title match what was typed so far, for autocomplete. */
  suggestArticles(prefix: string, limit?: number): Array<{ id: string; title: string }>;
  readonly size: number;
  /** How far ingestion has got: grows by one for every briefing added (not for updates); 0 when empty. */
  readonly position: number;
  /** Briefings first added after `position`, oldest first, at most `limit` (default all). */
  addedSince(position: number, limit?: number): AddedSince;
}
