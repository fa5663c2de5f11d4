/**
 * One set of cases, run against every Library implementation: the in-memory index (console,
 * command line), the SQLite library (the bot on one machine) and the PostgreSQL library (several
 * replicas), on a real server (test/helpers/postgres.ts). Whatever a command can observe must agree.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import type { Library, LibraryEntry, QuoteQuery } from '../../src/library/library.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import { createPostgresLibrary } from '../../src/library/postgres-library.js';
import { createSqliteLibrary } from '../../src/library/sqlite-library.js';
import { migratePostgres } from '../../src/store/postgres/migrations.js';
import { createPostgresPool, type PostgresPool } from '../../src/store/postgres/pool.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { makeBriefing, makeEntry, quote } from './helpers.js';

const stores: Store[] = [];
afterEach(() => {
  while (stores.length) stores.pop()!.close();
});

/** One database for the file, migrated once and emptied for each library made on it. */
let postgres: { pool: PostgresPool; url: string; drop(): Promise<void> } | undefined;
afterAll(async () => {
  await postgres?.pool.end();
  await postgres?.drop();
});

async function postgresLibrary(): Promise<Library> {
  if (!postgres) {
    const database = await createTestDatabase();
    const pool = createPostgresPool({ url: database.url, max: 4 });
    await migratePostgres(pool);
    postgres = { pool, url: database.url, drop: () => database.drop() };
  }
  await postgres.pool.query('TRUNCATE briefings, quotes');
  return createPostgresLibrary(postgres.pool);
}

async function sqliteLibrary(): Promise<Library> {
  const store = openStore({ path: ':memory:' });
  stores.push(store);
  return createSqliteLibrary(store);
}

const implementations: Array<[string, () => Promise<Library>]> = [
  ['memory', async () => createMemoryLibrary()],
  ['sqlite', sqliteLibrary],
  ['postgres', postgresLibrary],
];

async function seed(library: Library): Promise<void> {
  await library.add(
    makeEntry(
      makeBriefing('north-korea-deploys-engineers', {
        title: 'North Korea deploys 6,000 engineers to Kursk',
        published: '2025-11-17',
        tags: ['north korea', 'russia'],
        quotes: [
          quote('We will never accept the occupation of our land', 'Volodymyr Zelensky', 4),
          quote('The cooperation between our armies is unconditional', 'Kim Jong Un', 2),
          quote('Engineers are being sent to rebuild the region', 'Dmitry Peskov', 6),
        ],
      }),
      { source: 'briefings/000_85307bba339e5121.txt' },
    ),
  );
  await library.add(
    makeEntry(
      makeBriefing('ukraine-grain-corridor', {
        title: 'Ukraine reopens the grain corridor',
        published: '2025-11-20',
        tags: ['ukraine'],
        quotes: [
          quote('Grain ships will sail again from Odesa this week', 'Volodymyr Zelensky', 1),
          quote('The corridor is a lifeline for Africa', 'António Guterres', 3),
        ],
      }),
      { source: 'briefings/grain.md' },
    ),
  );
  await library.add(makeEntry(makeBriefing('undated-report', { title: 'An undated report on engineers' })));
}

