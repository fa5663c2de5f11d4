/**
 * Wall-clock time in IANA time zones, with Intl only (no time-zone library needed for this much).
 * The one rule that matters for schedules: a local time that does not exist (clocks go forward)
 * moves forward by the gap, and a local time that happens twice (clocks go back) is the first one,
 * as Temporal's "compatible" disambiguation does.
 */

export interface LocalTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 Sunday – 6 Saturday */
  weekday: number;
}

const DAY_MS = 86_400_000;
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timezone, f);
  }
  return f;
}

export function localTime(instant: number, timezone: string): LocalTime & { second: number } {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const part of partsFormatter(timezone).formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        out.year = Number(part.value);
        break;
      case 'month':
        out.month = Number(part.value);
        break;
      case 'day':
        out.day = Number(part.value);
        break;
      case 'hour':
        out.hour = Number(part.value) % 24;
        break;
      case 'minute':
        out.minute = Number(part.value);
        break;
      case 'second':
        out.second = Number(part.value);
        break;
      case 'weekday':
        out.weekday = WEEKDAYS[part.value] ?? 0;
        break;
    }
  }
  return out;
}

/** The zone's offset from UTC at an instant, in milliseconds (London in summer: +3,600,000). */
export function offsetAt(instant: number, timezone: string): number {
  const t = localTime(instant, timezone);
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a local wall-clock minute stands for (see the rule above). */
export function localToInstant(year: number, month: number, day: number, hour: number, minute: number, timezone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const before = offsetAt(wall - DAY_MS, timezone);
  const after = offsetAt(wall + DAY_MS, timezone);
  const reads = (t: number): boolean => {
    const l = localTime(t, timezone);
    return l.year === year && l.month === month && l.day === day && l.hour === hour && l.minute === minute;
  };
  const candidates = [...new Set([wall - before, wall - after])].filter(reads).sort((a, b) => a - b);
  // No candidate: the time falls in a gap; with the offset from before the change it lands just after it.
  return candidates[0] ?? wall - before;
}

/** Calendar arithmetic on local dates, in UTC so no zone gets in the way. */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/**
 * The canonical IANA name for what a person typed, in any case ("europe/london" → "Europe/London",
 * "utc" → "UTC"), or undefined when it is not a time zone.
 */
export function resolveTimezone(input: string): string | undefined {
  const wanted = input.trim();
  if (!wanted || wanted.length > 64) return undefined;
  if (/^(utc|gmt|z|etc\/utc|etc\/gmt)$/i.test(wanted)) return 'UTC';
  const known = Intl.supportedValuesOf('timeZone').find((z) => z.toLowerCase() === wanted.toLowerCase());
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: known ?? wanted }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const displayFormatters = new Map<string, { date: Intl.DateTimeFormat; zones: Intl.DateTimeFormat[] }>();

function zoneName(formatter: Intl.DateTimeFormat, instant: Date): string {
  return formatter.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** "Mon 3 Mar 2025, 08:00 GMT": how a time is shown to people in a channel's zone. */
export function formatLocal(instant: Date | number | string, timezone: string): string {
  let f = displayFormatters.get(timezone);
  if (!f) {
    f = {
      date: new Intl.DateTimeFormat('en-GB', {
        timeZone: timezone,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
      // British English names London's and Europe's zones (BST, CET), American English the
      // Americas' (EDT, PST); whichever gives a name rather than "GMT-4" wins.
      zones: ['en-GB', 'en-US'].map((locale) => new Intl.DateTimeFormat(locale, { timeZone: timezone, timeZoneName: 'short' })),
    };
    displayFormatters.set(timezone, f);
  }
  const date = new Date(instant);
  const names = f.zones.map((z) => zoneName(z, date));
  const zone = names.find((n) => n && !/^(GMT|UTC)[+-]/.test(n)) ?? names[0] ?? timezone;
  return `${f.date.format(date).replace(/^(\w+),? /, '$1 ')} ${zone}`;
}
