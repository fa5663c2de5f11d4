import { stem as rougeStem } from './stem.js';
import { splitLines, tokenize } from './tokenize.js';

/**
 * ROUGE-1, ROUGE-2 and summary-level ROUGE-L exactly as ROUGE-1.5.5 computes them with
 * `-n 2 -m` (stemming, no stopword removal, no length limit, one sentence per line, model-average
 * formula "A", alpha 0.5). Conformance with the official Perl is tested in test/eval/rouge.test.ts.
 *
 * - ROUGE-N: n-grams over the whole summary (sentences joined, so bigrams cross sentence
 *   boundaries); hits are clipped counts, `sum over n-grams of min(count in summary, count in reference)`.
 *   R = hits / reference n-grams, P = hits / summary n-grams.
 * - ROUGE-L: for each reference sentence, the union of its LCS positions with every summary
 *   sentence (the Perl's DP tie-breaking and back-trace), then each marked reference token counts
 *   as a hit only while both the reference's and the summary's unigram budgets for that token
 *   last (ROUGE 1.4.1's clipping). R = hits / reference tokens, P = hits / summary tokens.
 * - F = P * R / ((1 - alpha) * P + alpha * R), alpha = 0.5, 0 when both are 0.
 * - Several references (formula "A"): hits and counts are summed over references, and the summary
 *   count is added once per reference.
 */

export interface RougeScore {
  /** recall */
  r: number;
  /** precision */
  p: number;
  /** F-measure, alpha 0.5 */
  f: number;
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

/** Sentences as an array (one entry per ROUGE line), or one string split into lines. */
export type Sentences = string | readonly string[];

export interface RougeOptions {
  /** ROUGE `-m` (WordNet exceptions, then ROUGE's Porter stemmer, tokens longer than 3). Default true. */
  stemming?: boolean;
  /** Replace the WordNet-2.0 exception table, e.g. an empty map to mimic an install with an empty DB. */
  exceptions?: ReadonlyMap<string, string>;
  /**
   * Round like the Perl output: R and P to 5 decimals (`%7.5f`), F computed from those rounded
   * values and rounded again. Default false (exact fractions).
   */
  officialRounding?: boolean;
}

/** Raw counts behind one metric, summed over references. */
export interface RougeCounts {
  hits: number;
  /** reference n-grams (ROUGE-N) or reference tokens (ROUGE-L) */
  referenceCount: number;
  /** summary n-grams or tokens, counted once per reference */
  summaryCount: number;
}

const ALPHA = 0.5;

function toLines(sentences: Sentences): readonly string[] {
  if (typeof sentences === 'string') return splitLines(sentences);
  // A sentence with an embedded newline is several ROUGE lines.
  return sentences.some((s) => /[\r\n]/.test(s)) ? sentences.flatMap(splitLines) : sentences;
}

interface Prepared {
  /** tokens per line, stemmed when asked */
  lines: string[][];
  /** all tokens in order */
  all: string[];
}

function prepare(sentences: Sentences, options: RougeOptions, cache: Map<string, string>): Prepared {
  const stemming = options.stemming ?? true;
  const lines: string[][] = [];
  const all: string[] = [];
  for (const line of toLines(sentences)) {
    const tokens = tokenize(line);
    if (stemming) {
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i]!;
        let s = cache.get(t);
        if (s === undefined) {
          s = options.exceptions ? rougeStem(t, { exceptions: options.exceptions }) : rougeStem(t);
          cache.set(t, s);
        }
        tokens[i] = s;
      }
    }
    lines.push(tokens);
    for (const t of tokens) all.push(t);
  }
  return { lines, all };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

function ngramHits(model: ReadonlyMap<string, number>, peer: ReadonlyMap<string, number>): number {
  let hits = 0;
  for (const [gram, count] of model) {
    const other = peer.get(gram);
    if (other !== undefined) hits += Math.min(count, other);
  }
  return hits;
}

/**
 * Marks in `hitMask` the model (reference sentence) positions on the LCS with one peer sentence,
 * using ROUGE-1.5.5's `lcs_inner` + `markLCS`: a match goes diagonal, otherwise "up" when
 * c[i-1][j] >= c[i][j-1], else "left"; the back-trace starts at (m, n).
 */
function markLcs(model: readonly string[], peer: readonly string[], hitMask: Uint8Array): void {
  const m = model.length;
  const n = peer.length;
  if (m === 0 || n === 0) return;
  const width = n + 1;
  const c = new Int32Array((m + 1) * width);
  const b = new Uint8Array((m + 1) * width); // 1 diagonal, 2 up, 3 left
  for (let i = 1; i <= m; i++) {
    const mi = model[i - 1];
    for (let j = 1; j <= n; j++) {
      const k = i * width + j;
      if (mi === peer[j - 1]) {
        c[k] = c[k - width - 1]! + 1;
        b[k] = 1;
      } else if (c[k - width]! >= c[k - 1]!) {
        c[k] = c[k - width]!;
        b[k] = 2;
      } else {
        c[k] = c[k - 1]!;
        b[k] = 3;
      }
    }
  }
  let i = m;
  let j = n;
  while (i !== 0 && j !== 0) {
    const dir = b[i * width + j];
    if (dir === 1) {
      i--;
      j--;
      hitMask[i] = 1;
    } else if (dir === 2) {
      i--;
    } else {
      j--;
    }
  }
}

