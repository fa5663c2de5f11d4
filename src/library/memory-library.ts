import { basename, extname } from 'node:path';
import type { Article } from '../articles/article.js';
import { asyncLibrary, sortNewestFirst, type SyncLibrary, type AddedSince, type AddResult, type EntryOrigin, type Library, type LibraryEntry, type ListQuery, type QuoteHit, type QuoteQuery } from './library.js';
import { fold, normaliseReference, speakerMatches, terms } from './search-text.js';

/**
 * A library held in memory: what the console chat and the tests use, and the index the
 * command line builds over `briefings/`. Quote lookup ranks by BM25 over the quote's words and
 * its speaker's name.
 */

interface IndexedQuote {
  entry: LibraryEntry;
  index: number;
  terms: Map<string, number>;
  length: number;
}

const K1 = 1.2;
const B = 0.75;


export function createMemoryLibrary(): Library {
  return asyncLibrary(createSyncMemoryLibrary());
}

function createSyncMemoryLibrary(): SyncLibrary {
  const entries = new Map<string, LibraryEntry>();
  const origins = new Map<string, Article>();
  /** Ids in the order they were first added: an id's position is its index + 1. */
  const added: string[] = [];
  // Quotes indexed per article, so adding or replacing one article touches only its own quotes.
  const quotesByArticle = new Map<string, IndexedQuote[]>();
  let flat: IndexedQuote[] | undefined;
  const allQuotes = (): IndexedQuote[] => (flat ??= [...quotesByArticle.values()].flat());

  const indexQuotes = (entry: LibraryEntry): void => {
    const quotes: IndexedQuote[] = [];
    quotesByArticle.set(entry.briefing.id, quotes);
    flat = undefined;
    entry.briefing.quotes.forEach((q, index) => {
      const counts = new Map<string, number>();
      const words = terms(q.text);
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
      quotes.push({ entry, index, terms: counts, length: words.length });
    });
  };

  const library: SyncLibrary = {
    add(entry: LibraryEntry, origin?: EntryOrigin): AddResult {
      const id = entry.briefing.id;
      const existing = entries.get(id);
      if (origin && (!existing || existing.contentHash !== entry.contentHash || !origins.has(id))) origins.set(id, origin.article);
      if (existing && existing.contentHash === entry.contentHash) return { id, status: 'unchanged' };
      const stored = existing ? { ...entry, ingestedAt: existing.ingestedAt } : entry;
      entries.set(id, stored);
      if (!existing) added.push(id);
      indexQuotes(stored);
      return { id, status: existing ? 'updated' : 'added' };
    },

    get: (id) => entries.get(id),

    find(reference: string): LibraryEntry | undefined {
      const ref = reference.trim();
      if (!ref) return undefined;
      const exact = entries.get(ref);
      if (exact) return exact;
      const wanted = normaliseReference(ref);
      const all = [...entries.values()].sort(sortNewestFirst);
      const byId = all.find((e) => e.briefing.id === wanted);
      if (byId) return byId;
      const byFile = all.find((e) => e.source && fold(basename(e.source, extname(e.source))) === fold(ref));
      if (byFile) return byFile;
      const prefixed = all.filter((e) => e.briefing.id.startsWith(wanted));
      if (prefixed.length >= 1) return prefixed[0];
      const words = terms(ref);
      if (words.length === 0) return undefined;
      return all.find((e) => {
        const titleTerms = new Set(terms(e.briefing.title + ' ' + e.briefing.id));
        return words.every((w) => titleTerms.has(w) || [...titleTerms].some((t) => t.startsWith(w) && w.length >= 3));
      });
    },

    list(query: ListQuery = {}): { items: LibraryEntry[]; total: number } {
      let all = [...entries.values()].sort(sortNewestFirst);
      if (query.query?.trim()) {
        const words = terms(query.query);
        all = all.filter((e) => {
          const hay = fold([e.briefing.title, e.briefing.tldr, e.briefing.id, ...e.briefing.tags].join(' '));
          return words.every((w) => hay.includes(w));
        });
      }
      const offset = Math.max(0, query.offset ?? 0);
      const limit = Math.max(1, query.limit ?? 10);
      return { items: all.slice(offset, offset + limit), total: all.length };
    },

    latest(): LibraryEntry | undefined {
      return [...entries.values()].sort(sortNewestFirst)[0];
    },

    searchQuotes(query: QuoteQuery): QuoteHit[] {
      const limit = Math.max(1, query.limit ?? 5);
      let pool = allQuotes();
      if (query.article) {
        const article = library.find(query.article);
        if (!article) return [];
        pool = pool.filter((q) => q.entry === article);
      }
      if (query.speaker) pool = pool.filter((q) => speakerMatches(query.speaker!, q.entry.briefing.quotes[q.index]!.speaker));
      const words = query.query ? terms(query.query) : [];
      const n = pool.length || 1;
      const avgLength = pool.reduce((sum, q) => sum + q.length, 0) / n || 1;
      const df = new Map<string, number>();
      for (const w of new Set(words)) df.set(w, pool.filter((q) => q.terms.has(w)).length);
      const hits: QuoteHit[] = [];
      for (const q of pool) {
        const quote = q.entry.briefing.quotes[q.index]!;
        let score = 0;
        for (const w of words) {
          const tf = q.terms.get(w) ?? 0;
          if (tf === 0) continue;
          const idf = Math.log(1 + (n - (df.get(w) ?? 0) + 0.5) / ((df.get(w) ?? 0) + 0.5));
          score += (idf * (tf * (K1 + 1))) / (tf + K1 * (1 - B + (B * q.length) / avgLength));
        }
        // The words typed may be the speaker's name: "/quote peskov".
        if (query.query && speakerMatches(query.query, quote.speaker)) score += 10;
        if (words.length > 0 && score === 0) continue;
        const hit: QuoteHit = {
          quote: quote.text,
          articleId: q.entry.briefing.id,
          articleTitle: q.entry.briefing.title,
          sentence: quote.sentence,
          score,
        };
        if (quote.speaker) hit.speaker = quote.speaker;
        if (quote.role) hit.role = quote.role;
        if (quote.source) hit.source = quote.source;
        const published = q.entry.briefing.byline.published;
        if (published) hit.published = published;
        hits.push(hit);
      }
      hits.sort((a, b) => b.score - a.score || (b.published ?? '').localeCompare(a.published ?? '') || a.sentence - b.sentence);
      return hits.slice(0, limit);
    },

    speakers(prefix = '', limit = 25): string[] {
      const counts = new Map<string, number>();
      for (const q of allQuotes()) {
        const speaker = q.entry.briefing.quotes[q.index]!.speaker;
        if (!speaker) continue;
        if (prefix && !fold(speaker).includes(fold(prefix))) continue;
        counts.set(speaker, (counts.get(speaker) ?? 0) + 1);
      }
      return [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, limit)
        .map(([name]) => name);
    },

    suggestArticles(prefix: string, limit = 25): Array<{ id: string; title: string }> {
      const wanted = fold(prefix.trim());
      return [...entries.values()]
        .sort(sortNewestFirst)
        .filter((e) => !wanted || e.briefing.id.includes(normaliseReference(prefix)) || fold(e.briefing.title).includes(wanted))
        .slice(0, limit)
        .map((e) => ({ id: e.briefing.id, title: e.briefing.title }));
    },

    get size() {
      return entries.size;
    },

    get position() {
      return added.length;
    },

    addedSince(position: number, limit?: number): AddedSince {
      const start = Math.max(0, Math.min(position, added.length));
      const end = limit === undefined ? added.length : Math.min(added.length, start + Math.max(0, limit));
      return { items: added.slice(start, end).map((id) => entries.get(id)!), position: end, more: end < added.length };
    },

    articles(ids: readonly string[]): Map<string, Article> {
      const found = new Map<string, Article>();
      for (const id of ids) {
        const article = origins.get(id);
        if (article) found.set(id, article);
      }
      return found;
    },
  };
  return library;
}

