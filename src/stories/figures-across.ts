import { factsOf, sameThingCounted, type Figure, type FigureFacts } from '../briefing/index.js';
import { inPublishedOrder, timeOf, type OutletReport } from './outlet-report.js';

/**
 * Figures across outlets: each outlet's figure for the same measure of the same event, lined up
 * with who asserted it and as of when, and read as agreement, an update or a disagreement.
 *
 * "The same measure" is the briefing engine's own notion (figures-conflicts.ts, `factsOf` and
 * `sameThingCounted`): the same class of thing counted ("troops", "soldiers" and "fighters" are one
 * class), qualifiers that agree ("North Korean" against "Russian" troops are two measures), the same
 * thing happening to them (killed against injured), and never a share, a part of a whole, an
 * increment or a rate. Reusing it keeps one article's conflicts and the story's comparison from
 * disagreeing on what is comparable. An equal number is never a reason to align two figures.
 */

export type FigureRelation = 'agreement' | 'update' | 'disagreement';

export interface FigureReading {
  outlet: string;
  briefingId: string;
  /** The figure as the outlet's briefing holds it (value as written, quantity, unit, hedge). */
  figure: Figure;
  /** Who asserts it: the source the article names, else the outlet itself. */
  assertedBy: string;
  published?: string;
  /** The day (YYYY-MM-DD) the sentence pins the count to ("as of Monday", "said on Dec 4"), when it does. */
  asOf?: string;
  /** The sentence it was read from. */
  sentence: string;
}

export interface FigureStep {
  kind: FigureRelation;
  /** Indexes into FigureLine.readings. */
  readings: number[];
  note: string;
}

export interface FigureLine {
  /** What is measured, as the earliest reading words it: "North Korean troops", "people killed". */
  measure: string;
  unit?: string;
  /** The readings, earliest first. */
  readings: FigureReading[];
  /** The most telling relation among the steps: a disagreement, else an update, else agreement. */
  kind: FigureRelation;
  /** Readings at one time compared (agreement or disagreement), then each later time against the one before (update or agreement). */
  steps: FigureStep[];
  /** One line for the card: "6,125 → 6,301", "10,000 (Pentagon, Reuters) vs 12,000 (Zelensky, AP)". */
  note: string;
}

export interface FiguresAcrossOptions {
  /**
   * Two readings published this many hours apart or less, with no day in their sentences, are
   * taken as given at the same time. Outlets covering one event publish within hours of each
   * other, and a count that differs within that window is more often two sources than a change.
   */
  sameTimeHours?: number;
}

const DEFAULT_SAME_TIME_HOURS = 3;

/** Words that make a count a new state of a running count; a later reading worded so is an update even inside the same-time window. */
const UPDATE_WORDS = /\b(?:rose to|risen to|climbed to|increased to|jumped to|grew to|reached|now stands|now at|has now|updated|revised|latest (?:figures?|count|toll|tally))\b/i;

/** A day written in the sentence that the count is "as of": said on it, given as of it, counted by it. */
const AS_OF =
  /\b(?:as of|as at|by|(?:said|says|reported|announced|confirmed|added)(?:\s+on)?)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|last night|this morning|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?:\s+\d{4})?|\d{4}-\d{2}-\d{2})\b/i;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_MS = 86_400_000;

