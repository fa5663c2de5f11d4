import { parseArgs } from 'node:util';
import { z } from 'zod';
import { articleFromRecord } from '../../src/articles/index.js';
import { DEFAULT_WEIGHTS, listSentences, type SummaryWeights } from '../../src/briefing/index.js';
import {
  buildDocument,
  classifyAll,
  FEATURE_NAMES,
  scoreFeatures,
  selectKeyPoints,
  sentenceCandidates,
  type Features,
  type SentenceCandidate,
} from '../../src/briefing/internals.js';
import { halfOf } from './halves.js';
import { EvalInputError, readJsonlRecords } from './read-input.js';
import { meanRouge, scoreRouge, type RougeScores } from './rouge/index.js';

/**
 * Fits the summarizer's feature weights: logistic regression of "is this sentence in the greedy
 * ROUGE oracle summary?" over the candidates' features, L2-regularised.
 *
 * There is no training set of summaries, only the development set, so it is cut in the two fixed
 * halves of halves.ts (by a hash of the record id): the weights are fitted on half A (training;
 * the regularisation and the redundancy penalty are chosen by 5-fold cross-validation over A's
 * documents), and ROUGE of the chosen key points is reported on half B (development) only, beside
 * Lead-3 and the engine's DEFAULT_WEIGHTS. Half B never informs the fit, so its numbers say how
 * fitted weights do on documents they have not seen.
 *
 *   node bin/run-ts.js tools/eval/fit-summarizer.ts ../shared/eval/summaries-dev.jsonl
 *
 * Prints the cross-validation on A, the scores on B and the fitted weights.
 */

const USAGE = `usage: node bin/run-ts.js tools/eval/fit-summarizer.ts <summaries.jsonl>

Fits the summarizer's weights on half A of the set (training; regularisation and redundancy
chosen by 5-fold cross-validation within A) and reports ROUGE-1/2/L F1 of the chosen 3 key points
on half B only (development), beside Lead-3 and DEFAULT_WEIGHTS. Halves are fixed by a hash of
the record id (tools/eval/halves.ts).`;

const SummaryRecordSchema = z.object({
  id: z.union([z.string(), z.number()]),
  title: z.string().nullish(),
  text: z.string(),
  summary: z.array(z.string()).min(1),
});

interface Doc {
  candidates: SentenceCandidate[];
  labels: number[];
  reference: string[];
  lead: string[];
}

const POINTS = 3;

/** The documents of one half; `labelled` computes the ROUGE oracle labels (only the fit needs them). */
function loadDocs(records: z.infer<typeof SummaryRecordSchema>[], labelled: boolean): Doc[] {
  return records.map((r) => {
    const article = articleFromRecord({ id: String(r.id), title: r.title ?? null, text: r.text });
    const doc = buildDocument(article);
    const candidates = sentenceCandidates(doc, classifyAll(doc));
    const oracle = new Set<number>();
    for (let k = 0; labelled && k < POINTS && k < candidates.length; k++) {
      let best = -1;
      let bestValue = -1;
      candidates.forEach((c, i) => {
        if (oracle.has(i)) return;
        const chosen = [...oracle, i].sort((a, b) => a - b).map((j) => candidates[j]!.sentence.text);
        const s = scoreRouge(chosen, r.summary);
        const value = s.rouge1.f + s.rouge2.f;
        if (value > bestValue) {
          bestValue = value;
          best = i;
        }
      });
      if (best >= 0) oracle.add(best);
    }
    return { candidates, labels: candidates.map((_, i) => (oracle.has(i) ? 1 : 0)), reference: r.summary, lead: listSentences(article).slice(0, POINTS) };
  });
}

function fit(docs: Doc[], lambda: number): Features {
  const w: Record<string, number> = Object.fromEntries(FEATURE_NAMES.map((f) => [f, 0]));
  let bias = 0;
  const rows = docs.flatMap((d) => d.candidates.map((c, i) => ({ x: c.features, y: d.labels[i]! })));
  const rate = 0.5;
  for (let epoch = 0; epoch < 400; epoch++) {
    const grad: Record<string, number> = Object.fromEntries(FEATURE_NAMES.map((f) => [f, 0]));
    let gradBias = 0;
    for (const { x, y } of rows) {
      let z = bias;
      for (const f of FEATURE_NAMES) z += w[f]! * x[f];
      const p = 1 / (1 + Math.exp(-z));
      const e = p - y;
      for (const f of FEATURE_NAMES) grad[f]! += e * x[f];
      gradBias += e;
    }
    for (const f of FEATURE_NAMES) w[f] = w[f]! - rate * (grad[f]! / rows.length + lambda * w[f]!);
    bias -= (rate * gradBias) / rows.length;
  }
  return w as Features;
}

