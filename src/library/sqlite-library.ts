import { basename, extname } from 'node:path';
import type { Briefing } from '../briefing/index.js';
import { storeOpenError, type Store } from '../store/store.js';
import type { AddedSince, AddResult, Library, LibraryEntry, ListQuery, QuoteHit, QuoteQuery } from './library.js';
import { fold, normaliseReference, speakerMatches, terms } from './search-text.js';

/**
 * The library on the SQLite store: briefings survive restarts, and quote lookup runs on an FTS5
 * index ranked by BM25, so nothing has to be loaded or indexed in memory at start-up and memory
 * does not grow with the archive. Behaves like the in-memory library (the contract test in
 * test/store runs the same cases against both); the one difference is the BM25 flavour: FTS5
 * gives a word found in most quotes no weight at all, where the in-memory index gives it a little.
 */

interface BriefingRow {
  position: number;
  id: string;
  title: string;
  published: string | null;
  ingested_at: string;
  content_hash: string;
  source: string | null;
  json: string;
}

interface QuoteRow {
  idx: number;
  text: string;
  speaker: string | null;
  role: string | null;
  sentence: number;
  position: number;
  id: string;
  title: string;
  published: string | null;
  rank: number;
}

/** The speaker bonus the in-memory index adds when the words typed are the speaker's name. */
const SPEAKER_BONUS = 10;
/** How many candidates each FTS query hands to the final ranking. */
const CANDIDATES = 500;

function sortKey(entry: LibraryEntry): string {
  return entry.briefing.byline.published ?? entry.ingestedAt;
}

function searchText(b: Briefing): string {
  return fold([b.title, b.tldr, b.id, ...b.tags].join(' '));
}

function sourceKey(source: string | undefined): string | null {
  return source ? fold(basename(source, extname(source))) : null;
}

/** An FTS5 query over folded words: each word quoted so no word is read as an operator. */
function phrase(word: string, prefix = false): string {
  return `"${word.replace(/"/g, '""')}"${prefix ? '*' : ''}`;
}

/**
 * Statements are prepared here, so a damaged quote index or table is found now ("vtable
 * constructor failed: quotes_fts"), and reported as a damaged store naming the file.
 */
export function createSqliteLibrary(store: Store): Library {
  try {
    return buildSqliteLibrary(store);
  } catch (error) {
    throw storeOpenError(store.path, error);
  }
}

