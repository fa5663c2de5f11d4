import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { BriefbotError, describeError } from '../errors.js';

/**
 * One process per SQLite store. Two bots on one file each keep their own idea of what is due and
 * what was sent, so the exactly-once digest promise would hold only by luck.
 *
 * The lock is SQLite's own exclusive lock, taken on a small side file `<store>.lock` (never on the
 * store itself) and held for the life of the process:
 * - it is an operating-system lock, so the kernel drops it the moment the holder dies, SIGKILL and
 *   power loss included: there is no stale lock to detect, and a reused pid cannot fool it, which
 *   a pid file's "is that pid still alive?" test can;
 * - it sits on a side file because an exclusive lock on the store would also shut out readers,
 *   and `briefbot backup` must be able to read the store while the bot runs (it opens the store
 *   read-only and never touches the side file; WAL gives it a consistent snapshot).
 * Who holds the lock is written beside it in `<store>.owner` (pid, host, start time), only so a
 * second process can name the holder: the lock decides, the owner file only informs.
 * Like SQLite itself, this relies on POSIX locks: do not put the store on a network file system.
 */

export interface StoreLock {
  readonly path: string;
  release(): void;
}

export interface StoreOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/** How long a second process waits for the lock before giving up (a bot that is just stopping lets go). */
export const DEFAULT_LOCK_WAIT_MS = 2000;

export function lockPathOf(storePath: string): string {
  return `${storePath}.lock`;
}

export function ownerPathOf(storePath: string): string {
  return `${storePath}.owner`;
}

export function readOwner(storePath: string): StoreOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(ownerPathOf(storePath), 'utf8')) as Partial<StoreOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder as the owner file tells it, if it is believable: a file left by a dead holder is not. */
function describeHolder(storePath: string): string {
  const owner = readOwner(storePath);
  const host = hostname();
  if (!owner || (owner.host === host && !alive(owner.pid))) return 'another process (it has not said which yet)';
  const where = owner.host === host ? '' : ` on host ${owner.host}`;
  const since = owner.startedAt ? `, running since ${owner.startedAt}` : '';
  return `process ${owner.pid}${where}${since}`;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Takes the store's lock or throws a one-line BriefbotError naming the file and its holder.
 * `storePath` is the store's file path as configured (the message shows it as given).
 */
export function lockStore(storePath: string, options: { waitMs?: number } = {}): StoreLock {
  const lockPath = lockPathOf(storePath);
  let db: SqliteDatabase;
  try {
    db = new Database(lockPath, { timeout: options.waitMs ?? DEFAULT_LOCK_WAIT_MS });
  } catch (error) {
    throw new BriefbotError('io', `cannot open the lock file ${lockPath}: ${describeError(error)}`, { cause: error });
  }
  try {
    // Exclusive locking mode never gives a lock back until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    db.close();
    if (isBusy(error)) {
      throw new BriefbotError(
        'unavailable',
        `the store at ${storePath} is in use by ${describeHolder(storePath)}: one briefbot per store; use PostgreSQL for several replicas`,
        { cause: error },
      );
    }
    throw new BriefbotError('io', `cannot take the lock ${lockPath} (remove it when no briefbot is running): ${describeError(error)}`, { cause: error });
  }

  const owner: StoreOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const ownerPath = ownerPathOf(storePath);
  try {
    // Written whole and renamed into place, so a reader never sees half of it.
    const temporary = `${ownerPath}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(owner) + '\n');
    renameSync(temporary, ownerPath);
  } catch {
    // Only the message a second process shows depends on it; the lock is held either way.
  }

  let held = true;
  return {
    path: lockPath,
    release() {
      if (!held) return;
      held = false;
      const current = readOwner(storePath);
      if (current?.pid === owner.pid && current.host === owner.host) rmSync(ownerPath, { force: true });
      db.close();
    },
  };
}
