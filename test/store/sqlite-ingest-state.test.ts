import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFeedPoller } from '../../src/ingest/feed-poller.js';
import { createSourceRegistry } from '../../src/ingest/feed-sources.js';
import { createMemoryIngestState, type IngestState } from '../../src/ingest/ingest-state.js';
import type { IngestEvent } from '../../src/ingest/record-article.js';
import { createSqliteLibrary } from '../../src/library/sqlite-library.js';
import { createSqliteIngestState } from '../../src/ingest/sqlite-ingest-state.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore, type Store } from '../../src/store/store.js';
import { aSeen, aSource, describeIngestStateContract } from '../ingest/ingest-state-contract.js';
import { CONTENT_TYPES, rssFeed, rssItem, silentLogger, startFeedServer, storyParagraphs } from '../ingest/feed-server.js';
import { createTestFetcher } from '../net/local-server.js';

const opened: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function open(path = ':memory:', migrations = MIGRATIONS): Store {
  const store = openStore({ path, migrations });
  opened.push(store);
  return store;
}

function reopen(store: Store, migrations = MIGRATIONS): Store {
  store.close();
  opened.splice(opened.indexOf(store), 1);
  return open(store.path, migrations);
}

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-ingest-state-'));
  dirs.push(dir);
  return join(dir, 'briefbot.db');
}

describeIngestStateContract('sqlite', () => createSqliteIngestState(open()));

describe('IngestState on the SQLite store', () => {
  it('keeps sources, seen items and revisions across closing and reopening the file', async () => {
    const path = tempPath();
    const first = open(path);
    const before = createSqliteIngestState(first);
    const primed = aSource('feed-a', { primed: true, etag: '"v7"', lastModified: 'Wed, 11 Jun 2025 12:00:00 GMT', nextPollAt: '2025-06-11T12:15:00.000Z', delivered: 4, title: 'A news' });
    await before.saveSource(primed);
    await before.saveSource(aSource('feed-b'));
    await before.saveSeen(aSeen('feed-a', 'guid:1', { guid: '1', canonicalUrl: 'https://news.test/1', articleId: 'story-1' }));
    await before.saveSeen(aSeen('feed-a', 'guid:2', { status: 'backlog' }));
    const changes = { figuresChanged: [{ before: '4,000 troops', after: '6,000 troops' }], figuresAdded: [], figuresRemoved: [], quotesAdded: [{ text: 'We will rebuild' }], quotesRemoved: [], keyPointsAdded: [] };
    await before.appendRevision({ articleId: 'story-1', number: 1, contentHash: 'h1', at: '2025-06-11T12:00:00.000Z', source: 'https://news.test/1' });
    await before.appendRevision({ articleId: 'story-1', number: 2, contentHash: 'h2', at: '2025-06-11T13:00:00.000Z', source: 'https://news.test/1', changes });

    const after = createSqliteIngestState(reopen(first));
    expect(await after.getSource('feed-a')).toEqual(primed);
    expect((await after.listSources()).map((s) => s.id)).toEqual(['feed-a', 'feed-b']);
    expect(await after.findSeen({ sourceId: 'feed-a', key: 'guid:1' })).toEqual(aSeen('feed-a', 'guid:1', { guid: '1', canonicalUrl: 'https://news.test/1', articleId: 'story-1' }));
    expect((await after.findSeen({ sourceId: 'feed-c', key: 'url:x', canonicalUrl: 'https://news.test/1' }))?.articleId).toBe('story-1');
    expect(await after.countSeen('feed-a')).toEqual({ backlog: 1, delivered: 1, failed: 0 });
    expect(await after.listRevisions('story-1')).toEqual([
      { articleId: 'story-1', number: 1, contentHash: 'h1', at: '2025-06-11T12:00:00.000Z', source: 'https://news.test/1' },
      { articleId: 'story-1', number: 2, contentHash: 'h2', at: '2025-06-11T13:00:00.000Z', source: 'https://news.test/1', changes },
    ]);
  });

  it('keeps a replaced source in its place among sources added at the same instant, as in memory', async () => {
    const sqlite = createSqliteIngestState(open());
    const memory = createMemoryIngestState();
    for (const state of [sqlite, memory]) {
      for (const id of ['x', 'y', 'z']) await state.saveSource(aSource(id));
      await state.saveSource(aSource('x', { primed: true }));
      await state.removeSource('y');
      await state.saveSource(aSource('y'));
    }
    const order = async (state: IngestState): Promise<string[]> => (await state.listSources()).map((s) => s.id);
    expect(await order(sqlite)).toEqual(['x', 'z', 'y']);
    expect(await order(sqlite)).toEqual(await order(memory));
  });

  it('answers a canonical URL with the item saved last, as in memory', async () => {
    const sqlite = createSqliteIngestState(open());
    const memory = createMemoryIngestState();
    const url = 'https://news.test/story';
    for (const state of [sqlite, memory]) {
      await state.saveSeen(aSeen('feed-a', 'guid:1', { canonicalUrl: url, status: 'backlog' }));
      await state.saveSeen(aSeen('link', `url:${url}`, { canonicalUrl: url, status: 'delivered', articleId: 'story' }));
      await state.saveSeen(aSeen('feed-b', 'guid:9', { canonicalUrl: url, status: 'delivered', articleId: 'story' }));
      // Saving the first again makes it the last saved.
      await state.saveSeen(aSeen('feed-a', 'guid:1', { canonicalUrl: url, status: 'backlog', lastSeenAt: '2025-06-12T00:00:00.000Z' }));
    }
    const query = { sourceId: 'feed-c', key: 'guid:new', canonicalUrl: url };
    expect(await sqlite.findSeen(query)).toMatchObject({ sourceId: 'feed-a', status: 'backlog' });
    expect(await sqlite.findSeen(query)).toEqual(await memory.findSeen(query));
  });

  it('looks a canonical URL up by its index', () => {
    const store = open();
    createSqliteIngestState(store);
    const plan = store.db.prepare("EXPLAIN QUERY PLAN SELECT * FROM seen_items WHERE canonical_url = ? ORDER BY last_saved DESC LIMIT 1").all('u') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX seen_items_canonical_url/);
  });

  it('records a revision number once, keeping the first, and the file holds one row for it', async () => {
    const store = open();
    const state = createSqliteIngestState(store);
    const revision = { articleId: 'a', number: 1, contentHash: 'h1', at: '2025-06-11T09:00:00.000Z', source: 'x.md' };
    expect(await state.appendRevision(revision)).toBe(true);
    expect(await state.appendRevision({ ...revision, contentHash: 'h2' })).toBe(false);
    expect(await state.listRevisions('a')).toEqual([revision]);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM article_revisions WHERE article_id = 'a'").get()).toEqual({ n: 1 });
  });

  it('brings a version 2 database forward: its briefings stay, and ingestion state starts empty', async () => {
    const path = tempPath();
    const v2 = open(path, MIGRATIONS.filter((m) => m.version <= 2));
    expect(v2.version).toBe(2);
    v2.db.prepare("INSERT INTO briefings (id, title, sort_key, ingested_at, content_hash, search_text, json) VALUES ('a', 'A', 'x', 'x', 'h', 'a', '{}')").run();
    const current = reopen(v2);
    expect(current.version).toBe(MIGRATIONS.at(-1)!.version);
    expect(current.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(current.db.prepare('SELECT id FROM briefings').all()).toEqual([{ id: 'a' }]);
    const state = createSqliteIngestState(current);
    expect(await state.listSources()).toEqual([]);
    await state.saveSource(aSource('feed-a', { primed: true }));
    expect((await createSqliteIngestState(reopen(current)).getSource('feed-a'))?.primed).toBe(true);
  });
});

