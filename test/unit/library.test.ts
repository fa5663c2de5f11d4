import { describe, expect, it } from 'vitest';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import { speakerMatches } from '../../src/library/search-text.js';
import { aBriefing, anEntry, aQuote, newsroomLibrary } from '../helpers/briefings.js';

/**
 * The in-memory library: what the console chat and the command line search. The SQLite library
 * shares a contract test (test/store); these cases are about what a person types.
 */

describe('quote search by speaker', async () => {
  const library = await newsroomLibrary();
  const speakersOf = (hits: Array<{ speaker?: string }>): Array<string | undefined> => hits.map((h) => h.speaker);

  it.each(['zelensky', 'Zelensky', 'ZELENSKY', 'Volodymyr Zelensky', 'volodymyr zelensky', 'zelensky volodymyr'])('%j finds Volodymyr Zelensky', async (typed) => {
    const hits = await library.searchQuotes({ speaker: typed, limit: 10 });
    expect(speakersOf(hits)).toEqual(['Volodymyr Zelensky', 'Volodymyr Zelensky']);
  });

  it('does not take a similar surname or a stranger with the same first name for the speaker', async () => {
    expect(speakersOf((await library.searchQuotes({ speaker: 'zelensky', limit: 10 })))).not.toContain('Olena Zelenska');
    expect(await library.searchQuotes({ speaker: 'Volodymyr Peskov' })).toEqual([]);
    expect(await library.searchQuotes({ speaker: 'ze' })).toEqual([]);
  });

  it('ignores accents and case in names: "antonio guterres" finds António Guterres', async () => {
    expect(speakersOf((await library.searchQuotes({ speaker: 'antonio guterres' })))).toEqual(['António Guterres']);
    expect(speakerMatches('GUTERRES', 'António Guterres')).toBe(true);
  });

  it('treats a name typed as the query as the speaker: the speaker’s own quotes come before quotes that mention the name', async () => {
    const hits = await library.searchQuotes({ query: 'peskov', limit: 10 });
    expect(speakersOf(hits)).toEqual(['Dmitry Peskov', 'Olena Zelenska']);
    expect((await library.searchQuotes({ query: 'zelensky', limit: 10 })).every((h) => h.speaker === 'Volodymyr Zelensky')).toBe(true);
  });
});

describe('quote search by words', async () => {
  const library = await newsroomLibrary();

  it('ranks the quote with more of the words first, and leaves out quotes with none of them', async () => {
    const hits = await library.searchQuotes({ query: 'grain corridor lifeline africa', limit: 10 });
    expect(hits[0]!.quote).toBe('The corridor is a lifeline for grain buyers in Africa.');
    expect(hits.map((h) => h.quote).slice(1).sort()).toEqual([
      'Grain ships will sail from Odesa again this week, and we will protect them.',
      'Peskov is wrong about the corridor; it is safe.',
    ]);
    const scores = hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBeGreaterThan(scores[1]!);
  });

  it('matches whatever the case and punctuation, and finds quotes nobody is named for', async () => {
    expect((await library.searchQuotes({ query: 'NEVER forget!' })).map((h) => h.speaker)).toEqual(['Dmitry Peskov']);
    const unattributed = await library.searchQuotes({ query: 'largest investment' });
    expect(unattributed).toHaveLength(1);
    expect(unattributed[0]!.speaker).toBeUndefined();
  });

  it('finds nothing for words no quote has', async () => {
    expect(await library.searchQuotes({ query: 'xylophone' })).toEqual([]);
  });

  it('narrows by speaker and by article, alone or together', async () => {
    expect((await library.searchQuotes({ query: 'corridor', speaker: 'guterres' })).map((h) => h.quote)).toEqual(['The corridor is a lifeline for grain buyers in Africa.']);
    expect((await library.searchQuotes({ speaker: 'zelensky', article: 'kursk-engineers' })).map((h) => h.articleId)).toEqual(['kursk-engineers']);
    expect((await library.searchQuotes({ speaker: 'zelensky', article: 'grain corridor' })).map((h) => h.articleId)).toEqual(['grain-corridor']);
    expect(await library.searchQuotes({ query: 'help', article: 'grain-corridor' })).toEqual([]);
    expect(await library.searchQuotes({ query: 'help', article: 'no such article' })).toEqual([]);
  });

  it('honours the limit', async () => {
    expect(await library.searchQuotes({ speaker: 'zelensky', limit: 1 })).toHaveLength(1);
    expect(await library.searchQuotes({ article: 'grain-corridor', limit: 2 })).toHaveLength(2);
  });
});

