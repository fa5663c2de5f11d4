/**
 * A damaged store is reported as such, by every way of opening it: the message names the file,
 * quotes what SQLite said and says what to do. Damage is made the way a disk or a careless copy
 * makes it: pages of a valid store overwritten, and a file that is not a database at all.
 */
import { copyFileSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteLibrary } from '../../src/library/sqlite-library.js';
import { createSqliteIngestState } from '../../src/ingest/sqlite-ingest-state.js';
import { openStore, type Store } from '../../src/store/store.js';
import { makeBriefing, makeEntry, quote } from './helpers.js';

let dir: string;
let pristine: string;
const PAGE = 4096;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'briefbot-damaged-'));
  pristine = join(dir, 'pristine.db');
  const store = openStore({ path: pristine });
  const library = createSqliteLibrary(store);
  for (let i = 0; i < 200; i++) await library.add(makeEntry(makeBriefing(`story-${i}`, { quotes: [quote(`We will rebuild bridge ${i} this year`, 'Mayor Ana Ruiz')] })));
  // Everything into the main file, so the copies below carry the whole store.
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAMAGED = (path: string, said: RegExp | string): RegExp => {
  const file = path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const what = typeof said === 'string' ? said.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : said.source;
  return new RegExp(
    `^the store at ${file} is damaged \\(${what}\\): restore it from a backup \\(briefbot backup makes one\\), or move it aside with its -wal and -shm files to start fresh$`,
  );
};

/** A copy of the pristine store with `pages` pages overwritten from page `first` (0-based). */
function overwritten(name: string, first: number, pages = 2): string {
  const path = join(dir, name);
  copyFileSync(pristine, path);
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(pages * PAGE, 0x5a), 0, pages * PAGE, first * PAGE);
  closeSync(fd);
  return path;
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

/** The store object the library and ingestion state are handed, opened without the start-up check. */
function rawStore(path: string): Store {
  const db = new Database(path);
  return { db, path, version: 3, close: () => db.close() };
}

/** The page an object of the schema starts on (1-based in SQLite, 0-based here). */
function rootPage(name: string): number {
  const db = new Database(pristine, { readonly: true });
  const row = db.prepare<[string], { rootpage: number }>('SELECT rootpage FROM sqlite_master WHERE name = ?').get(name)!;
  db.close();
  return row.rootpage - 1;
}

describe('a damaged store', () => {
  it.each([0.2, 0.5, 0.8, 0.95])('with pages overwritten %s of the way in: openStore names the file and the damage', (fraction) => {
    const pages = statSync(pristine).size / PAGE;
    const path = overwritten(`middle-${fraction}.db`, Math.floor(pages * fraction));
    const message = messageOf(() => openStore({ path }));
    expect(message).toMatch(DAMAGED(path, /[^)]+/));
    expect(message).not.toContain('\n');
  });

  it('with the quote index overwritten: openStore, the library and the ingestion state each report it', () => {
    const path = overwritten('fts.db', rootPage('quotes_fts_config'), 1);
    expect(messageOf(() => openStore({ path }))).toMatch(DAMAGED(path, /[^)]+/));
    // Opened without the start-up check, the library's own preparation finds it (the "vtable constructor failed").
    const raw = rawStore(path);
    try {
      expect(messageOf(() => createSqliteLibrary(raw))).toMatch(DAMAGED(path, 'vtable constructor failed: quotes_fts'));
    } finally {
      raw.close();
    }
  });

  it('with its first page (header and schema) overwritten: the ingestion state reports it', () => {
    const path = overwritten('schema.db', 0, 1);
    const raw = rawStore(path);
    try {
      expect(messageOf(() => createSqliteIngestState(raw))).toMatch(DAMAGED(path, 'file is not a database'));
    } finally {
      raw.close();
    }
  });

  it('that is not a database at all', () => {
    const path = join(dir, 'notes.db');
    writeFileSync(path, 'These are my notes, not a database.\n'.repeat(300));
    expect(messageOf(() => openStore({ path }))).toMatch(DAMAGED(path, 'file is not a database'));
  });

  it('the pristine store still opens, so the damage above is the copies’ own', async () => {
    const store = openStore({ path: pristine });
    expect(await createSqliteLibrary(store).size).toBe(200);
    store.close();
  });
});
