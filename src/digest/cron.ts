import { addDays, localTime, localToInstant, offsetAt } from './zoned-time.js';

/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) and their
 * occurrences in a time zone. The digest scheduler fires node-cron 4 tasks with the same
 * expression; this model is what the store's slots, catch-up after a restart and `/digest
 * status` are computed from, with injected time. Like node-cron 4, a day must match both the
 * day-of-month and the day-of-week fields. Daylight-saving rules: see zoned-time.ts.
 */

export interface CronFields {
  minutes: number[];
  hours: number[];
  /** undefined: any day of the month. */
  days?: Set<number>;
  months?: Set<number>;
  /** 0 Sunday – 6 Saturday. */
  weekdays?: Set<number>;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Where the first name counts from (months: 1). */
  nameBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, nameBase: 0 },
];

function value(token: string, spec: FieldSpec): number {
  const lower = token.toLowerCase();
  const named = spec.names?.indexOf(lower.slice(0, 3)) ?? -1;
  if (spec.names && named >= 0 && /^[a-z]+$/.test(lower)) return named + (spec.nameBase ?? 0);
  if (!/^\d{1,2}$/.test(token)) throw new Error(`${spec.name}: "${token}" is not a number`);
  const n = Number(token);
  if (n < spec.min || n > spec.max) throw new Error(`${spec.name}: ${n} is outside ${spec.min}–${spec.max}`);
  return n;
}

function parseField(text: string, spec: FieldSpec): { values: number[]; any: boolean } {
  const values = new Set<number>();
  let any = false;
  for (const item of text.split(',')) {
    const m = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d{1,2}))?$/i.exec(item);
    if (!m) throw new Error(`${spec.name}: cannot read "${item}"`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new Error(`${spec.name}: a step must be at least 1`);
    let from: number;
    let to: number;
    if (m[1] === '*') {
      from = spec.min;
      to = spec.name === 'day of week' ? 6 : spec.max;
      if (step === 1) any = true;
    } else if (m[1]!.includes('-')) {
      const [a, b] = m[1]!.split('-');
      from = value(a!, spec);
      to = value(b!, spec);
      if (to < from) throw new Error(`${spec.name}: the range ${m[1]} runs backwards`);
    } else {
      from = value(m[1]!, spec);
      to = m[2] === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) values.add(spec.name === 'day of week' && v === 7 ? 0 : v);
  }
  return { values: [...values].sort((a, b) => a - b), any };
}

/** Reads a five-field expression; throws an Error whose message names the field at fault. */
export function parseCron(expression: string): CronFields {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`a cron expression has five fields (minute hour day month weekday), this one has ${parts.length}`);
  const [minute, hour, day, month, weekday] = parts.map((p, i) => parseField(p, FIELDS[i]!));
  const fields: CronFields = { minutes: minute!.values, hours: hour!.values };
  if (!day!.any) fields.days = new Set(day!.values);
  if (!month!.any) fields.months = new Set(month!.values);
  if (!weekday!.any) fields.weekdays = new Set(weekday!.values);
  if (fields.days && fields.months && ![...fields.months].some((m) => [...fields.days!].some((d) => d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!))) {
    throw new Error('day of month: no month listed has that day');
  }
  return fields;
}

const DAY_MS = 86_400_000;

/** Nine years: long enough for "29 February on a Monday" style expressions to come round. */
const SEARCH_DAYS = 366 * 9;

export interface Occurrences {
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date | undefined;
  /** The last occurrence at or before `at`. */
  latest(at: Date): Date | undefined;
}

export function cronOccurrences(fields: CronFields, timezone: string): Occurrences {
  const dayMatches = (d: { month: number; day: number; weekday: number }): boolean =>
    (!fields.months || fields.months.has(d.month)) && (!fields.days || fields.days.has(d.day)) && (!fields.weekdays || fields.weekdays.has(d.weekday));

  /** Every occurrence on one local date, as sorted distinct instants. */
  const onDay = (d: { year: number; month: number; day: number }): number[] => {
    const out = new Set<number>();
    const midnight = Date.UTC(d.year, d.month - 1, d.day);
    const before = offsetAt(midnight - DAY_MS, timezone);
    // The usual day: the same offset from the day before to the day after, so no clock change in it.
    const steady = before === offsetAt(midnight + 2 * DAY_MS, timezone);
    for (const hour of fields.hours) {
      for (const minute of fields.minutes) {
        out.add(steady ? midnight + (hour * 60 + minute) * 60_000 - before : localToInstant(d.year, d.month, d.day, hour, minute, timezone));
      }
    }
    return [...out].sort((a, b) => a - b);
  };

  return {
    next(after) {
      const t = after.getTime();
      // Start a day early: a gap shifted forward can move the previous local day's last slot past `after`.
      const start = addDays(localTime(t, timezone), -1);
      for (let i = 0; i <= SEARCH_DAYS; i++) {
        const d = addDays(start, i);
        if (!dayMatches(d)) continue;
        const found = onDay(d).find((x) => x > t);
        if (found !== undefined) return new Date(found);
      }
      return undefined;
    },
    latest(at) {
      const t = at.getTime();
      // Clock changes only ever move a time later, so no later local day has an occurrence at or before `at`.
      const start = addDays(localTime(t, timezone), 0);
      for (let i = 0; i <= SEARCH_DAYS; i++) {
        const d = addDays(start, -i);
        if (!dayMatches(d)) continue;
        const found = onDay(d).filter((x) => x <= t).pop();
        if (found !== undefined) return new Date(found);
      }
      return undefined;
    },
  };
}