describe.each(implementations)('Library contract: %s', (_name, create) => {
  it('adds, recognises an unchanged re-ingest, and updates keeping the first ingestion time and position', async () => {
    const library = await create();
    const first = makeEntry(makeBriefing('a'), { ingestedAt: '2025-01-01T08:00:00.000Z' });
    expect(await library.add(first)).toEqual({ id: 'a', status: 'added' });
    expect(await library.add({ ...first, ingestedAt: '2025-01-02T08:00:00.000Z' })).toEqual({ id: 'a', status: 'unchanged' });
    await library.add(makeEntry(makeBriefing('b')));
    const edited = { ...first, briefing: makeBriefing('a', { title: 'A, revised' }), contentHash: 'other', ingestedAt: '2025-01-03T08:00:00.000Z' };
    expect(await library.add(edited)).toEqual({ id: 'a', status: 'updated' });
    expect((await library.get('a'))?.briefing.title).toBe('A, revised');
    expect((await library.get('a'))?.ingestedAt).toBe('2025-01-01T08:00:00.000Z');
    expect(await library.size).toBe(2);
    expect(await library.position).toBe(2);
    expect((await library.addedSince(0)).items.map((e) => e.briefing.id)).toEqual(['a', 'b']);
  });

  it('keeps the source, and fields it does not know about (revision records), with the entry', async () => {
    const library = await create();
    const revision = { number: 2, revisedAt: '2025-01-02T00:00:00.000Z', previousHash: 'old' };
    await library.add({ ...makeEntry(makeBriefing('r'), { source: 'feeds/x.xml' }), revision } as LibraryEntry);
    expect((await library.get('r'))?.source).toBe('feeds/x.xml');
    expect(((await library.get('r')) as LibraryEntry & { revision?: unknown }).revision).toEqual(revision);
  });

  it('gives back the articles briefings were made from, the latest revision, leaving out ids it has no article for', async () => {
    const library = await create();
    const article = (id: string, text: string): Article => ({ id, title: `Title of ${id}`, outlet: 'Gazette', published: '2025-11-17', tags: [], highlights: [], blocks: [{ kind: 'paragraph', text }] });
    await library.add(makeEntry(makeBriefing('kept'), { contentHash: 'h1' }), { article: article('kept', 'The council met on Monday.') });
    await library.add(makeEntry(makeBriefing('kept'), { contentHash: 'h2' }), { article: article('kept', 'The council met on Tuesday.') });
    await library.add(makeEntry(makeBriefing('bare')));
    const found = await library.articles(['kept', 'bare', 'unknown']);
    expect([...found.keys()]).toEqual(['kept']);
    expect(found.get('kept')).toEqual(article('kept', 'The council met on Tuesday.'));
    expect((await library.articles([])).size).toBe(0);
  });

  it('lists newest first by publication, then ingestion, with paging and a word filter', async () => {
    const library = await create();
    await seed(library);
    const { items, total } = await library.list();
    expect(total).toBe(3);
    // The undated report sorts by its ingestion time (2025-01-01…), before any 2025-11 date.
    expect(items.map((e) => e.briefing.id)).toEqual(['ukraine-grain-corridor', 'north-korea-deploys-engineers', 'undated-report']);
    expect((await library.list({ limit: 1, offset: 1 })).items.map((e) => e.briefing.id)).toEqual(['north-korea-deploys-engineers']);
    expect((await library.list({ query: 'ENGINEERS' })).items.map((e) => e.briefing.id)).toEqual(['north-korea-deploys-engineers', 'undated-report']);
    expect((await library.list({ query: 'russia engineers' })).total).toBe(1);
    expect((await library.latest())?.briefing.id).toBe('ukraine-grain-corridor');
  });

  it('finds what a person typed: id, any-case id, file name, id prefix, title words', async () => {
    const library = await create();
    await seed(library);
    expect((await library.find('ukraine-grain-corridor'))?.briefing.id).toBe('ukraine-grain-corridor');
    expect((await library.find('Ukraine Grain Corridor'))?.briefing.id).toBe('ukraine-grain-corridor');
    expect((await library.find('000_85307bba339e5121'))?.briefing.id).toBe('north-korea-deploys-engineers');
    expect((await library.find('grain'))?.briefing.id).toBe('ukraine-grain-corridor');
    expect((await library.find('north-korea'))?.briefing.id).toBe('north-korea-deploys-engineers');
    expect((await library.find('kursk engin'))?.briefing.id).toBe('north-korea-deploys-engineers');
    expect(await library.find('nothing like this')).toBeUndefined();
    expect(await library.find('  ')).toBeUndefined();
  });

  it('finds quotes by a surname in any case: zelensky finds Volodymyr Zelensky', async () => {
    const library = await create();
    await seed(library);
    const hits = await library.searchQuotes({ query: 'zelensky' });
    expect(hits).toHaveLength(2);
    expect(hits.every((h) => h.speaker === 'Volodymyr Zelensky')).toBe(true);
    // Newer article first when the scores tie.
    expect(hits[0]!.articleId).toBe('ukraine-grain-corridor');
    expect(await library.searchQuotes({ speaker: 'ZELENSKY' })).toHaveLength(2);
    expect(await library.searchQuotes({ speaker: 'zel' })).toHaveLength(2);
    expect((await library.searchQuotes({ speaker: 'Volodymyr Zelensky', query: 'grain' })).map((h) => h.quote)).toEqual([
      'Grain ships will sail again from Odesa this week',
    ]);
    expect((await library.searchQuotes({ speaker: 'guterres' }))[0]?.speaker).toBe('António Guterres');
    expect(await library.searchQuotes({ speaker: 'antonio' })).toHaveLength(1);
    expect(await library.searchQuotes({ speaker: 'ze' })).toEqual([]);
  });

  it('ranks quotes by their words, filters by article, honours the limit', async () => {
    const library = await create();
    await seed(library);
    const hits = await library.searchQuotes({ query: 'grain ships Odesa' });
    expect(hits[0]?.quote).toBe('Grain ships will sail again from Odesa this week');
    expect(hits[0]?.articleTitle).toBe('Ukraine reopens the grain corridor');
    expect(hits[0]?.published).toBe('2025-11-20');
    expect(hits[0]?.sentence).toBe(1);
    expect((await library.searchQuotes({ query: 'lifeline' })).map((h) => h.speaker)).toEqual(['António Guterres']);
    expect(await library.searchQuotes({ query: 'xylophone' })).toEqual([]);
    expect((await library.searchQuotes({ article: 'grain' })).map((h) => h.articleId)).toEqual(['ukraine-grain-corridor', 'ukraine-grain-corridor']);
    expect(await library.searchQuotes({ article: 'no such article' })).toEqual([]);
    expect(await library.searchQuotes({ limit: 2 })).toHaveLength(2);
    expect((await library.searchQuotes({ query: 'peskov', article: 'north-korea' })).map((h) => h.speaker)).toEqual(['Dmitry Peskov']);
  });

  it('gives a quote whose speaker is described, not named, with what the article calls its source', async () => {
    const library = await create();
    const described = { ...quote('The talks are over for now'), source: 'one senior diplomat' };
    await library.add(makeEntry(makeBriefing('talks', { quotes: [described, quote('We remain open to talks', 'Ann Smith')] })));
    const hits = await library.searchQuotes({ query: 'talks' });
    expect(hits.map((h) => [h.quote, h.speaker, h.source])).toEqual([
      ['The talks are over for now', undefined, 'one senior diplomat'],
      ['We remain open to talks', 'Ann Smith', undefined],
    ]);
  });

  it('forgets the old quotes of an updated article', async () => {
    const library = await create();
    await library.add(makeEntry(makeBriefing('a', { quotes: [quote('Old words here', 'Ann Smith')] }), { contentHash: '1' }));
    await library.add(makeEntry(makeBriefing('a', { quotes: [quote('New words here', 'Ann Smith')] }), { contentHash: '2' }));
    expect(await library.searchQuotes({ query: 'old' })).toEqual([]);
    expect((await library.searchQuotes({ query: 'new' })).map((h) => h.quote)).toEqual(['New words here']);
    expect(await library.speakers()).toEqual(['Ann Smith']);
  });

  it('lists speakers most quoted first, filtered by what was typed', async () => {
    const library = await create();
    await seed(library);
    expect(await library.speakers()).toEqual(['Volodymyr Zelensky', 'António Guterres', 'Dmitry Peskov', 'Kim Jong Un']);
    expect(await library.speakers('anto')).toEqual(['António Guterres']);
    expect(await library.speakers('', 1)).toEqual(['Volodymyr Zelensky']);
  });

  it('suggests articles by id or title', async () => {
    const library = await create();
    await seed(library);
    expect(await library.suggestArticles('grain')).toEqual([{ id: 'ukraine-grain-corridor', title: 'Ukraine reopens the grain corridor' }]);
    expect((await library.suggestArticles('')).map((s) => s.id)).toHaveLength(3);
    expect(await library.suggestArticles('', 1)).toHaveLength(1);
    expect((await library.suggestArticles('North Korea')).map((s) => s.id)).toEqual(['north-korea-deploys-engineers']);
  });

  it('pages through what was added since a position, oldest first', async () => {
    const library = await create();
    expect(await library.position).toBe(0);
    expect(await library.addedSince(0)).toEqual({ items: [], position: 0, more: false });
    for (const id of ['a', 'b', 'c', 'd']) await library.add(makeEntry(makeBriefing(id)));
    const start = await library.addedSince(0, 2);
    expect(start.items.map((e) => e.briefing.id)).toEqual(['a', 'b']);
    expect(start.more).toBe(true);
    const rest = await library.addedSince(start.position);
    expect(rest.items.map((e) => e.briefing.id)).toEqual(['c', 'd']);
    expect(rest.more).toBe(false);
    expect(rest.position).toBe((await library.position));
    expect((await library.addedSince(await library.position)).items).toEqual([]);
  });
});

