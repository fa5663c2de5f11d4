import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalStories } from '../../tools/eval/run-stories.js';
import { bridgeGazette, bridgeHerald, libraryOpening, stormOwnReport, stormWire1, stormWire2, unrelated } from '../unit/stories/articles.js';

// `npm run eval -- stories` on a tiny labelled file written for the test, in a temporary folder.

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'briefbot-eval-stories-'));
  const labelled = [
    { ...unrelated[0]!, story: 'chip', split: 'dev' },
    { ...bridgeGazette, story: 'bridge', split: 'dev' },
    { ...stormWire1, story: 'storm', split: 'held-out' },
    { ...libraryOpening, story: 'library', split: 'dev' },
    { ...bridgeHerald, story: 'bridge', split: 'dev' },
    { ...stormWire2, story: 'storm', split: 'held-out' },
    { ...stormOwnReport, story: 'storm', split: 'held-out' },
  ];
  writeFileSync(join(dir, 'stories.jsonl'), labelled.map((r) => JSON.stringify(r)).join('\n') + '\n');
  // The library opening labelled as part of the bridge story: the engine keeps it apart, which costs recall.
  writeFileSync(join(dir, 'mislabelled.jsonl'), labelled.map((r) => JSON.stringify(r.id === 'gazette-library' ? { ...r, story: 'bridge' } : r)).join('\n') + '\n');
  writeFileSync(join(dir, 'no-story.jsonl'), JSON.stringify({ id: 'a', text: 'Words.' }) + '\n');
  // Groupings made elsewhere, as {id, story} lines: the labels themselves, one that puts the
  // library opening in the bridge story, one that forgets a record, one that gives a record twice.
  const grouping = (rows: Array<{ id: string; story: string }>): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  writeFileSync(join(dir, 'as-labelled.jsonl'), grouping(labelled.map((r) => ({ id: r.id, story: r.story }))));
  writeFileSync(join(dir, 'library-in-bridge.jsonl'), grouping(labelled.map((r) => ({ id: r.id, story: r.id === 'gazette-library' ? 'bridge' : r.story }))));
  writeFileSync(join(dir, 'short.jsonl'), grouping(labelled.slice(1).map((r) => ({ id: r.id, story: r.story }))));
  writeFileSync(join(dir, 'twice.jsonl'), grouping([...labelled, labelled[0]!].map((r) => ({ id: r.id, story: r.story }))));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('eval stories', () => {
  it('groups the records in file order and scores them per split and overall', async () => {
    const { result, text } = await evalStories(join(dir, 'stories.jsonl'));
    expect(result.stories).toBe(4);
    expect(result.copies).toBe(1);
    for (const scores of [result.report.all, result.report.splits['dev']!, result.report.splits['held-out']!]) {
      expect(scores.bcubed.f1).toBe(1);
      expect(scores.pairwise.f1).toBe(1);
    }
    expect(result.report.all.pairwise.goldPairs).toBe(4);
    expect(text).toMatch(/^all\s+7\s+4\s+4\s+100\.0/m);
  });

  it('shows a labelled story the engine split, with --examples', async () => {
    const { result } = await evalStories(join(dir, 'mislabelled.jsonl'), { examples: 5 });
    // bridge has 3 labelled articles, found as 2 + 1: recall 2/3 for the two, 1/3 for the library.
    expect(result.report.splits['dev']!.bcubed.recall).toBeCloseTo((1 + 2 / 3 + 2 / 3 + 1 / 3) / 4, 10);
    expect(result.errors.join('\n')).toMatch(/split bridge:[\s\S]*Mayor Okafor opens new Westport library/);
  });

  it('scores a grouping made elsewhere ({id, story} lines) instead of running the engine', async () => {
    const same = await evalStories(join(dir, 'stories.jsonl'), { grouping: join(dir, 'as-labelled.jsonl') });
    expect(same.result.report.all.pairwise.f1).toBe(1);
    expect(same.result.stories).toBe(4);
    expect(same.text).toContain('in 4 stories as grouped by');
    expect(same.text).not.toContain('engine time');
    // The library opening put with the bridge pair: two wrong pairs of three predicted in dev, none missed.
    const merged = await evalStories(join(dir, 'stories.jsonl'), { grouping: join(dir, 'library-in-bridge.jsonl') });
    expect(merged.result.report.splits['dev']!.pairwise).toMatchObject({ precision: 1 / 3, recall: 1 });
    expect(merged.result.report.splits['held-out']!.pairwise.f1).toBe(1);
  });

  it('refuses a grouping that leaves a record out or gives one twice, naming it', async () => {
    await expect(evalStories(join(dir, 'stories.jsonl'), { grouping: join(dir, 'short.jsonl') })).rejects.toThrow(/short\.jsonl: no story for 1 of the 7 articles \(the first: "[^"]+"\)/);
    await expect(evalStories(join(dir, 'stories.jsonl'), { grouping: join(dir, 'twice.jsonl') })).rejects.toThrow(/twice\.jsonl: article "[^"]+" is given twice/);
  });

  it('names the line of a record without a story', async () => {
    await expect(evalStories(join(dir, 'no-story.jsonl'))).rejects.toThrow(/no-story\.jsonl:1: "story"/);
  });
});
