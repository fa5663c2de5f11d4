import { describe, expect, it } from 'vitest';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import { speakerMatches } from '../../src/library/search-text.js';
import { aBriefing, anEntry, aQuote, newsroomLibrary } from '../helpers/briefings.js';

/**
 * The in-memory library: what the console chat and the command line search. The SQLite library
 * shares a contract test (test/store); these cases are about what a person types.
 */

describe('quote search by speaker', () => {
  const library = newsroomLibrary();
  const speakersOf = (hits: Array<{ speaker?: string }>): Array<string | undefined> => hits.map((h) => h.speaker);

  it.each(['zelensky', 'Zelensky', 'ZELENSKY', 'Volodymyr Zelensky', 'volodymyr zelensky', 'zelensky volodymyr'])('%j finds Volodymyr Zelensky', (typed) => {
    const hits = library.searchQuotes({ speaker: typed, limit: 10 });
    expect(speakersOf(hits)).toEqual(['Volodymyr Zelensky', 'Volodymyr Zelensky']);
  });

  it('does not take a similar surname or a stranger with the same first name for the speaker', () => {
    expect(speakersOf(library.searchQuotes({ speaker: 'zelensky', limit: 10 }))).not.toContain('Olena Zelenska');
    expect(library.searchQuotes({ speaker: 'Volodymyr Peskov' })).toEqual([]);
    expect(library.searchQuotes({ speaker: 'ze' })).toEqual([]);
  });

  it('ignores accents and case in names: "antonio guterres" finds António Guterres', () => {
    expect(speakersOf(library.searchQuotes({ speaker: 'antonio guterres' }))).toEqual(['António Guterres']);
    expect(speakerMatches('GUTERRES', 'António Guterres')).toBe(true);
  });

  it('treats a name typed as the query as the speaker: the speaker’s own quotes come before quotes that mention the name', () => {
    const hits = library.searchQuotes({ query: 'peskov', limit: 10 });
    expect(speakersOf(hits)).toEqual(['Dmitry Peskov', 'Olena Zelenska']);
    expect(library.searchQuotes({ query: 'zelensky', limit: 10 }).every((h) => h.speaker === 'Volodymyr Zelensky')).toBe(true);
  });
});

describe('quote search by words', () => {
  const library = newsroomLibrary();

  it('ranks the quote with more of the words first, and leaves out quotes with none of them', () => {
    const hits = library.searchQuotes({ query: 'grain corridor lifeline africa', limit: 10 });
    expect(hits[0]!.quote).toBe('The corridor is a lifeline for grain buyers in Africa.');
    expect(hits.map((h) => h.quote).slice(1).sort()).toEqual([
      'Grain ships will sail from Odesa again this week, and we will protect them.',
      'Peskov is wrong about the corridor; it is safe.',
    ]);
    const scores = hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBeGreaterThan(scores[1]!);
  });

  it('matches whatever the case and punctuation, and finds quotes nobody is named for', () => {
    expect(library.searchQuotes({ query: 'NEVER forget!' }).map((h) => h.speaker)).toEqual(['Dmitry Peskov']);
    const unattributed = library.searchQuotes({ query: 'largest investment' });
    expect(unattributed).toHaveLength(1);
    expect(unattributed[0]!.speaker).toBeUndefined();
  });

  it('finds nothing for words no quote has', () => {
    expect(library.searchQuotes({ query: 'xylophone' })).toEqual([]);
  });

  it('narrows by speaker and by article, alone or together', () => {
    expect(library.searchQuotes({ query: 'corridor', speaker: 'guterres' }).map((h) => h.quote)).toEqual(['The corridor is a lifeline for grain buyers in Africa.']);
    expect(library.searchQuotes({ speaker: 'zelensky', article: 'kursk-engineers' }).map((h) => h.articleId)).toEqual(['kursk-engineers']);
    expect(library.searchQuotes({ speaker: 'zelensky', article: 'grain corridor' }).map((h) => h.articleId)).toEqual(['grain-corridor']);
    expect(library.searchQuotes({ query: 'help', article: 'grain-corridor' })).toEqual([]);
    expect(library.searchQuotes({ query: 'help', article: 'no such article' })).toEqual([]);
  });

  it('honours the limit', () => {
    expect(library.searchQuotes({ speaker: 'zelensky', limit: 1 })).toHaveLength(1);
    expect(library.searchQuotes({ article: 'grain-corridor', limit: 2 })).toHaveLength(2);
  });
});

