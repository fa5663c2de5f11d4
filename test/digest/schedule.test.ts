import { createTask } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { occurrencesOf, parseSchedule } from '../../src/digest/schedule.js';
import { formatLocal, localToInstant, resolveTimezone } from '../../src/digest/zoned-time.js';

const iso = (d: Date | undefined): string | undefined => d?.toISOString();

function schedule(text: string, timezone = 'UTC') {
  const result = parseSchedule(text, timezone);
  if (!result.ok) throw new Error(result.message);
  return result.schedule;
}

/** Successive occurrences after `from`. */
function runs(text: string, timezone: string, from: string, count: number): string[] {
  const o = occurrencesOf(schedule(text, timezone));
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < count; i++) {
    at = o.next(at)!;
    out.push(at.toISOString());
  }
  return out;
}

describe('schedule parsing', () => {
  it.each([
    ['daily 08:00', '0 8 * * *', 'daily 08:00'],
    ['Daily at 8:05', '5 8 * * *', 'daily 08:05'],
    ['every day at 7:30pm', '30 19 * * *', 'daily 19:30'],
    ['weekdays 07:30', '30 7 * * 1-5', 'weekdays 07:30'],
    ['weekends 10:00', '0 10 * * 0,6', 'weekends 10:00'],
    ['mondays 09:00', '0 9 * * 1', 'mondays 09:00'],
    ['every friday at 5pm', '0 17 * * 5', 'fridays 17:00'],
    ['sun 12am', '0 0 * * 0', 'sundays 00:00'],
    ['every 6 hours', '0 */6 * * *', 'every 6 hours'],
    ['every 1 hour', '0 * * * *', 'every hour'],
    ['hourly', '0 * * * *', 'every hour'],
    ['30 7 * * 1-5', '30 7 * * 1-5', 'cron 30 7 * * 1-5'],
    ['0 8 * * MON-FRI', '0 8 * * MON-FRI', 'cron 0 8 * * MON-FRI'],
    ['0 9 1 * *', '0 9 1 * *', 'cron 0 9 1 * *'],
  ])('reads %j', (text, cron, label) => {
    expect(schedule(text)).toEqual({ cron, label, timezone: 'UTC' });
  });

  it('reads the time zone in any case and defaults to UTC', () => {
    expect(schedule('daily 08:00', 'europe/london').timezone).toBe('Europe/London');
    expect(schedule('daily 08:00', 'utc').timezone).toBe('UTC');
    expect(parseSchedule('daily 08:00').ok && schedule('daily 08:00').timezone).toBe('UTC');
    expect(resolveTimezone('America/New_York')).toBe('America/New_York');
  });

  it.each([
    ['tomorrow morning', /could not read "tomorrow morning".*daily 08:00, weekdays 07:30.*mondays 09:00.*every 6 hours.*cron/],
    ['daily 25:00', /could not read/],
    ['daily 8', /could not read/],
    ['every 5 hours', /every N hours works for N = 1, 2, 3, 4, 6, 8 or 12/],
    ['*/5 * * * *', /more than once an hour/],
    ['0,30 8 * * *', /more than once an hour/],
    ['0 0 8 * * *', /six fields/],
    ['0 8 31 2 *', /no month listed has that day/],
    ['0 24 * * *', /hour: 24 is outside 0–23/],
    ['0 8 * * 1#2', /could not read|cannot read/],
    ['', /Say when/],
  ])('refuses %j and says what is accepted', (text, message) => {
    const result = parseSchedule(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('refuses a time zone it does not know', () => {
    const result = parseSchedule('daily 08:00', 'Mars/Olympus');
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/"Mars\/Olympus" is not a time zone.*Europe\/London/) });
  });
});

