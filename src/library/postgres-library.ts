import type { Logger } from 'pino';
import { ArticleSchema, type Article } from '../articles/article.js';
import { BRIEFING_SCHEMA_VERSION, ENGINE_VERSION, type Briefing } from '../briefing/index.js';
import { inTransaction, type PostgresClient, type PostgresPool } from '../store/postgres/pool.js';
import { LibraryEntrySchema, type AddedSince, type AddResult, type EntryOrigin, type Library, type LibraryEntry, type ListQuery, type QuoteHit, type QuoteQuery } from './library.js';
import { fold, normaliseReference, speakerMatches, terms } from './search-text.js';
import { QUOTE_CANDIDATES, searchText, sortKey, sourceKey, SPEAKER_BONUS } from './stored-row.js';

/**
 * The library on PostgreSQL, for several replicas sharing one database. It answers as the SQLite
 * library does (the contract suite in test/store runs the same cases against memory, SQLite and a
 * real PostgreSQL server): the same folded terms are indexed, the same rules pick the candidates,
 * and the shared matcher (search-text.ts) has the last word on speakers.
 *
 * Quote search runs on two `tsvector` columns with GIN indexes, one for the quote's words and one
 * for the speaker's name. Both hold the library's own folded terms, written as tsvector values
 * with their positions rather than parsed by `to_tsvector`: the text search parser's idea of a
 * letter follows the server's locale, and a word it split or dropped would answer differently
 * from FTS5. For the same reason the queries are tsquery values of those terms (`'grain' | 'ships'`,
 * a name's words as prefixes `'zel':*`), not `websearch_to_tsquery` over what was typed.
 *
 * The GIN index finds the candidates; they are ranked by BM25 computed exactly as FTS5's `bm25()`
 * does it (k1 = 1.2, b = 0.75, idf = ln((N - n + 0.5) / (n + 0.5)) floored at 1e-6, document length
 * the quote's and the speaker's terms), from the positions in the tsvector and a term count kept
 * per quote. `ts_rank_cd` was not used: it has no inverse document frequency, so a word found in
 * most quotes would weigh as much as a rare one, and answers would differ from the SQLite library's
 * (the contract suite has such a case). Summed in the query's word order, as FTS5 sums, so equal
 * scores stay equal and ties fall to the same tie-breaks.
 *
 * Positions are given under a transaction-level advisory lock (max + 1), not by a sequence: a
 * sequence leaves gaps, and numbers taken by two replicas may commit out of order, so a digest
 * cursor could move past a briefing that was still to commit. Ingestion is rare enough that
 * serialising its inserts costs nothing.
 */

interface BriefingRow {
  position: number;
  id: string;
  title: string;
  published: string | null;
  ingested_at: string;
  content_hash: string;
  source: string | null;
  entry: unknown;
  article: unknown;
}

interface QuoteRow {
  position: number;
  idx: number;
  text: string;
  speaker: string | null;
  role: string | null;
  source: string | null;
  sentence: number;
  id: string;
  title: string;
  published: string | null;
  rank: number;
}

/** The PostgreSQL library, with what the bot's start asks beside the Library port. */
export interface PostgresLibrary extends Library {
  /** How many stored briefings an older engine or schema made (they would be re-briefed on SQLite). */
  outdated(): Promise<number>;
}

export interface PostgresLibraryOptions {
  /** Where an invalid row is reported (with its id, once per process). */
  logger?: Logger;
}

/** The advisory lock key taken to give out positions ("brieflib" in ASCII, 64-bit). */
export const LIBRARY_INSERT_LOCK_KEY = 0x6272_6965_666c_6962n;

