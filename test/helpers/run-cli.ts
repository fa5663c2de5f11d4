import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The repository root, wherever the tests run from. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'briefbot.js');
export const SEED = join(ROOT, 'briefings', '000_85307bba339e5121.txt');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'articles');

export interface CliRun {
  /** null when the process was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** What ran, for failure messages. */
  command: string;
}

export interface CliOptions {
  /** Written to standard input, then closed. A readable is piped with back-pressure. Default: empty input. */
  input?: string | Buffer | Readable;
  /** Variables on top of a clean environment (see cleanEnv); `undefined` removes one. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Killed after this long (default 15 s); the run then reports timedOut. */
  timeoutMs?: number;
  /** Called with stdout as it arrives; return true to close the pipe from our side (a reader that stops early). */
  onStdout?: (soFar: string) => boolean | void;
}

/**
 * The environment a child sees: the test runner's own, minus everything briefbot reads, so a
 * developer's tokens or log level never change what a test observes. Platform variables are set
 * empty rather than removed, because `start` loads `.env` without overriding variables that exist.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(DISCORD_|SLACK_|BRIEFBOT_|BRIEFINGS_DIR$|DATABASE_PATH$|LOG_LEVEL$|PORT$|NODE_OPTIONS$|VITEST|npm_)/.test(key)) continue;
    env[key] = value;
  }
  for (const name of ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN']) env[name] = '';
  env.BRIEFINGS_DIR = join(ROOT, 'briefings');
  env.NO_COLOR = '1';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function run(file: string, args: string[], options: CliOptions): Promise<CliRun> {
  const command = [file === process.execPath ? 'node' : file, ...args.map((a) => (a.startsWith(ROOT) ? a.slice(ROOT.length + 1) : a))].join(' ');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let stoppedReading = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stoppedReading) return;
      stdout += chunk;
      if (options.onStdout?.(stdout)) {
        stoppedReading = true;
        child.stdout.destroy();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // The child may exit before reading all of its input (a usage error): that is not our failure.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, timedOut, command });
    });
    const input = options.input;
    if (input === undefined || typeof input === 'string' || Buffer.isBuffer(input)) child.stdin.end(input ?? '');
    else input.pipe(child.stdin);
  });
}

/** Runs `node bin/briefbot.js ...args` from the repository root. */
export function runBriefbot(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return run(process.execPath, [BIN, ...args], options);
}

export interface HostedInvocation {
  args: string[];
  /** Variables set for this command line only, on top of the clean environment. */
  env?: Record<string, string | undefined>;
}

/**
 * Runs several command lines in one briefbot process (see cli-host.ts): each result is what that
 * command line alone would have printed and exited with, standard input empty.
 */
export async function runBriefbotMany(invocations: HostedInvocation[], options: Pick<CliOptions, 'timeoutMs'> = {}): Promise<CliRun[]> {
  const host = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'cli-host.ts')], {
    input: JSON.stringify(invocations),
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  if (host.code !== 0 || host.timedOut) throw new Error(`the CLI host failed\n${describeRun(host)}`);
  const results = JSON.parse(host.stdout) as Array<Pick<CliRun, 'code' | 'stdout' | 'stderr'>>;
  return results.map((r, i) => ({ ...r, timedOut: false, command: `briefbot ${invocations[i]!.args.map((a) => (a.startsWith(ROOT) ? a.slice(ROOT.length + 1) : a)).join(' ')} (hosted)` }));
}

/** Runs `npm start` from the repository root, as the README tells a newcomer to. */
export function runNpmStart(options: CliOptions = {}): Promise<CliRun> {
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['start'], options);
}

/**
 * Runs tasks at most `limit` at a time: each briefbot process spends about a second loading the
 * engine, so more at once than there are cores only slows every one of them.
 */
export function createPool(limit = Math.max(1, availableParallelism())): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolvePromise, reject) => {
      const start = (): void => {
        active++;
        task()
          .then(resolvePromise, reject)
          .finally(() => {
            active--;
            waiting.shift()?.();
          });
      };
      if (active < limit) start();
      else waiting.push(start);
    });
}

/** A Node stack frame line ("    at fn (file:1:2)"): what a person must never see from briefbot. */
export const STACK_FRAME = /^\s+at .+[(:]/m;

/** The lines a process wrote to stderr, without the empty last one. */
export function linesOf(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** A description of a run for assertion messages: what ran, its exit code and both streams (cut). */
export function describeRun(run: CliRun): string {
  const cut = (s: string): string => (s.length > 1500 ? s.slice(0, 1500) + '…' : s);
  return `${run.command} → exit ${run.code}${run.timedOut ? ' (timed out)' : ''}\n--- stdout\n${cut(run.stdout)}\n--- stderr\n${cut(run.stderr)}`;
}