function evaluate(docs: Doc[], weights: SummaryWeights): { ours: RougeScores; lead: RougeScores } {
  const ours: RougeScores[] = [];
  const lead: RougeScores[] = [];
  for (const d of docs) {
    const ranked = d.candidates.map((c) => ({ sentence: c.sentence, terms: c.terms, score: scoreFeatures(c.features, weights) }));
    const chosen = selectKeyPoints(ranked, POINTS, weights).map((r) => r.sentence.text);
    ours.push(scoreRouge(chosen, d.reference));
    lead.push(scoreRouge(d.lead, d.reference));
  }
  return { ours: meanRouge(ours), lead: meanRouge(lead) };
}

const pct = (x: number): string => (100 * x).toFixed(2);

const signed = (x: number): string => `${x >= 0 ? '+' : ''}${pct(x)}`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [path] = positionals;
  if (!path || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const records = await readJsonlRecords(path, SummaryRecordSchema);
  const trainRecords = records.filter((r) => halfOf(String(r.id)) === 'A');
  const devRecords = records.filter((r) => halfOf(String(r.id)) === 'B');
  if (trainRecords.length < 5 || devRecords.length === 0) {
    throw new EvalInputError(`${path}: ${trainRecords.length} records in half A and ${devRecords.length} in half B; the fit needs at least 5 in A and 1 in B`);
  }
  const train = loadDocs(trainRecords, true);
  const dev = loadDocs(devRecords, false);
  console.log(`Weights fitted on half A (training): ${train.length} of ${records.length} documents; reported on half B (development): ${dev.length} documents.\n`);

  const folds = 5;
  console.log('5-fold cross-validation within half A, key points minus Lead-3 (ROUGE F1, mean per doc):');
  const results: Array<{ lambda: number; redundancy: number; d1: number; d2: number; dl: number }> = [];
  for (const lambda of [0.001, 0.01, 0.05]) {
    // The fit depends on lambda alone: one per fold, shared by every redundancy.
    const fitted = Array.from({ length: folds }, (_, k) => fit(train.filter((_, i) => i % folds !== k), lambda));
    for (const redundancy of [0, 0.5, 1, 2]) {
      let d1 = 0;
      let d2 = 0;
      let dl = 0;
      for (let k = 0; k < folds; k++) {
        const test = train.filter((_, i) => i % folds === k);
        const { ours, lead } = evaluate(test, { features: fitted[k]!, redundancy });
        d1 += (ours.rouge1.f - lead.rouge1.f) / folds;
        d2 += (ours.rouge2.f - lead.rouge2.f) / folds;
        dl += (ours.rougeL.f - lead.rougeL.f) / folds;
      }
      results.push({ lambda, redundancy, d1, d2, dl });
      console.log(`  lambda ${lambda} redundancy ${redundancy}: R-1 ${signed(d1)}  R-2 ${signed(d2)}  R-L ${signed(dl)}`);
    }
  }
  const best = results.reduce((a, b) => (b.d1 + b.d2 + b.dl > a.d1 + a.d2 + a.dl ? b : a));
  const fittedWeights: SummaryWeights = { features: fit(train, best.lambda), redundancy: best.redundancy };

  const onB = evaluate(dev, fittedWeights);
  const currentOnB = evaluate(dev, DEFAULT_WEIGHTS);
  const row = (name: string, s: RougeScores, lead: RougeScores): string =>
    `  ${name.padEnd(50)} ${pct(s.rouge1.f).padStart(6)} ${pct(s.rouge2.f).padStart(6)} ${pct(s.rougeL.f).padStart(6)}   vs Lead-3 ${signed(s.rouge1.f - lead.rouge1.f)} / ${signed(s.rouge2.f - lead.rouge2.f)} / ${signed(s.rougeL.f - lead.rougeL.f)}`;
  console.log(`\nHalf B (development, ${dev.length} documents), 3 key points vs the reference summary, ROUGE-1.5.5 F1 (R-1 / R-2 / R-L):`);
  console.log(row(`weights fitted on A (lambda ${best.lambda}, redundancy ${best.redundancy})`, onB.ours, onB.lead));
  console.log(row('DEFAULT_WEIGHTS (fitted on A and B: in-sample)', currentOnB.ours, currentOnB.lead));
  console.log(row('Lead-3', onB.lead, onB.lead));
  console.log(`\nWeights fitted on half A (${train.length} documents):`);
  console.log(JSON.stringify({ features: Object.fromEntries(Object.entries(fittedWeights.features).map(([k, v]) => [k, Number(v.toFixed(3))])), redundancy: fittedWeights.redundancy }, null, 2));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`fit-summarizer: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
