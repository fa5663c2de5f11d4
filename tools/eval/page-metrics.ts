import nlp from 'compromise';
import { HALVES, halfOf, type Half } from './halves.js';

/**
 * Web-page metrics, as `../shared/eval/README.md` defines them. Pure functions: no I/O.
 *
 * 1. Body extraction: the article-extraction benchmark's own measure (scrapinghub/
 *    article-extraction-benchmark, `evaluate.py`), reimplemented to give the same numbers:
 *    - tokens are the `\w+` runs of the text, Unicode, case kept: Python's `\w` is a letter, a
 *      number or "_" (combining marks split tokens there too);
 *    - shingles are the runs of 4 consecutive tokens, counted; a text of fewer than 4 tokens is
 *      one shingle, an empty text has none;
 *    - per page, TP = Σ min(true, predicted), FP = Σ predicted excess, FN = Σ missing, each divided
 *      by TP + FP + FN;
 *    - page precision = TP / (TP + FP) and recall = TP / (TP + FN), both 1 when FP = FN = 0;
 *      precision is undefined (the page skipped for it) when TP + FP = 0, recall when TP + FN = 0;
 *    - corpus precision and recall are the means over the pages where each is defined, and F1 is
 *      the harmonic mean of those two means (not a mean of page F1s).
 * 2. Sentences of a briefing on a page: whether each key point and TL;DR is a sentence of the
 *    human-marked body ({@link inBody}), whole ({@link isWhole}), and whether the TL;DR stands
 *    alone ({@link standsAlone}).
 */

// ---------------------------------------------------------------------------------------------
// Body extraction

