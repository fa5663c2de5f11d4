import { z } from 'zod';
import { HALVES, halfOf, type Half } from './halves.js';
import { lemma } from './lemma.js';

/**
 * Figure metrics against NewsQuant-style gold quantities (`figures-dev.jsonl`), after CQE's
 * evaluation as `../shared/eval/README.md` ("Figures") defines it. Pure functions: no I/O.
 *
 * - A figure shown *matches* a gold quantity of its sentence when its number (`quantity`) equals the
 *   gold value, or either end of a gold range ("252.0-287.0"); see {@link sameNumber} for rounding.
 * - Matching is one-to-one per sentence, and maximal (augmenting paths): a figure repeated twice can
 *   match two gold quantities only if the sentence has two of that value.
 * - *value* P/R/F1 counts those matches. *value+unit* matches again, one-to-one, using only the
 *   pairs whose unit also agrees ({@link unitAgrees}).
 * - Precision is over the figures shown, recall over all gold quantities, micro-averaged over the
 *   set: a briefing shows key figures only, so recall is lower by design.
 */

// ---------------------------------------------------------------------------------------------
// Gold records

export const GoldQuantitySchema = z.object({
  value: z.string(),
  unit: z.string(),
  normalized_unit: z.string(),
  change: z.string().optional(),
  referred_concepts: z.string().optional(),
});
export type GoldQuantity = z.infer<typeof GoldQuantitySchema>;

export const FigureRecordSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  text: z.string(),
  quantities: z.array(GoldQuantitySchema),
  source: z.string().optional(),
});
export type FigureRecord = z.infer<typeof FigureRecordSchema>;

/** A figure as the briefing shows it: the parts of `Figure` the measure reads. */
export interface ShownFigure {
  /** the figure as written: "$1.2 billion", "60 per cent", "35" */
  value: string;
  quantity: number;
  unit?: string;
  what: string;
}

// ---------------------------------------------------------------------------------------------
// Values

