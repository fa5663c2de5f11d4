import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { BriefbotError, describeError } from '../errors.js';
import { releaseDeadClaims } from './deliveries.js';
import { lockStore, type StoreLock } from './lock.js';
import { migrate, MIGRATIONS, type Migration } from './migrations.js';

/**
 * The embedded store: one SQLite file (better-sqlite3) holding briefings, quote search,
 * subscriptions and deliveries. Write-ahead logging lets readers run while a write commits;
 * `synchronous = NORMAL` keeps every committed transaction through a process crash (what the
 * digest's never-lost, never-doubled promise needs) without an fsync per commit; a power cut or
 * an operating-system crash can lose the transactions committed since the last checkpoint, never
 * the file's consistency (see the README's "Backups and durability").
 *
 * One process per file: opening a file store takes the lock in lock.ts first. A store that SQLite
 * finds damaged is reported as such, whoever opens it (here, the library, the ingestion state).
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
  /** How long to wait for another process to let go of the store before giving up. */
  lockWaitMs?: number;
}

/** SQLite's words for a file that is not a sound database. */
function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) return true;
  return /malformed|not a database|vtable constructor failed/i.test(describeError(error));
}

/** The one message for a damaged store, with what to do about it. */
export function damagedStoreError(path: string, what: string, cause?: unknown): BriefbotError {
  return new BriefbotError(
    'io',
    `the store at ${path} is damaged (${what}): restore it from a backup (briefbot backup makes one), or move it aside with its -wal and -shm files to start fresh`,
    cause === undefined ? undefined : { cause },
  );
}

/** Words an error met while opening or preparing the store: damage as damage, anything else as it is. */
export function storeOpenError(path: string, error: unknown): BriefbotError {
  if (error instanceof BriefbotError) return error;
  if (isDamage(error)) return damagedStoreError(path, describeError(error), error);
  return new BriefbotError('io', `cannot prepare the store at ${path}: ${describeError(error)}`, { cause: error });
}

/**
 * SQLite's quick check: every page of every table and index is read and its structure checked
 * (about 0.3 s for 250 MB here). A damaged page found now stops start-up with a clear message
 * instead of failing a digest hours later with "database disk image is malformed".
 */
function checkPages(db: SqliteDatabase, path: string): void {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const first = rows[0]?.quick_check ?? 'no answer from the check';
  if (rows.length !== 1 || first !== 'ok') throw damagedStoreError(path, first.split('\n')[0]!);
}

export function openStore(options: OpenStoreOptions): Store {
  const path = options.path;
  const inMemory = path === ':memory:' || path === '';
  let lock: StoreLock | undefined;
  let db: SqliteDatabase;
  try {
    if (!inMemory) {
      mkdirSync(dirname(resolve(path)), { recursive: true });
      lock = lockStore(path, options.lockWaitMs !== undefined ? { waitMs: options.lockWaitMs } : {});
    }
    db = new Database(inMemory ? ':memory:' : path);
  } catch (error) {
    lock?.release();
    if (error instanceof BriefbotError) throw error;
    if (isDamage(error)) throw damagedStoreError(path, describeError(error), error);
    throw new BriefbotError('io', `cannot open the store at ${path}: ${describeError(error)}`, { cause: error });
  }
  try {
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // A backup or a one-off reader holding a read snapshot briefly is waited for.
    db.pragma('busy_timeout = 5000');
    if (!inMemory) checkPages(db, path);
    const { to } = migrate(db, options.migrations);
    // One process per file: delivery claims found now were left by a process that is gone.
    releaseDeadClaims(db);
    let open = true;
    return {
      db,
      path: inMemory ? ':memory:' : path,
      version: to,
      close() {
        if (!open) return;
        open = false;
        db.close();
        lock?.release();
      },
    };
  } catch (error) {
    db.close();
    lock?.release();
    throw storeOpenError(path, error);
  }
}

/**
 * The store opened for reading only, without its lock: what the command line's queries (`brief
 * <id>`, `quote`, `articles`) read, and they must work while the bot runs. The lock keeps out a
 * second writer; a reader cannot disturb the bot, and under WAL it reads the last committed
 * snapshot while the bot goes on writing (as `briefbot backup` does). Nothing is migrated here: a
 * reader must not write, so a store at another schema version than this briefbot's is refused
 * with what to do, rather than read with the wrong idea of its tables.
 */
export function openStoreReadOnly(path: string, migrations: readonly Migration[] = MIGRATIONS): Store {
  let db: SqliteDatabase;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    // The bot's checkpoint can hold the WAL briefly: wait rather than fail.
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    throw storeOpenError(path, error);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
    if (version < latest) {
      throw new BriefbotError('unavailable', `the store at ${path} is at schema version ${version} and this briefbot reads version ${latest}: start the bot once (briefbot start) to bring it forward`);
    }
    if (version > latest) throw new BriefbotError('unavailable', `the store at ${path} was written by a newer briefbot (schema version ${version}; this one reads ${latest}): upgrade briefbot`);
    let open = true;
    return {
      db,
      path,
      version,
      close() {
        if (!open) return;
        open = false;
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw storeOpenError(path, error);
  }
}