/** Python's `re.findall(r'\w+', text)` for str patterns: letters, numbers and "_". */
export function bodyTokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** The 4-token shingles of a text, counted (fewer than 4 tokens: one shingle; none: none). */
export function shingles(text: string, n = 4): Map<string, number> {
  const tokens = bodyTokens(text);
  const counts = new Map<string, number>();
  if (tokens.length === 0) return counts;
  const last = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < last; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export interface ShingleCounts {
  /** TP, FP and FN, each divided by their sum (all 0 when both texts are empty) */
  tp: number;
  fp: number;
  fn: number;
}

/** TP/FP/FN of a predicted body against the true one, normalised so long pages weigh no more. */
export function shingleCounts(truth: string, predicted: string): ShingleCounts {
  const t = shingles(truth);
  const p = shingles(predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const key of new Set([...t.keys(), ...p.keys()])) {
    const tc = t.get(key) ?? 0;
    const pc = p.get(key) ?? 0;
    tp += Math.min(tc, pc);
    fp += Math.max(0, pc - tc);
    fn += Math.max(0, tc - pc);
  }
  const sum = tp + fp + fn;
  return sum > 0 ? { tp: tp / sum, fp: fp / sum, fn: fn / sum } : { tp, fp, fn };
}

/** Page precision; undefined (skip the page) when nothing was predicted. */
export function pagePrecision({ tp, fp, fn }: ShingleCounts): number | undefined {
  if (tp + fp === 0) return undefined;
  if (fp === 0 && fn === 0) return 1;
  return tp / (tp + fp);
}

/** Page recall; undefined (skip the page) when the true body is empty. */
export function pageRecall({ tp, fp, fn }: ShingleCounts): number | undefined {
  if (tp + fn === 0) return undefined;
  if (fp === 0 && fn === 0) return 1;
  return tp / (tp + fn);
}

export interface BodyScores {
  pages: number;
  /** pages that counted for precision / for recall */
  precisionPages: number;
  recallPages: number;
  precision: number;
  recall: number;
  f1: number;
}

const mean = (xs: readonly number[]): number => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Corpus scores: mean page precision and recall over the pages where each is defined; F1 of the means. */
export function bodyScores(pages: readonly ShingleCounts[]): BodyScores {
  const precisions = pages.map(pagePrecision).filter((x): x is number => x !== undefined);
  const recalls = pages.map(pageRecall).filter((x): x is number => x !== undefined);
  const precision = mean(precisions);
  const recall = mean(recalls);
  return {
    pages: pages.length,
    precisionPages: precisions.length,
    recallPages: recalls.length,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Sentences of a briefing

/**
 * The form texts are compared in: Unicode NFKC, curly quotes and dashes made plain, lower case,
 * every run of characters other than letters and digits made one space, and trimmed (so a
 * sentence's closing full stop does not stop it matching the middle of the body).
 */
export function normaliseForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether a sentence is in the body: its normalised text is a substring of the normalised body. */
export function inBody(sentence: string, normalisedBody: string): boolean {
  const s = normaliseForMatch(sentence);
  return s !== '' && normalisedBody.includes(s);
}

/** Double quotation marks: straight, curly, low-9 and guillemets. */
const DOUBLE_QUOTES = /["\u201c\u201d\u201e\u201f\u00ab\u00bb]/g;

/**
 * Whether a sentence is whole: an even number of double quotation marks, and it ends in ".", "!"
 * or "?" (closing quotes or brackets may follow), or in a closing quotation mark (double or
 * single: "“We will win”" and "‘We will win’" are whole).
 */
export function isWhole(sentence: string): boolean {
  const text = sentence.trim();
  if ((text.match(DOUBLE_QUOTES) ?? []).length % 2 !== 0) return false;
  return /[.!?]["'\u201d\u2019\u00bb)\]]*$/u.test(text) || /["\u201d\u2019'\u00bb]$/u.test(text);
}

export const CONNECTIVES = new Set([
  'but', 'and', 'or', 'so', 'yet', 'however', 'also', 'still', 'meanwhile', 'instead', 'then', 'thus', 'therefore',
  'moreover', 'furthermore', 'besides', 'nevertheless', 'nonetheless', 'otherwise', 'plus',
]);
export const OUTSIDE_PRONOUNS = new Set(['he', 'she', 'they', 'it', 'his', 'her', 'their', 'its', 'him', 'them', 'here', 'there']);
export const DEMONSTRATIVES = new Set(['this', 'that', 'these', 'those']);

export type StandAloneVerdict = 'stands alone' | 'connective' | 'pronoun' | 'demonstrative';

/**
 * Whether a TL;DR stands alone: its first word (the first run of letters, so "It's" starts with
 * "it") is not a connective, nor a pronoun pointing outside it, nor a demonstrative without a noun
 * after it. "This week ..." and "These new rules ..." stand alone; "This comes after ...", "That is
 * why ...", "Those who ..." and "This, however, ..." do not. Whether a noun follows is read from
 * the compromise tagger (pinned by the lockfile, so the ruler stays put): the next word, in the
 * same clause, is tagged a noun, an adjective or a number (the start of a noun phrase).
 */
export function standsAlone(tldr: string): StandAloneVerdict {
  const first = /\p{L}+/u.exec(tldr)?.[0]?.toLowerCase();
  if (!first) return 'stands alone';
  if (CONNECTIVES.has(first)) return 'connective';
  if (OUTSIDE_PRONOUNS.has(first)) return 'pronoun';
  if (!DEMONSTRATIVES.has(first)) return 'stands alone';
  const terms = (nlp(tldr).json() as { terms: { text: string; post: string; tags: string[] }[] }[])[0]?.terms ?? [];
  const index = terms.findIndex((t) => /\p{L}/u.test(t.text));
  const demonstrative = terms[index];
  const next = terms[index + 1];
  if (!demonstrative || !next || /[,;:—–-]/.test(demonstrative.post)) return 'demonstrative';
  return next.tags.some((tag) => tag === 'Noun' || tag === 'Adjective' || tag === 'Value') ? 'stands alone' : 'demonstrative';
}

// ---------------------------------------------------------------------------------------------
// Per page and corpus

export interface SentenceCheck {
  text: string;
  inBody: boolean;
  whole: boolean;
}

export interface PageResult {
  id: string;
  half: Half;
  /** the extractor threw: scored as an empty body, with the reason */
  extractionError?: string;
  /** the briefing threw on the extracted article */
  briefingError?: string;
  counts: ShingleCounts;
  keyPoints: SentenceCheck[];
  tldr?: SentenceCheck & { standsAlone: StandAloneVerdict };
}

/** Scores one page: its extracted body against the true one, and the briefing's sentences. */
export function scorePage(
  id: string,
  trueBody: string,
  extracted: { body: string; error?: string },
  briefing: { keyPoints: readonly string[]; tldr?: string; error?: string } | undefined,
): PageResult {
  const result: PageResult = { id, half: halfOf(id), counts: shingleCounts(trueBody, extracted.body), keyPoints: [] };
  if (extracted.error !== undefined) result.extractionError = extracted.error;
  if (!briefing) return result;
  if (briefing.error !== undefined) {
    result.briefingError = briefing.error;
    return result;
  }
  const body = normaliseForMatch(trueBody);
  const check = (text: string): SentenceCheck => ({ text, inBody: inBody(text, body), whole: isWhole(text) });
  result.keyPoints = briefing.keyPoints.map(check);
  if (briefing.tldr !== undefined && briefing.tldr.trim() !== '') result.tldr = { ...check(briefing.tldr), standsAlone: standsAlone(briefing.tldr) };
  return result;
}

export interface SentenceScores {
  keyPoints: number;
  keyPointsInBody: number;
  tldrs: number;
  tldrsInBody: number;
  /** key points and TL;DRs together */
  sentences: number;
  whole: number;
  tldrsNotStandingAlone: number;
}

export interface PageSetScores {
  body: BodyScores;
  sentences: SentenceScores;
  extractionErrors: number;
  briefingErrors: number;
}

export function pageSetScores(results: readonly PageResult[]): PageSetScores {
  const s: SentenceScores = { keyPoints: 0, keyPointsInBody: 0, tldrs: 0, tldrsInBody: 0, sentences: 0, whole: 0, tldrsNotStandingAlone: 0 };
  for (const r of results) {
    for (const k of r.keyPoints) {
      s.keyPoints++;
      s.sentences++;
      if (k.inBody) s.keyPointsInBody++;
      if (k.whole) s.whole++;
    }
    if (r.tldr) {
      s.tldrs++;
      s.sentences++;
      if (r.tldr.inBody) s.tldrsInBody++;
      if (r.tldr.whole) s.whole++;
      if (r.tldr.standsAlone !== 'stands alone') s.tldrsNotStandingAlone++;
    }
  }
  return {
    body: bodyScores(results.map((r) => r.counts)),
    sentences: s,
    extractionErrors: results.filter((r) => r.extractionError !== undefined).length,
    briefingErrors: results.filter((r) => r.briefingError !== undefined).length,
  };
}

export interface PageReport {
  all: PageSetScores;
  halves: Record<Half, PageSetScores>;
}

export function pageReport(results: readonly PageResult[]): PageReport {
  return {
    all: pageSetScores(results),
    halves: Object.fromEntries(HALVES.map((h) => [h, pageSetScores(results.filter((r) => r.half === h))])) as Record<Half, PageSetScores>,
  };
}

const pct = (part: number, whole: number): string => (whole > 0 ? ((100 * part) / whole).toFixed(1) : '-');
const dec = (x: number): string => x.toFixed(3);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

/** The report as two plain-text tables: body extraction, then the briefing's sentences. */
export function formatPageReport(report: PageReport): string {
  const sets: [string, PageSetScores][] = [['all', report.all], ...HALVES.map((h): [string, PageSetScores] => [`half ${h}`, report.halves[h]])];
  const body = [['set', 'pages', 'threw', 'P', 'R', 'F1']];
  for (const [name, s] of sets) body.push([name, String(s.body.pages), String(s.extractionErrors), dec(s.body.precision), dec(s.body.recall), dec(s.body.f1)]);
  const sentences = [['set', 'key points', 'in body %', 'TL;DRs', 'in body %', 'whole % (both)', 'TL;DRs not alone']];
  for (const [name, s] of sets) {
    const x = s.sentences;
    sentences.push([name, String(x.keyPoints), pct(x.keyPointsInBody, x.keyPoints), String(x.tldrs), pct(x.tldrsInBody, x.tldrs), pct(x.whole, x.sentences), String(x.tldrsNotStandingAlone)]);
  }
  return [
    'Body extraction (benchmark measure: 4-token shingles; P and R are means over pages, F1 of the means):',
    table(body),
    '',
    'Sentences of the briefing on each page (normalised substring of the marked body; whole; TL;DR stands alone):',
    table(sentences),
  ].join('\n');
}