describe('occurrences in a time zone', () => {
  it('comes round in the zone, not in UTC', () => {
    expect(runs('daily 08:00', 'Asia/Kolkata', '2025-01-01T00:00:00Z', 2)).toEqual(['2025-01-01T02:30:00.000Z', '2025-01-02T02:30:00.000Z']);
    expect(runs('weekdays 07:30', 'UTC', '2025-01-03T08:00:00Z', 2)).toEqual(['2025-01-06T07:30:00.000Z', '2025-01-07T07:30:00.000Z']);
    expect(runs('mondays 09:00', 'America/New_York', '2025-01-01T00:00:00Z', 1)).toEqual(['2025-01-06T14:00:00.000Z']);
    expect(runs('every 6 hours', 'Europe/London', '2025-07-01T00:30:00Z', 3)).toEqual(['2025-07-01T05:00:00.000Z', '2025-07-01T11:00:00.000Z', '2025-07-01T17:00:00.000Z']);
  });

  it('keeps 08:00 at 08:00 local across the DST changes in Europe/London', () => {
    expect(runs('daily 08:00', 'Europe/London', '2025-03-29T00:00:00Z', 3)).toEqual([
      '2025-03-29T08:00:00.000Z', // GMT
      '2025-03-30T07:00:00.000Z', // BST from 01:00 UTC that morning
      '2025-03-31T07:00:00.000Z',
    ]);
    expect(runs('daily 08:00', 'Europe/London', '2025-10-25T00:00:00Z', 3)).toEqual([
      '2025-10-25T07:00:00.000Z',
      '2025-10-26T08:00:00.000Z',
      '2025-10-27T08:00:00.000Z',
    ]);
  });

  it('keeps 08:00 at 08:00 local across the DST changes in America/New_York', () => {
    expect(runs('daily 08:00', 'America/New_York', '2025-03-08T00:00:00Z', 3)).toEqual([
      '2025-03-08T13:00:00.000Z', // EST
      '2025-03-09T12:00:00.000Z', // EDT
      '2025-03-10T12:00:00.000Z',
    ]);
    expect(runs('daily 08:00', 'America/New_York', '2025-11-01T00:00:00Z', 3)).toEqual([
      '2025-11-01T12:00:00.000Z',
      '2025-11-02T13:00:00.000Z',
      '2025-11-03T13:00:00.000Z',
    ]);
  });

  it('moves a local time that does not exist forward by the gap (clocks go forward)', () => {
    // 01:30 does not exist in London on 30 March 2025: the digest comes at 02:30 BST.
    expect(runs('daily 01:30', 'Europe/London', '2025-03-29T12:00:00Z', 2)).toEqual(['2025-03-30T01:30:00.000Z', '2025-03-31T00:30:00.000Z']);
    expect(formatLocal('2025-03-30T01:30:00.000Z', 'Europe/London')).toBe('Sun 30 Mar 2025, 02:30 BST');
    // 02:30 does not exist in New York on 9 March 2025: 03:30 EDT.
    expect(runs('daily 02:30', 'America/New_York', '2025-03-08T12:00:00Z', 2)).toEqual(['2025-03-09T07:30:00.000Z', '2025-03-10T06:30:00.000Z']);
  });

  it('runs a local time that happens twice only once, the first time (clocks go back)', () => {
    expect(runs('daily 01:30', 'Europe/London', '2025-10-25T12:00:00Z', 2)).toEqual(['2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z']);
    expect(runs('daily 01:30', 'America/New_York', '2025-11-01T12:00:00Z', 2)).toEqual(['2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z']);
  });

  it('gives every real hour one hourly digest on the short day, and each local hour one on the long day', () => {
    expect(runs('every hour', 'Europe/London', '2025-03-29T23:30:00Z', 4)).toEqual([
      '2025-03-30T00:00:00.000Z',
      '2025-03-30T01:00:00.000Z', // 01:00 GMT does not exist: 02:00 BST, which is also the 02:00 run
      '2025-03-30T02:00:00.000Z',
      '2025-03-30T03:00:00.000Z',
    ]);
    expect(runs('every hour', 'America/New_York', '2025-11-02T03:30:00Z', 3)).toEqual([
      '2025-11-02T04:00:00.000Z', // 00:00 EDT
      '2025-11-02T05:00:00.000Z', // 01:00 EDT (01:00 EST is the same local hour: no second digest)
      '2025-11-02T07:00:00.000Z', // 02:00 EST
    ]);
  });

  it('finds the latest occurrence at or before an instant (catch-up)', () => {
    const o = occurrencesOf(schedule('daily 08:00', 'Europe/London'));
    expect(iso(o.latest(new Date('2025-03-31T07:00:00Z')))).toBe('2025-03-31T07:00:00.000Z');
    expect(iso(o.latest(new Date('2025-03-31T06:59:59Z')))).toBe('2025-03-30T07:00:00.000Z');
    expect(iso(o.latest(new Date('2025-03-30T06:00:00Z')))).toBe('2025-03-29T08:00:00.000Z');
    const yearly = occurrencesOf(schedule('0 9 29 2 *'));
    expect(iso(yearly.latest(new Date('2027-01-01T00:00:00Z')))).toBe('2024-02-29T09:00:00.000Z');
    expect(iso(yearly.next(new Date('2025-01-01T00:00:00Z')))).toBe('2028-02-29T09:00:00.000Z');
  });

  it('agrees with node-cron about which minutes match, outside the DST edges', () => {
    const cases: Array<[string, string]> = [
      ['30 7 * * 1-5', 'Europe/London'],
      ['0 */6 * * *', 'America/New_York'],
      ['15 9 1,15 * *', 'Asia/Tokyo'],
      ['0 8 * * MON-FRI', 'Australia/Sydney'],
      ['45 23 * 1-6 0', 'UTC'],
    ];
    for (const [cron, timezone] of cases) {
      const task = createTask(cron, () => undefined, { timezone });
      const o = occurrencesOf({ cron, timezone });
      let at = new Date('2025-01-01T00:00:00Z');
      for (let i = 0; i < 12; i++) {
        const next = o.next(at)!;
        expect(task.match(next), `${cron} ${timezone} ${next.toISOString()}`).toBe(true);
        // No quarter hour in between matches for node-cron either (every case runs on a quarter hour).
        const quarter = 900_000;
        for (let t = Math.floor(at.getTime() / quarter) * quarter + quarter; t < next.getTime(); t += quarter) {
          if (task.match(new Date(t))) throw new Error(`${cron} ${timezone}: node-cron matches ${new Date(t).toISOString()} before ${next.toISOString()}`);
        }
        at = next;
      }
      void task.destroy();
    }
  });

  it('turns local wall-clock times into instants', () => {
    expect(new Date(localToInstant(2025, 7, 1, 8, 0, 'Europe/London')).toISOString()).toBe('2025-07-01T07:00:00.000Z');
    expect(new Date(localToInstant(2025, 1, 1, 8, 0, 'Europe/London')).toISOString()).toBe('2025-01-01T08:00:00.000Z');
  });
});
