import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import { composeStoryDigest, recordOf } from '../../src/digest/compose-stories.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import type { Library } from '../../src/library/library.js';
import type { LedgerFact, StoryLedger, StoryRecordForChannel } from '../../src/store/story-ledger.js';
import { createStoryBook, factsOf } from '../../src/stories/index.js';
import { PORTO_DAY_ONE, PORTO_DAY_THREE } from '../fixtures/stories/porto-floods.js';

/**
 * A story that absorbed another since the channel last heard: the channel's ledger holds what it
 * was told under the absorbed story's id (the id of its first article, now an article of the merged
 * story). The digest must read it there, so the channel gets an update in the thread it has, not
 * the whole story again in a new thread.
 */

async function libraryOf(articles: readonly Article[]): Promise<Library> {
  const library = createMemoryLibrary();
  for (const article of articles) {
    await library.add({ briefing: createBriefing(article), ingestedAt: '2026-12-04T12:00:00.000Z', contentHash: `hash-${article.id}` }, { article });
  }
  return library;
}

const fact = (key: string, value: string, toldAt: string): LedgerFact => ({ kind: 'figure', key, value, text: value, toldAt });

describe('story digests after stories merged', () => {
  it('reads what the channel was told under a story merged into this one, and posts the update in its thread', async () => {
    // What the channel was told on day one, recorded under the AP article's id, as if AP's report had been a story of its own.
    const dayOne = createStoryBook({ library: await libraryOf(PORTO_DAY_ONE) });
    await dayOne.refresh();
    const toldFacts = factsOf(await dayOne.card((await dayOne.storyOf('porto-floods-ap'))!)).map((f) => ({ ...f, toldAt: '2026-12-02T18:00:00.000Z' }));
    const records = new Map<string, StoryRecordForChannel>([['porto-floods-ap', { facts: toldFacts, thread: 'thread-of-ap' }]]);
    const asked: string[][] = [];
    const ledger: StoryLedger = {
      told: async (_subscription, ids) => {
        asked.push([...ids]);
        return new Map([...records].filter(([id]) => ids.includes(id)));
      },
      forget: async () => 0,
    };

    const library = await libraryOf([...PORTO_DAY_ONE, PORTO_DAY_THREE]);
    const stories = createStoryBook({ library });
    const { items } = await library.list({ limit: 10 });
    const digest = await composeStoryDigest(
      { stories, ledger },
      { id: 1, threads: true, unchanged: 'line' },
      { entries: items, left: 0, throughPosition: items.length, first: false },
      { timezone: 'UTC' },
    );

    expect(asked).toHaveLength(1);
    expect(asked[0]).toEqual(expect.arrayContaining(['porto-floods-reuters', 'porto-floods-ap']));
    expect(digest!.items).toHaveLength(1);
    const [item] = digest!.items;
    expect(item!.story).toBe('porto-floods-reuters');
    expect(item!.thread).toEqual({ mode: 'reply', ref: 'thread-of-ap', name: 'Floods kill 40 in Porto as the Douro bursts its banks' });
    expect(item!.card.title).toMatch(/^Update: /);
    expect(JSON.stringify(item!.card)).toContain('40 → 52');
    expect(JSON.stringify(item!.card)).not.toContain('We have never seen the water rise this fast');
    // From now on the channel's record is under the merged story's id, with the thread it had.
    expect(digest!.tellings.map((t) => [t.story, t.thread])).toEqual([['porto-floods-reuters', 'thread-of-ap']]);
  });

  it('joins the records: the later telling of a fact wins, and the story keeps its own thread', () => {
    const story = { id: 's1', articles: ['s1', 'a2', 'a3'] };
    const told = new Map<string, StoryRecordForChannel>([
      ['s1', { facts: [fact('figure:killed|', '40', '2026-12-02T18:00:00.000Z')], thread: 'own' }],
      ['a2', { facts: [fact('figure:killed|', '52', '2026-12-03T18:00:00.000Z'), fact('figure:evacuated|', '1,200', '2026-12-03T18:00:00.000Z')], thread: 'merged' }],
      ['unrelated', { facts: [fact('figure:x|', '1', '2026-12-05T18:00:00.000Z')] }],
    ]);
    const record = recordOf(story, told)!;
    expect(record.thread).toBe('own');
    expect(record.facts.map((f) => [f.key, f.value])).toEqual([
      ['figure:killed|', '52'],
      ['figure:evacuated|', '1,200'],
    ]);
    // Without a thread of its own, the most recently told merged story's thread.
    told.set('s1', { facts: [fact('figure:killed|', '40', '2026-12-02T18:00:00.000Z')] });
    told.set('a3', { facts: [fact('figure:y|', '2', '2026-12-01T18:00:00.000Z')], thread: 'older' });
    expect(recordOf(story, told)!.thread).toBe('merged');
    // Nothing merged: the story's own record as it is.
    expect(recordOf({ id: 's9', articles: ['s9'] }, told)).toBeUndefined();
  });
});