const NEWEST = 'ORDER BY sort_key DESC, ingested_at DESC, id ASC';
/** A term as a tsquery or tsvector lexeme: folded terms are letters and digits only, quoted all the same. */
function lexeme(term: string): string {
  return `'${term.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
}

/** A tsvector of terms with their positions (1-based, as to_tsvector numbers them). */
function termVector(words: string[]): string {
  const positions = new Map<string, number[]>();
  words.forEach((w, i) => positions.set(w, [...(positions.get(w) ?? []), Math.min(i + 1, 16383)]));
  return [...positions].map(([w, at]) => `${lexeme(w)}:${at.join(',')}`).join(' ');
}

/** A tsquery matching any of the words. */
function anyOf(words: string[]): string {
  return words.map(lexeme).join(' | ');
}

/** A tsquery for a typed name: every word must match a word of the name, whole or (three letters on) as its start. */
function nameQuery(words: string[]): string {
  return words.map((w) => `${lexeme(w)}${w.length >= 3 ? ':*' : ''}`).join(' & ');
}

export function createPostgresLibrary(pool: PostgresPool, options: PostgresLibraryOptions = {}): PostgresLibrary {
  const reported = new Set<string>();

  /** The row's entry, or undefined when it is not a valid entry (reported once, and left out of answers). */
  const toEntry = (row: BriefingRow): LibraryEntry | undefined => {
    const parsed = LibraryEntrySchema.safeParse(row.entry);
    if (parsed.success) return parsed.data as LibraryEntry;
    const key = `${row.position}:${row.content_hash}`;
    if (!reported.has(key)) {
      reported.add(key);
      const issue = parsed.error.issues[0]!;
      options.logger?.warn({ articleId: row.id, position: row.position, problem: `${issue.path.join('.') || 'entry'}: ${issue.message}` }, 'a stored briefing is invalid: it is left out of answers');
    }
    return undefined;
  };
  const entriesOf = (rows: BriefingRow[]): LibraryEntry[] => rows.map(toEntry).filter((e): e is LibraryEntry => e !== undefined);
  const rows = async (sql: string, params: unknown[] = []): Promise<BriefingRow[]> => (await pool.query<BriefingRow>(sql, params)).rows;
  const firstEntry = async (sql: string, params: unknown[]): Promise<LibraryEntry | undefined> => {
    const [row] = await rows(sql, params);
    return row ? toEntry(row) : undefined;
  };

  const indexQuotes = async (client: PostgresClient, position: number, briefing: Briefing): Promise<void> => {
    await client.query('DELETE FROM quotes WHERE position = $1', [position]);
    if (briefing.quotes.length === 0) return;
    const q = briefing.quotes;
    const words = q.map((x) => terms(x.text));
    const names = q.map((x) => (x.speaker ? terms(x.speaker) : []));
    await client.query(
      `INSERT INTO quotes (position, idx, text, speaker, role, source, sentence, words, speaker_words, tokens)
       SELECT $1, t.idx, t.text, t.speaker, t.role, t.source, t.sentence, t.words::tsvector, t.speaker_words::tsvector, t.tokens
         FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::int[])
           AS t (idx, text, speaker, role, source, sentence, words, speaker_words, tokens)`,
      [
        position,
        q.map((_, i) => i),
        q.map((x) => x.text),
        q.map((x) => x.speaker ?? null),
        q.map((x) => x.role ?? null),
        q.map((x) => x.source ?? null),
        q.map((x) => x.sentence),
        words.map(termVector),
        names.map(termVector),
        q.map((_, i) => words[i]!.length + names[i]!.length),
      ],
    );
  };

  const add = (entry: LibraryEntry, origin?: EntryOrigin): Promise<AddResult> =>
    inTransaction(pool, async (client) => {
      const id = entry.briefing.id;
      // One writer at a time: positions stay gapless and in commit order, and two replicas adding the same article meet here.
      await client.query('SELECT pg_advisory_xact_lock($1)', [LIBRARY_INSERT_LOCK_KEY.toString()]);
      const existing = (await client.query<BriefingRow>('SELECT position, ingested_at, content_hash, article FROM briefings WHERE id = $1', [id])).rows[0];
      if (existing && existing.content_hash === entry.contentHash) {
        if (origin && existing.article === null) await client.query('UPDATE briefings SET article = $2 WHERE position = $1', [existing.position, JSON.stringify(origin.article)]);
        return { id, status: 'unchanged' };
      }
      // An update keeps the first ingestion time, as the other libraries do.
      const stored: LibraryEntry = existing ? { ...entry, ingestedAt: existing.ingested_at } : entry;
      const values = [
        id,
        entry.briefing.title,
        entry.briefing.byline.published ?? null,
        sortKey(stored),
        stored.ingestedAt,
        entry.contentHash,
        entry.source ?? null,
        sourceKey(entry.source),
        searchText(entry.briefing),
        JSON.stringify(stored),
        ENGINE_VERSION,
        BRIEFING_SCHEMA_VERSION,
        origin ? JSON.stringify(origin.article) : null,
      ];
      if (existing) {
        await client.query(
          `UPDATE briefings SET title = $2, published = $3, sort_key = $4, ingested_at = $5, content_hash = $6, source = $7, source_key = $8, search_text = $9,
             entry = $10, engine_version = $11, schema_version = $12, article = $13
           WHERE id = $1`,
          values,
        );
        await indexQuotes(client, existing.position, entry.briefing);
        return { id, status: 'updated' };
      }
      const { rows: inserted } = await client.query<{ position: number }>(
        `INSERT INTO briefings (position, id, title, published, sort_key, ingested_at, content_hash, source, source_key, search_text, entry, engine_version, schema_version, article)
         VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM briefings), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         RETURNING position`,
        values,
      );
      await indexQuotes(client, inserted[0]!.position, entry.briefing);
      return { id, status: 'added' };
    });

  const get = (id: string): Promise<LibraryEntry | undefined> => firstEntry('SELECT * FROM briefings WHERE id = $1', [id]);

  const find = async (reference: string): Promise<LibraryEntry | undefined> => {
    const ref = reference.trim();
    if (!ref) return undefined;
    const exact = await get(ref);
    if (exact) return exact;
    const wanted = normaliseReference(ref);
    const byId = await get(wanted);
    if (byId) return byId;
    const byFile = await firstEntry(`SELECT * FROM briefings WHERE source_key = $1 ${NEWEST} LIMIT 1`, [fold(ref)]);
    if (byFile) return byFile;
    if (wanted) {
      const prefixed = await firstEntry(`SELECT * FROM briefings WHERE left(id, length($1)) = $1 ${NEWEST} LIMIT 1`, [wanted]);
      if (prefixed) return prefixed;
    }
    const words = terms(ref);
    if (words.length === 0) return undefined;
    const { rows: ids } = await pool.query<{ position: number; id: string; title: string }>(`SELECT position, id, title FROM briefings ${NEWEST}`);
    for (const row of ids) {
      const titleTerms = new Set(terms(row.title + ' ' + row.id));
      if (words.every((w) => titleTerms.has(w) || [...titleTerms].some((t) => t.startsWith(w) && w.length >= 3))) {
        const entry = await firstEntry('SELECT * FROM briefings WHERE position = $1', [row.position]);
        if (entry) return entry;
      }
    }
    return undefined;
  };

  const list = async (query: ListQuery = {}): Promise<{ items: LibraryEntry[]; total: number }> => {
    const offset = Math.max(0, query.offset ?? 0);
    const limit = Math.max(1, query.limit ?? 10);
    const words = query.query?.trim() ? terms(query.query) : [];
    const where = words.length ? `WHERE ${words.map((_, i) => `strpos(search_text, $${i + 1}) > 0`).join(' AND ')}` : '';
    const n = words.length;
    const found = await rows(`SELECT *, COUNT(*) OVER () AS total FROM briefings ${where} ${NEWEST} LIMIT $${n + 1} OFFSET $${n + 2}`, [...words, limit, offset]);
    const total = found.length > 0 ? Number((found[0] as unknown as { total: number }).total) : Number((await pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM briefings ${where}`, words)).rows[0]!.n);
    return { items: entriesOf(found), total };
  };

  /** The newest valid entry: an invalid newest row does not hide the one before it. */
  const latest = async (): Promise<LibraryEntry | undefined> => {
    for (let offset = 0; ; offset += 16) {
      const page = await rows(`SELECT * FROM briefings ${NEWEST} LIMIT 16 OFFSET $1`, [offset]);
      if (page.length === 0) return undefined;
      const entry = entriesOf(page)[0];
      if (entry) return entry;
    }
  };

  const searchQuotes = async (query: QuoteQuery): Promise<QuoteHit[]> => {
    const limit = Math.max(1, query.limit ?? 5);
    let articleId: string | undefined;
    if (query.article) {
      const article = await find(query.article);
      if (!article) return [];
      articleId = article.briefing.id;
    }
    const speakerWords = query.speaker ? terms(query.speaker) : [];
    if (query.speaker && speakerWords.length === 0) return [];
    const words = query.query ? terms(query.query) : [];

    // $1: the words in the order typed (BM25 sums over them, repeats included), $2: the article id or NULL.
    const run = async (match: string, extra: unknown[]): Promise<QuoteRow[]> => {
      const { rows: found } = await pool.query<QuoteRow>(
        `WITH stats AS (SELECT COUNT(*)::float8 AS n, COALESCE(SUM(tokens), 0)::float8 AS total FROM quotes),
              idf AS (
                SELECT w.ord, w.term, GREATEST(ln((stats.n - hits.n + 0.5) / (hits.n + 0.5)), 1e-6) AS idf
                  FROM unnest($1::text[]) WITH ORDINALITY AS w (term, ord)
                  CROSS JOIN stats
                  CROSS JOIN LATERAL (SELECT COUNT(*)::float8 AS n FROM quotes WHERE words @@ quote_literal(w.term)::tsquery) AS hits
              )
         SELECT q.position, q.idx, q.text, q.speaker, q.role, q.source, q.sentence, b.id, b.title, b.published,
                COALESCE((
                  SELECT SUM(idf.idf * ((tf.n * (1.2 + 1.0)) / (tf.n + 1.2 * (1 - 0.75 + 0.75 * q.tokens / (stats.total / stats.n)))) ORDER BY idf.ord)
                    FROM idf CROSS JOIN LATERAL (
                      SELECT COALESCE((SELECT cardinality(l.positions) FROM unnest(q.words) AS l WHERE l.lexeme = idf.term), 0)::float8 AS n
                    ) AS tf
                ), 0) AS rank
           FROM quotes q JOIN briefings b ON b.position = q.position CROSS JOIN stats
          WHERE ($2::text IS NULL OR b.id = $2::text) AND ${match}
          ORDER BY rank DESC, q.position, q.idx LIMIT ${words.length ? QUOTE_CANDIDATES : QUOTE_CANDIDATES * 20}`,
        [words, articleId ?? null, ...extra],
      );
      return found;
    };
    const bySpeaker = speakerWords.length ? ` AND q.speaker_words @@ $3::tsquery` : '';
    const speakerParams = speakerWords.length ? [nameQuery(speakerWords)] : [];

    const candidates = new Map<string, QuoteRow>();
    const collect = (found: QuoteRow[]): void => {
      for (const row of found) candidates.set(`${row.position}:${row.idx}`, row);
    };
    if (words.length > 0) {
      const p = speakerParams.length + 3;
      collect(await run(`q.words @@ $${p}::tsquery${bySpeaker}`, [...speakerParams, anyOf(words)]));
      // The words typed may be the speaker's name: "/quote peskov".
      collect(await run(`q.speaker_words @@ $${p}::tsquery${bySpeaker}`, [...speakerParams, nameQuery(words)]));
    } else {
      collect(await run(`TRUE${bySpeaker}`, speakerParams));
    }

    const hits: QuoteHit[] = [];
    for (const row of candidates.values()) {
      // The shared matcher has the last word, as on the other libraries.
      if (query.speaker && !speakerMatches(query.speaker, row.speaker ?? undefined)) continue;
      let score = Number(row.rank);
      if (query.query && speakerMatches(query.query, row.speaker ?? undefined)) score += SPEAKER_BONUS;
      if (words.length > 0 && score <= 0) continue;
      const hit: QuoteHit = { quote: row.text, articleId: row.id, articleTitle: row.title, sentence: row.sentence, score };
      if (row.speaker) hit.speaker = row.speaker;
      if (row.role) hit.role = row.role;
      if (row.source) hit.source = row.source;
      if (row.published) hit.published = row.published;
      hits.push(hit);
    }
    hits.sort((a, b) => b.score - a.score || (b.published ?? '').localeCompare(a.published ?? '') || a.sentence - b.sentence);
    return hits.slice(0, limit);
  };

  const speakers = async (prefix = '', limit = 25): Promise<string[]> => {
    const wanted = fold(prefix);
    const { rows: counts } = await pool.query<{ speaker: string; n: number }>('SELECT speaker, COUNT(*) AS n FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker');
    return counts
      .map((r) => ({ speaker: r.speaker, n: Number(r.n) }))
      .filter((r) => !wanted || fold(r.speaker).includes(wanted))
      .sort((a, b) => b.n - a.n || a.speaker.localeCompare(b.speaker))
      .slice(0, limit)
      .map((r) => r.speaker);
  };

  const suggestArticles = async (prefix: string, limit = 25): Promise<Array<{ id: string; title: string }>> => {
    const wanted = fold(prefix.trim());
    const normalised = normaliseReference(prefix);
    const { rows: all } = await pool.query<{ id: string; title: string }>(`SELECT id, title FROM briefings ${NEWEST}`);
    return all
      .filter((row) => !wanted || row.id.includes(normalised) || fold(row.title).includes(wanted))
      .slice(0, limit)
      .map((row) => ({ id: row.id, title: row.title }));
  };

  const addedSince = async (position: number, limit?: number): Promise<AddedSince> => {
    const from = Math.max(0, position);
    const take = limit === undefined ? undefined : Math.max(0, limit);
    const found = await rows('SELECT * FROM briefings WHERE position > $1 ORDER BY position LIMIT $2', [from, take === undefined ? null : take + 1]);
    const more = take !== undefined && found.length > take;
    const kept = more ? found.slice(0, take) : found;
    const last = kept[kept.length - 1];
    // An invalid row is skipped here for good (the cursor moves past it): a digest sends what is sound.
    return { items: entriesOf(kept), position: last ? last.position : from, more };
  };

  const articles = async (ids: readonly string[]): Promise<Map<string, Article>> => {
    const found = new Map<string, Article>();
    if (ids.length === 0) return found;
    const { rows: stored } = await pool.query<{ id: string; article: unknown }>('SELECT id, article FROM briefings WHERE id = ANY($1) AND article IS NOT NULL', [[...ids]]);
    for (const row of stored) {
      const parsed = ArticleSchema.safeParse(row.article);
      if (parsed.success) found.set(row.id, parsed.data);
      else options.logger?.warn({ articleId: row.id, problem: parsed.error.issues[0]?.message }, 'a stored article is invalid');
    }
    return found;
  };

  return {
    add,
    get,
    find,
    list,
    latest,
    searchQuotes,
    speakers,
    suggestArticles,
    get size() {
      return pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM briefings').then((r) => Number(r.rows[0]!.n));
    },
    get position() {
      return pool.query<{ p: number | null }>('SELECT MAX(position) AS p FROM briefings').then((r) => Number(r.rows[0]!.p ?? 0));
    },
    addedSince,
    articles,
    async outdated() {
      const { rows: found } = await pool.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM briefings WHERE engine_version IS DISTINCT FROM $1 OR schema_version IS DISTINCT FROM $2',
        [ENGINE_VERSION, BRIEFING_SCHEMA_VERSION],
      );
      return Number(found[0]!.n);
    },
  };
}
