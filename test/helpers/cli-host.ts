/**
 * Runs many `briefbot` command lines in one Node process, the way bin/briefbot.js runs one: set
 * process.argv and call runCli from src/cli/main.ts (imported once; everything it imports stays loaded). Loading the engine takes about a second per process, so
 * this is how the e2e tests check a dozen command lines for the price of one start-up.
 *
 * What it cannot show, the tests check with real processes: what reaches a shell when the
 * process itself dies, standard input, pipes. Each run here gets empty standard input.
 *
 * Protocol: a JSON array of `{ args, env? }` on standard input; a JSON array of
 * `{ code, stdout, stderr }` on standard output once all have run.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.js';

interface Invocation {
  args: string[];
  env?: Record<string, string | undefined>;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

let request = '';
for await (const chunk of process.stdin) request += String(chunk);
const invocations = JSON.parse(request) as Invocation[];

type Write = typeof process.stdout.write;
const realStdoutWrite = process.stdout.write.bind(process.stdout);
const realStderrWrite = process.stderr.write.bind(process.stderr);

/** A write that appends to a string, as a pipe would have received it. */
function capture(append: (text: string) => void): Write {
  return ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as Write;
}

const results: Array<{ code: number; stdout: string; stderr: string }> = [];
for (const invocation of invocations) {
  let stdout = '';
  let stderr = '';
  const savedEnv = new Map(Object.keys(invocation.env ?? {}).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(invocation.env ?? {})) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  process.argv = [process.execPath, join(ROOT, 'bin', 'briefbot.js'), ...invocation.args];
  process.exitCode = undefined;
  process.stdout.write = capture((text) => (stdout += text));
  process.stderr.write = capture((text) => (stderr += text));
  try {
    // The process's own streams, patched above: briefJsonl writes to process.stdout directly.
    process.exitCode = await runCli(invocation.args);
  } catch (error) {
    // What a real process would print as it died: the tests look for exactly this.
    stderr += `${(error as Error).stack ?? String(error)}\n`;
    process.exitCode ??= 1;
  } finally {
    process.stdout.write = realStdoutWrite;
    process.stderr.write = realStderrWrite;
    for (const [key, value] of savedEnv) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  results.push({ code: Number(process.exitCode ?? 0), stdout, stderr });
}
process.exitCode = 0;
realStdoutWrite(JSON.stringify(results));
