import type { Quote } from '../briefing/index.js';
import { inPublishedOrder, type OutletReport } from './outlet-report.js';

/**
 * Quote versions: the same speaker's quote as each outlet printed it, and the differences that
 * change what the speaker is on record as saying.
 *
 * Quotes are compared as words, not characters: case, punctuation, curly against straight quotation
 * marks and contractions ("won't" against "will not") are how an outlet's style sheet prints words,
 * not different words. What is flagged:
 * - `negation`: a "not", "no", "never"… present in one version and absent from the other;
 * - `number`: a number that differs ("10,000" against "12,000"; "ten" and "10" are one number);
 * - `truncation`: one version is a strict part of the other, the rest cut off at the start or end;
 * - `splice`: one version is two non-adjacent stretches of the other joined with no ellipsis or
 *   brackets to show the join;
 * - `wording`: any other word changed, added or dropped inside the quote. A quotation is verbatim,
 *   so a changed word is a misquote, but it is listed last as it rarely reverses the meaning.
 * An omission shown with an ellipsis ("…", "[...]") or a bracketed editorial insertion ("[Russia]")
 * is the outlet saying openly that it cut or explained, and is not flagged.
 */

export type QuoteDifferenceKind = 'negation' | 'number' | 'truncation' | 'splice' | 'wording';

export interface QuoteDifference {
  kind: QuoteDifferenceKind;
  /** For the card: what this version has against the reference, in the outlets' own words. */
  detail: string;
}

export interface QuoteVersion {
  outlet: string;
  briefingId: string;
  published?: string;
  quote: Quote;
  /** How this version differs from the group's reference version; empty for the reference and for identical copies. */
  differences: QuoteDifference[];
}

export interface QuoteGroup {
  /** The speaker as the first outlet to name one gives it. */
  speaker?: string;
  /** Index into versions of the version the others are compared with. */
  reference: number;
  /** One version per report, in published order. */
  versions: QuoteVersion[];
  /** Whether any version differs materially from the reference. */
  flagged: boolean;
}

export interface QuoteVersionOptions {
  /**
   * The share of the shorter quote's distinct words the two must share to be versions of one
   * quote by the same speaker. Half: a truncated or spliced version keeps most of its words from
   * the longer one, while two different sentences by one speaker rarely share half their words.
   */
  minOverlap?: number;
  /** The same share when one of the two has no speaker: higher, as the speaker cannot vouch. */
  minOverlapUnattributed?: number;
}

interface Token {
  /** The word as compared: lower case, straight apostrophes, a number as its value ("#10000"). */
  norm: string;
  /** The word as printed. */
  raw: string;
  /** An ellipsis or a bracketed insertion stands right before this word: a join the outlet shows. */
  shownBefore: boolean;
  /** A sentence of the quote ends right after this word. */
  sentenceEnd: boolean;
  /** An ellipsis follows this last word: the quote is shown to go on. */
  shownAfter?: boolean;
}

const SMALL_NUMBERS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1_000, million: 1_000_000, billion: 1_000_000_000, trillion: 1_000_000_000_000 };
const NEGATIONS = new Set(['not', 'no', 'never', 'nothing', 'none', 'nobody', 'neither', 'nor', 'nowhere', 'without']);
/** Contractions spelled out, so that "won't" and "will not" are the same words. */
const CONTRACTIONS: Record<string, string[]> = { "won't": ['will', 'not'], "can't": ['can', 'not'], cannot: ['can', 'not'], "shan't": ['shall', 'not'], "ain't": ['is', 'not'] };

/** Everything a style sheet changes, undone: compatibility forms, curly quotes and apostrophes, dashes. */
function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/[‘’ʼ`´]/g, "'").replace(/[“”„«»]/g, '"').replace(/[‐‑‒–—]/g, '-');
}

/**
 * The quote's words. Ellipses and bracketed insertions are dropped and remembered as shown joins;
 * runs of number words become one number ("ten thousand" → #10000, "1.2 million" → #1200000).
 */
export function quoteTokens(text: string): Token[] {
  const out: Token[] = [];
  let shown = false;
  const re = /\[[^\]]*\]|\.\.\.|…|[\p{L}\p{M}]+(?:'[\p{L}]+)*|\d+(?:[.,]\d+)*|[.!?]/gu;
  for (const m of normaliseText(text).matchAll(re)) {
    const w = m[0];
    if (w.startsWith('[') || w === '...' || w === '…') {
      shown = true;
      continue;
    }
    if (/^[.!?]$/.test(w)) {
      const last = out[out.length - 1];
      if (last) last.sentenceEnd = true;
      continue;
    }
    const lower = w.toLowerCase();
    const words = CONTRACTIONS[lower] ?? (lower.endsWith("n't") ? [lower.slice(0, -3), 'not'] : [lower]);
    for (const [k, norm] of words.entries()) {
      out.push({ norm: /^\d/.test(norm) ? `#${Number(norm.replace(/,/g, ''))}` : norm, raw: k === 0 ? w : '', shownBefore: shown && k === 0, sentenceEnd: false });
    }
    shown = false;
  }
  const last = out[out.length - 1];
  if (shown && last) last.shownAfter = true;
  return joinNumbers(out);
}

