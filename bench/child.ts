import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Benchmarks that measure the bot in a process of its own (so its peak RSS is its own) run
 * `npm run bench -- <name> --child ...` and hear back one `BENCH-RESULT <json>` line.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const MARK = 'BENCH-RESULT ';

/** Runs `bench/index.ts <name> --child <args>` and returns what the child reported. */
export function runBenchChild<T>(name: string, args: readonly string[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const proc = spawn(process.execPath, [`${root}bin/run-ts.js`, `${root}bench/index.ts`, name, '--child', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0 || !line) reject(new Error(`the bench child exited with ${code}: ${out}`));
      else resolve(JSON.parse(line.slice(MARK.length)) as T);
    });
  });
}

/** The child's side: report the result to the parent. */
export function reportToParent(result: unknown): void {
  process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
}