function buildSqliteLibrary(store: Store): Library {
  const db = store.db;
  const entryCache = new Map<number, { json: string; entry: LibraryEntry }>();

  const selectById = db.prepare<[string], BriefingRow>('SELECT * FROM briefings WHERE id = ?');
  const selectByPosition = db.prepare<[number], BriefingRow>('SELECT * FROM briefings WHERE position = ?');
  const insertBriefing = db.prepare(`
    INSERT INTO briefings (id, title, published, sort_key, ingested_at, content_hash, source, source_key, search_text, json)
    VALUES (@id, @title, @published, @sortKey, @ingestedAt, @contentHash, @source, @sourceKey, @searchText, @json)`);
  const updateBriefing = db.prepare(`
    UPDATE briefings SET title = @title, published = @published, sort_key = @sortKey, content_hash = @contentHash, source = @source,
      source_key = @sourceKey, search_text = @searchText, json = @json
    WHERE position = @position`);
  const quotesOf = db.prepare<[number], { quote_id: number }>('SELECT quote_id FROM quotes WHERE position = ?');
  const deleteQuotes = db.prepare('DELETE FROM quotes WHERE position = ?');
  const deleteQuoteFts = db.prepare('DELETE FROM quotes_fts WHERE rowid = ?');
  const insertQuote = db.prepare('INSERT INTO quotes (position, idx, speaker, text, role, sentence) VALUES (?, ?, ?, ?, ?, ?)');
  const insertQuoteFts = db.prepare('INSERT INTO quotes_fts (rowid, words, speaker) VALUES (?, ?, ?)');
  const newest = 'ORDER BY sort_key DESC, ingested_at DESC, id ASC';
  const listAll = db.prepare<[number, number], BriefingRow>(`SELECT * FROM briefings ${newest} LIMIT ? OFFSET ?`);
  const countAll = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM briefings');
  const idsNewest = db.prepare<[], { position: number; id: string; title: string; source_key: string | null; search_text: string }>(
    `SELECT position, id, title, source_key, search_text FROM briefings ${newest}`,
  );
  const byPrefix = db.prepare<[{ prefix: string }], BriefingRow>(`SELECT * FROM briefings WHERE substr(id, 1, length(@prefix)) = @prefix ${newest} LIMIT 1`);
  const bySourceKey = db.prepare<[string], BriefingRow>(`SELECT * FROM briefings WHERE source_key = ? ${newest} LIMIT 1`);
  const maxPosition = db.prepare<[], { p: number | null }>('SELECT MAX(position) AS p FROM briefings');
  const since = db.prepare<[number, number], BriefingRow>('SELECT * FROM briefings WHERE position > ? ORDER BY position LIMIT ?');
  const speakerCounts = db.prepare<[], { speaker: string; n: number }>('SELECT speaker, COUNT(*) AS n FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker');

  const toEntry = (row: BriefingRow): LibraryEntry => {
    const cached = entryCache.get(row.position);
    if (cached && cached.json === row.json) return cached.entry;
    // The whole entry is kept as JSON, so fields added to LibraryEntry later (revision records)
    // survive without a migration; the columns are only what queries need.
    const entry = JSON.parse(row.json) as LibraryEntry;
    // A small cache: the same few recent briefings are read over and over (digests, /brief).
    if (entryCache.size >= 256) entryCache.delete(entryCache.keys().next().value!);
    entryCache.set(row.position, { json: row.json, entry });
    return entry;
  };

  const indexQuotes = (position: number, briefing: Briefing): void => {
    for (const { quote_id } of quotesOf.all(position)) deleteQuoteFts.run(quote_id);
    deleteQuotes.run(position);
    briefing.quotes.forEach((q, idx) => {
      const id = Number(insertQuote.run(position, idx, q.speaker ?? null, q.text, q.role ?? null, q.sentence).lastInsertRowid);
      insertQuoteFts.run(id, terms(q.text).join(' '), q.speaker ? terms(q.speaker).join(' ') : '');
    });
  };

  const add = db.transaction((entry: LibraryEntry): AddResult => {
    const id = entry.briefing.id;
    const existing = selectById.get(id);
    if (existing && existing.content_hash === entry.contentHash) return { id, status: 'unchanged' };
    // An update keeps the first ingestion time, as the in-memory library does.
    const stored: LibraryEntry = existing ? { ...entry, ingestedAt: existing.ingested_at } : entry;
    const params = {
      id,
      title: entry.briefing.title,
      published: entry.briefing.byline.published ?? null,
      sortKey: sortKey(stored),
      ingestedAt: stored.ingestedAt,
      contentHash: entry.contentHash,
      source: entry.source ?? null,
      sourceKey: sourceKey(entry.source),
      searchText: searchText(entry.briefing),
      json: JSON.stringify(stored),
    };
    if (existing) {
      updateBriefing.run({ ...params, position: existing.position });
      indexQuotes(existing.position, entry.briefing);
      return { id, status: 'updated' };
    }
    const position = Number(insertBriefing.run(params).lastInsertRowid);
    indexQuotes(position, entry.briefing);
    return { id, status: 'added' };
  });

  const get = (id: string): LibraryEntry | undefined => {
    const row = selectById.get(id);
    return row ? toEntry(row) : undefined;
  };

  const find = (reference: string): LibraryEntry | undefined => {
    const ref = reference.trim();
    if (!ref) return undefined;
    const exact = get(ref);
    if (exact) return exact;
    const wanted = normaliseReference(ref);
    const byId = get(wanted);
    if (byId) return byId;
    const byFile = bySourceKey.get(fold(ref));
    if (byFile) return toEntry(byFile);
    if (wanted) {
      const prefixed = byPrefix.get({ prefix: wanted });
      if (prefixed) return toEntry(prefixed);
    }
    const words = terms(ref);
    if (words.length === 0) return undefined;
    for (const row of idsNewest.iterate()) {
      const titleTerms = new Set(terms(row.title + ' ' + row.id));
      if (words.every((w) => titleTerms.has(w) || [...titleTerms].some((t) => t.startsWith(w) && w.length >= 3))) {
        return toEntry(selectByPosition.get(row.position)!);
      }
    }
    return undefined;
  };

  const list = (query: ListQuery = {}): { items: LibraryEntry[]; total: number } => {
    const offset = Math.max(0, query.offset ?? 0);
    const limit = Math.max(1, query.limit ?? 10);
    if (!query.query?.trim()) {
      return { items: listAll.all(limit, offset).map(toEntry), total: countAll.get()!.n };
    }
    const words = terms(query.query);
    const conditions = words.map(() => 'instr(search_text, ?) > 0').join(' AND ') || '1';
    const rows = db.prepare<unknown[], BriefingRow>(`SELECT * FROM briefings WHERE ${conditions} ${newest}`).all(...words);
    return { items: rows.slice(offset, offset + limit).map(toEntry), total: rows.length };
  };

  const hitOf = (row: QuoteRow, score: number): QuoteHit => {
    const hit: QuoteHit = { quote: row.text, articleId: row.id, articleTitle: row.title, sentence: row.sentence, score };
    if (row.speaker) hit.speaker = row.speaker;
    if (row.role) hit.role = row.role;
    if (row.published) hit.published = row.published;
    return hit;
  };

  const searchQuotes = (query: QuoteQuery): QuoteHit[] => {
    const limit = Math.max(1, query.limit ?? 5);
    const filters: string[] = [];
    const params: unknown[] = [];
    if (query.article) {
      const article = find(query.article);
      if (!article) return [];
      filters.push('b.id = ?');
      params.push(article.briefing.id);
    }
    const speakerWords = query.speaker ? terms(query.speaker) : [];
    if (query.speaker && speakerWords.length === 0) return [];
    const speakerMatch = speakerWords.map((w) => `speaker : ${phrase(w, w.length >= 3)}`).join(' AND ');
    const words = query.query ? terms(query.query) : [];
    const where = filters.length ? `AND ${filters.join(' AND ')}` : '';

    const run = (match: string | undefined, order: string): QuoteRow[] => {
      const columns = 'q.idx, q.text, q.speaker, q.role, q.sentence, q.position, b.id, b.title, b.published';
      const sql = match
        ? `SELECT ${columns}, bm25(quotes_fts, 1.0, 0.0) AS rank
             FROM quotes_fts JOIN quotes q ON q.quote_id = quotes_fts.rowid JOIN briefings b ON b.position = q.position
            WHERE quotes_fts MATCH ? ${where} ${order} LIMIT ${CANDIDATES}`
        : `SELECT ${columns}, 0 AS rank FROM quotes q JOIN briefings b ON b.position = q.position WHERE 1 ${where} LIMIT ${CANDIDATES * 20}`;
      return db.prepare<unknown[], QuoteRow>(sql).all(...(match ? [match, ...params] : params));
    };

    const candidates = new Map<string, QuoteRow>();
    const collect = (rows: QuoteRow[]): void => {
      for (const row of rows) {
        const key = `${row.position}:${row.idx}`;
        const seen = candidates.get(key);
        if (!seen || row.rank < seen.rank) candidates.set(key, row);
      }
    };
    const restrict = (match: string): string => (speakerMatch ? `(${match}) AND (${speakerMatch})` : match);
    if (words.length > 0) {
      collect(run(restrict(`words : (${words.map((w) => phrase(w)).join(' OR ')})`), 'ORDER BY rank'));
      // The words typed may be the speaker's name: "/quote peskov".
      collect(run(restrict(words.map((w) => `speaker : ${phrase(w, w.length >= 3)}`).join(' AND ')), ''));
    } else {
      collect(run(speakerMatch || undefined, ''));
    }

    const hits: QuoteHit[] = [];
    for (const row of candidates.values()) {
      // FTS5 prefixes are looser than the rules people expect; the shared matcher has the last word.
      if (query.speaker && !speakerMatches(query.speaker, row.speaker ?? undefined)) continue;
      let score = -row.rank;
      if (query.query && speakerMatches(query.query, row.speaker ?? undefined)) score += SPEAKER_BONUS;
      if (words.length > 0 && score <= 0) continue;
      hits.push(hitOf(row, score));
    }
    hits.sort((a, b) => b.score - a.score || (b.published ?? '').localeCompare(a.published ?? '') || a.sentence - b.sentence);
    return hits.slice(0, limit);
  };

  const speakers = (prefix = '', limit = 25): string[] => {
    const wanted = fold(prefix);
    return speakerCounts
      .all()
      .filter((r) => !wanted || fold(r.speaker).includes(wanted))
      .sort((a, b) => b.n - a.n || a.speaker.localeCompare(b.speaker))
      .slice(0, limit)
      .map((r) => r.speaker);
  };

  const suggestArticles = (prefix: string, limit = 25): Array<{ id: string; title: string }> => {
    const wanted = fold(prefix.trim());
    const normalised = normaliseReference(prefix);
    const out: Array<{ id: string; title: string }> = [];
    for (const row of idsNewest.iterate()) {
      if (out.length >= limit) break;
      if (!wanted || row.id.includes(normalised) || fold(row.title).includes(wanted)) out.push({ id: row.id, title: row.title });
    }
    return out;
  };

  const addedSince = (position: number, limit?: number): AddedSince => {
    const take = limit === undefined ? -1 : Math.max(0, limit);
    const rows = since.all(Math.max(0, position), take === -1 ? -1 : take + 1);
    const more = take !== -1 && rows.length > take;
    const kept = more ? rows.slice(0, take) : rows;
    const last = kept[kept.length - 1];
    return { items: kept.map(toEntry), position: last ? last.position : Math.max(0, position), more };
  };

  return {
    add,
    get,
    find,
    list,
    latest: () => list({ limit: 1 }).items[0],
    searchQuotes,
    speakers,
    suggestArticles,
    get size() {
      return countAll.get()!.n;
    },
    get position() {
      return maxPosition.get()!.p ?? 0;
    },
    addedSince,
  };
}