/** Runs of number words and digits with a scale, made one number token. */
function joinNumbers(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const startsNumber = t.norm.startsWith('#') || SMALL_NUMBERS[t.norm] !== undefined || (t.norm === 'a' && SCALES[tokens[i + 1]?.norm ?? ''] !== undefined);
    if (!startsNumber) {
      out.push(t);
      continue;
    }
    let total = 0;
    let current = 0;
    let j = i;
    let raw = '';
    for (; j < tokens.length; j++) {
      const w = tokens[j]!;
      if (j > i && w.shownBefore) break;
      const digits = w.norm.startsWith('#') ? Number(w.norm.slice(1)) : undefined;
      if (digits !== undefined && j === i) current = digits;
      else if (w.norm === 'a' && j === i) current = 1;
      else if (SMALL_NUMBERS[w.norm] !== undefined && digits === undefined && (j === i || current % 100 === 0 || current % 10 === 0)) current += SMALL_NUMBERS[w.norm]!;
      else if (SCALES[w.norm] !== undefined && j > i) {
        if (SCALES[w.norm]! === 100) current *= 100;
        else {
          total += current * SCALES[w.norm]!;
          current = 0;
        }
      } else if (w.norm === 'and' && j > i && SMALL_NUMBERS[tokens[j + 1]?.norm ?? ''] !== undefined && current >= 100) continue;
      else break;
      raw += (raw ? ' ' : '') + w.raw;
      if (w.sentenceEnd) {
        j++;
        break;
      }
    }
    // "a" not followed by a scale, or a lone word, stays what it was.
    if (j === i) {
      out.push(t);
      continue;
    }
    out.push({ norm: `#${total + current}`, raw, shownBefore: t.shownBefore, sentenceEnd: tokens[j - 1]!.sentenceEnd });
    i = j - 1;
  }
  return out;
}

interface Hunk {
  equal: boolean;
  /** Reference token range [a0, a1) and version token range [b0, b1). */
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

/** A word-level diff (longest common subsequence), as runs of equal and changed words. Quotes are short; quadratic is fine. */
function diff(a: readonly string[], b: readonly string[]): Hunk[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const hunks: Hunk[] = [];
  const push = (equal: boolean, da: number, db: number, i: number, j: number): void => {
    const last = hunks[hunks.length - 1];
    if (last && last.equal === equal) {
      last.a1 = i + da;
      last.b1 = j + db;
    } else hunks.push({ equal, a0: i, a1: i + da, b0: j, b1: j + db });
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      push(true, 1, 1, i++, j++);
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      push(false, 0, 1, i, j++);
    } else {
      push(false, 1, 0, i++, j);
    }
  }
  return hunks;
}

function quoted(tokens: readonly Token[]): string {
  return tokens.map((t) => t.raw).filter(Boolean).join(' ');
}

/**
 * How `version` differs from `reference`, word by word. A change at either end that only cuts
 * words is a truncation (not flagged when the shorter one is a partial quote, which prints a
 * fragment inside the writer's sentence by nature); inside the quote, a change that moves a
 * negation or a number is named for it, an unshown omission of a clause (two words or more, or
 * across a sentence end) is a splice, and anything else is wording.
 */
