import { basename, extname } from 'node:path';
import type { Briefing } from '../briefing/index.js';
import type { LibraryEntry } from './library.js';
import { fold } from './search-text.js';

/**
 * What the two database libraries (SQLite and PostgreSQL) derive from an entry to store beside
 * it, and the constants of their quote ranking: one definition, so both list, filter and rank
 * alike (the library contract suite checks they answer the same).
 */

/** The speaker bonus the in-memory index adds when the words typed are the speaker's name. */
export const SPEAKER_BONUS = 10;
/** How many candidates each full-text query hands to the final ranking. */
export const QUOTE_CANDIDATES = 500;

/** Published date, else ingestion time: the "newest first" order of every listing. */
export function sortKey(entry: LibraryEntry): string {
  return entry.briefing.byline.published ?? entry.ingestedAt;
}

/** Folded title, TL;DR, id and tags, for listing filters. */
export function searchText(b: Briefing): string {
  return fold([b.title, b.tldr, b.id, ...b.tags].join(' '));
}

/** The folded file name of the source without extension, for "find by file name". */
export function sourceKey(source: string | undefined): string | null {
  return source ? fold(basename(source, extname(source))) : null;
}
