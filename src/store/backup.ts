import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { BriefbotError, describeError } from '../errors.js';
import { damagedStoreError, storeOpenError } from './store.js';

/**
 * `briefbot backup <file>`: a consistent copy of the store, taken with SQLite's online backup API
 * while the bot keeps running.
 *
 * The source is opened read-only and the store's one-process lock (lock.ts, a side file) is not
 * touched: a reader cannot disturb the bot, and under WAL it reads one committed snapshot while
 * the bot goes on writing. The copy is made in a single backup step, so it is one read
 * transaction (a step-by-step copy restarts whenever another connection writes between steps,
 * and might never finish beside a busy bot). The copy is written beside the destination under a
 * temporary name, switched to a single-file journal, checked with `PRAGMA integrity_check`, and
 * only then renamed into place: a file at the destination is always a whole, checked backup.
 */

export interface BackupResult {
  destination: string;
  /** Database pages copied. */
  pages: number;
  /** Size of the backup file. */
  bytes: number;
}

/** Pages per step: all of them in one. */
const ALL_PAGES = 0x7fffffff;

function openSource(dbPath: string): SqliteDatabase {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    // The bot's checkpoint can hold the WAL briefly: wait rather than fail.
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    throw storeOpenError(dbPath, error);
  }
}

export async function backupStore(dbPath: string, destination: string): Promise<BackupResult> {
  if (!existsSync(dbPath)) throw new BriefbotError('not-found', `there is no store at ${dbPath} to back up (set DATABASE_PATH, or store.path in config)`);
  if (resolve(destination) === resolve(dbPath)) throw new BriefbotError('usage', 'the backup must go to another file than the store itself');
  if (existsSync(destination)) throw new BriefbotError('io', `${destination} already exists: a backup never overwrites a file; choose a new name`);
  if (!existsSync(dirname(resolve(destination)))) throw new BriefbotError('not-found', `no such folder for the backup: ${dirname(destination)}`);

  const partial = `${destination}.partial-${process.pid}`;
  const source = openSource(dbPath);
  let pages: number;
  try {
    const progress = await source.backup(partial, { progress: () => ALL_PAGES });
    pages = progress.totalPages;
  } catch (error) {
    rmSync(partial, { force: true });
    throw storeOpenError(dbPath, error);
  } finally {
    source.close();
  }

  try {
    const copy = new Database(partial);
    try {
      // One self-contained file, with no -wal beside it to lose when it is copied elsewhere.
      copy.pragma('journal_mode = DELETE');
      const rows = copy.pragma('integrity_check') as Array<{ integrity_check: string }>;
      if (rows.length !== 1 || rows[0]!.integrity_check !== 'ok') throw damagedStoreError(dbPath, rows[0]?.integrity_check ?? 'no answer from the check');
    } finally {
      copy.close();
    }
    renameSync(partial, destination);
  } catch (error) {
    rmSync(partial, { force: true });
    if (error instanceof BriefbotError) throw error;
    throw new BriefbotError('io', `cannot write the backup ${destination}: ${describeError(error)}`, { cause: error });
  }
  return { destination, pages, bytes: statSync(destination).size };
}
