import type { Logger } from 'pino';
import { ArticleSchema, type Article } from '../articles/article.js';
import { BRIEFING_SCHEMA_VERSION, ENGINE_VERSION, type Briefing } from '../briefing/index.js';
import { describeError } from '../errors.js';
import { storeOpenError, type Store } from '../store/store.js';
import { asyncLibrary, LibraryEntrySchema, type AddedSince, type AddResult, type EntryOrigin, type Library, type LibraryEntry, type ListQuery, type QuoteHit, type QuoteQuery } from './library.js';
import { fold, normaliseReference, speakerMatches, terms } from './search-text.js';
import { QUOTE_CANDIDATES, searchText, sortKey, sourceKey, SPEAKER_BONUS } from './stored-row.js';

/**
 * The library on the SQLite store: briefings survive restarts, and quote lookup runs on an FTS5
 * index ranked by BM25, so nothing has to be loaded or indexed in memory at start-up and memory
 * does not grow with the archive. Behaves like the in-memory library (the contract test in
 * test/store runs the same cases against both); the one difference is the BM25 flavour: FTS5
 * gives a word found in most quotes no weight at all, where the in-memory index gives it a little.
 *
 * Briefings are versioned: each row records the ENGINE_VERSION and BRIEFING_SCHEMA_VERSION that
 * made it and the article it was made from, so briefings made by an older engine can be found and
 * made again (ingest/rebrief.ts). Every read is validated against LibraryEntrySchema: an invalid row
 * is reported once, left out of answers, and handed to the re-briefing.
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
  engine_version: number | null;
  schema_version: number | null;
  article: string | null;
}

/** A stored briefing as re-briefing sees it. */
export interface StoredBriefing {
  position: number;
  id: string;
  contentHash: string;
  source?: string;
  /** The article it was made from, when the store kept it (rows stored before version 4 did not). */
  article?: Article;
  /** Made by an older engine or schema, or invalid: re-briefing should make it again. */
  outdated: boolean;
}

/** The SQLite library, with what re-briefing needs beside the Library port. */
export interface SqliteLibrary extends Library {
  /** Positions of the briefings to make again (older engine, older schema, or found invalid), newest first. */
  outdatedPositions(): number[];
  stored(position: number): StoredBriefing | undefined;
  /**
   * Replaces a row's briefing with one made again from the same article, keeping its position,
   * ingestion time, source and revision record. Refused (false) when the row is gone or its article
   * changed since `contentHash` was read: a newer ingest already wrote a current briefing.
   */
  replaceBriefing(position: number, made: { contentHash: string; briefing: Briefing; article: Article }): boolean;
  /** Calls `listener` with the position of each invalid row as reads find it (once per row); returns the unsubscribe. */
  onInvalid(listener: (position: number) => void): () => void;
}

export interface SqliteLibraryOptions {
  /** Where an invalid row is reported (with its id, once). */
  logger?: Logger;
}

interface QuoteRow {
  idx: number;
  text: string;
  speaker: string | null;
  role: string | null;
  source: string | null;
  sentence: number;
  position: number;
  id: string;
  title: string;
  published: string | null;
  rank: number;
}

/** An FTS5 query over folded words: each word quoted so no word is read as an operator. */
function phrase(word: string, prefix = false): string {
  return `"${word.replace(/"/g, '""')}"${prefix ? '*' : ''}`;
}

/**
 * Statements are prepared here, so a damaged quote index or table is found now ("vtable
 * constructor failed: quotes_fts"), and reported as a damaged store naming the file.
 */
export function createSqliteLibrary(store: Store, options: SqliteLibraryOptions = {}): SqliteLibrary {
  try {
    return buildSqliteLibrary(store, options);
  } catch (error) {
    throw storeOpenError(store.path, error);
  }
}

