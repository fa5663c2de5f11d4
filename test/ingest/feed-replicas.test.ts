/**
 * Three replicas polling the same feeds on one PostgreSQL store (module level: three ingestions,
 * each with its own connection pool, its own lease owner, the PostgreSQL ingest state and library;
 * feeds from 127.0.0.1). Every replica asks for every due feed each round, as their tickers would:
 * the feed leases let one of them fetch it, and item claims keep a story carried by two feeds to
 * one briefing. A replica that dies holding a lease stops holding it once the lease expires.
 * Rounds are driven by hand with an injected clock: nothing here waits on a timer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/config.js';
import { createIngestion, type Ingestion } from '../../src/ingest/create-ingestion.js';
import { createFeedPoller, type PollReport } from '../../src/ingest/feed-poller.js';
import { createPostgresIngestState } from '../../src/ingest/postgres-ingest-state.js';
import type { IngestEvent } from '../../src/ingest/record-article.js';
import type { Library } from '../../src/library/library.js';
import { createPostgresLibrary } from '../../src/library/postgres-library.js';
import { createPostgresFeedLeaseStore } from '../../src/store/postgres/feed-leases.js';
import { migratePostgres } from '../../src/store/postgres/migrations.js';
import { createPostgresPool, type PostgresPool } from '../../src/store/postgres/pool.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { createTestFetcher } from '../net/local-server.js';
import { CONTENT_TYPES, rssFeed, rssItem, silentLogger, startFeedServer, storyParagraphs, type FeedServer } from './feed-server.js';

interface Replica {
  name: string;
  ingestion: Ingestion;
  library: Library;
  events: IngestEvent[];
}

const clock = { now: new Date('2025-06-11T12:00:00.000Z') };
const later = (minutes: number): void => {
  clock.now = new Date(clock.now.getTime() + minutes * 60_000);
};

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: FeedServer;
let briefingsDir: string;
const pools: PostgresPool[] = [];
const replicas: Replica[] = [];

function newPool(): PostgresPool {
  const pool = createPostgresPool({ url: database.url, max: 4 });
  pools.push(pool);
  return pool;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await migratePostgres(newPool());
  server = await startFeedServer();
  briefingsDir = mkdtempSync(join(tmpdir(), 'briefbot-replicas-'));
  const config = ConfigSchema.parse({ briefings: { dir: briefingsDir }, ingest: { watch: false } });
  for (const name of ['replica-a', 'replica-b', 'replica-c']) {
    const pool = newPool();
    const library = createPostgresLibrary(pool);
    const events: IngestEvent[] = [];
    const ingestion = createIngestion({
      config,
      library,
      logger: silentLogger(),
      state: createPostgresIngestState(pool),
      leases: createPostgresFeedLeaseStore(pool, { owner: name }),
      fetcher: createTestFetcher(),
      now: () => clock.now,
      onEvent: (event) => events.push(event),
    });
    replicas.push({ name, ingestion, library, events });
  }
});

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.ingestion.stop()));
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
  await server?.close();
  await database?.drop();
  rmSync(briefingsDir, { recursive: true, force: true });
});

const story = (n: number, guid: string): string => rssItem({ guid, link: `https://news.test/story-${n}`, title: `Story ${n} goes ahead`, paragraphs: storyParagraphs(`project ${n}`, n) });
const FEEDS = ['/feeds/town.xml', '/feeds/wire.xml'];

/** One round: every replica polls what it finds due, at once; answers who fetched each feed and how often the server was asked. */
async function round(): Promise<{ fetchedBy: Record<string, string[]>; hits: Record<string, number>; reports: PollReport[] }> {
  const before = Object.fromEntries(FEEDS.map((path) => [path, server.hits(path)]));
  const results = await Promise.all(replicas.map(async (r) => ({ name: r.name, reports: await r.ingestion.poller.pollDue() })));
  const fetchedBy: Record<string, string[]> = Object.fromEntries(FEEDS.map((path) => [path, []]));
  for (const { name, reports } of results) {
    for (const report of reports) {
      if (report.outcome === 'elsewhere') continue;
      fetchedBy[new URL(report.url).pathname]!.push(name);
    }
  }
  const hits = Object.fromEntries(FEEDS.map((path) => [path, server.hits(path) - before[path]!]));
  return { fetchedBy, hits, reports: results.flatMap((r) => r.reports) };
}

