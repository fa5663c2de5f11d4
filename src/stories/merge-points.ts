import { MAX_KEY_POINTS } from '../briefing/index.js';
import { inPublishedOrder, type OutletReport } from './outlet-report.js';

/**
 * A story's TL;DR and key points drawn from all its outlets, each fact once. Outlets covering one
 * event lead with the same facts in their own words; the card should state each once, cite the
 * outlet whose sentence it shows, and say which other outlets made the same point.
 *
 * Extractive on purpose: every point is a sentence an outlet printed (the engine's rule that nothing
 * shown is paraphrased), chosen by a greedy pass in the manner of maximal marginal relevance:
 * the best-supported sentence first, then each next one only if it is not redundant with any chosen.
 */

export interface MergedPoint {
  /** The sentence as the outlet's briefing gives it. */
  text: string;
  outlet: string;
  briefingId: string;
  /** The sentence of that outlet's article it comes from, when the briefing says. */
  sentence?: number;
  /** Other outlets that made the same point (their sentence was dropped as redundant with this one), in published order. */
  alsoIn: string[];
}

export interface MergedPoints {
  tldr: MergedPoint;
  keyPoints: MergedPoint[];
}

export interface MergePointsOptions {
  /** At most this many key points besides the TL;DR; the engine's own limit by default. */
  maxPoints?: number;
  /**
   * Two sentences at or above this word-overlap (Dice over content-word stems, like ROUGE-1 F1)
   * state the same fact. A half: paraphrases of one fact share most of their names and numbers,
   * while two facts of one story share a few names only.
   */
  redundancy?: number;
}

/** The default redundancy threshold; see MergePointsOptions.redundancy. */
export const DEFAULT_REDUNDANCY = 0.5;
/** A sentence whose content words lie this much inside a chosen one adds nothing, however much longer the chosen one is. */
const CONTAINED = 0.8;

const STOPWORDS = new Set(
  ('a an the and or but if then than of in on at to for from by with without about as into over under after before ' +
    'is are was were be been being has have had do does did will would shall should can could may might must ' +
    'it its this that these those there here he she they them his her their we our you your i me my ' +
    'said says say told according also just not no so such very more most other some any all each which who whom whose what when where while ' +
    'up down out off again further once only own same too s t')
    .split(/\s+/),
);

