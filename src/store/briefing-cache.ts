import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import type { Article } from '../articles/index.js';
import { BriefingSchema, ENGINE_VERSION, type Briefing } from '../briefing/index.js';
import { storeOpenError } from './store.js';

/**
 * Briefings the command line has made from the briefings folder, kept in a small SQLite file
 * beside the store, so `briefbot quote` or `articles` without a bot's store reads the folder and
 * briefs only what it has not briefed before, instead of the whole folder on every call.
 *
 * A briefing is kept under a key made of the article (every field, as read) and the engine's
 * fingerprint, so an edited article or a changed engine is briefed afresh and never served from
 * the cache; briefings of another engine are dropped when the cache opens. What is read back is
 * checked against BriefingSchema: a row that does not pass is briefed again, never trusted.
 *
 * It is a cache, not a store: it takes no lock (two command lines at once each brief what they
 * miss, and SQLite serialises their writes), it holds nothing that cannot be made again, and a
 * cache that cannot be opened or written only costs the time to brief.
 */

export interface BriefingCache {
  /** The article's briefing: the kept one when this engine has briefed this article before, else made now and kept. */
  brief(article: Article): Briefing;
  /** Briefings served from the cache and made afresh since it opened. */
  readonly hits: number;
  readonly misses: number;
  /** Drops briefings no call used since the cache opened when they outnumber the used ones (edited or removed articles), then closes. */
  close(): void;
}

export interface BriefingCacheOptions {
  /** What makes a briefing (createBriefing). */
  brief: (article: Article) => Briefing;
  /** Changes whenever the engine's output may change: see engineFingerprint. */
  engine: string;
}

/** Rows a cache may hold beyond those used in this run before the unused ones are dropped. */
const SLACK = 100;

/**
 * A digest of the engine version and the briefing engine's own files (its code and its lexicon
 * snapshot): any change to them changes it, so the cache never serves a briefing the current
 * engine would not make, even during development, before ENGINE_VERSION is bumped.
 */
export function engineFingerprint(): string {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'briefing');
  const hash = createHash('sha256').update(`engine ${ENGINE_VERSION}\n`);
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.map')) continue;
    hash.update(`${name}\n`).update(readFileSync(resolve(dir, name)));
  }
  return hash.digest('hex').slice(0, 32);
}

function keyOf(engine: string, article: Article): string {
  return createHash('sha256').update(engine).update('\0').update(JSON.stringify(article)).digest('hex');
}

export function openBriefingCache(path: string, options: BriefingCacheOptions): BriefingCache {
  let opened: SqliteDatabase | undefined;
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    opened = new Database(path);
    const db = opened;
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE IF NOT EXISTS briefings (key TEXT PRIMARY KEY, engine TEXT NOT NULL, json TEXT NOT NULL) WITHOUT ROWID');
    db.prepare('DELETE FROM briefings WHERE engine <> ?').run(options.engine);
  } catch (error) {
    opened?.close();
    throw storeOpenError(path, error);
  }
  const db = opened;
  const select = db.prepare<[string], { json: string }>('SELECT json FROM briefings WHERE key = ?');
  const insert = db.prepare('INSERT OR REPLACE INTO briefings (key, engine, json) VALUES (?, ?, ?)');
  const used = new Set<string>();
  let hits = 0;
  let misses = 0;
  let writable = true;

  const kept = (key: string): Briefing | undefined => {
    const row = select.get(key);
    if (!row) return undefined;
    try {
      const parsed = BriefingSchema.safeParse(JSON.parse(row.json));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    brief(article) {
      const key = keyOf(options.engine, article);
      used.add(key);
      const found = kept(key);
      if (found) {
        hits++;
        return found;
      }
      misses++;
      const briefing = options.brief(article);
      if (writable) {
        try {
          insert.run(key, options.engine, JSON.stringify(briefing));
        } catch {
          // A full disk or a cache held too long by another process: brief without keeping.
          writable = false;
        }
      }
      return briefing;
    },
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    close() {
      if (!db.open) return;
      try {
        const { n } = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM briefings').get()!;
        if (writable && n > used.size * 2 + SLACK) db.prepare('DELETE FROM briefings WHERE key NOT IN (SELECT value FROM json_each(?))').run(JSON.stringify([...used]));
      } catch {
        // Pruning is housekeeping: the next run tries again.
      } finally {
        db.close();
      }
    },
  };
}
