/**
 * The progress reporter against a fake terminal (isTTY true, a write spy, a clock the test moves)
 * and a stream that is not a terminal. No test depends on real time.
 */
import { describe, expect, it, vi } from 'vitest';
import { createProgress, formatDuration, progressCallback, progressLine, type ProgressStream } from '../../src/util/progress.js';

const CLEAR = '\r\x1b[K';

function fakeTerminal(columns?: number): ProgressStream & { write: ReturnType<typeof vi.fn<(text: string) => unknown>> } {
  return { isTTY: true, ...(columns !== undefined ? { columns } : {}), write: vi.fn<(text: string) => unknown>() };
}

function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('createProgress on a terminal', () => {
  it('draws count, rate and time left when the total is known, redrawing in place', () => {
    const stream = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'briefing', total: 400, stream, now: clock.now });
    clock.advance(1_000);
    progress.tick(100);
    expect(stream.write).toHaveBeenCalledTimes(1);
    expect(stream.write).toHaveBeenLastCalledWith(`${CLEAR}briefing: 100 of 400 (25%) · 100/s · 3 s left`);
    clock.advance(1_000);
    progress.tick(100);
    expect(stream.write).toHaveBeenLastCalledWith(`${CLEAR}briefing: 200 of 400 (50%) · 100/s · 2 s left`);
  });

  it('shows count and rate, no time left, when the total is unknown', () => {
    const stream = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'briefing', stream, now: clock.now });
    clock.advance(2_000);
    progress.tick(1_234);
    expect(stream.write).toHaveBeenLastCalledWith(`${CLEAR}briefing: 1,234 · 617/s`);
  });

  it('redraws at most once per interval however often tick is called (10 a second by default)', () => {
    const stream = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'n', stream, now: clock.now });
    // 1,000 ticks over one simulated second, 1 ms apart.
    for (let i = 0; i < 1_000; i++) {
      clock.advance(1);
      progress.tick();
    }
    expect(stream.write).toHaveBeenCalledTimes(10);
    expect(stream.write).toHaveBeenLastCalledWith(`${CLEAR}n: 1,000 · 1,000/s`);
  });

  it('counts every tick, drawn or not', () => {
    const stream = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'n', stream, now: clock.now, minIntervalMs: 500 });
    for (let i = 0; i < 7; i++) progress.tick(3);
    clock.advance(500);
    progress.tick();
    expect(stream.write).toHaveBeenCalledTimes(1);
    expect(stream.write).toHaveBeenLastCalledWith(`${CLEAR}n: 22 · 44/s`);
  });

  it('clears its line at the end and ignores ticks after it', () => {
    const stream = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'n', stream, now: clock.now });
    clock.advance(200);
    progress.tick();
    progress.done();
    expect(stream.write).toHaveBeenLastCalledWith(CLEAR);
    const calls = stream.write.mock.calls.length;
    clock.advance(1_000);
    progress.tick();
    progress.done();
    expect(stream.write).toHaveBeenCalledTimes(calls);
  });

  it('writes nothing at all for work that ends before the first redraw is due', () => {
    const stream = fakeTerminal();
    const clock = fakeClock();
    const progress = createProgress({ label: 'n', stream, now: clock.now });
    clock.advance(50);
    progress.tick(5);
    progress.done();
    expect(stream.write).not.toHaveBeenCalled();
  });

  it('cuts the line to the terminal width, so it never wraps', () => {
    const stream = fakeTerminal(20);
    const clock = fakeClock();
    const progress = createProgress({ label: 'a rather long label for this', stream, now: clock.now });
    clock.advance(1_000);
    progress.tick();
    const written = stream.write.mock.calls[0]![0] as string;
    expect(written.startsWith(CLEAR)).toBe(true);
    expect(written.slice(CLEAR.length)).toHaveLength(19);
  });
});

describe('createProgress when the stream is not a terminal', () => {
  it.each([
    ['isTTY false', { isTTY: false }],
    ['no isTTY at all (a pipe)', {}],
  ])('%s: writes nothing, ever', (_name, tty) => {
    const stream = { ...tty, write: vi.fn() };
    const clock = fakeClock();
    const progress = createProgress({ label: 'n', total: 10, stream, now: clock.now });
    for (let i = 0; i < 10; i++) {
      clock.advance(1_000);
      progress.tick();
    }
    progress.done();
    expect(stream.write).not.toHaveBeenCalled();
  });
});

describe('progressLine and formatDuration', () => {
  it('keeps one decimal for slow rates and never shows over 100%', () => {
    expect(progressLine('x', 3, undefined, 2)).toBe('x: 3 · 1.5/s');
    expect(progressLine('x', 12, 10, 1)).toBe('x: 12 of 10 (100%) · 12/s');
    expect(progressLine('x', 0, 10, 0)).toBe('x: 0 of 10 (0%) · 0.0/s');
  });

  it('reads waits as a person does', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(4_320)).toBe('1 h 12 min');
  });
});

describe('progressCallback: (done, total) reports shown as a progress line', () => {
  it('starts a line at done 0, draws the count as it grows, and clears it when done reaches total', () => {
    const stream = fakeTerminal();
    const clock = fakeClock();
    const report = progressCallback((options) => createProgress({ ...options, stream, now: clock.now }), 're-briefing');
    report(0, 4);
    expect(stream.write).not.toHaveBeenCalled();
    clock.advance(1_000);
    report(1, 4);
    expect(stream.write).toHaveBeenLastCalledWith(`${CLEAR}re-briefing: 1 of 4 (25%) · 1.0/s · 3 s left`);
    clock.advance(1_000);
    report(3, 4);
    expect(stream.write).toHaveBeenLastCalledWith(`${CLEAR}re-briefing: 3 of 4 (75%) · 1.5/s · 1 s left`);
    clock.advance(1_000);
    report(4, 4);
    expect(stream.write).toHaveBeenLastCalledWith(CLEAR);
  });

  it('draws nothing for a pass with nothing to do, and a second pass gets a line of its own', () => {
    const stream = fakeTerminal();
    const clock = fakeClock();
    const made: number[] = [];
    const report = progressCallback((options) => {
      made.push(options.total ?? -1);
      return createProgress({ ...options, stream, now: clock.now });
    }, 're-briefing');
    report(0, 0);
    expect(made).toEqual([]);
    report(0, 2);
    clock.advance(500);
    report(2, 2);
    report(0, 1);
    expect(made).toEqual([2, 1]);
  });
});