export function quoteDifferences(reference: Quote, version: Quote, referenceOutlet = 'the reference'): QuoteDifference[] {
  const ra = quoteTokens(reference.text);
  const vb = quoteTokens(version.text);
  const hunks = diff(
    ra.map((t) => t.norm),
    vb.map((t) => t.norm),
  );
  const out: QuoteDifference[] = [];
  // One difference per kind, its details joined: a quote cut at both ends is one truncation.
  const add = (kind: QuoteDifferenceKind, detail: string): void => {
    const same = out.find((x) => x.kind === kind);
    if (!same) out.push({ kind, detail });
    else if (!same.detail.includes(detail)) same.detail += `; ${detail}`;
  };
  hunks.forEach((h, k) => {
    if (h.equal) return;
    const aSide = ra.slice(h.a0, h.a1);
    const bSide = vb.slice(h.b0, h.b1);
    // Where this version shows a cut or an insertion of its own ("…", "[Russia]") at this point.
    const shown = Boolean(vb[h.b1]?.shownBefore || (h.b1 === vb.length && vb[vb.length - 1]?.shownAfter) || bSide[0]?.shownBefore);
    const atEnd = hunks.length > 1 && (k === 0 || k === hunks.length - 1);
    if (atEnd && (aSide.length === 0 || bSide.length === 0)) {
      // Cut at an end: this version lacks words the reference has, or has words the reference lacks.
      const where = k === 0 ? 'start' : 'end';
      const shorter = bSide.length === 0 ? version : reference;
      if (shorter.kind === 'partial' || (bSide.length === 0 && shown)) return;
      if (bSide.length === 0) add('truncation', `cut at the ${where}: lacks "${quoted(aSide)}", which ${referenceOutlet} prints`);
      else add('truncation', `runs on at the ${where}: "${quoted(bSide)}", which ${referenceOutlet} does not print`);
      return;
    }
    const negA = aSide.filter((t) => NEGATIONS.has(t.norm));
    const negB = bSide.filter((t) => NEGATIONS.has(t.norm));
    const numA = aSide.filter((t) => t.norm.startsWith('#'));
    const numB = bSide.filter((t) => t.norm.startsWith('#'));
    let named = false;
    if (negA.length !== negB.length) {
      named = true;
      if (negA.length > negB.length) add('negation', `no "${negA.map((t) => t.raw || t.norm).join(' ')}" where ${referenceOutlet} has it: "${quoted(bSide) || '…'}" for "${quoted(aSide)}"`);
      else add('negation', `"${negB.map((t) => t.raw || t.norm).join(' ')}" where ${referenceOutlet} has none: "${quoted(bSide)}" for "${quoted(aSide) || '…'}"`);
    }
    const values = (ts: Token[]): string => ts.map((t) => t.norm).sort().join();
    if (values(numA) !== values(numB)) {
      named = true;
      add('number', `${numB.map((t) => t.raw).join(', ') || 'no number'} where ${referenceOutlet} has ${numA.map((t) => t.raw).join(', ') || 'none'}`);
    }
    if (named) return;
    if (bSide.length === 0) {
      // Words of the reference left out between two stretches this version keeps.
      if (shown) return;
      const crossesSentence = aSide.some((t) => t.sentenceEnd) || (h.a0 > 0 && ra[h.a0 - 1]!.sentenceEnd);
      if (aSide.length >= 2 || crossesSentence) add('splice', `joins two stretches with no ellipsis, leaving out "${quoted(aSide)}"`);
      else add('wording', `leaves out "${quoted(aSide)}"`);
      return;
    }
    add('wording', aSide.length === 0 ? `adds "${quoted(bSide)}"` : `"${quoted(bSide)}" for "${quoted(aSide)}"`);
  });
  return out;
}