describe('feed polling across a restart (e2e: the poller on a file-backed store, feeds from 127.0.0.1)', () => {
  it('delivers what a primed feed published while briefbot was down, and files an edit as the next revision', async () => {
    const server = await startFeedServer();
    const clock = { now: new Date('2025-06-11T12:00:00Z') };
    const feedUrl = `${server.origin}/feeds/town.xml`;
    const run = async (store: Store) => {
      const state = createSqliteIngestState(store);
      const library = createSqliteLibrary(store);
      const events: IngestEvent[] = [];
      const poller = createFeedPoller({ state, library, fetcher: createTestFetcher(), logger: silentLogger(), now: () => clock.now, concurrency: 2, failingAfter: 3, onEvent: (e) => events.push(e) });
      const sources = createSourceRegistry({ state, poller, logger: silentLogger(), now: () => clock.now });
      await sources.syncConfig([{ url: feedUrl }]);
      return { state, poller, events };
    };
    const later = (): void => {
      clock.now = new Date(clock.now.getTime() + 60 * 60_000);
    };
    const bridge = { guid: 'bridge-1', link: 'https://news.test/bridge', title: 'Bridge plan approved', paragraphs: storyParagraphs('the new bridge', 1) };
    const tunnel = { guid: 'tunnel-1', link: 'https://news.test/tunnel', title: 'Tunnel plan delayed', paragraphs: storyParagraphs('the tunnel', 2) };
    try {
      const store = open(tempPath());
      const first = await run(store);
      server.serve('/feeds/town.xml', rssFeed('Town', []), CONTENT_TYPES.xml!);
      await first.poller.pollDue();
      server.serve('/feeds/town.xml', rssFeed('Town', [rssItem(bridge)]), CONTENT_TYPES.xml!);
      later();
      await first.poller.pollDue();
      expect(first.events.map((e) => [e.kind, e.entry.briefing.title])).toEqual([['new', 'Bridge plan approved']]);
      const bridgeId = first.events[0]!.entry.briefing.id;
      await first.poller.stop();

      // While briefbot is down, the bridge story is edited and the tunnel story is published.
      server.serve('/feeds/town.xml', rssFeed('Town', [rssItem(tunnel), rssItem({ ...bridge, title: 'Bridge plan approved at higher cost', paragraphs: storyParagraphs('the new bridge', 5) })]), CONTENT_TYPES.xml!);
      later();
      const second = await run(reopen(store));
      const [report] = await second.poller.pollDue();
      await second.poller.stop();

      expect(report).toMatchObject({ outcome: 'fetched', backlog: 0, delivered: 1, revised: 1 });
      expect(second.events.map((e) => [e.kind, e.entry.briefing.title]).sort()).toEqual([
        ['new', 'Tunnel plan delayed'],
        ['revised', 'Bridge plan approved at higher cost'],
      ]);
      expect((await second.state.listRevisions(bridgeId)).map((r) => r.number)).toEqual([1, 2]);
      expect((await second.state.listRevisions(bridgeId))[1]!.changes?.headline).toEqual({ before: 'Bridge plan approved', after: 'Bridge plan approved at higher cost' });
    } finally {
      await server.close();
    }
  });
});