/**
 * Quote search as people use it, on a library with more to get wrong: the same words in several
 * quotes, quotes of different lengths, one speaker across three articles, a name that is also a
 * word of other quotes. Each case's whole answer (quotes, in order) is the same on every library.
 */
async function seedNewsroom(library: Library): Promise<void> {
  const articles: Array<[string, string | undefined, Array<[string, string | undefined, number]>]> = [
    ['harbour-wall-approved', '2025-03-01', [
      ['The harbour wall will be repaired before the winter storms', 'Maria Lopez', 2],
      ['We waited ten years for the harbour wall', 'Joan Ferrer', 5],
      ['Repairs start in April', 'Maria Lopez', 7],
    ]],
    ['harbour-dredging-delayed', '2025-03-08', [
      ['Dredging the harbour is delayed by a month', 'Maria Lopez', 1],
      ['The storms damaged the dredger', 'Pere Vidal', 4],
      ['Fishermen asked Lopez for answers about the harbour', undefined, 6],
    ]],
    ['budget-vote', '2025-02-20', [
      ['The budget for the harbour wall is approved', 'Anna Lopez-Garcia', 3],
      ['This budget is a scandal', 'Pere Vidal', 8],
    ]],
    ['undated-notes', undefined, [['Nobody mentioned the harbour at all', 'Joan Ferrer', 0]]],
  ];
  for (const [id, published, quotes] of articles) {
    await library.add(makeEntry(makeBriefing(id, { title: id.replace(/-/g, ' '), ...(published ? { published } : {}), quotes: quotes.map(([t, who, n]) => quote(t, who, n)) })));
  }
}

