import { describe, expect, it } from 'vitest';
import { formatStoryReport, scoreClustering, storyReport, StoryRecordSchema, type ScoredItem } from '../../tools/eval/stories.js';

// Tiny clusterings written for these tests, with the answers worked out by hand in the comments.
const items = (gold: string, predicted: string, split?: string): ScoredItem[] =>
  [...gold].map((g, i) => ({ id: `a${i}`, gold: g, predicted: predicted[i]!, ...(split ? { split: split[i] === 'd' ? 'dev' : 'held-out' } : {}) }));

describe('scoreClustering', () => {
  it('scores a split story and a wrong merge (gold abc|de, found ab|cde)', () => {
    // B-cubed precision per article: 1, 1, 1/3, 2/3, 2/3 → 11/15; recall: 2/3, 2/3, 1/3, 1, 1 → 11/15.
    // Pairs found ab cd ce de, gold ab ac bc de, correct ab de: 2/4 and 2/4.
    const s = scoreClustering(items('XXXYY', 'PPQQQ'));
    expect(s.bcubed.precision).toBeCloseTo(11 / 15, 10);
    expect(s.bcubed.recall).toBeCloseTo(11 / 15, 10);
    expect(s.bcubed.f1).toBeCloseTo(11 / 15, 10);
    expect(s.pairwise).toMatchObject({ predictedPairs: 4, goldPairs: 4, correctPairs: 2, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(s).toMatchObject({ articles: 5, goldStories: 2, predictedStories: 2 });
  });

  it('gives 1 everywhere for a perfect grouping, whatever the story names', () => {
    const s = scoreClustering(items('XXYZZZ', 'qqrsss'));
    expect(s.bcubed).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(s.pairwise).toMatchObject({ precision: 1, recall: 1, f1: 1, correctPairs: 4 });
  });

  it('counts all singletons right when the labels are all singletons (no pairs either side)', () => {
    const s = scoreClustering(items('WXYZ', 'abcd'));
    expect(s.bcubed.f1).toBe(1);
    expect(s.pairwise).toMatchObject({ precision: 1, recall: 1, predictedPairs: 0, goldPairs: 0 });
  });

  it('punishes one big story made of singletons', () => {
    // B-cubed precision 1/4 per article, recall 1; six pairs found, none right.
    const s = scoreClustering(items('WXYZ', 'PPPP'));
    expect(s.bcubed.precision).toBeCloseTo(0.25, 10);
    expect(s.bcubed.recall).toBe(1);
    expect(s.bcubed.f1).toBeCloseTo(0.4, 10);
    expect(s.pairwise).toMatchObject({ predictedPairs: 6, correctPairs: 0, precision: 0, recall: 1, f1: 0 });
  });

  it('punishes leaving every article alone through recall only', () => {
    // gold XXX: recall 1/3 per article; no pairs found, so pairwise precision is vacuously 1, recall 0.
    const s = scoreClustering(items('XXX', 'abc'));
    expect(s.bcubed.precision).toBe(1);
    expect(s.bcubed.recall).toBeCloseTo(1 / 3, 10);
    expect(s.pairwise).toMatchObject({ precision: 1, recall: 0, f1: 0, goldPairs: 3 });
  });
});

describe('storyReport', () => {
  it('scores each split over its own articles but charges a merge across splits to both', () => {
    // a0, a1 (dev, gold X) and a2 (held-out, gold Y), all found as one story P.
    const report = storyReport(items('XXY', 'PPP', 'ddh'));
    const dev = report.splits['dev']!;
    // dev: precision 2/3 each, recall 1; pairs touching dev: 3, gold 1, correct 1.
    expect(dev.bcubed.precision).toBeCloseTo(2 / 3, 10);
    expect(dev.bcubed.recall).toBe(1);
    expect(dev.pairwise).toMatchObject({ predictedPairs: 3, goldPairs: 1, correctPairs: 1 });
    expect(dev.pairwise.precision).toBeCloseTo(1 / 3, 10);
    // held-out: precision 1/3, recall 1; pairs touching it: a0-a2 and a1-a2, none right.
    const held = report.splits['held-out']!;
    expect(held.bcubed.precision).toBeCloseTo(1 / 3, 10);
    expect(held.pairwise).toMatchObject({ predictedPairs: 2, goldPairs: 0, correctPairs: 0, precision: 0, recall: 1 });
    // all: precision (2/3 + 2/3 + 1/3) / 3 = 5/9.
    expect(report.all.bcubed.precision).toBeCloseTo(5 / 9, 10);
    expect(report.all.pairwise).toMatchObject({ predictedPairs: 3, goldPairs: 1, correctPairs: 1 });
  });

  it('has no splits when the records name none, and prints a table with a row per split and the whole', () => {
    expect(storyReport(items('XXY', 'PPQ')).splits).toEqual({});
    const text = formatStoryReport(storyReport(items('XXY', 'PPQ', 'ddh')));
    expect(text).toMatch(/^dev\s+2\s+1\s+1\s+100\.0/m);
    expect(text).toMatch(/^held-out\s+1\s+1\s+1\s+100\.0/m);
    expect(text).toMatch(/^all\s+3\s+2\s+2\s+100\.0/m);
  });
});

describe('StoryRecordSchema', () => {
  it('needs text and story, takes numbers as ids and missing fields as absent', () => {
    expect(StoryRecordSchema.parse({ id: 7, text: 'x', story: 3 })).toMatchObject({ id: '7', story: '3' });
    expect(StoryRecordSchema.safeParse({ id: 'a', text: 'x' }).success).toBe(false);
  });
});