describe('a quote hit', () => {
  it('carries the quote, speaker, role, article title, id and date, and the sentence it came from', () => {
    const [hit] = newsroomLibrary().searchQuotes({ query: 'two-thirds', speaker: 'zelensky' });
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

  it('has no role or date when the article gives none', () => {
    const [hit] = newsroomLibrary().searchQuotes({ speaker: 'ferrer' });
    expect(hit).toBeDefined();
    expect(hit!.role).toBeUndefined();
    expect(hit!.published).toBeUndefined();
    expect(hit!.articleTitle).toBe('Harbour authority approves Port Vell expansion');
  });
});

describe('finding an article from what a person typed', () => {
  const library = newsroomLibrary();

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
  ])('%j finds %s', (typed, id) => {
    expect(library.find(typed)?.briefing.id).toBe(id);
  });

  it.each(['', '   ', 'nothing like this', 'zz'])('%j finds nothing', (typed) => {
    expect(library.find(typed)).toBeUndefined();
  });
});

describe('listing, latest, speakers and suggestions', () => {
  const library = newsroomLibrary();

  it('lists newest first by publication date, undated articles by when they arrived', () => {
    const { items, total } = library.list();
    expect(total).toBe(3);
    expect(items.map((e) => e.briefing.id)).toEqual(['grain-corridor', 'kursk-engineers', 'harbour-expansion']);
    expect(library.latest()?.briefing.id).toBe('grain-corridor');
  });

  it('filters by words of the title, summary, id or tags, and pages', () => {
    expect(library.list({ query: 'russia' }).items.map((e) => e.briefing.id)).toEqual(['kursk-engineers']);
    expect(library.list({ query: 'Port Vell' }).items.map((e) => e.briefing.id)).toEqual(['harbour-expansion']);
    expect(library.list({ query: 'nothing here' })).toEqual({ items: [], total: 0 });
    const page2 = library.list({ limit: 2, offset: 2 });
    expect(page2.total).toBe(3);
    expect(page2.items.map((e) => e.briefing.id)).toEqual(['harbour-expansion']);
  });

  it('lists speakers most quoted first, narrowed by what was typed', () => {
    expect(library.speakers()[0]).toBe('Volodymyr Zelensky');
    expect(library.speakers()).toHaveLength(6);
    expect(library.speakers('zelen')).toEqual(['Volodymyr Zelensky', 'Olena Zelenska']);
    expect(library.speakers('', 2)).toHaveLength(2);
  });

  it('suggests articles by id or title words for autocomplete', () => {
    expect(library.suggestArticles('grain')).toEqual([{ id: 'grain-corridor', title: 'Ukraine reopens the Black Sea grain corridor' }]);
    expect(library.suggestArticles('Black Sea').map((s) => s.id)).toEqual(['grain-corridor']);
    expect(library.suggestArticles('').map((s) => s.id)).toEqual(['grain-corridor', 'kursk-engineers', 'harbour-expansion']);
    expect(library.suggestArticles('', 1)).toHaveLength(1);
  });
});

describe('adding to the library', () => {
  it('adds, ignores an unchanged re-ingest, and re-indexes the quotes of an updated article', () => {
    const library = createMemoryLibrary();
    const first = anEntry(aBriefing('a', { quotes: [aQuote('The old words of the mayor.', 'Ann Smith')] }), { contentHash: 'v1' });
    expect(library.add(first)).toEqual({ id: 'a', status: 'added' });
    expect(library.add({ ...first })).toEqual({ id: 'a', status: 'unchanged' });
    const second = anEntry(aBriefing('a', { quotes: [aQuote('The new words of the mayor.', 'Ann Smith')] }), { contentHash: 'v2' });
    expect(library.add(second)).toEqual({ id: 'a', status: 'updated' });
    expect(library.size).toBe(1);
    expect(library.searchQuotes({ query: 'old' })).toEqual([]);
    expect(library.searchQuotes({ speaker: 'smith' }).map((h) => h.quote)).toEqual(['The new words of the mayor.']);
  });
});