const QUOTE_CASES: Array<[string, QuoteQuery, string[]]> = [
  ['words of a quote: the quote with more of them first', { query: 'harbour wall repaired storms' }, [
    'The harbour wall will be repaired before the winter storms',
    // A rare word outweighs two common ones.
    'The storms damaged the dredger',
    'The budget for the harbour wall is approved',
    'We waited ten years for the harbour wall',
    'Dredging the harbour is delayed by a month',
  ]],
  ['a word found in one quote only', { query: 'dredger' }, ['The storms damaged the dredger']],
  ['a word in no quote', { query: 'xylophone' }, []],
  ['a speaker’s surname in lower case, as the words typed: their quotes first, newest first', { query: 'vidal', limit: 10 }, [
    'The storms damaged the dredger',
    'This budget is a scandal',
  ]],
  ['a surname as the speaker filter, with words: a hyphenated name counts (Lopez-Garcia), a mention does not', { speaker: 'lopez', query: 'harbour' }, [
    'Dredging the harbour is delayed by a month',
    'The budget for the harbour wall is approved',
    'The harbour wall will be repaired before the winter storms',
  ]],
  ['a surname as the speaker filter alone: newest article first, then in sentence order', { speaker: 'lopez', limit: 10 }, [
    'Dredging the harbour is delayed by a month',
    'The harbour wall will be repaired before the winter storms',
    'Repairs start in April',
    'The budget for the harbour wall is approved',
  ]],
  ['a first name and surname, any case and accents', { speaker: 'JOAN FERRER', limit: 10 }, ['We waited ten years for the harbour wall', 'Nobody mentioned the harbour at all']],
  ['a surname prefix of three letters', { speaker: 'fer', limit: 10 }, ['We waited ten years for the harbour wall', 'Nobody mentioned the harbour at all']],
  ['a prefix too short for a name', { speaker: 'fe' }, []],
  ['an article filter', { query: 'harbour', article: 'harbour dredging' }, ['Dredging the harbour is delayed by a month', 'Fishermen asked Lopez for answers about the harbour']],
  ['an article filter with nothing else: the article’s quotes in sentence order', { article: 'budget-vote' }, ['The budget for the harbour wall is approved', 'This budget is a scandal']],
  ['a limit of one', { query: 'budget', limit: 1 }, ['This budget is a scandal']],
  ['the default limit of five, over more quotes: newest article first, then in sentence order', {}, [
    'Dredging the harbour is delayed by a month',
    'The storms damaged the dredger',
    'Fishermen asked Lopez for answers about the harbour',
    'The harbour wall will be repaired before the winter storms',
    'We waited ten years for the harbour wall',
  ]],
  ['nothing typed: every quote, newest article first', { limit: 3 }, [
    'Dredging the harbour is delayed by a month',
    'The storms damaged the dredger',
    'Fishermen asked Lopez for answers about the harbour',
  ]],
];

