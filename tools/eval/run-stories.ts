import { z } from 'zod';
import { groupArticles, type StoryOptions } from '../../src/stories/index.js';
import { readJsonlRecords } from './read-input.js';
import { formatStoryReport, storyReport, StoryRecordSchema, type ScoredItem, type StoryReport } from './stories.js';

/**
 * `npm run eval -- stories <file.jsonl>`: the records are grouped in file order (their order of
 * arrival) by the same function as `briefbot stories --jsonl`, and the grouping is scored against
 * their `story` labels, for the whole set and each `split`.
 *
 * With `grouping`, a grouping made elsewhere is scored instead of the engine's: a JSON Lines file
 * of `{id, story}`, as `briefbot stories --jsonl` writes it, or another annotator's labels (how the
 * labelled set's second annotation is compared with the first).
 */

const GroupingSchema = z.object({ id: z.string().min(1), story: z.string().min(1) });

/** The story of every record from a grouping file; a record it leaves out, or an id it gives twice, is an error naming it. */
async function readGrouping(path: string, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await readJsonlRecords(path, GroupingSchema);
  const storyOf = new Map<string, string>();
  for (const row of rows) {
    if (storyOf.has(row.id)) throw new Error(`${path}: article "${row.id}" is given twice`);
    storyOf.set(row.id, row.story);
  }
  const missing = ids.filter((id) => !storyOf.has(id));
  if (missing.length > 0) throw new Error(`${path}: no story for ${missing.length} of the ${ids.length} articles (the first: "${missing[0]}")`);
  return storyOf;
}

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

export async function evalStories(
  path: string,
  options: { examples?: number; engine?: Partial<StoryOptions>; grouping?: string } = {},
): Promise<{ result: StoryEvalResult; text: string }> {
  const records = await readJsonlRecords(path, StoryRecordSchema);
  let predicted: string[];
  let stories: number;
  let copies = 0;
  let elapsed = 0;
  if (options.grouping) {
    const storyOf = await readGrouping(options.grouping, records.map((r) => r.id));
    predicted = records.map((r) => storyOf.get(r.id)!);
    stories = new Set(predicted).size;
  } else {
    const started = performance.now();
    const { assignments, index } = groupArticles(records, options.engine ?? {});
    elapsed = performance.now() - started;
    predicted = assignments.map((a) => a.story);
    const found = index.stories();
    stories = found.length;
    copies = found.reduce((n, s) => n + s.articles.length - s.reports.length, 0);
  }
  const items: ScoredItem[] = records.map((r, i) => ({ id: r.id, gold: r.story, predicted: predicted[i]!, split: r.split ?? null }));
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
  const result: StoryEvalResult = { file: path, report: storyReport(items), stories, copies, millisecondsPerArticle: elapsed / Math.max(1, records.length), errors };
  const text = [
    ...(errors.length ? [errors.join('\n\n'), ''] : []),
    options.grouping
      ? `Stories: ${records.length} articles from ${path}, in ${stories} stories as grouped by ${options.grouping}`
      : `Stories: ${records.length} articles from ${path}, grouped in file order into ${stories} stories (${copies} articles counted as copies of a report)`,
    '',
    formatStoryReport(result.report),
    ...(options.grouping ? [] : ['', `engine time: ${result.millisecondsPerArticle.toFixed(2)} ms per article (mean, including reading names and sketches)`]),
  ].join('\n');
  return { result, text };
}
