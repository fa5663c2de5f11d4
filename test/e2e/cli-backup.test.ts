/**
 * `briefbot backup <file>` through the command line, while another process (standing in for the
 * running bot, holding the store's lock) writes to the store: exit 0, one line saying what was
 * written, and a copy that passes integrity_check. Refusals are one line each.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { ROOT, run, start } from './helpers/spawn.js';

const BIN = join(ROOT, 'bin/briefbot.js');
const dirs: string[] = [];
const children: Array<ReturnType<typeof start>> = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGKILL');
    await c.finished;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('copies the store of a running process, consistently, in one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-cli-backup-'));
  dirs.push(dir);
  const store = join(dir, 'data', 'briefbot.db');
  const writer = start([join(ROOT, 'bin/run-ts.js'), join(ROOT, 'test/store/fixtures/store-process.ts'), store, 'write'], { cwd: ROOT, env: {} });
  children.push(writer);
  let out = '';
  writer.child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const until = Date.now() + 20_000;
  while (!/wrote \d+/.test(out)) {
    if (Date.now() > until) throw new Error(`the writer did not start: ${writer.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  const copy = join(dir, 'backup.db');
  const backup = await run([BIN, 'backup', copy], { cwd: dir, env: { DATABASE_PATH: store }, timeoutMs: 30_000 });
  expect(backup.stderr).toBe('');
  expect(backup.code).toBe(0);
  expect(backup.stdout).toBe(`backed up ${store} to ${copy} (${backup.stdout.match(/\((\d+\.\d (?:KB|MB)), integrity checked\)/)?.[1] ?? '?'}, integrity checked)\n`);
  const db = new Database(copy, { readonly: true });
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  const { b, q } = db.prepare('SELECT (SELECT COUNT(*) FROM briefings) AS b, (SELECT COUNT(*) FROM quotes) AS q').get() as { b: number; q: number };
  db.close();
  expect(b).toBeGreaterThan(0);
  expect(q).toBe(2 * b);
  // The writer held the store's lock all along and is still writing.
  expect(writer.child.exitCode).toBeNull();

  writeFileSync(join(dir, 'taken.db'), 'keep');
  const refused = await run([BIN, 'backup', join(dir, 'taken.db')], { cwd: dir, env: { DATABASE_PATH: store } });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^briefbot: .*taken\.db already exists: a backup never overwrites a file; choose a new name\n$/);
  const usage = await run([BIN, 'backup'], { cwd: dir, env: { DATABASE_PATH: store } });
  expect(usage.code).toBe(2);
  expect(usage.stderr.split('\n')[0]).toBe('briefbot: backup needs the file to write the copy to: briefbot backup <file>');
  expect(existsSync(join(dir, 'backup.db.partial'))).toBe(false);
}, 60_000);

it('with DATABASE_URL set, backup and rebrief say the store is PostgreSQL instead of working on a SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-cli-backup-pg-'));
  dirs.push(dir);
  const env = { DATABASE_URL: 'postgres://briefbot@127.0.0.1:1/briefbot', DATABASE_PATH: join(dir, 'unused.db') };
  const backup = await run([BIN, 'backup', join(dir, 'copy.db')], { cwd: dir, env });
  expect(backup.code).toBe(1);
  expect(backup.stderr).toMatch(/^briefbot: .*PostgreSQL: back it up with pg_dump/);
  const rebrief = await run([BIN, 'rebrief'], { cwd: dir, env });
  expect(rebrief.code).toBe(1);
  expect(rebrief.stderr).toMatch(/^briefbot: .*PostgreSQL, where re-briefing is not built yet/);
  expect(existsSync(join(dir, 'unused.db')) || existsSync(join(dir, 'copy.db'))).toBe(false);
}, 30_000);
