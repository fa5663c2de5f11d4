import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { MAX_ARTICLE_BYTES } from '../articles/index.js';
import { mapOrdered } from '../util/map-ordered.js';
import { createProgress, NO_PROGRESS, type ProgressFactory } from '../util/progress.js';
import { checkRegularFile } from '../util/read-bounded.js';
import { readLines, type Line } from '../util/read-lines.js';
import type { BriefedLine, BriefLineTask } from './brief-worker.js';
import { drained } from '../util/drain.js';

/**
 * `briefbot brief --jsonl [file] [--jobs N]`: one output line per input line, in input order.
 *
 * With --jobs 1 each record is briefed in this thread as it is read. With more, records go to a
 * pool of N worker threads (piscina), each running brief-worker.ts; this thread only reads lines,
 * hands them out and writes the answers back in order. What is held at once is bounded (N x 8
 * records, and no new read past 32 MB of records), and stdout's back-pressure stops the reading,
 * so memory stays flat however long the input; an answer is written as soon as it and those
 * before it are ready, so output streams while input is still coming.
 */

/** The most --jobs accepts: more threads than that only add start-up time and memory. */
export const MAX_JOBS = 256;
/** Records held per job: enough to keep every worker busy while a slow record holds up the line. */
const RECORDS_PER_JOB = 8;
/** No new record is read while those held add up to this much (each is at most MAX_ARTICLE_BYTES). */
const MAX_HELD_BYTES = 32 * 1024 * 1024;

/** --jobs by default: one worker per core the process may use. */
export function defaultJobs(): number {
  return Math.min(MAX_JOBS, availableParallelism());
}

export interface BriefJsonlOptions {
  /** A JSON Lines file; standard input when undefined or "-". */
  path: string | undefined;
  points: number | undefined;
  jobs: number;
  /** How progress is shown. Default: on stderr when it is a terminal and stdout is not (a terminal already shows the lines). */
  progress?: ProgressFactory;
  /** The streams to use; the process's own by default (tests run the command line in-process). */
  stdin?: Readable;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function briefJsonl(options: BriefJsonlOptions): Promise<number> {
  const { path, points, jobs, stdin = process.stdin, stdout = process.stdout, stderr = process.stderr } = options;
  const fromFile = path !== undefined && path !== '-';
  if (fromFile) await checkRegularFile(path, { noun: 'a JSON Lines file' });
  const showProgress = options.progress !== undefined || (Boolean(stderr.isTTY) && !stdout.isTTY);
  // From a file the total is known (a quick count of line breaks); from standard input it is not.
  const total = showProgress && fromFile ? await countLines(path) : undefined;
  const progress = showProgress ? (options.progress ?? createProgress)({ label: 'briefing records', stream: stderr, ...(total !== undefined ? { total } : {}) }) : NO_PROGRESS;

  const input: Readable = fromFile ? createReadStream(path) : stdin;
  const briefer = jobs > 1 ? await createPoolBriefer(jobs, points) : await createInlineBriefer(points);
  let lines = 0;
  let failures = 0;
  // When the reader goes away (`| head`), stop quietly, as Unix tools do.
  let closed = false;
  const onError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE') closed = true;
    else throw error;
  };
  stdout.on('error', onError);
  try {
    const answers = mapOrdered(readLines(input, MAX_ARTICLE_BYTES), briefer.brief, {
      limit: jobs > 1 ? jobs * RECORDS_PER_JOB : 1,
      weigh: (line: Line) => line.bytes,
      maxWeight: MAX_HELD_BYTES,
    });
    for await (const answer of answers) {
      lines++;
      if (answer.failed) failures++;
      // Respect back-pressure on the way out too.
      if (!stdout.write(answer.out + '\n')) await drained(stdout);
      progress.tick();
      if (closed) break;
    }
  } finally {
    progress.done();
    await briefer.close();
  }
  if (closed) {
    input.destroy();
    return 0;
  }
  if (failures > 0) stderr.write(`briefbot: ${failures} of ${lines} records could not be briefed (see their "error")\n`);
  return 0;
}

interface Briefer {
  brief(line: Line): Promise<BriefedLine>;
  close(): Promise<void>;
}

/** --jobs 1: in this thread, as the batch always ran. */
async function createInlineBriefer(points: number | undefined): Promise<Briefer> {
  const { briefLine } = await import('./brief-worker.js');
  return { brief: async (line) => briefLine(line, points), close: async () => undefined };
}

/**
 * --jobs N: a piscina pool of N threads, all started at once. The worker file sits next to this
 * module: dist/cli/brief-worker.js in the build, src/cli/brief-worker.ts when the CLI runs
 * through tsx in development (then the workers load tsx too, which a thread does not inherit
 * from a loader registered with tsx's API).
 */
async function createPoolBriefer(jobs: number, points: number | undefined): Promise<Briefer> {
  const { Piscina } = await import('piscina');
  const fromSource = new URL(import.meta.url).pathname.endsWith('.ts');
  const worker = new URL(fromSource ? './brief-worker.ts' : './brief-worker.js', import.meta.url);
  const pool = new Piscina<BriefLineTask, BriefedLine>({
    filename: worker.href,
    minThreads: jobs,
    maxThreads: jobs,
    // The threads live as long as the batch; close() ends them.
    idleTimeout: Number.POSITIVE_INFINITY,
    // With piscina's default ('sync'), a worker blocked in Atomics.wait between tasks; measured
    // here the two threads then briefed one at a time (user time = real time). Message passing
    // lets them run side by side.
    atomics: 'disabled',
    ...(fromSource ? { execArgv: withTsx(process.execArgv) } : {}),
  });
  // A reader that goes away (`| head -1`) ends the batch with tasks still in the threads; their
  // answers then reach a pool that has forgotten them, which piscina reports as an 'error' event.
  // Expected while closing; anything else is a real fault and still ends the process.
  let closing = false;
  pool.on('error', (error: unknown) => {
    if (!closing) throw error;
  });
  return {
    brief: (line) => pool.run(points !== undefined ? { line, points } : { line }),
    close: () => {
      closing = true;
      return pool.destroy();
    },
  };
}

/** The parent's Node options plus tsx's loader, unless the parent already loads it that way. */
function withTsx(execArgv: readonly string[]): string[] {
  if (execArgv.some((arg) => /\btsx\b/.test(arg))) return [...execArgv];
  return [...execArgv, '--import', import.meta.resolve('tsx')];
}

/** Lines in a file as readLines counts them: one per line break, plus a last line without one. */
async function countLines(path: string): Promise<number> {
  let count = 0;
  let last = 10;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
  }
  return last === 10 ? count : count + 1;
}
