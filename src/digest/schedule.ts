import { validate as validateWithNodeCron } from 'node-cron';
import { cronOccurrences, parseCron, type Occurrences } from './cron.js';
import { resolveTimezone } from './zoned-time.js';

/**
 * What people may type as a digest schedule: a few friendly forms, or a five-field cron
 * expression, always read in an IANA time zone. Anything else gets a message saying what is
 * accepted. A digest comes at most once an hour.
 */

export const SCHEDULE_EXAMPLES = ['daily 08:00', 'weekdays 07:30', 'mondays 09:00', 'every 6 hours'] as const;

export const SCHEDULE_HELP =
  'Use one of: daily 08:00, weekdays 07:30, weekends 10:00, mondays 09:00 (any day of the week), every 6 hours, ' +
  'or a cron expression such as "30 7 * * 1-5" (minute hour day-of-month month day-of-week). ' +
  'Times are 24-hour (or 7:30am), in the time zone you give (an IANA name such as Europe/London; default UTC).';

export interface Schedule {
  /** The five-field cron expression node-cron runs. */
  cron: string;
  /** How the schedule is shown back: "daily 08:00", or "cron 30 7 * * 1-5". */
  label: string;
  timezone: string;
}

export type ScheduleResult = { ok: true; schedule: Schedule } | { ok: false; message: string };

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const HOURLY_STEPS = new Set([1, 2, 3, 4, 6, 8, 12]);

/** "08:00", "8:00", "7:30am", "7pm" → hour and minute. */
function parseTime(text: string): { hour: number; minute: number } | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/.exec(text);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  if (m[2] === undefined && !m[3]) return undefined;
  if (minute > 59) return undefined;
  if (m[3]) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (m[3] === 'pm' ? 12 : 0);
  } else if (hour > 23) {
    return undefined;
  }
  return { hour, minute };
}

function hhmm(t: { hour: number; minute: number }): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

function friendly(text: string): { cron: string; label: string } | undefined {
  const s = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (s === 'hourly' || s === 'every hour') return { cron: '0 * * * *', label: 'every hour' };
  const every = /^every (\d{1,2}) ?(?:hours?|h)$/.exec(s);
  if (every) {
    const n = Number(every[1]);
    if (!HOURLY_STEPS.has(n)) return { cron: '', label: `every ${n} hours` };
    return n === 1 ? { cron: '0 * * * *', label: 'every hour' } : { cron: `0 */${n} * * *`, label: `every ${n} hours` };
  }
  const m = /^(?:every |each )?([a-z]+?)(?:s)?(?: at)? (.+)$/.exec(s);
  if (!m) return undefined;
  const time = parseTime(m[2]!.replace(/^at /, ''));
  if (!time) return undefined;
  const at = `${time.minute} ${time.hour}`;
  const word = m[1]!;
  if (word === 'daily' || word === 'day') return { cron: `${at} * * *`, label: `daily ${hhmm(time)}` };
  if (word === 'weekday') return { cron: `${at} * * 1-5`, label: `weekdays ${hhmm(time)}` };
  if (word === 'weekend') return { cron: `${at} * * 0,6`, label: `weekends ${hhmm(time)}` };
  const day = DAY_NAMES.findIndex((d) => d === word || (word.length >= 3 && d.startsWith(word)));
  if (day >= 0) return { cron: `${at} * * ${day}`, label: `${DAY_NAMES[day]}s ${hhmm(time)}` };
  return undefined;
}

function looksLikeCron(text: string): boolean {
  return /^[\d*a-z,\-/]+( [\d*a-z,\-/]+){4,5}$/i.test(text.trim().replace(/\s+/g, ' '));
}

/** Reads a schedule and a time zone (default UTC). */
export function parseSchedule(text: string, timezone = 'UTC'): ScheduleResult {
  const zone = resolveTimezone(timezone);
  if (!zone) {
    return { ok: false, message: `"${timezone.trim()}" is not a time zone I know. Use an IANA name such as Europe/London, America/New_York or UTC.` };
  }
  const input = text.trim().replace(/\s+/g, ' ');
  if (!input) return { ok: false, message: `Say when. ${SCHEDULE_HELP}` };
  const found = friendly(input);
  if (found && !found.cron) {
    return { ok: false, message: `"${input}" would not divide the day evenly: every N hours works for N = 1, 2, 3, 4, 6, 8 or 12 (from midnight).` };
  }
  if (found) return { ok: true, schedule: { ...found, timezone: zone } };
  if (!looksLikeCron(input)) return { ok: false, message: `I could not read "${input}" as a schedule. ${SCHEDULE_HELP}` };
  if (input.split(' ').length === 6) {
    return { ok: false, message: `"${input}" has six fields; digests use five (minute hour day-of-month month day-of-week), without seconds.` };
  }
  let fields;
  try {
    fields = parseCron(input);
  } catch (error) {
    return { ok: false, message: `"${input}" is not a cron expression I can use: ${(error as Error).message}. ${SCHEDULE_HELP}` };
  }
  if (fields.minutes.length !== 1) {
    return { ok: false, message: `"${input}" would post more than once an hour; a digest comes at most hourly (give the minute field one value).` };
  }
  // node-cron runs the task, so it must read the expression the same way.
  if (!validateWithNodeCron(input)) return { ok: false, message: `"${input}" is not a cron expression node-cron accepts. ${SCHEDULE_HELP}` };
  return { ok: true, schedule: { cron: input, label: `cron ${input}`, timezone: zone } };
}

const parsed = new Map<string, ReturnType<typeof parseCron>>();

/** When a schedule comes round, in its zone. */
export function occurrencesOf(schedule: { cron: string; timezone: string }): Occurrences {
  let fields = parsed.get(schedule.cron);
  if (!fields) {
    fields = parseCron(schedule.cron);
    // Only stored schedules come here, a handful of distinct expressions: the cache stays small.
    if (parsed.size < 1000) parsed.set(schedule.cron, fields);
  }
  return cronOccurrences(fields, schedule.timezone);
}
