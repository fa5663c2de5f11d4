/**
 * `briefbot brief --jsonl --jobs N` as a person runs it, through bin/briefbot.js (the compiled
 * build): worker threads change nothing in what comes out (the same bytes as --jobs 1, bad lines
 * included, in input order), the output streams while the input is still open, a bad --jobs is a
 * usage error, and the workers also start when the CLI runs from its TypeScript sources (tsx).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, createPool, describeRun, FIXTURES, linesOf, ROOT, runBriefbot, SEED, STACK_FRAME, type CliRun } from '../helpers/run-cli.js';

const GENERATED = 120;

/** The seed article's body: a long record, next to short ones, so later records finish first in a pool. */
const LONG_TEXT = readFileSync(SEED, 'utf8');

/**
 * The fixture records (bad lines among them) followed by generated ones: long and short articles
 * mixed, an empty line, a line that is not UTF-8, and a line past the 2 MB record limit.
 */
function batchInput(): Buffer {
  const parts: Buffer[] = [readFileSync(join(FIXTURES, 'records.jsonl'))];
  for (let i = 0; i < GENERATED; i++) {
    let line: Buffer;
    if (i === 17) line = Buffer.from('');
    else if (i === 41) line = Buffer.from(JSON.stringify({ id: `g${i}`, text: 'Café owners protest on Monday. The vote was 31 to 9.' }), 'latin1');
    else if (i === 77) line = Buffer.from(JSON.stringify({ id: `g${i}`, text: 'The council met. '.repeat(130_000) }));
    else if (i % 6 === 0) line = Buffer.from(JSON.stringify({ id: `g${i}`, title: `Long report ${i}`, text: LONG_TEXT }));
    else line = Buffer.from(JSON.stringify({ id: `g${i}`, title: `Council budget ${i}`, text: `The city council approved a budget of ${i} million euros on Monday. The vote was ${i % 40} to 9.` }));
    parts.push(line, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** Runs the CLI from its TypeScript sources the way the dev tools do (bin/run-ts.js: tsx's register API). */
function runFromSources(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run-ts.js'), join(ROOT, 'src', 'cli', 'bin.ts'), ...args], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, timedOut: false, command: `node bin/run-ts.js src/cli/bin.ts ${args.join(' ')}` }));
  });
}

let tmp: string;
let file: string;
const pool = createPool();
const runs = new Map<string, Promise<CliRun>>();
/** Resolved once the streaming run's first output line has arrived; only then does its input end. */
let firstLineSeen: () => void;
const firstLine = new Promise<void>((resolve) => (firstLineSeen = resolve));

function later(name: string, task: () => Promise<CliRun>): void {
  runs.set(name, pool(task));
}

async function result(name: string): Promise<CliRun> {
  const run = await runs.get(name);
  if (!run) throw new Error(`no run named ${name}`);
  expect(run.timedOut, describeRun(run)).toBe(false);
  return run;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'briefbot-jobs-'));
  file = join(tmp, 'batch.jsonl');
  await writeFile(file, batchInput());
  later('jobs 1', () => runBriefbot(['brief', '--jsonl', file, '--jobs', '1'], { timeoutMs: 60_000 }));
  later('jobs 2', () => runBriefbot(['brief', '--jsonl', file, '--jobs', '2'], { timeoutMs: 60_000 }));
  later('jobs 3 stdin points', () => runBriefbot(['brief', '--jsonl', '--jobs', '3', '--points', '2'], { input: batchInput(), timeoutMs: 60_000 }));
  later('jobs 1 stdin points', () => runBriefbot(['brief', '--jsonl', '-', '--jobs', '1', '--points', '2'], { input: batchInput(), timeoutMs: 60_000 }));
  later('from sources', () => runFromSources(['brief', '--jsonl', join(FIXTURES, 'records.jsonl'), '--jobs', '2']));
  later('compiled fixture', () => runBriefbot(['brief', '--jsonl', join(FIXTURES, 'records.jsonl'), '--jobs', '2']));
  // Two records, then the input stays open until the first answer is out: a batch that waited for
  // the end of its input would never answer, and the run would time out.
  later('streaming', () =>
    runBriefbot(['brief', '--jsonl', '--jobs', '2'], {
      input: Readable.from(
        (async function* () {
          yield `${JSON.stringify({ id: 'first', text: 'The council approved the budget on Monday. The vote was 31 to 9.' })}\n`;
          yield `${JSON.stringify({ id: 'second', text: 'The mayor welcomed the vote. She said work starts in May.' })}\n`;
          await firstLine;
          yield `${JSON.stringify({ id: 'third', text: 'Opponents said they would appeal. A hearing is set for June.' })}\n`;
        })(),
      ),
      onStdout: (soFar) => {
        if (soFar.includes('\n')) firstLineSeen();
      },
      timeoutMs: 60_000,
    }),
  );
  for (const value of ['0', '-1', 'two', '1.5', '', '257']) later(`bad jobs ${JSON.stringify(value)}`, () => runBriefbot(['brief', '--jsonl', file, `--jobs=${value}`]));
  later('jobs without jsonl', () => runBriefbot(['brief', SEED, '--jobs', '2']));
  await Promise.allSettled(runs.values());
}, 240_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('brief --jsonl --jobs', () => {
  it('--jobs 2 writes the same bytes as --jobs 1, bad lines and the stderr summary included', async () => {
    const one = await result('jobs 1');
    const two = await result('jobs 2');
    expect(one.code, describeRun(one)).toBe(0);
    expect(two.code, describeRun(two)).toBe(0);
    expect(linesOf(one.stdout)).toHaveLength(9 + GENERATED);
    expect(two.stdout === one.stdout, 'the outputs differ').toBe(true);
    expect(two.stderr).toBe(one.stderr);
    // records.jsonl has 6 bad records; the generated ones add an empty line, Latin-1 text and an oversized record.
    expect(linesOf(two.stderr)).toEqual([`briefbot: 9 of ${9 + GENERATED} records could not be briefed (see their "error")`]);
  });

  it('keeps input order, long records before short ones, and answers each bad line in its place', async () => {
    const out = linesOf((await result('jobs 2')).stdout).map((line) => JSON.parse(line) as { id: string; error?: string });
    const generated = out.slice(9);
    generated.forEach((record, i) => {
      if (i === 17) expect(record).toEqual({ id: `line-${9 + i + 1}`, error: `line ${9 + i + 1}: empty line` });
      else if (i === 41) expect(record).toEqual({ id: `line-${9 + i + 1}`, error: `line ${9 + i + 1}: not valid UTF-8 text` });
      else if (i === 77) expect(record).toMatchObject({ id: `line-${9 + i + 1}`, error: expect.stringMatching(new RegExp(`^line ${9 + i + 1}: record is 2\\.1 MB; the limit is 2\\.0 MB$`)) });
      else expect([record.id, record.error]).toEqual([`g${i}`, undefined]);
    });
    expect(out.slice(0, 9).map((o) => o.id)).toEqual(['bridge-reopens', 'line-2', 'no-text', 'line-4', 'line-5', '7', 'line-7', 'blank-text', 'rail-strike-called-off']);
  });

  it('reads standard input with three workers and --points to the same bytes as one', async () => {
    const three = await result('jobs 3 stdin points');
    const one = await result('jobs 1 stdin points');
    expect(three.code, describeRun(three)).toBe(0);
    expect(linesOf(three.stdout)).toHaveLength(9 + GENERATED);
    expect(three.stdout === one.stdout, 'the outputs differ').toBe(true);
    expect(three.stderr).toBe(one.stderr);
  });

  it('streams: the first answer is out while the input is still open', async () => {
    const run = await result('streaming');
    expect(run.code, describeRun(run)).toBe(0);
    expect(linesOf(run.stdout).map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['first', 'second', 'third']);
    expect(run.stderr).toBe('');
  });

  it('starts its workers from the TypeScript sources too (the CLI run through tsx), with the same output', async () => {
    const dev = await result('from sources');
    const compiled = await result('compiled fixture');
    expect(dev.code, describeRun(dev)).toBe(0);
    expect(dev.stderr, describeRun(dev)).not.toMatch(STACK_FRAME);
    expect(linesOf(dev.stdout)).toHaveLength(9);
    expect(dev.stdout).toBe(compiled.stdout);
  });

  it.each(['0', '-1', 'two', '1.5', '', '257'])('--jobs=%j is a usage error: exit 2, one line naming the problem, nothing briefed', async (value) => {
    const run = await result(`bad jobs ${JSON.stringify(value)}`);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stdout).toBe('');
    expect(linesOf(run.stderr)).toEqual([`briefbot: --jobs must be a whole number from 1 to 256, got "${value}"`, 'Run "briefbot --help" for usage.']);
  });

  it('--jobs without --jsonl is a usage error', async () => {
    const run = await result('jobs without jsonl');
    expect(run.code, describeRun(run)).toBe(2);
    expect(linesOf(run.stderr)[0]).toBe('briefbot: --jobs applies to --jsonl batches only');
  });
});
