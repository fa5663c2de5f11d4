/**
 * Vitest global setup: compiles src/ to dist/ before any test runs, because the e2e tests spawn
 * bin/briefbot.js, which runs dist/. Done here rather than only in `npm test` so that a targeted
 * `npx vitest run <file>` never runs a stale build either. The build is incremental
 * (dist/.tsbuildinfo), so an unchanged tree costs a few seconds.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default function build(): void {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  // tsc exits 2 when it reports type errors but still wrote every file: the tests can run what the
  // sources say, and `npm test`'s typecheck step fails on the errors themselves.
  if (result.status === 2) {
    process.stderr.write(`dist/ was built despite type errors:\n${result.stdout}`);
    return;
  }
  if (result.status !== 0) throw new Error(`npm run build failed (tsc exit ${String(result.status)}):\n${result.stdout}${result.stderr}`);
}
