import { basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { articleFromRecord } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import {
  checkReferents,
  evaluateQuotes,
  formatQuoteReport,
  goldSpeakerOf,
  parseGoldJsonl,
  parseReferentsJsonl,
  type PredictedQuote,
  type Referents,
} from './quote-metrics.js';
import { readText } from './read-input.js';
import { createProgress } from '../../src/util/index.js';

/**
 * `npm run eval -- quotes <file.jsonl> [--referents <file>]`: briefs each annotated article and
 * scores its direct quotes and their speakers. Pronoun and description speakers stand for the
 * frozen referents of `--referents`, by default, for a file named `quotes-dev.jsonl`, the committed
 * hand-checked file (tools/eval/gold/README.md); with no referents they stand for no one.
 */

/** The committed, hand-checked referents of the development set (tools/eval/gold/README.md). */
export const DEV_REFERENTS = fileURLToPath(new URL('./gold/quotes-dev.referents.jsonl', import.meta.url));

export async function evalQuotes(path: string, options: { examples?: number; referents?: string }): Promise<{ report: ReturnType<typeof evaluateQuotes>; text: string }> {
  const gold = parseGoldJsonl(await readText(path), path);
  const referentsPath = options.referents ?? (basename(path) === 'quotes-dev.jsonl' ? DEV_REFERENTS : undefined);
  let referents: Referents = new Map();
  if (referentsPath !== undefined) {
    referents = parseReferentsJsonl(await readText(referentsPath), referentsPath);
    checkReferents(gold, referents, referentsPath);
  }
  const predictions = new Map<string, PredictedQuote[]>();
  const progress = createProgress({ label: 'briefing articles', total: gold.length });
  for (const article of gold) {
    progress.tick();
    const briefing = createBriefing(articleFromRecord({ id: article.id, title: article.title ?? null, text: article.text }));
    predictions.set(
      article.id,
      // The gold set's `direct` quotes are whole quoted sentences: our `direct` kind. Partial
      // quotes (quoted words inside the writer's sentence) correspond to its `mixed` type.
      briefing.quotes.filter((q) => q.kind === 'direct').map((q) => ({ text: q.text, ...(q.speaker ? { speaker: q.speaker } : {}) })),
    );
  }
  progress.done();
  const report = evaluateQuotes(gold, predictions, { referents });
  let text = formatQuoteReport(report, referentsPath === undefined ? 'none' : relative(process.cwd(), referentsPath) || referentsPath);
  if (options.examples) text += '\n\n' + quoteExamples(gold, predictions, report, referents, options.examples);
  return { report, text };
}

/** Examples of each kind of error at the strict threshold, for reading, not scoring. */
function quoteExamples(
  gold: ReturnType<typeof parseGoldJsonl>,
  predictions: Map<string, PredictedQuote[]>,
  report: ReturnType<typeof evaluateQuotes>,
  referents: Referents,
  limit: number,
): string {
  const fps: string[] = [];
  const fns: string[] = [];
  const speakers: string[] = [];
  for (const result of report.perArticle) {
    const article = gold.find((a) => a.id === result.id)!;
    const preds = predictions.get(result.id) ?? [];
    const strict = result.matches[result.matches.length - 1]!;
    const matchedPred = new Set(strict.pairs.map((p) => p.predicted));
    const matchedGold = new Set(strict.pairs.map((p) => p.gold));
    preds.forEach((p, i) => {
      if (!matchedPred.has(i)) fps.push(`FP [${result.id}] “${p.text.slice(0, 160)}” — ${p.speaker ?? '?'}`);
    });
    article.quotes.forEach((q, i) => {
      if (q.type === 'direct' && !matchedGold.has(i)) fns.push(`FN [${result.id}] ${q.quote.slice(0, 160)} — ${q.speaker ?? '?'}`);
    });
    for (const pair of strict.pairs) {
      if (pair.verdict === 'wrong' || pair.verdict === 'missing') {
        const g = article.quotes[pair.gold]!;
        const s = goldSpeakerOf(article, pair.gold, referents);
        const referent = s.kind === 'name' ? '' : ` -> ${s.referent === undefined ? '(no referent line)' : (s.referent ?? '(never named)')}`;
        speakers.push(`SPK [${result.id}] ${g.quote.slice(0, 100)} — gold "${s.span}"${referent} / ours "${preds[pair.predicted]!.speaker ?? '(none)'}"`);
      }
    }
  }
  return [...fps.slice(0, limit), '', ...fns.slice(0, limit), '', ...speakers.slice(0, limit)].join('\n');
}