/**
 * Where the stores part from the in-memory index: a word found in most quotes. FTS5's BM25 gives
 * it next to no weight (its idf is floored at 1e-6) and the shortest quotes come first; the
 * in-memory index still weighs it a little. The two stores must agree with each other.
 */
const STORE_QUOTE_CASES: Array<[string, QuoteQuery, string[]]> = [
  ['a word found in most quotes', { query: 'harbour' }, [
    'Dredging the harbour is delayed by a month',
    'Fishermen asked Lopez for answers about the harbour',
    'Nobody mentioned the harbour at all',
    'The budget for the harbour wall is approved',
    'We waited ten years for the harbour wall',
  ]],
];

describe.each(implementations)('Library contract, quote search: %s', (name, create) => {
  it.each([...QUOTE_CASES, ...(name === 'memory' ? [] : STORE_QUOTE_CASES)])('%s', async (_case, query, expected) => {
    const library = await create();
    await seedNewsroom(library);
    expect((await library.searchQuotes(query)).map((h) => h.quote)).toEqual(expected);
  });
});

describe('quote search on SQLite and PostgreSQL', () => {
  it('gives the same hits, scores included, for every case', async () => {
    const sqlite = await sqliteLibrary();
    const postgres = await postgresLibrary();
    await seedNewsroom(sqlite);
    await seedNewsroom(postgres);
    for (const [, query] of [...QUOTE_CASES, ...STORE_QUOTE_CASES]) {
      const [a, b] = [await sqlite.searchQuotes(query), await postgres.searchQuotes(query)];
      expect(b.map(({ score: _score, ...hit }) => hit)).toEqual(a.map(({ score: _score, ...hit }) => hit));
      // BM25 computed alike: the scores agree to the last few bits.
      b.forEach((hit, i) => expect(hit.score).toBeCloseTo(a[i]!.score, 9));
    }
  });
});

describe('SQLite library', () => {
  it('keeps everything across a reopen of the same file', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'briefbot-lib-'));
    try {
      const path = join(dir, 'data', 'briefbot.db');
      const first = openStore({ path });
      await seed(createSqliteLibrary(first));
      first.close();
      const again = openStore({ path });
      const library = createSqliteLibrary(again);
      expect(await library.size).toBe(3);
      expect(await library.searchQuotes({ query: 'zelensky' })).toHaveLength(2);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL library shared by replicas', () => {
  it('three replicas adding the same articles at the same moment neither fail nor duplicate', async () => {
    // Each replica has its own pool, as separate processes starting together on one database do.
    await postgresLibrary();
    const pools = [0, 1, 2].map(() => createPostgresPool({ url: postgres!.url, max: 4 }));
    try {
      const libraries = pools.map((pool) => createPostgresLibrary(pool));
      const entries = Array.from({ length: 24 }, (_, i) =>
        makeEntry(makeBriefing(`folder-article-${i}`, { published: `2025-11-${String(1 + i).padStart(2, '0')}`, quotes: [quote(`Statement number ${i} about the harbour`, 'Ada Harbour', 1)] })),
      );
      // Every replica loads the whole folder; each in its own order, so they meet on different articles.
      const orders = [entries, [...entries].reverse(), [...entries.slice(12), ...entries.slice(0, 12)]];
      const results = await Promise.all(libraries.map((library, r) => Promise.all(orders[r]!.map((entry) => library.add(entry)))));

      for (const entry of entries) {
        const statuses = results.flat().filter((x) => x.id === entry.briefing.id).map((x) => x.status);
        expect(statuses.sort(), entry.briefing.id).toEqual(['added', 'unchanged', 'unchanged']);
      }
      const { rows } = await postgres!.pool.query<{ n: number; low: number; high: number }>('SELECT COUNT(*) AS n, MIN(position) AS low, MAX(position) AS high FROM briefings');
      // Gapless positions 1…24: a digest cursor never skips one.
      expect(rows[0]).toEqual({ n: 24, low: 1, high: 24 });
      const quotes = await postgres!.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM quotes');
      expect(Number(quotes.rows[0]!.n)).toBe(24);
      expect(await libraries[1]!.searchQuotes({ query: 'statement 7 harbour', limit: 1 })).toMatchObject([{ articleId: 'folder-article-7' }]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});