function buildSqliteLibrary(store: Store, options: SqliteLibraryOptions): SqliteLibrary {
  const db = store.db;
  const entryCache = new Map<number, { json: string; entry: LibraryEntry }>();
  /** Rows found invalid, by position, with the stored JSON that was: a rewrite clears them. */
  const invalid = new Map<number, string>();
  const invalidListeners = new Set<(position: number) => void>();

  const selectById = db.prepare<[string], BriefingRow>('SELECT * FROM briefings WHERE id = ?');
  const selectByPosition = db.prepare<[number], BriefingRow>('SELECT * FROM briefings WHERE position = ?');
  const insertBriefing = db.prepare(`
    INSERT INTO briefings (id, title, published, sort_key, ingested_at, content_hash, source, source_key, search_text, json, engine_version, schema_version, article)
    VALUES (@id, @title, @published, @sortKey, @ingestedAt, @contentHash, @source, @sourceKey, @searchText, @json, @engineVersion, @schemaVersion, @article)`);
  const updateBriefing = db.prepare(`
    UPDATE briefings SET title = @title, published = @published, sort_key = @sortKey, content_hash = @contentHash, source = @source,
      source_key = @sourceKey, search_text = @searchText, json = @json, engine_version = @engineVersion, schema_version = @schemaVersion, article = @article
    WHERE position = @position`);
  const fillArticle = db.prepare('UPDATE briefings SET article = ? WHERE position = ? AND article IS NULL');
  const quotesOf = db.prepare<[number], { quote_id: number }>('SELECT quote_id FROM quotes WHERE position = ?');
  const deleteQuotes = db.prepare('DELETE FROM quotes WHERE position = ?');
  const deleteQuoteFts = db.prepare('DELETE FROM quotes_fts WHERE rowid = ?');
  const insertQuote = db.prepare('INSERT INTO quotes (position, idx, speaker, text, role, source, sentence) VALUES (?, ?, ?, ?, ?, ?, ?)');
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
  const outdated = db.prepare<[{ engine: number; schema: number; invalid: string }], { position: number }>(`
    SELECT position FROM briefings
     WHERE engine_version IS NULL OR engine_version < @engine OR schema_version IS NULL OR schema_version < @schema
        OR position IN (SELECT value FROM json_each(@invalid))
     ${newest}`);

  const isOutdated = (row: BriefingRow): boolean =>
    row.engine_version === null || row.engine_version < ENGINE_VERSION || row.schema_version === null || row.schema_version < BRIEFING_SCHEMA_VERSION || invalid.get(row.position) === row.json;

  /** The entry a row holds if it is valid, else why not. */
  const parseEntry = (row: BriefingRow): { entry: LibraryEntry } | { problem: string } => {
    let value: unknown;
    try {
      value = JSON.parse(row.json);
    } catch (error) {
      return { problem: `not JSON: ${describeError(error)}` };
    }
    const parsed = LibraryEntrySchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { problem: `${issue.path.join('.') || 'entry'}: ${issue.message}` };
    }
    return { entry: parsed.data as LibraryEntry };
  };

  const reportInvalid = (row: BriefingRow, problem: string): void => {
    if (invalid.get(row.position) === row.json) return;
    invalid.set(row.position, row.json);
    options.logger?.warn({ articleId: row.id, position: row.position, problem }, 'a stored briefing is invalid: it is left out of answers until it is re-briefed from its article');
    for (const listener of invalidListeners) listener(row.position);
  };

  /** The row's entry, or undefined when the row is invalid (reported, and left for re-briefing). */
  const toEntry = (row: BriefingRow): LibraryEntry | undefined => {
    const cached = entryCache.get(row.position);
    if (cached && cached.json === row.json) return cached.entry;
    // The whole entry is kept as JSON, so fields added to LibraryEntry later (revision records)
    // survive without a migration; the columns are only what queries need.
    const parsed = parseEntry(row);
    if ('problem' in parsed) {
      reportInvalid(row, parsed.problem);
      return undefined;
    }
    const entry = parsed.entry;
    // A small cache: the same few recent briefings are read over and over (digests, /brief).
    if (entryCache.size >= 256) entryCache.delete(entryCache.keys().next().value!);
    entryCache.set(row.position, { json: row.json, entry });
    return entry;
  };

  /** The valid entries among rows, in their order. */
  const entriesOf = (rows: BriefingRow[]): LibraryEntry[] => rows.map(toEntry).filter((e): e is LibraryEntry => e !== undefined);

  /** The newest valid entry: an invalid newest row does not hide the one before it. */
  const latest = (): LibraryEntry | undefined => {
    for (let offset = 0; ; offset += 16) {
      const rows = listAll.all(16, offset);
      if (rows.length === 0) return undefined;
      const entry = entriesOf(rows)[0];
      if (entry) return entry;
    }
  };

  const indexQuotes = (position: number, briefing: Briefing): void => {
    for (const { quote_id } of quotesOf.all(position)) deleteQuoteFts.run(quote_id);
    deleteQuotes.run(position);
    briefing.quotes.forEach((q, idx) => {
      const id = Number(insertQuote.run(position, idx, q.speaker ?? null, q.text, q.role ?? null, q.source ?? null, q.sentence).lastInsertRowid);
      insertQuoteFts.run(id, terms(q.text).join(' '), q.speaker ? terms(q.speaker).join(' ') : '');
    });
  };

  const add = db.transaction((entry: LibraryEntry, origin?: EntryOrigin): AddResult => {
    const id = entry.briefing.id;
    const existing = selectById.get(id);
    if (existing && existing.content_hash === entry.contentHash) {
      // A row from before articles were kept gets its article: it can then be re-briefed without its source.
      if (origin && existing.article === null) fillArticle.run(JSON.stringify(origin.article), existing.position);
      return { id, status: 'unchanged' };
    }
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
      engineVersion: ENGINE_VERSION,
      schemaVersion: BRIEFING_SCHEMA_VERSION,
      article: origin ? JSON.stringify(origin.article) : null,
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

  const stored = (position: number): StoredBriefing | undefined => {
    const row = selectByPosition.get(position);
    if (!row) return undefined;
    // Checked here too, so a row re-briefing reaches before any read does is reported like one a read finds.
    if (!isOutdated(row)) toEntry(row);
    const result: StoredBriefing = { position, id: row.id, contentHash: row.content_hash, outdated: isOutdated(row) };
    if (row.source !== null) result.source = row.source;
    if (row.article !== null) {
      try {
        result.article = ArticleSchema.parse(JSON.parse(row.article));
      } catch (error) {
        // Re-briefing falls back on the source, as for a row stored before articles were kept.
        options.logger?.warn({ articleId: row.id, position, problem: describeError(error) }, 'a stored article is invalid');
      }
    }
    return result;
  };

  const replaceBriefing = db.transaction((position: number, made: { contentHash: string; briefing: Briefing; article: Article }): boolean => {
    const row = selectByPosition.get(position);
    if (!row || row.content_hash !== made.contentHash || made.briefing.id !== row.id) return false;
    const previous = parseEntry(row);
    // What the old entry knew beyond its briefing is kept; an entry too damaged to read is rebuilt from the row's columns.
    const old: LibraryEntry = 'entry' in previous ? previous.entry : { briefing: made.briefing, ingestedAt: row.ingested_at, contentHash: row.content_hash, ...(row.source !== null ? { source: row.source } : {}) };
    const entry: LibraryEntry = { ...old, briefing: made.briefing, ingestedAt: row.ingested_at, contentHash: row.content_hash };
    updateBriefing.run({
      position,
      title: made.briefing.title,
      published: made.briefing.byline.published ?? null,
      sortKey: sortKey(entry),
      contentHash: row.content_hash,
      source: row.source,
      sourceKey: row.source === null ? null : sourceKey(row.source),
      searchText: searchText(made.briefing),
      json: JSON.stringify(entry),
      engineVersion: ENGINE_VERSION,
      schemaVersion: BRIEFING_SCHEMA_VERSION,
      article: JSON.stringify(made.article),
    });
    indexQuotes(position, made.briefing);
    invalid.delete(position);
    return true;
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
    const fromFile = byFile && toEntry(byFile);
    if (fromFile) return fromFile;
    if (wanted) {
      const prefixed = byPrefix.get({ prefix: wanted });
      const fromPrefix = prefixed && toEntry(prefixed);
      if (fromPrefix) return fromPrefix;
    }
    const words = terms(ref);
    if (words.length === 0) return undefined;
    for (const row of idsNewest.iterate()) {
      const titleTerms = new Set(terms(row.title + ' ' + row.id));
      if (words.every((w) => titleTerms.has(w) || [...titleTerms].some((t) => t.startsWith(w) && w.length >= 3))) {
        const entry = toEntry(selectByPosition.get(row.position)!);
        if (entry) return entry;
      }
    }
    return undefined;
  };

  const list = (query: ListQuery = {}): { items: LibraryEntry[]; total: number } => {
    const offset = Math.max(0, query.offset ?? 0);
    const limit = Math.max(1, query.limit ?? 10);
    if (!query.query?.trim()) {
      return { items: entriesOf(listAll.all(limit, offset)), total: countAll.get()!.n };
    }
    const words = terms(query.query);
    const conditions = words.map(() => 'instr(search_text, ?) > 0').join(' AND ') || '1';
    const rows = db.prepare<unknown[], BriefingRow>(`SELECT * FROM briefings WHERE ${conditions} ${newest}`).all(...words);
    return { items: entriesOf(rows.slice(offset, offset + limit)), total: rows.length };
  };

  const hitOf = (row: QuoteRow, score: number): QuoteHit => {
    const hit: QuoteHit = { quote: row.text, articleId: row.id, articleTitle: row.title, sentence: row.sentence, score };
    if (row.speaker) hit.speaker = row.speaker;
    if (row.role) hit.role = row.role;
    if (row.source) hit.source = row.source;
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
      const columns = 'q.idx, q.text, q.speaker, q.role, q.source, q.sentence, q.position, b.id, b.title, b.published';
      const sql = match
        ? `SELECT ${columns}, bm25(quotes_fts, 1.0, 0.0) AS rank
             FROM quotes_fts JOIN quotes q ON q.quote_id = quotes_fts.rowid JOIN briefings b ON b.position = q.position
            WHERE quotes_fts MATCH ? ${where} ${order} LIMIT ${QUOTE_CANDIDATES}`
        : `SELECT ${columns}, 0 AS rank FROM quotes q JOIN briefings b ON b.position = q.position WHERE 1 ${where} LIMIT ${QUOTE_CANDIDATES * 20}`;
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
    // An invalid row is skipped here for good (the cursor moves past it): a digest sends what is sound.
    return { items: entriesOf(kept), position: last ? last.position : Math.max(0, position), more };
  };

  const articleOf = db.prepare<[string], { article: string | null }>('SELECT article FROM briefings WHERE id = ?');
  const articles = (ids: readonly string[]): Map<string, Article> => {
    const found = new Map<string, Article>();
    for (const id of ids) {
      const row = articleOf.get(id);
      if (!row?.article) continue;
      const parsed = ArticleSchema.safeParse(JSON.parse(row.article));
      if (parsed.success) found.set(id, parsed.data);
      else options.logger?.warn({ articleId: id, problem: parsed.error.issues[0]?.message }, 'a stored article is invalid');
    }
    return found;
  };

  // better-sqlite3 answers at once: the port's promises are settled before anything else runs.
  const library = asyncLibrary({
    add,
    get,
    find,
    list,
    latest,
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
    articles,
  });
  return {
    add: library.add,
    get: library.get,
    find: library.find,
    list: library.list,
    latest: library.latest,
    searchQuotes: library.searchQuotes,
    speakers: library.speakers,
    suggestArticles: library.suggestArticles,
    get size() {
      return library.size;
    },
    get position() {
      return library.position;
    },
    addedSince: library.addedSince,
    articles: library.articles,
    outdatedPositions: () =>
      outdated.all({ engine: ENGINE_VERSION, schema: BRIEFING_SCHEMA_VERSION, invalid: JSON.stringify([...invalid.keys()]) }).map((r) => r.position),
    stored,
    replaceBriefing,
    onInvalid(listener) {
      invalidListeners.add(listener);
      return () => void invalidListeners.delete(listener);
    },
  };
}