async function seenCounts(): Promise<Array<{ path: string; status: string; n: number }>> {
  const { rows } = await pools[0]!.query<{ url: string; status: string; n: number }>(
    'SELECT f.url, s.status, COUNT(*) AS n FROM seen_items s JOIN feed_sources f ON f.id = s.source_id GROUP BY f.url, s.status ORDER BY f.url, s.status',
  );
  return rows.map((r) => ({ path: new URL(r.url).pathname, status: r.status, n: r.n }));
}

const newTitles = (): string[] =>
  replicas
    .flatMap((r) => r.events)
    .map((e) => `${e.kind} ${e.entry.briefing.title}`)
    .sort();

describe('three replicas polling the same feeds on one PostgreSQL store', () => {
  it('fetch each feed once per round and brief each item once, and carry on when a replica dies holding a lease', async () => {
    server.serve('/feeds/town.xml', rssFeed('Town', [story(1, 'town-1'), story(2, 'town-2')]), CONTENT_TYPES.xml!);
    server.serve('/feeds/wire.xml', rssFeed('Wire', [story(3, 'wire-3')]), CONTENT_TYPES.xml!);
    // Each replica starts and syncs the configured feeds, as at start-up.
    await Promise.all(replicas.map((r) => r.ingestion.sources.syncConfig(FEEDS.map((path) => ({ url: `${server.origin}${path}` })))));
    expect(await replicas[0]!.ingestion.state.listSources()).toHaveLength(2);

    // Round 0: what the feeds hold already is backlog.
    let result = await round();
    expect(result.hits).toEqual({ '/feeds/town.xml': 1, '/feeds/wire.xml': 1 });
    expect(Object.values(result.fetchedBy).map((names) => names.length)).toEqual([1, 1]);
    expect(newTitles()).toEqual([]);

    // Round 1: stories 4-6 in the town feed; the wire carries story 6 too (its own GUID) and story 7.
    later(60);
    server.serve('/feeds/town.xml', rssFeed('Town', [story(6, 'town-6'), story(5, 'town-5'), story(4, 'town-4'), story(1, 'town-1'), story(2, 'town-2')]), CONTENT_TYPES.xml!);
    server.serve('/feeds/wire.xml', rssFeed('Wire', [story(7, 'wire-7'), story(6, 'wire-6'), story(3, 'wire-3')]), CONTENT_TYPES.xml!);
    result = await round();
    expect(result.hits).toEqual({ '/feeds/town.xml': 1, '/feeds/wire.xml': 1 });
    expect(newTitles()).toEqual([4, 5, 6, 7].map((n) => `new Story ${n} goes ahead`));

    // Round 2: nothing new. A feed that left story 6 to the other feed's replica is read whole
    // again and records it as seen; nothing is briefed twice.
    later(60);
    result = await round();
    expect(result.hits).toEqual({ '/feeds/town.xml': 1, '/feeds/wire.xml': 1 });
    expect(newTitles()).toHaveLength(4);
    expect(await replicas[1]!.library.size).toBe(4);
    const { rows } = await pools[0]!.query<{ n: number }>('SELECT COUNT(*) AS n FROM briefings');
    expect(rows[0]!.n).toBe(4);
    expect(await seenCounts()).toEqual([
      { path: '/feeds/town.xml', status: 'backlog', n: 2 },
      { path: '/feeds/town.xml', status: 'delivered', n: 3 },
      { path: '/feeds/wire.xml', status: 'backlog', n: 1 },
      { path: '/feeds/wire.xml', status: 'delivered', n: 2 },
    ]);

    // A fourth replica takes the town feed's lease and dies with it (a 45-minute lease, never renewed or let go of).
    const town = (await replicas[0]!.ingestion.state.listSources()).find((s) => s.url.endsWith('/feeds/town.xml'))!;
    const dead = createPostgresFeedLeaseStore(newPool(), { owner: 'replica-dead', leaseMs: 45 * 60_000 });
    later(60);
    expect(await dead.acquire(town.id, clock.now)).toBe(true);
    server.serve('/feeds/town.xml', rssFeed('Town', [story(8, 'town-8'), story(6, 'town-6'), story(5, 'town-5'), story(4, 'town-4')]), CONTENT_TYPES.xml!);
    result = await round();
    expect(result.hits).toEqual({ '/feeds/town.xml': 0, '/feeds/wire.xml': 1 });
    expect(result.reports.filter((r) => r.sourceId === town.id).map((r) => r.outcome)).toEqual(['elsewhere', 'elsewhere', 'elsewhere']);
    expect(newTitles()).toHaveLength(4);

    // Its lease expires: one of the others polls the feed and story 8 arrives, once.
    later(60);
    result = await round();
    expect(result.hits).toEqual({ '/feeds/town.xml': 1, '/feeds/wire.xml': 1 });
    expect(result.fetchedBy['/feeds/town.xml']).toHaveLength(1);
    expect(result.fetchedBy['/feeds/town.xml']![0]).not.toBe('replica-dead');
    expect(newTitles()).toEqual([4, 5, 6, 7, 8].map((n) => `new Story ${n} goes ahead`));
    expect(await replicas[2]!.library.size).toBe(5);
    // Every lease was let go of after its poll.
    expect(await dead.get(town.id)).toBeUndefined();
  });

  it('brief each item once when two replicas poll one feed at the same moment (a lease lapsed mid-poll)', async () => {
    // Pollers without leases stand for the moment both believe they hold the feed.
    const pollers = [0, 1].map(() => {
      const pool = newPool();
      const events: IngestEvent[] = [];
      const state = createPostgresIngestState(pool);
      const poller = createFeedPoller({ state, library: createPostgresLibrary(pool), fetcher: createTestFetcher(), logger: silentLogger(), now: () => clock.now, onEvent: (e) => events.push(e) });
      return { state, poller, events };
    });
    const path = '/feeds/lapsed.xml';
    server.serve(path, rssFeed('Lapsed', []), CONTENT_TYPES.xml!);
    await replicas[0]!.ingestion.sources.syncConfig([...FEEDS, path].map((p) => ({ url: `${server.origin}${p}` })));
    const source = (await pollers[0]!.state.listSources()).find((s) => s.url.endsWith(path))!;
    await pollers[0]!.poller.pollSource(source.id);
    const items = [20, 21, 22, 23, 24, 25];
    server.serve(path, rssFeed('Lapsed', items.map((n) => story(n, `lapsed-${n}`))), CONTENT_TYPES.xml!);
    later(60);
    const reports = await Promise.all(pollers.map((p) => p.poller.pollSource(source.id)));
    try {
      const titles = pollers.flatMap((p) => p.events).map((e) => e.entry.briefing.title).sort();
      expect(titles).toEqual(items.map((n) => `Story ${n} goes ahead`));
      expect(reports.reduce((n, r) => n + r.delivered, 0)).toBe(items.length);
      const { rows } = await pools[0]!.query<{ n: number }>("SELECT COUNT(*) AS n FROM briefings WHERE entry->'briefing'->>'title' LIKE 'Story 2_ goes ahead'");
      expect(rows[0]!.n).toBe(items.length);
      expect(await pollers[1]!.state.countSeen(source.id)).toMatchObject({ delivered: items.length, failed: 0 });
    } finally {
      await Promise.all(pollers.map((p) => p.poller.stop()));
    }
  });
});