const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?`;
const GOLD_VALUE = new RegExp(`^\\s*(${NUMBER})\\s*(?:-\\s*(${NUMBER})\\s*)?$`);

/** The numbers a gold value stands for: one, or both ends of a range ("252.0-287.0"). */
export function goldNumbers(value: string): number[] {
  const m = GOLD_VALUE.exec(value);
  if (!m) return [];
  return [m[1], m[2]].filter((x): x is string => x !== undefined).map(Number);
}

/** Digits after the decimal point in the shortest form of a number (0.667 -> 3, 35 -> 0). */
function decimals(x: number): number {
  const text = String(x);
  if (/e/i.test(text)) return 20;
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/**
 * Whether a figure's quantity is the gold number. Equal up to floating-point noise (relative 1e-9),
 * or, for a quantity with decimals, equal to the gold number rounded to that many decimals: the
 * engine stores two-thirds as 0.667, and 0.667 is what 0.6666666666666666 is to three places.
 * Whole numbers must be exact, so 2019 never counts as 2020 or 2019.4.
 */
export function sameNumber(figure: number, gold: number): boolean {
  if (!Number.isFinite(figure) || !Number.isFinite(gold)) return false;
  if (Math.abs(figure - gold) <= 1e-9 * Math.max(Math.abs(figure), Math.abs(gold))) return true;
  const places = decimals(figure);
  if (places === 0 || places > 10) return false;
  return Math.abs(Number(gold.toFixed(places)) - figure) <= 1e-9 * Math.max(1, Math.abs(figure));
}

export function valueMatches(figure: ShownFigure, gold: GoldQuantity): boolean {
  return goldNumbers(gold.value).some((n) => sameNumber(figure.quantity, n));
}

// ---------------------------------------------------------------------------------------------
// Units

/** Words too common to say anything about a unit ("pound-feet of torque", "barrels a day"). */
const FUNCTION_WORDS = new Set(['of', 'per', 'a', 'an', 'the', 'and', 'or', 'to', 'in', 'on', 'at', 'for', 'by', 'with', 'from', 'as']);

/** The lemmas of the content words of a text ("pound-feet of torque" -> pound, foot, torque). */
export function unitWords(text: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const w of (text ?? '').normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []) {
    const lower = w.toLowerCase();
    if (FUNCTION_WORDS.has(lower)) continue;
    out.add(lemma(lower));
  }
  return out;
}

/** Currency symbols and the currency each names (¥ is both yen and yuan). */
const CURRENCY_SYMBOLS: readonly [RegExp, readonly string[]][] = [
  [/\$/, ['dollar']],
  [/€/, ['euro']],
  [/£/, ['pound']],
  [/[¥￥]/, ['yen', 'yuan']],
  [/₹/, ['rupee']],
  [/₩/, ['won']],
  [/₽/, ['ruble']],
  [/₪/, ['shekel']],
  [/₺/, ['lira']],
  [/₦/, ['naira']],
  [/₱/, ['peso']],
  [/฿/, ['baht']],
];
/**
 * Currency words (lemmas) and ISO codes, to the currency they name. Words that are mostly something
 * else are left out: "won" (a verb), "real", "dram" (a measure of volume in these sentences).
 */
const CURRENCY_WORDS: Record<string, string> = {
  dollar: 'dollar', buck: 'dollar', usd: 'dollar', aud: 'dollar', cad: 'dollar', hkd: 'dollar', nzd: 'dollar', sgd: 'dollar',
  cent: 'cent', penny: 'penny',
  euro: 'euro', eur: 'euro',
  pound: 'pound', sterling: 'pound', gbp: 'pound', quid: 'pound',
  yen: 'yen', jpy: 'yen',
  yuan: 'yuan', renminbi: 'yuan', rmb: 'yuan', cny: 'yuan',
  rupee: 'rupee', inr: 'rupee',
  krone: 'krone', krona: 'krone', crown: 'krone', dkk: 'krone', nok: 'krone', sek: 'krone',
  kuna: 'kuna', hrk: 'kuna',
  shekel: 'shekel', ils: 'shekel',
  franc: 'franc', chf: 'franc',
  peso: 'peso', rand: 'rand', krw: 'won', ruble: 'ruble', rouble: 'ruble', lira: 'lira',
  dinar: 'dinar', dirham: 'dirham', riyal: 'riyal', baht: 'baht', ringgit: 'ringgit', naira: 'naira',
  rupiah: 'rupiah', zloty: 'zloty', forint: 'forint', bitcoin: 'bitcoin',
};

/** The currencies a text names by symbol or word ("US$" -> dollar, "yuan" -> yuan). */
export function currenciesIn(text: string | undefined): Set<string> {
  const out = new Set<string>();
  const t = text ?? '';
  for (const [symbol, names] of CURRENCY_SYMBOLS) if (symbol.test(t)) names.forEach((n) => out.add(n));
  for (const w of unitWords(t)) {
    const c = CURRENCY_WORDS[w];
    if (c) out.add(c);
  }
  return out;
}

const PERCENT = /%|\bper[\s-]?cent(?:age)?\b|\bpct\b|\d\s*pc\b|^pc$/i;

export type GoldUnitKind = 'percent' | 'money' | 'other';

/**
 * What kind of unit a gold quantity has. Percent: its normalised unit is "percentage" ("percentage
 * per year") or "%". A share of something ("% Britain population", annotated on "a third of the
 * population" with the value 0.333) is not a percentage written as one: its words are the unit.
 * Money: its normalised unit names a currency, where a bare "pound" is a weight and only "pound
 * sterling" (or "£") is money.
 */
export function goldUnitKind(gold: GoldQuantity): GoldUnitKind {
  const normalised = gold.normalized_unit.trim().toLowerCase();
  if (/^percentage\b/.test(normalised) || normalised === '%') return 'percent';
  const currencies = currenciesIn(normalised);
  if (currencies.has('pound') && !/sterling|£/.test(normalised)) currencies.delete('pound');
  return currencies.size > 0 ? 'money' : 'other';
}

/** A gold unit that names nothing: "-" (a bare count such as "two of them"). */
function goldHasNoUnit(gold: GoldQuantity): boolean {
  return unitWords(gold.unit).size === 0 && unitWords(gold.normalized_unit).size === 0;
}

/**
 * Whether a figure's unit agrees with a gold quantity's (the README's rule):
 * - percent gold: the figure's own text (its `value` as written, or its `unit`) carries the percent
 *   ("40%", "60 per cent", unit "%");
 * - money gold: the figure's own text carries a currency, and it is the gold's currency ("$", "US$",
 *   "yuan", "cents"; "€5" does not agree with dollars);
 * - otherwise: the lemma of a word of the figure's `what` or of its `unit` field equals the lemma of
 *   a word of the gold `unit` or `normalized_unit` (function words such as "of" and "per" ignored).
 *   The README names `what`; the figure's `unit` field is read too because the schema has a field
 *   for the unit ("275" with unit "pound-feet" and what "torque" says the unit as plainly as what
 *   "pound-feet of torque" would), and a scorer must not reward putting the unit in the wrong field.
 *   Lemmas on both sides, so "miles" agrees with "mile" and "inches" with "inch".
 * - a gold quantity with no unit at all ("-") agrees with a figure that names none either (empty
 *   `what`, no `unit`): there is no unit to get wrong.
 */
export function unitAgrees(figure: ShownFigure, gold: GoldQuantity): boolean {
  const own = `${figure.value} ${figure.unit ?? ''}`;
  switch (goldUnitKind(gold)) {
    case 'percent':
      return PERCENT.test(figure.value) || PERCENT.test(figure.unit ?? '');
    case 'money': {
      const wanted = currenciesIn(`${gold.unit} ${gold.normalized_unit}`);
      return [...currenciesIn(own)].some((c) => wanted.has(c));
    }
    case 'other': {
      const shown = new Set([...unitWords(figure.what), ...unitWords(figure.unit)]);
      if (goldHasNoUnit(gold)) return shown.size === 0;
      const goldWords = new Set([...unitWords(gold.unit), ...unitWords(gold.normalized_unit)]);
      return [...shown].some((w) => goldWords.has(w));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Matching and scores

/** A maximum one-to-one matching in a bipartite graph (augmenting paths); returns [left, right] pairs. */
export function maximumMatching(left: number, right: number, edge: (l: number, r: number) => boolean): [number, number][] {
  const matchOfRight = new Array<number>(right).fill(-1);
  const tryAugment = (l: number, seen: boolean[]): boolean => {
    for (let r = 0; r < right; r++) {
      if (seen[r] || !edge(l, r)) continue;
      seen[r] = true;
      if (matchOfRight[r] === -1 || tryAugment(matchOfRight[r]!, seen)) {
        matchOfRight[r] = l;
        return true;
      }
    }
    return false;
  };
  for (let l = 0; l < left; l++) tryAugment(l, new Array<boolean>(right).fill(false));
  const pairs: [number, number][] = [];
  matchOfRight.forEach((l, r) => {
    if (l >= 0) pairs.push([l, r]);
  });
  return pairs.sort((a, b) => a[0] - b[0]);
}

export interface SentenceFigureResult {
  id: string;
  half: Half;
  shown: number;
  gold: number;
  /** [figure index, gold index] pairs matched on value */
  valuePairs: [number, number][];
  /** [figure index, gold index] pairs matched on value and unit */
  valueUnitPairs: [number, number][];
}

/** Scores the figures shown for one sentence against its gold quantities. */
export function scoreSentenceFigures(id: string, figures: readonly ShownFigure[], gold: readonly GoldQuantity[]): SentenceFigureResult {
  const valuePairs = maximumMatching(figures.length, gold.length, (f, g) => valueMatches(figures[f]!, gold[g]!));
  const valueUnitPairs = maximumMatching(
    figures.length,
    gold.length,
    (f, g) => valueMatches(figures[f]!, gold[g]!) && unitAgrees(figures[f]!, gold[g]!),
  );
  return { id, half: halfOf(id), shown: figures.length, gold: gold.length, valuePairs, valueUnitPairs };
}

export interface PRF {
  matched: number;
  precision: number;
  recall: number;
  f1: number;
}

export function prf(matched: number, shown: number, gold: number): PRF {
  const precision = shown > 0 ? matched / shown : 0;
  const recall = gold > 0 ? matched / gold : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { matched, precision, recall, f1 };
}

export interface FigureScores {
  sentences: number;
  shown: number;
  gold: number;
  value: PRF;
  valueUnit: PRF;
}

/** Micro-averaged scores over sentence results. */
export function sumFigureScores(results: readonly SentenceFigureResult[]): FigureScores {
  let shown = 0;
  let gold = 0;
  let value = 0;
  let valueUnit = 0;
  for (const r of results) {
    shown += r.shown;
    gold += r.gold;
    value += r.valuePairs.length;
    valueUnit += r.valueUnitPairs.length;
  }
  return { sentences: results.length, shown, gold, value: prf(value, shown, gold), valueUnit: prf(valueUnit, shown, gold) };
}

export interface FigureReport {
  all: FigureScores;
  halves: Record<Half, FigureScores>;
}

export function figureReport(results: readonly SentenceFigureResult[]): FigureReport {
  return {
    all: sumFigureScores(results),
    halves: Object.fromEntries(HALVES.map((h) => [h, sumFigureScores(results.filter((r) => r.half === h))])) as Record<Half, FigureScores>,
  };
}

const pct = (x: number): string => (100 * x).toFixed(1);

/** The report as a plain-text table (percentages with one decimal). */
export function formatFigureReport(report: FigureReport): string {
  const rows: string[][] = [['set', 'sentences', 'gold', 'shown', 'value P', 'R', 'F1', 'value+unit P', 'R', 'F1']];
  const row = (name: string, s: FigureScores): string[] => [
    name,
    String(s.sentences),
    String(s.gold),
    String(s.shown),
    pct(s.value.precision),
    pct(s.value.recall),
    pct(s.value.f1),
    pct(s.valueUnit.precision),
    pct(s.valueUnit.recall),
    pct(s.valueUnit.f1),
  ];
  rows.push(row('all', report.all));
  for (const h of HALVES) rows.push(row(`half ${h}`, report.halves[h]));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}
