import { readFileSync } from 'node:fs';
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
import { meanRouge, scoreRouge, type RougeScores } from './rouge/index.js';

/**
 * Fits the summarizer's feature weights: logistic regression of "is this sentence in the greedy
 * ROUGE oracle summary?" over the candidates' features, L2-regularised, with the regularisation
 * and the redundancy penalty chosen by 5-fold cross-validation over documents (the score that
 * matters is ROUGE of the chosen key points against Lead-3 on the held-out fold, not the fit).
 *
 *   node bin/run-ts.js tools/eval/fit-summarizer.ts ../shared/eval/summaries-dev.jsonl
 *
 * Prints the cross-validated comparison and the weights to paste into DEFAULT_WEIGHTS.
 */

interface Doc {
  candidates: SentenceCandidate[];
  labels: number[];
  reference: string[];
  lead: string[];
}

const POINTS = 3;

function loadDocs(path: string): Doc[] {
  const records = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; title?: string | null; text: string; summary: string[] });
  return records.map((r) => {
    const article = articleFromRecord({ id: r.id, title: r.title ?? null, text: r.text });
    const doc = buildDocument(article);
    const candidates = sentenceCandidates(doc, classifyAll(doc));
    const oracle = new Set<number>();
    for (let k = 0; k < POINTS && k < candidates.length; k++) {
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

function main(): void {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: fit-summarizer.ts <summaries.jsonl>');
    process.exitCode = 2;
    return;
  }
  const docs = loadDocs(path);
  const folds = 5;
  const results: Array<{ lambda: number; redundancy: number; d1: number; d2: number; dl: number }> = [];
  for (const lambda of [0.001, 0.01, 0.05]) {
    for (const redundancy of [0, 0.5, 1, 2]) {
      let d1 = 0;
      let d2 = 0;
      let dl = 0;
      for (let k = 0; k < folds; k++) {
        const train = docs.filter((_, i) => i % folds !== k);
        const test = docs.filter((_, i) => i % folds === k);
        const features = fit(train, lambda);
        const { ours, lead } = evaluate(test, { features, redundancy });
        d1 += (ours.rouge1.f - lead.rouge1.f) / folds;
        d2 += (ours.rouge2.f - lead.rouge2.f) / folds;
        dl += (ours.rougeL.f - lead.rougeL.f) / folds;
      }
      results.push({ lambda, redundancy, d1, d2, dl });
      console.log(`lambda ${lambda} redundancy ${redundancy}: CV vs Lead-3  R-1 ${pct(d1)}  R-2 ${pct(d2)}  R-L ${pct(dl)}`);
    }
  }
  const current = evaluate(docs, DEFAULT_WEIGHTS);
  console.log(`current weights (in-sample): R-1 ${pct(current.ours.rouge1.f - current.lead.rouge1.f)}  R-2 ${pct(current.ours.rouge2.f - current.lead.rouge2.f)}  R-L ${pct(current.ours.rougeL.f - current.lead.rougeL.f)}`);
  const best = results.reduce((a, b) => (b.d1 + b.d2 + b.dl > a.d1 + a.d2 + a.dl ? b : a));
  const features = fit(docs, best.lambda);
  console.log(`\nbest: lambda ${best.lambda}, redundancy ${best.redundancy}; weights fitted on all ${docs.length} documents:`);
  console.log(JSON.stringify({ features: Object.fromEntries(Object.entries(features).map(([k, v]) => [k, Number(v.toFixed(3))])), redundancy: best.redundancy }, null, 2));
}

main();