/** The calendar day of an ISO date or date-time as the outlet wrote it (its own time zone), or undefined. */
function dayOf(iso: string | undefined): string | undefined {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : undefined;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The day a sentence pins its count to, resolved against the day the outlet published: a weekday
 * is the latest such day on or before it, "yesterday" the day before, a month and day without a
 * year the one not after it. Only days said with "as of", "by" or a reporting verb count: "the dam
 * burst on Monday" dates the event, not the count, which is as of publication.
 */
export function asOfDay(sentence: string, published: string | undefined): string | undefined {
  const m = AS_OF.exec(sentence);
  if (!m) return undefined;
  const said = m[1]!.toLowerCase().replace(/\s+/g, ' ');
  if (/^\d{4}-\d{2}-\d{2}$/.test(said)) return said;
  const base = dayOf(published);
  const weekday = WEEKDAYS.indexOf(said);
  if (weekday >= 0) {
    if (!base) return undefined;
    const back = (new Date(`${base}T00:00:00Z`).getUTCDay() - weekday + 7) % 7;
    return addDays(base, -back);
  }
  if (said === 'yesterday' || said === 'last night') return base && addDays(base, -1);
  if (said === 'today' || said === 'tonight' || said === 'this morning') return base;
  const md = /^([a-z]+)\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?$/.exec(said) ?? /^(\d{1,2})\s+([a-z]+)(?:\s+(\d{4}))?$/.exec(said);
  if (!md) return undefined;
  const [monthWord, dayNumber] = /^\d/.test(md[1]!) ? [md[2]!, md[1]!] : [md[1]!, md[2]!];
  const month = MONTHS.indexOf(monthWord.slice(0, 3)) + 1;
  const year = md[3] ? Number(md[3]) : base ? Number(base.slice(0, 4)) : undefined;
  if (month === 0 || year === undefined) return undefined;
  const day = `${year}-${String(month).padStart(2, '0')}-${dayNumber.padStart(2, '0')}`;
  // "Dec 30" in an article of 2 January is last year's.
  if (!md[3] && base && day > addDays(base, 1)) return `${year - 1}${day.slice(4)}`;
  return day;
}

interface Candidate {
  reading: FigureReading;
  facts: FigureFacts;
  /** Places the sentence names (from its briefing's places), and the other names it is about (asserter left out). */
  places: Set<string>;
  names: Set<string>;
  update: boolean;
  order: number;
}

function namedIn(sentence: string, names: readonly string[], except: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const n of names) {
    if (n.length < 2 || !sentence.includes(n)) continue;
    if (except && (except.includes(n) || n.includes(except))) continue;
    out.add(n.toLowerCase());
  }
  return out;
}

