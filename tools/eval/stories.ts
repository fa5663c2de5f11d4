import { z } from 'zod';

/**
 * Scoring a grouping of articles into stories against hand-made labels: B-cubed and pairwise
 * precision, recall and F1, for the whole set and for each split (`dev`, `held-out`).
 *
 * Two measures because they fail differently. B-cubed averages over articles, so a singleton
 * counts as much as an article of an eight-article story, and over-merging many singletons shows.
 * Pairwise counts same-story pairs, so it is dominated by the big stories, and one wrong merge of
 * two big stories shows. Both are standard for event clustering (Bagga & Baldwin 1998; Amigó et al.
 * 2009 show B-cubed is the one that satisfies their four constraints).
 *
 * Per split, the measures average over the articles of that split but keep the whole predicted
 * story: an article of the dev half wrongly merged with one of the held-out half costs precision
 * in both halves. The splits are made by story, so a gold story lies wholly in one split.
 */

export const StoryRecordSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  title: z.string().nullish(),
  text: z.string(),
  published: z.string().nullish(),
  outlet: z.string().nullish(),
  url: z.string().nullish(),
  story: z.union([z.string(), z.number()]).transform(String),
  split: z.string().nullish(),
});
export type StoryRecord = z.infer<typeof StoryRecordSchema>;

/** One article: its gold story, the story the engine put it in, and its split (if any). */
export interface ScoredItem {
  id: string;
  gold: string;
  predicted: string;
  split?: string | null;
}

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClusterScores {
  articles: number;
  goldStories: number;
  predictedStories: number;
  bcubed: PRF;
  pairwise: PRF & { predictedPairs: number; goldPairs: number; correctPairs: number };
}

export interface StoryReport {
  all: ClusterScores;
  splits: Record<string, ClusterScores>;
}

const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const pairs = (n: number): number => (n * (n - 1)) / 2;

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * Scores the items `inScope` (all by default) against the whole clustering `items`.
 * Precision with no predicted pairs, and recall with no gold pairs, are 1: nothing was claimed,
 * or nothing was there to find.
 */
export function scoreClustering(items: readonly ScoredItem[], inScope: (item: ScoredItem) => boolean = () => true): ClusterScores {
  const predictedSize = countBy(items, (i) => i.predicted);
  const goldSize = countBy(items, (i) => i.gold);
  const cellSize = countBy(items, (i) => `${i.predicted}\u0000${i.gold}`);
  const scope = items.filter(inScope);
  let precisionSum = 0;
  let recallSum = 0;
  for (const item of scope) {
    const both = cellSize.get(`${item.predicted}\u0000${item.gold}`)!;
    precisionSum += both / predictedSize.get(item.predicted)!;
    recallSum += both / goldSize.get(item.gold)!;
  }
  const n = scope.length;
  const bp = n === 0 ? 1 : precisionSum / n;
  const br = n === 0 ? 1 : recallSum / n;

  // Pairs that touch the scope: all pairs of a predicted story minus those with neither end in scope.
  const inScopeByPredicted = countBy(scope, (i) => i.predicted);
  let predictedPairs = 0;
  for (const [story, size] of predictedSize) predictedPairs += pairs(size) - pairs(size - (inScopeByPredicted.get(story) ?? 0));
  const scopeGold = new Set(scope.map((i) => i.gold));
  let goldPairs = 0;
  for (const story of scopeGold) goldPairs += pairs(goldSize.get(story)!);
  let correctPairs = 0;
  const seenCells = new Set<string>();
  for (const item of scope) {
    const cell = `${item.predicted}\u0000${item.gold}`;
    if (seenCells.has(cell)) continue;
    seenCells.add(cell);
    correctPairs += pairs(cellSize.get(cell)!);
  }
  const pp = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const pr = goldPairs === 0 ? 1 : correctPairs / goldPairs;
  return {
    articles: n,
    goldStories: scopeGold.size,
    predictedStories: new Set(scope.map((i) => i.predicted)).size,
    bcubed: { precision: bp, recall: br, f1: f1(bp, br) },
    pairwise: { precision: pp, recall: pr, f1: f1(pp, pr), predictedPairs, goldPairs, correctPairs },
  };
}

/** The whole set, and each split named by the items (in order of first appearance). */
export function storyReport(items: readonly ScoredItem[]): StoryReport {
  const splits: Record<string, ClusterScores> = {};
  for (const split of new Set(items.map((i) => i.split).filter((s): s is string => typeof s === 'string' && s !== ''))) {
    splits[split] = scoreClustering(items, (i) => i.split === split);
  }
  return { all: scoreClustering(items), splits };
}

const pct = (x: number): string => (100 * x).toFixed(1);

export function formatStoryReport(report: StoryReport): string {
  const rows: string[][] = [['set', 'articles', 'gold', 'found', 'B3 P', 'B3 R', 'B3 F1', 'pair P', 'pair R', 'pair F1']];
  const row = (name: string, s: ClusterScores): string[] => [
    name,
    String(s.articles),
    String(s.goldStories),
    String(s.predictedStories),
    pct(s.bcubed.precision),
    pct(s.bcubed.recall),
    pct(s.bcubed.f1),
    pct(s.pairwise.precision),
    pct(s.pairwise.recall),
    pct(s.pairwise.f1),
  ];
  for (const [name, scores] of Object.entries(report.splits)) rows.push(row(name, scores));
  rows.push(row('all', report.all));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const table = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
  return `${table}\n\ngold/found: stories in the labels / stories the engine made; B3 = B-cubed (mean over articles); pair = same-story pairs`;
}
