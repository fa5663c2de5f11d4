import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { BRIEFING_SCHEMA_VERSION, ENGINE_VERSION } from '../../src/briefing/index.js';
import { createRebriefer } from '../../src/ingest/rebrief.js';
import { createSqliteLibrary } from '../../src/library/sqlite-library.js';
import { openStore, type Store } from '../../src/store/store.js';

/**
 * The committed store made by the code before briefings were versioned
 * (fixtures/make-unversioned-store.ts says which commit): it opens, migrates, and is re-briefed by
 * the current engine while commands are answered from the old briefings.
 */

const FIXTURE = join(import.meta.dirname, 'fixtures', 'unversioned-store.db');
const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  while (stores.length) stores.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function copyOfFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-rebrief-'));
  dirs.push(dir);
  const path = join(dir, 'briefbot.db');
  copyFileSync(FIXTURE, path);
  return path;
}

function open(path: string): Store {
  const store = openStore({ path });
  stores.push(store);
  return store;
}

/** A logger whose lines the test can read. */
function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const versions = (store: Store): Array<{ id: string; engine_version: number | null; schema_version: number | null; has_article: number }> =>
  store.db.prepare('SELECT id, engine_version, schema_version, article IS NOT NULL AS has_article FROM briefings ORDER BY position').all() as never;

describe('a store made before briefings were versioned', () => {
  it('opens at schema 3 and migrates: every briefing out of date, none with an article', () => {
    const path = copyOfFixture();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(3);
    raw.close();
    const store = open(path);
    expect(store.version).toBeGreaterThanOrEqual(4);
    expect(versions(store).every((r) => r.engine_version === null && r.schema_version === null && r.has_article === 0)).toBe(true);
    expect(createSqliteLibrary(store).outdatedPositions()).toHaveLength(5);
  });

  it('is re-briefed newest first in the background, commands answered from the old briefings meanwhile', async () => {
    const store = open(copyOfFixture());
    const { logger, lines } = capturingLogger();
    const library = createSqliteLibrary(store, { logger });
    const before = new Map(store.db.prepare<[], { id: string; json: string }>('SELECT id, json FROM briefings').all().map((r) => [r.id, r.json]));
    const order = library.outdatedPositions().map((p) => library.stored(p)!.id);
    expect(order).toEqual([
      'opinion-the-water-bill-is-a-scandal-and-you-should-say-so',
      'quarry-collapse-kills-7-in-northern-valley',
      'rail-workers-strike-over-pay-as-talks-collapse',
      'central-bank-holds-rates-at-4-5-as-inflation-cools-to-2-9',
      'bridge-reopens',
    ]);

    const progress: Array<[number, number]> = [];
    const answeredMeanwhile: string[] = [];
    const rebriefer = createRebriefer({ library, logger, chunkSize: 1, onProgress: (done, total) => void progress.push([done, total]) });
    const running = rebriefer.run();
    // Between chunks the loop is free: a command's read runs, and sees the briefing as it was until its row is rewritten.
    await new Promise((resolve) => setImmediate(resolve));
    const oldest = await library.get('bridge-reopens');
    expect(oldest).toBeDefined();
    expect(oldest).toEqual(JSON.parse(before.get('bridge-reopens')!));
    answeredMeanwhile.push(oldest!.briefing.id);
    expect((await library.searchQuotes({ query: 'strike' })).length + (await library.list()).items.length).toBeGreaterThan(0);
    const summary = await running;

    expect(answeredMeanwhile).toEqual(['bridge-reopens']);
    expect(progress[0]).toEqual([0, 5]);
    expect(progress.at(-1)).toEqual([5, 5]);
    expect(summary.total).toBe(5);
    expect(summary.rebriefed).toBe(4);
    // The feed item's article was never kept and its URL is not a file: kept as it is, said why.
    expect(summary.kept).toEqual([{ id: 'central-bank-holds-rates-at-4-5-as-inflation-cools-to-2-9', reason: expect.stringContaining('not a file') as unknown as string }]);

    const after = versions(store);
    for (const row of after) {
      if (row.id.startsWith('central-bank')) expect(row).toMatchObject({ engine_version: null, has_article: 0 });
      else expect(row).toMatchObject({ engine_version: ENGINE_VERSION, schema_version: BRIEFING_SCHEMA_VERSION, has_article: 1 });
    }
    // The revision record, position and ingestion time survive the re-brief.
    const column = (await library.get('opinion-the-water-bill-is-a-scandal-and-you-should-say-so'))!;
    expect(column.revision?.number).toBe(2);
    expect(column.ingestedAt).toBe('2026-11-02T09:02:00.000Z');
    expect(await library.position).toBe(5);
    // Only the row that could not be re-briefed is still out of date.
    expect(library.outdatedPositions().map((p) => library.stored(p)!.id)).toEqual(['central-bank-holds-rates-at-4-5-as-inflation-cools-to-2-9']);
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('reports a row with an invalid briefing once, by id, leaves it out of answers and re-briefs it from its article', async () => {
    const path = copyOfFixture();
    const raw = new Database(path);
    raw.prepare("UPDATE briefings SET json = '{\"briefing\": {\"id\": \"rail' WHERE id = 'rail-workers-strike-over-pay-as-talks-collapse'").run();
    raw.close();
    const store = open(path);
    const { logger, lines } = capturingLogger();
    const library = createSqliteLibrary(store, { logger });
    expect(await library.get('rail-workers-strike-over-pay-as-talks-collapse')).toBeUndefined();
    expect(await library.get('rail-workers-strike-over-pay-as-talks-collapse')).toBeUndefined();
    expect((await library.list()).items.map((e) => e.briefing.id)).not.toContain('rail-workers-strike-over-pay-as-talks-collapse');
    const reports = lines.filter((l) => l.articleId === 'rail-workers-strike-over-pay-as-talks-collapse');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ level: 40, problem: expect.stringContaining('not JSON') as unknown });

    const summary = await createRebriefer({ library, logger }).run();
    expect(summary.rebriefed).toBe(4);
    const repaired = await library.get('rail-workers-strike-over-pay-as-talks-collapse');
    expect(repaired?.briefing.title).toBe('Rail workers strike over pay as talks collapse');
    expect(repaired?.source).toBe('test/fixtures/golden/rail-strike.md');
  });

  it('re-briefs a current row found invalid on read, from the article the store now keeps', async () => {
    const store = open(copyOfFixture());
    const { logger, lines } = capturingLogger();
    const library = createSqliteLibrary(store, { logger });
    const rebriefer = createRebriefer({ library, logger });
    await rebriefer.run();
    expect(library.outdatedPositions()).toHaveLength(1);
    // Valid JSON in the wrong shape, on a row at the current engine version.
    store.db.prepare("UPDATE briefings SET json = json_set(json, '$.briefing.keyPoints', 'none') WHERE id = 'bridge-reopens'").run();
    expect(await library.get('bridge-reopens')).toBeUndefined();
    expect(lines.find((l) => l.articleId === 'bridge-reopens')).toMatchObject({ problem: expect.stringContaining('briefing.keyPoints') as unknown });
    // The read handed the row over: the next turn of the loop starts a pass that rewrites it.
    await new Promise((resolve) => setImmediate(resolve));
    await rebriefer.run();
    expect((await library.get('bridge-reopens'))?.briefing.keyPoints.length).toBeGreaterThan(0);
    await rebriefer.stop();
  });
});