/** A word reduced to a stem good enough to match "killed"/"kills", "floods"/"flooding", "cities"/"city". */
function stem(word: string): string {
  let w = word.replace(/'s$/, '');
  if (/^\d/.test(w)) return w.replace(/,/g, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w;
}

/** The content words of a sentence as stems: what two sentences must share to say the same thing. */
export function contentStems(text: string): Set<string> {
  const out = new Set<string>();
  const words = text.normalize('NFKC').replace(/[‘’]/g, "'").toLowerCase().match(/\d[\d,.]*\d|\d|[\p{L}]+(?:'[\p{L}]+)?/gu) ?? [];
  for (const w of words) if (!STOPWORDS.has(w)) out.add(stem(w));
  return out;
}

/**
 * How much two sentences say the same: Dice's coefficient over content stems (ROUGE-1 F1 on word
 * sets), raised to 1 when the smaller is almost all inside the larger, since a short sentence whose
 * every fact a longer one states is redundant however much more the longer one says.
 */
export function pointSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  if (Math.min(a.size, b.size) >= 3 && shared / Math.min(a.size, b.size) >= CONTAINED) return 1;
  return (2 * shared) / (a.size + b.size);
}

/** The numbers among a sentence's stems ("12,000" as "12000"). */
function numbersIn(stems: ReadonlySet<string>): string[] {
  return [...stems].filter((w) => /^\d/.test(w));
}

/**
 * Whether two sentences give different numbers for what they share: each has a number the other
 * lacks. "killed 12,000" beside "killed 10,000" is the same kind of fact with another figure, and
 * folding one into the other would credit an outlet with a figure it did not print. A sentence
 * that only adds a number ("killed 40 on March 3" beside "killed 40") or gives none does not
 * contradict: it says the same, with a detail more or less.
 */
export function contradictsNumbers(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return numbersIn(a).some((n) => !b.has(n)) && numbersIn(b).some((n) => !a.has(n));
}

/** Whether `a` states the point `b` states: alike at the redundancy threshold, and no number of `a` contradicted by `b`. */
export function restates(a: ReadonlySet<string>, b: ReadonlySet<string>, redundancy = DEFAULT_REDUNDANCY): boolean {
  return pointSimilarity(a, b) >= redundancy && !contradictsNumbers(a, b);
}

interface Candidate {
  point: MergedPoint;
  stems: Set<string>;
  isTldr: boolean;
  /** Order of reading: reports in published order, TL;DR before key points, key points in article order. */
  order: number;
  support: number;
}

/**
 * The story's TL;DR and key points. Each candidate sentence (every outlet's TL;DR and key points)
 * is scored by its support: for each other outlet, the best similarity to any of that outlet's
 * sentences, summed. A point several outlets make is the core of the story and comes first; a
 * point one outlet alone makes still gets in if there is room, since it is the only place that fact
 * is told. The TL;DR is the best-supported TL;DR; the key points are then taken best-supported
 * first, skipping any sentence redundant with one already taken (the TL;DR included), whose outlet
 * is then listed in `alsoIn` of the point it repeats (the test of `restates`). A sentence that
 * gives another number for the same thing is never folded into it: it is a point of its own if
 * there is room, so no outlet is credited with a figure other than its own. Ties fall to the
 * earlier outlet and the earlier sentence, so the same reports always give the same card.
 */
export function mergeKeyPoints(reports: readonly OutletReport[], options: MergePointsOptions = {}): MergedPoints {
  const maxPoints = options.maxPoints ?? MAX_KEY_POINTS;
  const redundancy = options.redundancy ?? DEFAULT_REDUNDANCY;
  if (!Number.isInteger(maxPoints) || maxPoints < 0) throw new Error(`mergeKeyPoints: maxPoints must be a whole number, 0 or more (got ${String(options.maxPoints)})`);
  if (!(redundancy > 0 && redundancy <= 1)) throw new Error(`mergeKeyPoints: redundancy must be a share between 0 (excluded) and 1 (got ${String(options.redundancy)})`);
  if (reports.length === 0) throw new Error('mergeKeyPoints: a story needs at least one report to draw its points from');

  const candidates: Candidate[] = [];
  for (const r of inPublishedOrder(reports)) {
    const b = r.briefing;
    const add = (text: string, isTldr: boolean, sentence: number | undefined): void => {
      const point: MergedPoint = { text, outlet: r.outlet, briefingId: b.id, alsoIn: [] };
      if (sentence !== undefined) point.sentence = sentence;
      candidates.push({ point, stems: contentStems(text), isTldr, order: candidates.length, support: 0 });
    };
    if (b.tldr) add(b.tldr, true, b.tldrSentence);
    // The engine does not show the TL;DR's own key point twice; neither does the story.
    for (const k of b.keyPoints) if (k.sentence !== b.tldrSentence) add(k.text, false, k.sentence);
  }
  if (candidates.length === 0) throw new Error(`mergeKeyPoints: the reports (${reports.map((r) => r.briefing.id).join(', ')}) hold no TL;DR or key point`);

  const outlets = [...new Set(candidates.map((c) => c.point.outlet))];
  for (const c of candidates) {
    for (const o of outlets) {
      if (o === c.point.outlet) continue;
      let best = 0;
      for (const d of candidates) if (d.point.outlet === o) best = Math.max(best, pointSimilarity(c.stems, d.stems));
      c.support += best;
    }
  }
  const bySupport = [...candidates].sort((x, y) => y.support - x.support || x.order - y.order);
  const tldr = bySupport.find((c) => c.isTldr) ?? bySupport[0]!;
  const chosen: Candidate[] = [tldr];
  const attribute = (c: Candidate): boolean => {
    let match: Candidate | undefined;
    let best = 0;
    for (const k of chosen) {
      const s = pointSimilarity(c.stems, k.stems);
      if (s >= redundancy && s > best && !contradictsNumbers(c.stems, k.stems)) {
        best = s;
        match = k;
      }
    }
    if (!match) return false;
    if (c.point.outlet !== match.point.outlet && !match.point.alsoIn.includes(c.point.outlet)) match.point.alsoIn.push(c.point.outlet);
    return true;
  };
  for (const c of bySupport) {
    if (c === tldr) continue;
    if (attribute(c)) continue;
    if (chosen.length - 1 < maxPoints) chosen.push(c);
  }
  // alsoIn in published order of the outlets, whatever order the points were dropped in.
  for (const c of chosen) c.point.alsoIn.sort((x, y) => outlets.indexOf(x) - outlets.indexOf(y));
  return { tldr: tldr.point, keyPoints: chosen.slice(1).map((c) => c.point) };
}
