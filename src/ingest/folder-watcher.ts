import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { describeError } from '../errors.js';
import type { Library } from '../library/library.js';
import type { ProgressFactory } from '../util/progress.js';
import { isArticleFile, readArticleUnits } from './briefings-folder.js';
import type { IngestState } from './ingest-state.js';
import { articleText, hashText, recordArticle, type IngestEvent } from './record-article.js';

/**
 * Watches the briefings folders: a file dropped in or edited is briefed within a second or so.
 * `fs.watch` reports changes; each file waits for a quiet spell (the debounce) so a file being
 * written is read once, whole. A rescan every so often (stat only, reading just what changed)
 * catches what the watcher misses: network file systems, a folder created later, lost events.
 * An edited article keeps its id (even with a new headline) and becomes a new revision.
 */

export const DEFAULT_DEBOUNCE_MS = 300;
export const DEFAULT_RESCAN_MS = 30_000;

export interface FolderWatcherOptions {
  dirs: readonly string[];
  library: Library;
  state: IngestState;
  logger: Logger;
  now?: () => Date;
  debounceMs?: number;
  rescanMs?: number;
  onEvent?: (event: IngestEvent) => void;
  /** Shows how the first scan (at start, which briefs every article) is getting on. */
  progress?: ProgressFactory;
}

export interface FolderScanReport {
  files: number;
  added: number;
  revised: number;
  unchanged: number;
  /** Articles another replica had claimed: left to it. */
  elsewhere: number;
  failed: Array<{ file: string; error: string }>;
}

export interface FolderWatcher {
  /** Reads the folders once (recording what is there) and starts watching. */
  start(): Promise<FolderScanReport>;
  stop(): void;
  /** Checks every file now; reads only those whose size or modification time changed. */
  rescan(): Promise<FolderScanReport>;
  /** Resolves when no change is waiting (for tests). */
  idle(): Promise<void>;
}

interface Fingerprint {
  size: number;
  mtimeMs: number;
}

function emptyReport(): FolderScanReport {
  return { files: 0, added: 0, revised: 0, unchanged: 0, elsewhere: 0, failed: [] };
}

export function folderSourceId(dir: string): string {
  return `folder:${resolve(dir)}`;
}

