import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { BriefbotError, describeError } from '../errors.js';
import { migrate, type Migration } from './migrations.js';

/**
 * The embedded store: one SQLite file (better-sqlite3) holding briefings, quote search,
 * subscriptions and deliveries. Write-ahead logging lets readers run while a write commits;
 * `synchronous = NORMAL` keeps every committed transaction through a process crash (what the
 * digest's never-lost, never-doubled promise needs) without an fsync per commit; only a power
 * cut can lose the last few commits.
 */

export interface Store {
  readonly db: SqliteDatabase;
  /** The file path, or ':memory:'. */
  readonly path: string;
  /** The schema version the store is at. */
  readonly version: number;
  close(): void;
}

export interface OpenStoreOptions {
  /** A file path (its folder is created), or ':memory:' for tests. */
  path: string;
  /** Only for tests of the migration machinery. */
  migrations?: readonly Migration[];
}

export function openStore(options: OpenStoreOptions): Store {
  const path = options.path;
  const inMemory = path === ':memory:' || path === '';
  let db: SqliteDatabase;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(inMemory ? ':memory:' : path);
  } catch (error) {
    throw new BriefbotError('io', `cannot open the store at ${path}: ${describeError(error)}`, { cause: error });
  }
  try {
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Another process (a second `briefbot` command) holding the write lock briefly is waited for.
    db.pragma('busy_timeout = 5000');
    const { to } = migrate(db, options.migrations);
    let open = true;
    return {
      db,
      path: inMemory ? ':memory:' : path,
      version: to,
      close() {
        if (!open) return;
        open = false;
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw new BriefbotError('io', `cannot prepare the store at ${path}: ${describeError(error)}`, { cause: error });
  }
}
