/**
 * `briefbot backup`'s core: a consistent copy of a store that another process is writing to,
 * taken without tripping the one-process lock. Consistent means one committed snapshot: the
 * writer adds every briefing with exactly two quotes in one transaction, so a copy with a
 * briefing but not its quotes (or a quote index out of step) would be a torn copy.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteLibrary } from '../../src/library/sqlite-library.js';
import { backupStore } from '../../src/store/backup.js';
import { openStore } from '../../src/store/store.js';
import { ROOT, start } from '../e2e/helpers/spawn.js';
import { makeBriefing, makeEntry, quote } from './helpers.js';

const FIXTURE = join(ROOT, 'test/store/fixtures/store-process.ts');
const RUN_TS = join(ROOT, 'bin/run-ts.js');

const dirs: string[] = [];
const children: Array<ReturnType<typeof start>> = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGKILL');
    await c.finished;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-backup-'));
  dirs.push(dir);
  return dir;
}

/** What a copy holds, and whether it is one snapshot of the writer's transactions. */
function inspect(path: string): { integrity: string; briefings: number; quotes: number; indexed: number; journal: string } {
  const db = new Database(path, { readonly: true });
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
    return {
      integrity,
      briefings: count('SELECT COUNT(*) AS n FROM briefings'),
      quotes: count('SELECT COUNT(*) AS n FROM quotes'),
      indexed: count('SELECT COUNT(*) AS n FROM quotes_fts'),
      journal: db.pragma('journal_mode', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

describe('backupStore', () => {
  it('copies a store another process is writing to: each copy opens, passes integrity_check and is one snapshot', async () => {
    const dir = tempDir();
    const path = join(dir, 'briefbot.db');
    const writer = start([RUN_TS, FIXTURE, path, 'write'], { cwd: ROOT, env: {} });
    children.push(writer);
    let out = '';
    writer.child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const wrote = (): number => Math.max(0, ...[...out.matchAll(/wrote (\d+)/g)].map((m) => Number(m[1])));
    const waitUntil = async (done: () => boolean, what: string): Promise<void> => {
      const until = Date.now() + 20_000;
      while (!done()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${writer.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await waitUntil(() => wrote() >= 200, 'the writer');

    const sizes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = wrote();
      const copy = join(dir, `copy-${i}.db`);
      const result = await backupStore(path, copy);
      expect(result.destination).toBe(copy);
      const seen = inspect(copy);
      expect(seen.integrity).toBe('ok');
      expect(seen.journal).toBe('delete');
      expect(seen.quotes).toBe(seen.briefings * 2);
      expect(seen.indexed).toBe(seen.quotes);
      sizes.push(seen.briefings);
      // The store keeps growing while the copies are taken: the writer was never held up for long.
      await waitUntil(() => wrote() >= before + 100, 'the writer to go on');
    }
    expect(sizes[0]).toBeGreaterThanOrEqual(200);
    expect(sizes[2]).toBeGreaterThan(sizes[0]!);
    expect(writer.child.exitCode).toBeNull();
    // Nothing left behind but the copies.
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);

    // A copy is a store the bot can start from.
    const restored = openStore({ path: join(dir, 'copy-2.db') });
    expect(await createSqliteLibrary(restored).size).toBe(sizes[2]);
    restored.close();
  }, 60_000);

  it('copies a store no process has open, and leaves it openable', async () => {
    const dir = tempDir();
    const path = join(dir, 'briefbot.db');
    const store = openStore({ path });
    createSqliteLibrary(store).add(makeEntry(makeBriefing('only', { quotes: [quote('One thing', 'Ana Ruiz')] })));
    store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    await backupStore(path, join(dir, 'copy.db'));
    expect(inspect(join(dir, 'copy.db'))).toMatchObject({ integrity: 'ok', briefings: 1, quotes: 1 });
    openStore({ path }).close();
  });

  it('refuses to overwrite, to copy onto the store, or to copy what is not there, in one line each', async () => {
    const dir = tempDir();
    const path = join(dir, 'briefbot.db');
    openStore({ path }).close();
    writeFileSync(join(dir, 'taken.db'), 'keep me');
    await expect(backupStore(path, join(dir, 'taken.db'))).rejects.toThrow(`${join(dir, 'taken.db')} already exists: a backup never overwrites a file; choose a new name`);
    await expect(backupStore(path, path)).rejects.toThrow('the backup must go to another file than the store itself');
    await expect(backupStore(join(dir, 'missing.db'), join(dir, 'copy.db'))).rejects.toThrow(`there is no store at ${join(dir, 'missing.db')} to back up`);
    await expect(backupStore(path, join(dir, 'no', 'such', 'copy.db'))).rejects.toThrow('no such folder for the backup');
    expect(existsSync(join(dir, 'copy.db'))).toBe(false);
  });

  it('reports a damaged store as damaged and leaves no copy', async () => {
    const dir = tempDir();
    const path = join(dir, 'briefbot.db');
    writeFileSync(path, 'not a database\n'.repeat(400));
    await expect(backupStore(path, join(dir, 'copy.db'))).rejects.toThrow(`the store at ${path} is damaged (file is not a database)`);
    expect(readdirSync(dir)).toEqual(['briefbot.db']);
  });
});