export function createFolderWatcher(options: FolderWatcherOptions): FolderWatcher {
  const { library, state, logger } = options;
  const now = options.now ?? (() => new Date());
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const rescanMs = options.rescanMs ?? DEFAULT_RESCAN_MS;
  const dirs = [...new Set(options.dirs.map((d) => resolve(d)))];
  const fingerprints = new Map<string, Fingerprint>();
  const watchers = new Map<string, FSWatcher>();
  const timers = new Map<string, NodeJS.Timeout>();
  let rescanTimer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let stopped = true;

  /** Work runs one piece at a time, so a watch event and a rescan never read the same file at once. */
  function enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  }

  async function processFile(dir: string, path: string, report: FolderScanReport, force: boolean): Promise<void> {
    const name = basename(path);
    let info;
    try {
      info = await stat(path);
    } catch {
      if (fingerprints.delete(path)) logger.info({ file: path }, 'article file removed; its briefing stays in the library');
      return;
    }
    if (!info.isFile()) return;
    report.files++;
    const known = fingerprints.get(path);
    if (!force && known && known.size === info.size && known.mtimeMs === info.mtimeMs) {
      report.unchanged++;
      return;
    }
    fingerprints.set(path, { size: info.size, mtimeMs: info.mtimeMs });
    const sourceId = folderSourceId(dir);
    let units;
    try {
      units = await readArticleUnits(path);
    } catch (error) {
      report.failed.push({ file: name, error: describeError(error) });
      logger.warn({ file: path, err: describeError(error) }, 'could not read article file');
      return;
    }
    for (const unit of units) {
      if (!unit.article) {
        report.failed.push({ file: unit.source, error: unit.error ?? 'unreadable' });
        logger.warn({ file: unit.source, err: unit.error }, 'could not read article record');
        continue;
      }
      const at = now();
      const contentHash = hashText(articleText(unit.article));
      // Replicas sharing a folder (a shared volume) brief each file once: the one that claims it.
      const won = await state.claimSeen({ sourceId, key: unit.key }, { now: at });
      if (!won) {
        report.elsewhere++;
        // Looked at again on the next rescan, in case the claimant dies before it is done.
        fingerprints.delete(path);
        logger.debug({ file: unit.source }, 'article is being briefed elsewhere');
        continue;
      }
      const seen = won.seen;
      try {
        const result = await recordArticle({ library, state }, { article: unit.article, source: unit.source, now: at, ...(seen?.articleId ? { articleId: seen.articleId } : {}) });
        await state.saveSeen({
          sourceId,
          key: unit.key,
          contentHash,
          articleId: result.entry.briefing.id,
          status: 'delivered',
          firstSeenAt: seen?.firstSeenAt ?? at.toISOString(),
          lastSeenAt: at.toISOString(),
        });
        if (result.status === 'added') {
          report.added++;
          logger.info({ file: unit.source, articleId: result.entry.briefing.id }, 'article added');
          options.onEvent?.({ kind: 'new', sourceId, entry: result.entry });
        } else if (result.status === 'revised') {
          report.revised++;
          logger.info({ file: unit.source, articleId: result.entry.briefing.id, revision: result.revision?.number }, 'article revised');
          options.onEvent?.({ kind: 'revised', sourceId, entry: result.entry, ...(result.revision ? { changes: result.revision.changes } : {}) });
        } else {
          report.unchanged++;
        }
      } catch (error) {
        report.failed.push({ file: unit.source, error: describeError(error) });
        logger.warn({ file: unit.source, err: describeError(error) }, 'could not brief article');
      } finally {
        await state.releaseSeen(won.claim);
      }
    }
  }

  async function scanDir(dir: string, report: FolderScanReport, progress?: ProgressFactory): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() && isArticleFile(d.name)).map((d) => d.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ dir, err: describeError(error) }, 'cannot read briefings folder');
      return;
    }
    ensureWatching(dir);
    const present = new Set(names.map((n) => join(dir, n)));
    for (const path of fingerprints.keys()) {
      if (dirname(path) === dir && !present.has(path)) fingerprints.delete(path);
    }
    const shown = progress?.({ label: `reading ${dir}`, total: names.length });
    for (const name of names.sort()) {
      await processFile(dir, join(dir, name), report, false);
      shown?.tick();
    }
    shown?.done();
  }

  function schedule(dir: string, name: string | null): void {
    if (stopped) return;
    const key = name ? join(dir, name) : dir;
    if (name && !isArticleFile(name)) return;
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        // No file name (some platforms): look at the whole folder.
        void enqueue(() => (name ? processFile(dir, key, emptyReport(), false) : scanDir(dir, emptyReport()))).catch((error: unknown) =>
          logger.error({ err: error, file: key }, 'folder watcher failed'),
        );
      }, debounceMs).unref(),
    );
  }

  function ensureWatching(dir: string): void {
    if (stopped || watchers.has(dir)) return;
    try {
      const watcher = watch(dir, { persistent: false }, (_event, filename) => schedule(dir, filename ? filename.toString() : null));
      watcher.on('error', (error) => {
        // The folder went away or the watch broke: drop it; the next rescan watches again.
        logger.warn({ dir, err: describeError(error) }, 'folder watch stopped; relying on rescans');
        watcher.close();
        watchers.delete(dir);
      });
      watchers.set(dir, watcher);
    } catch (error) {
      logger.warn({ dir, err: describeError(error) }, 'cannot watch folder; relying on rescans');
    }
  }

  async function rescanAll(progress?: ProgressFactory): Promise<FolderScanReport> {
    const report = emptyReport();
    for (const dir of dirs) await scanDir(dir, report, progress);
    return report;
  }

  return {
    async start(): Promise<FolderScanReport> {
      stopped = false;
      const report = await enqueue(() => rescanAll(options.progress));
      const tick = (): void => {
        rescanTimer = setTimeout(() => {
          void enqueue(() => rescanAll())
            .catch((error: unknown) => logger.error({ err: error }, 'folder rescan failed'))
            .finally(() => {
              if (!stopped) tick();
            });
        }, rescanMs).unref();
      };
      tick();
      return report;
    },
    stop(): void {
      stopped = true;
      clearTimeout(rescanTimer);
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
    rescan: () => enqueue(() => rescanAll()),
    async idle(): Promise<void> {
      while (timers.size > 0) await new Promise((r) => setTimeout(r, Math.max(10, debounceMs / 4)));
      await queue;
    },
  };
}
