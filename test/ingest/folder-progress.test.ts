/**
 * Start-up's first scan of the briefings folder reports its progress: one reporter per folder,
 * its total the folder's article files (not its README), one tick per file, done at the end. Only
 * the first scan does: the rescans that follow are quiet.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBriefingsFolder } from '../../src/ingest/briefings-folder.js';
import { createFolderWatcher } from '../../src/ingest/folder-watcher.js';
import { createMemoryIngestState } from '../../src/ingest/ingest-state.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import type { ProgressFactory, ProgressOptions } from '../../src/util/progress.js';
import { silentLogger } from './feed-server.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'briefbot-progress-'));
  for (let i = 0; i < 3; i++) writeFileSync(join(dir, `${i}.txt`), `Harbour report ${i}\n\nThe council approved the repair of the harbour wall on Monday. The vote was ${i + 5} to 2.\n`);
  writeFileSync(join(dir, 'README.md'), '# not an article\n');
  writeFileSync(join(dir, 'broken.json'), '{ not json');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function recorder(): { factory: ProgressFactory; created: ProgressOptions[]; ticks: number; done: number } {
  const log = { created: [] as ProgressOptions[], ticks: 0, done: 0, factory: undefined as unknown as ProgressFactory };
  log.factory = (options) => {
    log.created.push(options);
    return { tick: (n = 1) => void (log.ticks += n), done: () => void log.done++ };
  };
  return log;
}

describe('progress of the first folder scan', () => {
  it('loadBriefingsFolder: total is the article files, a tick for each (a broken one too), then done', async () => {
    const log = recorder();
    const result = await loadBriefingsFolder(dir, createMemoryLibrary(), silentLogger(), { progress: log.factory });
    expect(result.loaded).toBe(3);
    expect(log.created).toEqual([{ label: `reading ${dir}`, total: 4 }]);
    expect([log.ticks, log.done]).toEqual([4, 1]);
  });

  it('the folder watcher: its start shows progress, its rescans do not', async () => {
    const log = recorder();
    const watcher = createFolderWatcher({ dirs: [dir], library: createMemoryLibrary(), state: createMemoryIngestState(), logger: silentLogger(), progress: log.factory });
    try {
      const report = await watcher.start();
      expect(report.added).toBe(3);
      expect(log.created).toEqual([{ label: `reading ${dir}`, total: 4 }]);
      expect([log.ticks, log.done]).toEqual([4, 1]);
      await watcher.rescan();
      expect(log.created).toHaveLength(1);
    } finally {
      watcher.stop();
    }
  });
});
