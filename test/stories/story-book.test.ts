import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/index.js';
import { readPlainText } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import type { Library } from '../../src/library/library.js';
import type { LedgerFact } from '../../src/store/story-ledger.js';
import { createStoryBook, factsOf, newsFor, type StoryBook } from '../../src/stories/index.js';
import { PORTO_DAY_ONE, PORTO_DAY_THREE } from '../fixtures/stories/porto-floods.js';

/**
 * The story book over a library, the story card and what is new for a channel, on articles
 * written for them (test/fixtures/stories/porto-floods.ts) and briefed by the real engine.
 */

async function add(library: Library, article: Article): Promise<void> {
  await library.add({ briefing: createBriefing(article), ingestedAt: '2026-12-04T12:00:00.000Z', contentHash: `hash-${article.id}` }, { article });
}

/** A story book caught up with the library, as callers use it. */
async function bookOf(library: Library, options: Omit<Parameters<typeof createStoryBook>[0], 'library'> = {}): Promise<StoryBook> {
  const book = createStoryBook({ library, ...options });
  await book.refresh();
  return book;
}

async function dayOne(): Promise<{ library: Library; told: LedgerFact[] }> {
  const library = createMemoryLibrary();
  for (const a of PORTO_DAY_ONE) await add(library, a);
  const book = await bookOf(library);
  const story = (await book.storyOf('porto-floods-bbc'))!;
  const told = factsOf(await book.card(story)).map((f) => ({ ...f, toldAt: '2026-12-02T18:00:00.000Z' }));
  return { library, told };
}

describe('story book', () => {
  it('groups three outlets on one event into one story, and catches up with articles added later', async () => {
    const library = createMemoryLibrary();
    for (const a of PORTO_DAY_ONE) await add(library, a);
    const book = await bookOf(library);
    const story = (await book.storyOf('porto-floods-ap'))!;
    expect(story.articles).toEqual(['porto-floods-reuters', 'porto-floods-ap', 'porto-floods-bbc']);
    expect(story.outlets).toEqual(['Reuters', 'AP', 'BBC']);
    await add(library, PORTO_DAY_THREE);
    // Lookups answer from what was caught up with; refresh reads what was added since.
    expect(await book.storyOf('porto-floods-afp')).toBeUndefined();
    await book.refresh();
    expect((await book.storyOf('porto-floods-afp'))?.id).toBe(story.id);
    expect((await book.story('porto-floods-afp'))?.articles).toHaveLength(4);
    expect((await book.search({ words: 'douro' })).map((s) => s.id)).toEqual([story.id]);
    expect(await book.search({ words: 'volcano' })).toEqual([]);
  });

  it('shares one catch-up among refreshes made while it waits, and still sees what was added before each', async () => {
    const library = createMemoryLibrary();
    let reads = 0;
    const counted: Library = { ...library, addedSince: (position, limit) => (reads++, library.addedSince(position, limit)) } as Library;
    const book = createStoryBook({ library: counted });
    await add(library, PORTO_DAY_ONE[0]!);
    // One catch-up runs; the hundred calls made meanwhile share the one queued after it.
    await Promise.all(Array.from({ length: 100 }, () => book.refresh()));
    expect(reads).toBeLessThanOrEqual(4);
    const before = reads;
    const running = book.refresh();
    await add(library, PORTO_DAY_ONE[1]!);
    // A refresh asked after an article was added sees it, though a catch-up was running when it was asked.
    await Promise.all([running, book.refresh()]);
    expect(reads).toBeGreaterThan(before);
    expect((await book.storyOf(PORTO_DAY_ONE[1]!.id))?.articles).toEqual([PORTO_DAY_ONE[0]!.id, PORTO_DAY_ONE[1]!.id]);
  });

  it('groups the same way in every process reading the library: two books, the same stories', async () => {
    const library = createMemoryLibrary();
    for (const a of [...PORTO_DAY_ONE, PORTO_DAY_THREE]) await add(library, a);
    const unrelated = readPlainText('The Oslo opera house opened a new season with a Grieg festival.', { id: 'oslo-opera', outlet: 'NRK', published: '2026-12-03T10:00:00Z', title: 'Oslo opera opens Grieg season' });
    await add(library, unrelated);
    const [a, b] = [await bookOf(library), await bookOf(library, { batch: 1 })];
    const ids = async (book: typeof a) => (await book.search({ limit: 10 })).map((s) => `${s.id}:${s.articles.length}`).sort();
    expect(await ids(a)).toEqual(await ids(b));
    expect(await ids(a)).toEqual(['oslo-opera:1', 'porto-floods-reuters:4']);
  });

  it('draws the card from every outlet: the agreed toll lined up, coverage counted', async () => {
    const library = createMemoryLibrary();
    for (const a of PORTO_DAY_ONE) await add(library, a);
    const book = await bookOf(library);
    const card = await book.card((await book.storyOf('porto-floods-ap'))!);
    expect(card.coverage.outlets).toEqual(['Reuters', 'AP', 'BBC']);
    expect(card.figures.map((l) => [l.measure, l.kind])).toEqual([['people killed', 'agreement']]);
    expect(card.quotes.map((g) => g.speaker)).toEqual(['Rui Moreira']);
  });
});

describe('what is new for a channel', () => {
  it('a channel never told the story gets it whole', async () => {
    const { library } = await dayOne();
    const book = await bookOf(library);
    const card = await book.card((await book.storyOf('porto-floods-ap'))!);
    expect(newsFor(card, undefined)).toMatchObject({ firstTime: true, material: true });
  });

  it('after a later report: the changed toll with what the channel was told, the new fact, the new quote, the new outlet, and nothing old', async () => {
    const { library, told } = await dayOne();
    await add(library, PORTO_DAY_THREE);
    const book = await bookOf(library);
    const news = newsFor(await book.card((await book.storyOf('porto-floods-afp'))!), told);
    expect(news.firstTime).toBe(false);
    expect(news.figures).toEqual([
      { measure: 'people killed', now: '52 (the civil protection agency, as of 2026-12-04)', value: '52', was: expect.objectContaining({ value: '40', toldAt: '2026-12-02T18:00:00.000Z' }) },
    ]);
    // The sentence with the new toll is news too: a point with another number is never taken as one told.
    expect(news.points).toEqual([
      'The floods have now killed 52 people in Porto, the civil protection agency said on Friday, as the Douro river began to fall.',
      'The European Commission pledged 30 million euros in emergency aid for the Porto region.',
    ]);
    expect(news.quotes).toEqual([{ text: 'Every family that lost a home will be helped to rebuild', speaker: 'Luis Montenegro', outlet: 'AFP' }]);
    expect(news.outlets).toEqual(['AFP']);
    expect(news.material).toBe(true);
  });

  it('nothing material when the story has not moved: told again, or only one more outlet carrying the same text', async () => {
    const { library, told } = await dayOne();
    const book = await bookOf(library);
    expect(newsFor(await book.card((await book.storyOf('porto-floods-ap'))!), told)).toMatchObject({ material: false, points: [], figures: [], quotes: [], outlets: [] });
    // A reprint of Reuters' text by another outlet: one more outlet, no new fact.
    const reuters = PORTO_DAY_ONE[0]!;
    await add(library, { ...reuters, id: 'porto-floods-reprint', outlet: 'Gazette', published: '2026-12-02T12:00:00Z' });
    await book.refresh();
    const news = newsFor(await book.card((await book.storyOf('porto-floods-reprint'))!), told);
    expect(news).toMatchObject({ material: false, outlets: ['Gazette'], points: [], figures: [], quotes: [] });
  });
});
