/**
 * `briefbot rebrief` as a whole process on the committed pre-versioning store: it migrates the
 * store, re-briefs what it can, prints how many and which it kept; with a bot holding the store it
 * refuses in one line and leaves the store alone.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../src/briefing/index.js';
import { ROOT, run, start } from './helpers/spawn.js';

const BIN = join(ROOT, 'bin', 'briefbot.js');
const dirs: string[] = [];
const children: Array<ReturnType<typeof start>> = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGTERM');
    await c.finished;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fixtureCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-cli-rebrief-'));
  dirs.push(dir);
  const store = join(dir, 'briefbot.db');
  copyFileSync(join(ROOT, 'test/store/fixtures/unversioned-store.db'), store);
  return store;
}

it('re-briefs the store in the foreground and says how many, and which it kept', async () => {
  const store = fixtureCopy();
  // From the repository root: the fixture's sources are paths relative to it.
  const result = await run([BIN, 'rebrief'], { cwd: ROOT, env: { DATABASE_PATH: store }, timeoutMs: 60_000 });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`re-briefed 4 of 5 out-of-date briefings in ${store}`);
  expect(result.stdout).toMatch(/^kept central-bank-holds-rates-at-4-5-as-inflation-cools-to-2-9: .*not a file/m);
  const db = new Database(store, { readonly: true });
  const rows = db.prepare('SELECT COUNT(*) AS n FROM briefings WHERE engine_version = ?').get(ENGINE_VERSION) as { n: number };
  db.close();
  expect(rows.n).toBe(4);

  const again = await run([BIN, 'rebrief'], { cwd: ROOT, env: { DATABASE_PATH: store }, timeoutMs: 60_000 });
  expect(again.stdout).toContain('re-briefed 0 of 1 out-of-date briefing in');
});

it('refuses politely while a bot holds the store', async () => {
  const store = fixtureCopy();
  const holder = start([join(ROOT, 'bin/run-ts.js'), join(ROOT, 'test/store/fixtures/store-process.ts'), store, 'hold'], { cwd: ROOT, env: {} });
  children.push(holder);
  let out = '';
  holder.child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const until = Date.now() + 20_000;
  while (!out.startsWith('ready')) {
    if (Date.now() > until) throw new Error(`the holder did not start: ${holder.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const result = await run([BIN, 'rebrief'], { cwd: ROOT, env: { DATABASE_PATH: store } });
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^briefbot: the store at .* is in use by process \d+.*; a running bot re-briefs its store in the background by itself/);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
});