function speakerWords(name: string | undefined): string[] {
  if (!name) return [];
  return normaliseText(name)
    .toLowerCase()
    .split(/[^\p{L}'-]+/u)
    .filter((w) => w.length > 1 && !/^(?:mr|mrs|ms|dr|president|prime|minister|sir|the|gen|general|sen|senator|rep)$/.test(w));
}

/**
 * Whether two speakers can be one person as outlets name them: "Volodymyr Zelensky", "Zelensky"
 * and "President Zelensky" can; "Zelensky" and "Putin" cannot. The surname (last word) must agree,
 * or one name's words must all be in the other.
 */
function sameSpeaker(a: string | undefined, b: string | undefined): boolean {
  const wa = speakerWords(a);
  const wb = speakerWords(b);
  if (wa.length === 0 || wb.length === 0) return false;
  if (wa[wa.length - 1] === wb[wb.length - 1]) return true;
  const [short, long] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  return short.every((w) => long.includes(w));
}

/** Words every quote has, which say nothing about whether two quotes are one ("we will win" and "we will rebuild" are two). */
const FUNCTION_WORDS = new Set('a an the and or but of in on at to for from by with as is are was were be been will would can could do does did have has had it its this that we our you your they their he his she her i my me us them not no'.split(' '));

/**
 * The share of the shorter quote's distinct words found in the other, and how many words of
 * substance they share: two versions of one quote share names, nouns and verbs, not just "we will".
 */
function overlap(a: readonly Token[], b: readonly Token[]): { share: number; shared: number } {
  const sa = new Set(a.map((t) => t.norm));
  const sb = new Set(b.map((t) => t.norm));
  let common = 0;
  let shared = 0;
  for (const w of sa) {
    if (!sb.has(w)) continue;
    common++;
    if (!FUNCTION_WORDS.has(w)) shared++;
  }
  return { share: common / Math.max(1, Math.min(sa.size, sb.size)), shared };
}

interface Entry {
  report: OutletReport;
  quote: Quote;
  tokens: Token[];
}

/**
 * Groups each outlet's quotes into versions of one quote and compares each version with a
 * reference: the wording most outlets printed (a misquote is rarer than a faithful copy), then the
 * longest (truncation cuts, so the longer is nearer the source), then the earliest. Two quotes are
 * versions of one when their speakers can be one person and they share enough words (a higher
 * share when a speaker is missing on one side, two quotes with no speaker never). Each report gives
 * at most one version to a group, its best match. Only groups printed by two outlets or more are
 * returned, in the order their first version was published.
 */
export function compareQuoteVersions(reports: readonly OutletReport[], options: QuoteVersionOptions = {}): QuoteGroup[] {
  const minOverlap = options.minOverlap ?? 0.5;
  const minUnattributed = options.minOverlapUnattributed ?? 0.8;
  for (const [name, v] of [['minOverlap', minOverlap], ['minOverlapUnattributed', minUnattributed]] as const) {
    if (!(v > 0 && v <= 1)) throw new Error(`compareQuoteVersions: ${name} must be a share between 0 (excluded) and 1 (got ${String(v)})`);
  }
  const groups: Entry[][] = [];
  for (const report of inPublishedOrder(reports)) {
    const taken = new Set<number>();
    for (const quote of report.briefing.quotes) {
      const tokens = quoteTokens(quote.text);
      if (tokens.length === 0) continue;
      const entry: Entry = { report, quote, tokens };
      let best: { g: number; score: number } | undefined;
      groups.forEach((group, g) => {
        if (taken.has(g) || group.some((e) => e.report === report)) return;
        for (const other of group) {
          const both = Boolean(quote.speaker && other.quote.speaker);
          if (both && !sameSpeaker(quote.speaker, other.quote.speaker)) continue;
          if (!quote.speaker && !other.quote.speaker) continue;
          const o = overlap(tokens, other.tokens);
          if (o.shared < 2 || o.share < (both ? minOverlap : minUnattributed)) continue;
          if (!best || o.share > best.score) best = { g, score: o.share };
        }
      });
      if (best) {
        groups[best.g]!.push(entry);
        taken.add(best.g);
      } else {
        groups.push([entry]);
        taken.add(groups.length - 1);
      }
    }
  }

  const out: QuoteGroup[] = [];
  for (const group of groups) {
    if (new Set(group.map((e) => e.report.outlet)).size < 2) continue;
    // The wording as compared, with the cuts an outlet shows: "a … b" is not the same print as "a b".
    const keys = group.map((e) => e.tokens.map((t) => `${t.shownBefore ? '… ' : ''}${t.norm}${t.shownAfter ? ' …' : ''}`).join(' '));
    const count = (k: string): number => keys.filter((x) => x === k).length;
    let reference = 0;
    group.forEach((e, i) => {
      const r = group[reference]!;
      const better = count(keys[i]!) - count(keys[reference]!) || e.tokens.length - r.tokens.length;
      if (better > 0) reference = i;
    });
    const ref = group[reference]!;
    const versions = group.map((e, i): QuoteVersion => {
      const v: QuoteVersion = { outlet: e.report.outlet, briefingId: e.report.briefing.id, quote: e.quote, differences: i === reference ? [] : quoteDifferences(ref.quote, e.quote, ref.report.outlet) };
      if (e.report.published !== undefined) v.published = e.report.published;
      return v;
    });
    const g: QuoteGroup = { reference, versions, flagged: versions.some((v) => v.differences.length > 0) };
    const speaker = group.find((e) => e.quote.speaker)?.quote.speaker;
    if (speaker !== undefined) g.speaker = speaker;
    out.push(g);
  }
  return out;
}