/** Summary-level union-LCS hits of one reference (ROUGE-1.5.5 `lcs`), with unigram clipping. */
function lcsHits(model: Prepared, peer: Prepared): number {
  const modelBudget = ngramCounts(model.all, 1);
  const peerBudget = ngramCounts(peer.all, 1);
  let hits = 0;
  for (const sentence of model.lines) {
    const hitMask = new Uint8Array(sentence.length);
    for (const peerSentence of peer.lines) markLcs(sentence, peerSentence, hitMask);
    for (let j = 0; j < sentence.length; j++) {
      if (hitMask[j] !== 1) continue;
      const t = sentence[j]!;
      const mb = modelBudget.get(t) ?? 0;
      const pb = peerBudget.get(t) ?? 0;
      if (mb > 0 && pb > 0) {
        hits++;
        modelBudget.set(t, mb - 1);
        peerBudget.set(t, pb - 1);
      }
    }
  }
  return hits;
}

/** C `printf("%.5f")` on a double in [0, 1]: nearest 5-decimal value, exact ties to even. */
function perlRound5(x: number): number {
  // Such a double lies exactly halfway between two 5-decimal values only when it is k/64 with k odd.
  const k = x * 64;
  if (Number.isInteger(k) && k % 2 === 1) {
    const floor = Math.floor(x * 1e5);
    return (floor % 2 === 0 ? floor : floor + 1) / 1e5;
  }
  return Number(x.toFixed(5));
}

function fMeasure(p: number, r: number): number {
  const denom = (1 - ALPHA) * p + ALPHA * r;
  return denom > 0 ? (p * r) / denom : 0;
}

/** R, P and F from counts, optionally with the Perl's 5-decimal rounding. */
export function scoreFromCounts(counts: RougeCounts, officialRounding = false): RougeScore {
  let r = counts.referenceCount !== 0 ? counts.hits / counts.referenceCount : 0;
  let p = counts.summaryCount !== 0 ? counts.hits / counts.summaryCount : 0;
  if (!officialRounding) return { r, p, f: fMeasure(p, r) };
  r = perlRound5(r);
  p = perlRound5(p);
  return { r, p, f: perlRound5(fMeasure(p, r)) };
}

export interface RougeCountsByMetric {
  rouge1: RougeCounts;
  rouge2: RougeCounts;
  rougeL: RougeCounts;
}

/** Hit and length counts for ROUGE-1, -2 and -L of one summary against one or more references. */
export function rougeCounts(
  summary: Sentences,
  references: readonly Sentences[],
  options: RougeOptions = {},
): RougeCountsByMetric {
  const cache = new Map<string, string>();
  const peer = prepare(summary, options, cache);
  const peer1 = ngramCounts(peer.all, 1);
  const peer2 = ngramCounts(peer.all, 2);
  const peerCount1 = peer.all.length;
  const peerCount2 = Math.max(0, peer.all.length - 1);
  const out: RougeCountsByMetric = {
    rouge1: { hits: 0, referenceCount: 0, summaryCount: 0 },
    rouge2: { hits: 0, referenceCount: 0, summaryCount: 0 },
    rougeL: { hits: 0, referenceCount: 0, summaryCount: 0 },
  };
  for (const reference of references) {
    const model = prepare(reference, options, cache);
    out.rouge1.hits += ngramHits(ngramCounts(model.all, 1), peer1);
    out.rouge1.referenceCount += model.all.length;
    out.rouge1.summaryCount += peerCount1;
    out.rouge2.hits += ngramHits(ngramCounts(model.all, 2), peer2);
    out.rouge2.referenceCount += Math.max(0, model.all.length - 1);
    out.rouge2.summaryCount += peerCount2;
    out.rougeL.hits += lcsHits(model, peer);
    out.rougeL.referenceCount += model.all.length;
    out.rougeL.summaryCount += peerCount1;
  }
  return out;
}

/**
 * Scores one summary against several references (ROUGE-1.5.5's default model-average formula:
 * hits and counts summed over references).
 */
export function scoreRougeMulti(
  summary: Sentences,
  references: readonly Sentences[],
  options: RougeOptions = {},
): RougeScores {
  const counts = rougeCounts(summary, references, options);
  const rounding = options.officialRounding ?? false;
  return {
    rouge1: scoreFromCounts(counts.rouge1, rounding),
    rouge2: scoreFromCounts(counts.rouge2, rounding),
    rougeL: scoreFromCounts(counts.rougeL, rounding),
  };
}

/**
 * Scores a summary against one reference. Each array entry is one sentence (a ROUGE line); a plain
 * string is split into lines. ROUGE-L depends on the sentence split; ROUGE-1/2 do not.
 *
 * @example scoreRouge(['Police arrived.', 'Fans left.'], ['Police arrived and fans left.']).rouge2.f
 */
export function scoreRouge(summary: Sentences, reference: Sentences, options: RougeOptions = {}): RougeScores {
  return scoreRougeMulti(summary, [reference], options);
}

/** Mean R, P and F per metric over documents (how papers report corpus ROUGE); zeros when empty. */
export function meanRouge(scores: readonly RougeScores[]): RougeScores {
  const mean = (pick: (s: RougeScores) => RougeScore): RougeScore => {
    if (scores.length === 0) return { r: 0, p: 0, f: 0 };
    let r = 0;
    let p = 0;
    let f = 0;
    for (const s of scores) {
      const x = pick(s);
      r += x.r;
      p += x.p;
      f += x.f;
    }
    return { r: r / scores.length, p: p / scores.length, f: f / scores.length };
  };
  return { rouge1: mean((s) => s.rouge1), rouge2: mean((s) => s.rouge2), rougeL: mean((s) => s.rougeL) };
}
