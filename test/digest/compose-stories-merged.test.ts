import { describe, expect, it } from 'vitest';
import { readPlainText, type Article } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import { composeStoryDigest, recordOf } from '../../src/digest/compose-stories.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import type { Library } from '../../src/library/library.js';
import type { LedgerFact, StoryLedger, StoryRecordForChannel } from '../../src/store/story-ledger.js';
import { createStoryBook, factsOf } from '../../src/stories/index.js';

/**
 * A story that absorbed another since the channel last heard: the channel's ledger holds what it
 * was told under the absorbed story's id (which the merged story lists in `merged`). The digest
 * must read it there, so the channel gets an update in the thread it has, not the whole story
 * again in a new thread.
 */

async function add(library: Library, article: Article): Promise<void> {
  await library.add({ briefing: createBriefing(article), ingestedAt: '2026-12-04T12:00:00.000Z', contentHash: `hash-${article.id}` }, { article });
}

async function libraryOf(articles: readonly Article[]): Promise<Library> {
  const library = createMemoryLibrary();
  for (const article of articles) await add(library, article);
  return library;
}

const fact = (key: string, value: string, toldAt: string): LedgerFact => ({ kind: 'figure', key, value, text: value, toldAt });

// Two halves of one event, far enough apart in wording to start two stories; a third report that
// tells both halves joins them (the grouping's own merge test, with its thresholds).
const GROUPING = { joinSimilarity: 0.5, mergeSimilarity: 0.2 };
const bridge = readPlainText('Part of the Harbor Street bridge collapsed into the Millbrook River, fire chief Daniel Reyes said. Two workers were hurt.', {
  id: 'h1',
  published: '2026-03-02T09:00:00Z',
  title: 'Harbor Street bridge collapses into Millbrook River',
});
const traffic = readPlainText('Drivers in Westport were sent to the Canal Road crossing, Mayor Linda Okafor said, and told to expect delays.', {
  id: 'h2',
  published: '2026-03-02T10:00:00Z',
  title: 'Westport traffic diverted to Canal Road crossing',
});
const both = readPlainText(`${bridge.blocks.map((b) => b.text).join(' ')} ${traffic.blocks.map((b) => b.text).join(' ')}`, {
  id: 'h3',
  published: '2026-03-02T11:00:00Z',
  title: 'Harbor Street bridge collapse sends Westport traffic to Canal Road',
});

describe('story digests after stories merged', () => {
  it('reads what the channel was told under a story merged into this one, and posts the update in its thread', async () => {
    const library = await libraryOf([bridge, traffic]);
    const stories = createStoryBook({ library, grouping: GROUPING });
    await stories.refresh();
    expect((await stories.search({ limit: 5 })).map((s) => s.id).sort()).toEqual(['h1', 'h2']);
    // The channel was told of the traffic story, in a thread.
    const toldFacts = factsOf(await stories.card((await stories.story('h2'))!)).map((f) => ({ ...f, toldAt: '2026-03-02T12:00:00.000Z' }));
    const records = new Map<string, StoryRecordForChannel>([['h2', { facts: toldFacts, thread: 'thread-of-h2' }]]);
    const asked: string[][] = [];
    const ledger: StoryLedger = {
      told: async (_subscription, ids) => {
        asked.push([...ids]);
        return new Map([...records].filter(([id]) => ids.includes(id)));
      },
      forget: async () => 0,
    };

    await add(library, both);
    const { items } = await library.list({ limit: 1 });
    const digest = await composeStoryDigest(
      { stories, ledger },
      { id: 1, threads: true, unchanged: 'line' },
      { entries: items, left: 0, throughPosition: 3, first: false },
      { timezone: 'UTC' },
    );

    const merged = (await stories.story('h2'))!;
    expect(merged).toMatchObject({ id: 'h1', articles: ['h1', 'h2', 'h3'], merged: ['h2'] });
    // One ledger read, for the story and the story merged into it.
    expect(asked).toEqual([['h1', 'h2']]);
    expect(digest!.items).toHaveLength(1);
    const [item] = digest!.items;
    expect(item!.story).toBe('h1');
    expect(item!.thread).toEqual({ mode: 'reply', ref: 'thread-of-h2', name: merged.title });
    expect(item!.card.title).toBe(`Update: ${merged.title}`);
    // What the channel was told of the traffic story is not said again.
    expect(JSON.stringify(item!.card)).not.toContain('Canal Road crossing, Mayor Linda Okafor said');
    // From now on the channel's record is under the merged story's id, with the thread it had.
    expect(digest!.tellings.map((t) => [t.story, t.thread])).toEqual([['h1', 'thread-of-h2']]);
  });

  it('joins the records: the later telling of a fact wins, and the story keeps its own thread', () => {
    const story = { id: 's1', merged: ['s2', 's3'] };
    const told = new Map<string, StoryRecordForChannel>([
      ['s1', { facts: [fact('figure:killed|', '40', '2026-12-02T18:00:00.000Z')], thread: 'own' }],
      ['s2', { facts: [fact('figure:killed|', '52', '2026-12-03T18:00:00.000Z'), fact('figure:evacuated|', '1,200', '2026-12-03T18:00:00.000Z')], thread: 'merged' }],
      ['unrelated', { facts: [fact('figure:x|', '1', '2026-12-05T18:00:00.000Z')] }],
    ]);
    const record = recordOf(story, told)!;
    expect(record.thread).toBe('own');
    expect(record.facts.map((f) => [f.key, f.value])).toEqual([
      ['figure:killed|', '52'],
      ['figure:evacuated|', '1,200'],
    ]);
    // Without a thread of its own, the thread of the merged story told most recently.
    told.set('s1', { facts: [fact('figure:killed|', '40', '2026-12-02T18:00:00.000Z')] });
    told.set('s3', { facts: [fact('figure:y|', '2', '2026-12-01T18:00:00.000Z')], thread: 'older' });
    expect(recordOf(story, told)!.thread).toBe('merged');
    told.set('s3', { facts: [fact('figure:y|', '2', '2026-12-04T18:00:00.000Z')], thread: 'newer' });
    expect(recordOf(story, told)!.thread).toBe('newer');
    // Nothing merged: the story's own record as it is.
    expect(recordOf({ id: 's1', merged: [] }, told)).toBe(told.get('s1'));
    expect(recordOf({ id: 's9', merged: [] }, told)).toBeUndefined();
  });
});
