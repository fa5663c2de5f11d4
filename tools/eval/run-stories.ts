import { groupArticles, type StoryOptions } from '../../src/stories/index.js';
import { readJsonlRecords } from './read-input.js';
import { formatStoryReport, storyReport, StoryRecordSchema, type ScoredItem, type StoryReport } from './stories.js';

/**
 * `npm run eval -- stories <file.jsonl>`: the records are grouped in file order (their order of
 * arrival) by the same function as `briefbot stories --jsonl`, and the grouping is scored against
 * their `story` labels, for the whole set and each `split`.
 */

export interface StoryEvalResult {
  file: string;
  report: StoryReport;
  stories: number;
  /** Articles counted as copies of a report their story already had. */
  copies: number;
  millisecondsPerArticle: number;
  /** Gold stories split over several found stories, and found stories mixing gold stories (with --examples). */
  errors: string[];
}

export async function evalStories(path: string, options: { examples?: number; engine?: Partial<StoryOptions> } = {}): Promise<{ result: StoryEvalResult; text: string }> {
  const records = await readJsonlRecords(path, StoryRecordSchema);
  const started = performance.now();
  const { assignments, index } = groupArticles(records, options.engine ?? {});
  const elapsed = performance.now() - started;
  const items: ScoredItem[] = records.map((r, i) => ({ id: r.id, gold: r.story, predicted: assignments[i]!.story, split: r.split ?? null }));
  const stories = index.stories();
  const copies = stories.reduce((n, s) => n + s.articles.length - s.reports.length, 0);
  const errors: string[] = [];
  if (options.examples) {
    const titleOf = new Map(records.map((r) => [r.id, `${r.published ?? '-'} ${r.outlet ?? '-'}: ${r.title ?? r.text.slice(0, 80)}`]));
    const byPredicted = new Map<string, ScoredItem[]>();
    for (const item of items) byPredicted.set(item.predicted, [...(byPredicted.get(item.predicted) ?? []), item]);
    for (const [story, members] of byPredicted) {
      if (new Set(members.map((m) => m.gold)).size > 1 && errors.length < options.examples) {
        errors.push(`merged in ${story}:\n${members.map((m) => `  [${m.gold}] ${titleOf.get(m.id)}`).join('\n')}`);
      }
    }
    const byGold = new Map<string, ScoredItem[]>();
    for (const item of items) byGold.set(item.gold, [...(byGold.get(item.gold) ?? []), item]);
    for (const [gold, members] of byGold) {
      if (new Set(members.map((m) => m.predicted)).size > 1 && errors.length < 2 * options.examples) {
        errors.push(`split ${gold}:\n${members.map((m) => `  (${m.predicted}) ${titleOf.get(m.id)}`).join('\n')}`);
      }
    }
  }
  const result: StoryEvalResult = { file: path, report: storyReport(items), stories: stories.length, copies, millisecondsPerArticle: elapsed / Math.max(1, records.length), errors };
  const text = [
    ...(errors.length ? [errors.join('\n\n'), ''] : []),
    `Stories: ${records.length} articles from ${path}, grouped in file order into ${stories.length} stories (${copies} articles counted as copies of a report)`,
    '',
    formatStoryReport(result.report),
    '',
    `engine time: ${result.millisecondsPerArticle.toFixed(2)} ms per article (mean, including reading names and sketches)`,
  ].join('\n');
  return { result, text };
}
