/**
 * Progress on long work (a batch, a folder's first scan, an eval run): one line on a terminal
 * showing the count, the rate and, when the total is known, the time left, redrawn in place and
 * cleared at the end. It is for a person watching, so it writes only when its stream is a
 * terminal: piped into a file or a log collector, stderr gets nothing extra, and what scripts
 * parse there stays as it was. Redraws are throttled (10 a second by default), so a tight loop
 * calling tick() costs a clock read, not a write. Work that ends before the first redraw is due
 * never shows a line at all.
 */

/** The part of a stream the reporter uses: a terminal's stderr, or a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  /** The terminal's width; the line is cut to fit, because a wrapped line cannot be redrawn in place. */
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** What is being counted, shown first: "briefing records", "reading briefings/". */
  label: string;
  /** How many there will be, when known: adds "of N" and the time left. */
  total?: number;
  /** Default: process.stderr. */
  stream?: ProgressStream;
  /** Milliseconds, monotonic. Default: performance.now (tests pass a fake clock). */
  now?: () => number;
  /** Least time between two redraws. Default 100 ms (at most 10 a second). */
  minIntervalMs?: number;
}

export interface Progress {
  /** Counts n more done (default 1) and redraws when a redraw is due. */
  tick(n?: number): void;
  /** Clears the line, if one was drawn; later ticks are ignored. */
  done(): void;
}

/** How a caller that starts long work is handed a reporter (injected, so tests and quiet callers pass none). */
export type ProgressFactory = (options: ProgressOptions) => Progress;

/**
 * A `(done, total)` callback, for work that counts its own progress (re-briefing), shown through a
 * reporter: each pass that reports 0 done starts a line of its own, cleared when done reaches total.
 */
export function progressCallback(factory: ProgressFactory, label: string): (done: number, total: number) => void {
  let current: Progress | undefined;
  let shown = 0;
  return (done, total) => {
    if (done === 0) {
      current?.done();
      current = total > 0 ? factory({ label, total }) : undefined;
      shown = 0;
      return;
    }
    current?.tick(done - shown);
    shown = done;
    if (done >= total) {
      current?.done();
      current = undefined;
    }
  };
}

/** A reporter that shows nothing: for callers that were given no factory. */
export const NO_PROGRESS: Progress = { tick: () => undefined, done: () => undefined };

const CLEAR_LINE = '\r\x1b[K';

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) return NO_PROGRESS;
  const now = options.now ?? (() => performance.now());
  const minIntervalMs = options.minIntervalMs ?? 100;
  const started = now();
  let lastDrawn = started;
  let count = 0;
  let drawn = false;
  let finished = false;

  return {
    tick(n = 1): void {
      if (finished) return;
      count += n;
      const at = now();
      if (at - lastDrawn < minIntervalMs) return;
      lastDrawn = at;
      drawn = true;
      stream.write(CLEAR_LINE + fit(progressLine(options.label, count, options.total, (at - started) / 1000), stream.columns));
    },
    done(): void {
      if (finished) return;
      finished = true;
      if (drawn) stream.write(CLEAR_LINE);
    },
  };
}

/** The line itself: "label: 1,234 of 4,000 (31%) · 210/s · 13 s left". Exported for tests. */
export function progressLine(label: string, count: number, total: number | undefined, seconds: number): string {
  const rate = seconds > 0 ? count / seconds : 0;
  const parts = [`${label}: ${count.toLocaleString('en-US')}`];
  if (total !== undefined && total > 0) parts[0] += ` of ${total.toLocaleString('en-US')} (${Math.min(100, Math.floor((count / total) * 100))}%)`;
  parts.push(`${rate >= 10 ? Math.round(rate).toLocaleString('en-US') : rate.toFixed(1)}/s`);
  if (total !== undefined && total > count && rate > 0) parts.push(`${formatDuration((total - count) / rate)} left`);
  return parts.join(' · ');
}

/** Seconds as a person reads a wait: "8 s", "3 min 5 s", "1 h 12 min". */
export function formatDuration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function fit(line: string, columns: number | undefined): string {
  return columns !== undefined && columns > 1 && line.length >= columns ? line.slice(0, columns - 1) : line;
}