function overlaps(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/**
 * Whether two outlets' figures measure the same thing of the same event. Beyond the engine's notion
 * of the same thing counted: the same unit, at most a tenfold gap (a count ten times another is
 * another count, or a misread scale), and not about different places, since a story about a storm
 * can count the dead in two towns. Two sentences that name disjoint places are taken as two events
 * unless they share another name (a person or a body, not the one asserting the figure).
 */
function sameMeasure(a: Candidate, b: Candidate): boolean {
  if ((a.reading.figure.unit ?? '') !== (b.reading.figure.unit ?? '')) return false;
  if (!sameThingCounted(a.facts, b.facts)) return false;
  const hi = Math.max(a.reading.figure.quantity, b.reading.figure.quantity);
  const lo = Math.min(a.reading.figure.quantity, b.reading.figure.quantity);
  if (lo <= 0 || hi / lo > 10) return false;
  if (a.places.size > 0 && b.places.size > 0 && !overlaps(a.places, b.places) && !overlaps(a.names, b.names)) return false;
  return true;
}

const LOWER_BOUND = /\b(?:more than|over|at least|upwards of|in excess of|exceeding)\b/i;
const UPPER_BOUND = /\b(?:less than|under|up to|as many as|nearly|almost|fewer than|at most)\b/i;
const APPROXIMATE = /\b(?:about|around|roughly|approximately|some|an estimated|estimated|close to)\b/i;

/**
 * Whether two figures say the same, allowing for their hedges: "more than 6,000" is not
 * contradicted by 6,125, "about 10,000" not by 10,400 (a tenth either way). Two different bare
 * numbers say different things.
 */
function consistent(a: Figure, b: Figure): boolean {
  if (a.quantity === b.quantity) return true;
  const fits = (hedged: Figure, other: Figure): boolean => {
    const h = `${hedged.hedge ?? ''} ${hedged.value}`;
    if (LOWER_BOUND.test(h) && other.quantity >= hedged.quantity) return true;
    if (UPPER_BOUND.test(h) && other.quantity <= hedged.quantity) return true;
    return APPROXIMATE.test(h) && Math.abs(other.quantity - hedged.quantity) <= hedged.quantity * 0.1;
  };
  return fits(a, b) || fits(b, a);
}

/** The moment a reading stands for: the day its sentence names, else when it was published. */
function momentOf(r: FigureReading): { day?: string; time?: number } {
  if (r.asOf) return { day: r.asOf };
  const time = timeOf(r.published);
  const day = dayOf(r.published);
  // A date with no time of day is a day, not midnight.
  if (r.published && /^\d{4}-\d{2}-\d{2}$/.test(r.published)) return { day: r.published };
  return { ...(day ? { day } : {}), ...(time !== undefined ? { time } : {}) };
}

/**
 * Whether two readings were given at the same time. A reading pinned to a day matches any reading
 * of that day; two published instants match within the window. A reading with no date at all
 * cannot be placed before or after another, so it is compared as given at the same time: the card
 * then shows two numbers side by side rather than inventing an order.
 */
function sameTime(a: FigureReading, b: FigureReading, windowMs: number): boolean {
  const ma = momentOf(a);
  const mb = momentOf(b);
  if ((ma.day === undefined && ma.time === undefined) || (mb.day === undefined && mb.time === undefined)) return true;
  if (a.asOf || b.asOf || ma.time === undefined || mb.time === undefined) return ma.day === mb.day;
  return Math.abs(ma.time - mb.time) <= windowMs;
}

/** Chronological order of readings: by the day or instant they stand for, ties in input order. */
function sortKey(r: FigureReading): number | undefined {
  const m = momentOf(r);
  if (m.time !== undefined && !r.asOf) return m.time;
  // A day sorts at its noon, so that a count "as of Monday" sorts after one published early Monday.
  return m.day ? Date.parse(`${m.day}T12:00:00Z`) : undefined;
}

function describe(r: FigureReading): string {
  return r.assertedBy === r.outlet ? `${r.figure.value} (${r.outlet})` : `${r.figure.value} (${r.assertedBy}, ${r.outlet})`;
}

/** The distinct things said, in order: readings that agree with an earlier one (hedges allowing) are folded into it. */
function distinctValues(readings: FigureReading[]): FigureReading[] {
  const out: FigureReading[] = [];
  for (const r of readings) if (!out.some((o) => consistent(o.figure, r.figure))) out.push(r);
  return out;
}

const EVENT_IN_WHAT = /dead|death|died|kill|fatal|casualt|wound|injur|hurt|missing|arrest|detain|prisoner|displac|evacu|refugee|infect|case|rescu|bod(?:y|ies)/i;

function measureOf(c: Candidate): string {
  const what = c.reading.figure.what;
  return c.facts.event && !EVENT_IN_WHAT.test(what) ? `${what} ${c.facts.event}` : what;
}

/**
 * Lines up the outlets' figures for each measure given by at least two outlets, earliest first,
 * and reads each line: at one time, different figures are a disagreement and equal ones agreement;
 * from one time to a later one, a different figure is an update ("6,125 → 6,301") and an equal one
 * agreement. A later reading worded as a running count ("has risen to") is an update even inside
 * the same-time window, as the outlet itself says the count moved.
 *
 * Figures are grouped against each group's first figure, not chained through any member, so that
 * two measures never merge through a figure that resembles both. Deterministic: readings are
 * taken in published order and every tie falls to the input order.
 */
export function lineUpFigures(reports: readonly OutletReport[], options: FiguresAcrossOptions = {}): FigureLine[] {
  const hours = options.sameTimeHours ?? DEFAULT_SAME_TIME_HOURS;
  if (!(hours >= 0)) throw new Error(`lineUpFigures: sameTimeHours must be a number of hours, 0 or more (got ${String(options.sameTimeHours)})`);
  const windowMs = hours * 3_600_000;
  const candidates: Candidate[] = [];
  for (const report of inPublishedOrder(reports)) {
    const b = report.briefing;
    for (const figure of b.figures) {
      const sentence = report.sentences[figure.sentence];
      if (sentence === undefined) throw new Error(`lineUpFigures: briefing "${b.id}" points at sentence ${figure.sentence}, but its report holds ${report.sentences.length} sentences: pass the article's sentences as the engine numbered them (reportOf)`);
      if (!figure.what) continue;
      const facts = factsOf(figure, sentence);
      if (!facts) continue;
      const reading: FigureReading = { outlet: report.outlet, briefingId: b.id, figure, assertedBy: figure.attributedTo ?? report.outlet, sentence };
      if (report.published !== undefined) reading.published = report.published;
      const asOf = asOfDay(sentence, report.published);
      if (asOf) reading.asOf = asOf;
      candidates.push({
        reading,
        facts,
        places: namedIn(sentence, b.places, figure.attributedTo),
        names: namedIn(sentence, [...b.people, ...b.organizations], figure.attributedTo),
        update: UPDATE_WORDS.test(sentence),
        order: candidates.length,
      });
    }
  }

  const groups: Candidate[][] = [];
  for (const c of candidates) {
    const group = groups.find((g) => sameMeasure(g[0]!, c));
    // One article saying the same figure twice (lead and body) is one reading.
    if (group?.some((o) => o.reading.briefingId === c.reading.briefingId && o.reading.outlet === c.reading.outlet && o.reading.figure.quantity === c.reading.figure.quantity)) continue;
    if (group) group.push(c);
    else groups.push([c]);
  }

  const lines: FigureLine[] = [];
  for (const group of groups) {
    if (new Set(group.map((c) => c.reading.outlet)).size < 2) continue;
    const sorted = group
      .map((c) => ({ c, key: sortKey(c.reading) }))
      .sort((x, y) => (x.key ?? Infinity) - (y.key ?? Infinity) || x.c.order - y.c.order)
      .map((x) => x.c);
    const readings = sorted.map((c) => c.reading);
    // Split into times: a reading joins the current time unless it was given later, or says the count moved.
    const times: number[][] = [];
    sorted.forEach((c, i) => {
      const current = times[times.length - 1];
      const first = current ? sorted[current[0]!]! : undefined;
      const movedOn = first !== undefined && c.update && (sortKey(c.reading) ?? 0) > (sortKey(first.reading) ?? 0) && !consistent(first.reading.figure, c.reading.figure);
      if (current && first && sameTime(first.reading, c.reading, windowMs) && !movedOn) current.push(i);
      else times.push([i]);
    });
    const steps: FigureStep[] = [];
    times.forEach((slot, t) => {
      const at = slot.map((i) => readings[i]!);
      if (t > 0) {
        const before = times[t - 1]!;
        const earlier = distinctValues(before.map((i) => readings[i]!));
        const later = distinctValues(at);
        const same = later.every((l) => earlier.some((e) => consistent(e.figure, l.figure)));
        const note = same ? `${later.map(describe).join(', ')} confirms ${earlier.map((e) => e.figure.value).join(' / ')}` : `${earlier.map((e) => e.figure.value).join(' / ')} → ${later.map((l) => l.figure.value).join(' / ')}`;
        steps.push({ kind: same ? 'agreement' : 'update', readings: [before[before.length - 1]!, ...slot], note });
      }
      if (slot.length > 1 && new Set(at.map((r) => r.outlet)).size > 1) {
        const values = distinctValues(at);
        if (values.length > 1) steps.push({ kind: 'disagreement', readings: slot, note: values.map(describe).join(' vs ') });
        else steps.push({ kind: 'agreement', readings: slot, note: `${at.map(describe).join(', ')} agree` });
      }
    });
    const kind: FigureRelation = steps.some((s) => s.kind === 'disagreement') ? 'disagreement' : steps.some((s) => s.kind === 'update') ? 'update' : 'agreement';
    const telling = steps.filter((s) => s.kind === kind);
    const line: FigureLine = { measure: measureOf(sorted[0]!), readings, kind, steps, note: telling.map((s) => s.note).join('; ') };
    const unit = sorted[0]!.reading.figure.unit;
    if (unit !== undefined) line.unit = unit;
    lines.push(line);
  }
  return lines;
}