describe('a quote hit', () => {
  it('carries the quote, speaker, role, article title, id and date, and the sentence it came from', async () => {
    const [hit] = await (await newsroomLibrary()).searchQuotes({ query: 'two-thirds', speaker: 'zelensky' });
    expect(hit).toMatchObject({
      quote: 'Their losses are more than 4,000. I think two-thirds have died.',
      speaker: 'Volodymyr Zelensky',
      role: 'Ukrainian President',
      articleTitle: 'North Korea sends engineers to Kursk',
      articleId: 'kursk-engineers',
      published: '2025-11-17',
      sentence: 6,
    });
  });

  it('has no role or date when the article gives none', async () => {
    const [hit] = await (await newsroomLibrary()).searchQuotes({ speaker: 'ferrer' });
    expect(hit).toBeDefined();
    expect(hit!.role).toBeUndefined();
    expect(hit!.published).toBeUndefined();
    expect(hit!.articleTitle).toBe('Harbour authority approves Port Vell expansion');
  });
});

describe('finding an article from what a person typed', async () => {
  const library = await newsroomLibrary();

  it.each([
    ['grain-corridor', 'grain-corridor'],
    ['Grain Corridor', 'grain-corridor'],
    ['GRAIN-CORRIDOR', 'grain-corridor'],
    ['grain', 'grain-corridor'],
    ['kursk', 'kursk-engineers'],
    ['000_85307bba339e5121', 'kursk-engineers'],
    ['black sea', 'grain-corridor'],
    ['port vell', 'harbour-expansion'],
    ['engin kursk', 'kursk-engineers'],
  ])('%j finds %s', async (typed, id) => {
    expect((await library.find(typed))?.briefing.id).toBe(id);
  });

  it.each(['', '   ', 'nothing like this', 'zz'])('%j finds nothing', async (typed) => {
    expect(await library.find(typed)).toBeUndefined();
  });
});

describe('listing, latest, speakers and suggestions', async () => {
  const library = await newsroomLibrary();

  it('lists newest first by publication date, undated articles by when they arrived', async () => {
    const { items, total } = await library.list();
    expect(total).toBe(3);
    expect(items.map((e) => e.briefing.id)).toEqual(['grain-corridor', 'kursk-engineers', 'harbour-expansion']);
    expect((await library.latest())?.briefing.id).toBe('grain-corridor');
  });

  it('filters by words of the title, summary, id or tags, and pages', async () => {
    expect((await library.list({ query: 'russia' })).items.map((e) => e.briefing.id)).toEqual(['kursk-engineers']);
    expect((await library.list({ query: 'Port Vell' })).items.map((e) => e.briefing.id)).toEqual(['harbour-expansion']);
    expect(await library.list({ query: 'nothing here' })).toEqual({ items: [], total: 0 });
    const page2 = await library.list({ limit: 2, offset: 2 });
    expect(page2.total).toBe(3);
    expect(page2.items.map((e) => e.briefing.id)).toEqual(['harbour-expansion']);
  });

  it('lists speakers most quoted first, narrowed by what was typed', async () => {
    expect((await library.speakers())[0]).toBe('Volodymyr Zelensky');
    expect(await library.speakers()).toHaveLength(6);
    expect(await library.speakers('zelen')).toEqual(['Volodymyr Zelensky', 'Olena Zelenska']);
    expect(await library.speakers('', 2)).toHaveLength(2);
  });

  it('suggests articles by id or title words for autocomplete', async () => {
    expect(await library.suggestArticles('grain')).toEqual([{ id: 'grain-corridor', title: 'Ukraine reopens the Black Sea grain corridor' }]);
    expect((await library.suggestArticles('Black Sea')).map((s) => s.id)).toEqual(['grain-corridor']);
    expect((await library.suggestArticles('')).map((s) => s.id)).toEqual(['grain-corridor', 'kursk-engineers', 'harbour-expansion']);
    expect(await library.suggestArticles('', 1)).toHaveLength(1);
  });
});

describe('adding to the library', () => {
  it('adds, ignores an unchanged re-ingest, and re-indexes the quotes of an updated article', async () => {
    const library = createMemoryLibrary();
    const first = anEntry(aBriefing('a', { quotes: [aQuote('The old words of the mayor.', 'Ann Smith')] }), { contentHash: 'v1' });
    expect(await library.add(first)).toEqual({ id: 'a', status: 'added' });
    expect(await library.add({ ...first })).toEqual({ id: 'a', status: 'unchanged' });
    const second = anEntry(aBriefing('a', { quotes: [aQuote('The new words of the mayor.', 'Ann Smith')] }), { contentHash: 'v2' });
    expect(await library.add(second)).toEqual({ id: 'a', status: 'updated' });
    expect(await library.size).toBe(1);
    expect(await library.searchQuotes({ query: 'old' })).toEqual([]);
    expect((await library.searchQuotes({ speaker: 'smith' })).map((h) => h.quote)).toEqual(['The new words of the mayor.']);
  });
});
