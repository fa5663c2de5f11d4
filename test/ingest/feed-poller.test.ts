import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedPoller, type FeedPoller } from '../../src/ingest/feed-poller.js';
import { createSourceRegistry, type SourceRegistry } from '../../src/ingest/feed-sources.js';
import { describeChanges } from '../../src/commands/present.js';
import { createMemoryIngestState, type IngestState } from '../../src/ingest/ingest-state.js';
import type { IngestEvent } from '../../src/ingest/record-article.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import type { Library } from '../../src/library/library.js';
import type { SafeFetcher } from '../../src/net/safe-fetch.js';
import { createFeedLeaseStore, type FeedLeaseStore } from '../../src/store/feed-leases.js';
import { openStore } from '../../src/store/store.js';
import { createTestFetcher } from '../net/local-server.js';
import { CONTENT_TYPES, rssFeed, rssItem, silentLogger, startFeedServer, storyParagraphs, type FeedServer } from './feed-server.js';

interface Rig {
  state: IngestState;
  library: Library;
  poller: FeedPoller;
  sources: SourceRegistry;
  events: IngestEvent[];
  clock: { now: Date };
}

let server: FeedServer;
const rigs: Rig[] = [];

/** `state` and `library` given: another replica on the same store. */
function rig(options: { fetcher?: SafeFetcher; concurrency?: number; failingAfter?: number; state?: IngestState; library?: Library; leases?: FeedLeaseStore; leaseRenewMs?: number } = {}): Rig {
  const state = options.state ?? createMemoryIngestState();
  const library = options.library ?? createMemoryLibrary();
  const events: IngestEvent[] = [];
  const clock = { now: new Date('2025-06-11T12:00:00Z') };
  const poller = createFeedPoller({
    state,
    library,
    fetcher: options.fetcher ?? createTestFetcher(),
    logger: silentLogger(),
    now: () => clock.now,
    concurrency: options.concurrency ?? 4,
    failingAfter: options.failingAfter ?? 3,
    ...(options.leases ? { leases: options.leases } : {}),
    ...(options.leaseRenewMs ? { leaseRenewMs: options.leaseRenewMs } : {}),
    onEvent: (event) => events.push(event),
  });
  const sources = createSourceRegistry({ state, poller, logger: silentLogger(), now: () => clock.now });
  const made = { state, library, poller, sources, events, clock };
  rigs.push(made);
  return made;
}

/** Moves the clock past every source's next poll. */
function later(r: Rig, minutes = 60): void {
  r.clock.now = new Date(r.clock.now.getTime() + minutes * 60_000);
}

beforeEach(async () => {
  server = await startFeedServer();
  server.serve('/feeds/rss.xml', server.fixture('feeds/rss.xml'), CONTENT_TYPES.xml!);
  server.serve('/feeds/atom.xml', server.fixture('feeds/atom.xml'), CONTENT_TYPES.atom!);
  server.serve('/feeds/feed.json', server.fixture('feeds/feed.json'), CONTENT_TYPES.json!);
});

afterEach(async () => {
  for (const r of rigs.splice(0)) await r.poller.stop();
  await server.close();
});

describe('feed poller (e2e: RSS, Atom and JSON Feed from 127.0.0.1)', () => {
  it('records what a feed already holds as backlog on the first poll, and posts none of it', async () => {
    const r = rig();
    await r.sources.syncConfig([{ url: `${server.origin}/feeds/rss.xml` }, { url: `${server.origin}/feeds/atom.xml` }, { url: `${server.origin}/feeds/feed.json` }]);
    const reports = await r.poller.pollDue();
    expect(reports.map((p) => [p.outcome, p.backlog, p.delivered])).toEqual([
      ['fetched', 2, 0],
      ['fetched', 2, 0],
      ['fetched', 2, 0],
    ]);
    expect(r.events).toEqual([]);
    expect(await r.library.size).toBe(0);
    // Backlog items are not briefed, so no page was fetched for the snippet-only item either.
    expect(server.hits('/pages/tram-depot.html')).toBe(0);
    expect((await r.sources.list()).map((s) => [s.status, s.backlog])).toEqual([
      ['ok', 2],
      ['ok', 2],
      ['ok', 2],
    ]);
  });

  it('delivers each new item exactly once: across polls, 304s, a re-sent feed and the same story in two feeds', async () => {
    const r = rig();
    const a = rssItem({ guid: 'a-1', link: 'https://news.test/story/bridge?utm_source=feed-a', title: 'Bridge plan approved', paragraphs: storyParagraphs('the new bridge', 1) });
    const b = rssItem({ guid: 'b-1', link: 'https://news.test/story/tunnel', title: 'Tunnel plan delayed', paragraphs: storyParagraphs('the tunnel', 2) });
    server.serve('/feeds/a.xml', rssFeed('Feed A', []), CONTENT_TYPES.xml!);
    server.serve('/feeds/b.xml', rssFeed('Feed B', []), CONTENT_TYPES.xml!);
    await r.sources.syncConfig([{ url: `${server.origin}/feeds/a.xml` }, { url: `${server.origin}/feeds/b.xml` }]);
    await r.poller.pollDue();
    expect(r.events).toEqual([]);

    server.serve('/feeds/a.xml', rssFeed('Feed A', [a]), CONTENT_TYPES.xml!);
    later(r);
    await r.poller.pollDue();
    expect(r.events.map((e) => [e.kind, e.entry.briefing.title])).toEqual([['new', 'Bridge plan approved']]);

    // Feed B now carries the same story (another GUID, the same page) and one of its own.
    const sameStory = rssItem({ guid: 'b-bridge', link: 'https://www.news.test/story/bridge#top', title: 'Bridge plan approved', paragraphs: storyParagraphs('the new bridge', 1) });
    server.serve('/feeds/b.xml', rssFeed('Feed B', [b, sameStory]), CONTENT_TYPES.xml!);
    for (let i = 0; i < 3; i++) {
      later(r);
      await r.poller.pollDue();
    }
    // Feed A re-sent with different bytes (new channel title) but the same item: still nothing new.
    server.serve('/feeds/a.xml', rssFeed('Feed A (renamed)', [a]), CONTENT_TYPES.xml!);
    later(r);
    await r.poller.pollDue();

    expect(r.events.map((e) => [e.kind, e.entry.briefing.title])).toEqual([
      ['new', 'Bridge plan approved'],
      ['new', 'Tunnel plan delayed'],
    ]);
    expect(await r.library.size).toBe(2);
  });

  it('sends the ETag and Last-Modified back, and a 304 brings nothing new', async () => {
    const r = rig();
    await r.sources.syncConfig([{ url: `${server.origin}/feeds/rss.xml` }]);
    await r.poller.pollDue();
    const first = server.requests.filter((q) => q.path === '/feeds/rss.xml').at(-1)!;
    expect(first.headers['if-none-match']).toBeUndefined();
    later(r);
    const [second] = await r.poller.pollDue();
    expect(second!.outcome).toBe('not-modified');
    const conditional = server.requests.filter((q) => q.path === '/feeds/rss.xml').at(-1)!;
    expect(conditional.headers['if-none-match']).toMatch(/^"[0-9a-f]+"$/);
    expect(conditional.headers['if-modified-since']).toBe('Wed, 11 Jun 2025 12:00:00 GMT');
    expect(conditional.headers['user-agent']).toMatch(/^briefbot\//);
    expect(r.events).toEqual([]);
  });

  it('turns an edited item into a revision of the same article that says what changed and when', async () => {
    const r = rig();
    const original = {
      guid: 'harbour-wall-2',
      link: 'https://harbour.example/news/wall-contract',
      title: 'Harbour wall contract awarded',
      paragraphs: [
        'The town awarded the harbour wall contract to Sealine Works on Thursday, at a cost of $4.2 million, after a tender that drew five bids.',
        '"The wall will be finished before next winter," said Mayor Ann Smith at the signing.',
        'Work will begin in September and employ about 60 people from the town.',
      ],
    };
    server.serve('/feeds/edits.xml', rssFeed('Harbour Gazette', []), CONTENT_TYPES.xml!);
    await r.sources.syncConfig([{ url: `${server.origin}/feeds/edits.xml` }]);
    await r.poller.pollDue();
    server.serve('/feeds/edits.xml', rssFeed('Harbour Gazette', [rssItem(original)]), CONTENT_TYPES.xml!);
    later(r);
    await r.poller.pollDue();
    expect(r.events).toHaveLength(1);
    const id = r.events[0]!.entry.briefing.id;

    const edited = {
      ...original,
      title: 'Harbour wall contract awarded at higher cost',
      paragraphs: [
        'The town awarded the harbour wall contract to Sealine Works on Thursday, at a cost of $4.9 million, after a tender that drew five bids.',
        '"The wall will be finished before next winter," said Mayor Ann Smith at the signing.',
        '"We had to pay for steel at this year\'s prices," said Omar Haddad, the town treasurer.',
        'Work will begin in September and employ about 60 people from the town.',
      ],
    };
    server.serve('/feeds/edits.xml', rssFeed('Harbour Gazette', [rssItem(edited)]), CONTENT_TYPES.xml!);
    later(r, 30);
    const revisedAt = r.clock.now.toISOString();
    await r.poller.pollDue();
    later(r, 30);
    await r.poller.pollDue();

    expect(r.events.map((e) => e.kind)).toEqual(['new', 'revised']);
    const revised = r.events[1]!;
    expect(revised.entry.briefing.id).toBe(id);
    expect(await r.library.size).toBe(1);
    expect(revised.entry.revision).toMatchObject({ number: 2, revisedAt });
    const changes = revised.changes!;
    expect(changes.headline).toEqual({ before: 'Harbour wall contract awarded', after: 'Harbour wall contract awarded at higher cost' });
    const lines = describeChanges(changes).join('\n');
    expect(lines).toMatch(/4\.9 million/);
    expect(lines).toMatch(/New quote: “We had to pay for steel/);
    expect((await r.state.listRevisions(id)).map((v) => v.number)).toEqual([1, 2]);
    expect((await r.library.get(id))!.revision!.number).toBe(2);
  });

  it('fetches the full text of a snippet-only item from its page with Readability, running none of its scripts', async () => {
    const r = rig();
    server.serve('/feeds/snippets.xml', rssFeed('Teaser Times', []), CONTENT_TYPES.xml!);
    await r.sources.syncConfig([{ url: `${server.origin}/feeds/snippets.xml` }]);
    await r.poller.pollDue();
    server.serve('/feeds/snippets.xml', server.fixture('feeds/snippets.xml'), CONTENT_TYPES.xml!);
    later(r);
    await r.poller.pollDue();

    expect(r.events).toHaveLength(1);
    const briefing = r.events[0]!.entry.briefing;
    expect(briefing.title).toBe('Library reopens after two-year renovation');
    expect(briefing.tldr).not.toMatch(/Full story on our site/);
    expect(briefing.keyPoints.map((k) => k.text).join(' ')).toMatch(/\$18 million|seven days a week|1\.2 million/);
    expect(briefing.quotes.map((q) => q.text)).toContain('This building belongs to everyone again');
    expect(briefing.byline.author).toBe('Nadia Flores');
    expect(server.hits('/pages/library-reopens.html')).toBe(1);
    // Nothing the page asked for was loaded and none of its scripts ran.
    for (const path of ['/beacon', '/pixel.gif', '/assets/tracker.js', '/assets/site.css', '/embed/video']) expect(server.hits(path), path).toBe(0);
    expect((globalThis as Record<string, unknown>).__briefbotPageScriptRan).toBeUndefined();
  });

  it('marks an item as opinion when the page it links to files it under opinion', async () => {
    const r = rig();
    const page = server.fixture('pages/library-reopens.html').replace('<head>', '<head>\n  <meta property="article:section" content="Opinion">');
    server.serve('/pages/library-column.html', page, CONTENT_TYPES.html!);
    server.serve('/feeds/columns.xml', rssFeed('Teaser Times', []), CONTENT_TYPES.xml!);
    await r.sources.syncConfig([{ url: `${server.origin}/feeds/columns.xml` }]);
    await r.poller.pollDue();
    server.serve('/feeds/columns.xml', server.fixture('feeds/snippets.xml').replaceAll('/pages/library-reopens.html', '/pages/library-column.html'), CONTENT_TYPES.xml!);
    later(r);
    await r.poller.pollDue();

    expect(r.events).toHaveLength(1);
    expect(server.hits('/pages/library-column.html')).toBe(1);
    expect(r.events[0]!.entry.briefing.genre).toBe('opinion');
  });

  it('slow, huge and malformed feeds do not hold up the others', async () => {
    const fetcher = createTestFetcher({ timeoutMs: 2_500 });
    const r = rig({ fetcher, concurrency: 2 });
    server.route('/feeds/slow.xml', { hang: true });
    const filler = Array.from({ length: 9_000 }, (_, i) => rssItem({ guid: `huge-${i}`, title: `Item ${i}`, paragraphs: ['x'.repeat(600)] }));
    server.serve('/feeds/huge.xml', rssFeed('Huge', filler), CONTENT_TYPES.xml!);
    server.serve('/feeds/malformed.xml', server.fixture('feeds/malformed.xml'), CONTENT_TYPES.xml!);
    // The troublemakers first, so they take the two slots before the good feeds are reached.
    await r.sources.syncConfig(['slow.xml', 'huge.xml', 'malformed.xml', 'rss.xml', 'atom.xml', 'feed.json'].map((name) => ({ url: `${server.origin}/feeds/${name}` })));
    const started = Date.now();
    const finished = new Map<string, number>();
    const reports = await Promise.all((await r.state.listSources()).map((s) => r.poller.pollSource(s.id).then((report) => (finished.set(s.url, Date.now() - started), report))));
    const byName = new Map(reports.map((p) => [p.url.split('/').pop()!, p]));

    expect(byName.get('slow.xml')).toMatchObject({ outcome: 'failed' });
    expect(byName.get('slow.xml')!.error).toMatch(/within 2500 ms/);
    expect(byName.get('huge.xml')).toMatchObject({ outcome: 'failed' });
    expect(byName.get('huge.xml')!.error).toMatch(/limit/);
    expect(byName.get('malformed.xml')).toMatchObject({ outcome: 'failed' });
    expect(byName.get('malformed.xml')!.error).toMatch(/not a readable RSS, Atom or JSON feed/);
    for (const good of ['rss.xml', 'atom.xml', 'feed.json']) {
      expect(byName.get(good), good).toMatchObject({ outcome: 'fetched', backlog: 2 });
      // Done long before the slow feed gave up.
      expect(finished.get(`${server.origin}/feeds/${good}`)!, good).toBeLessThan(1_500);
    }
    expect(finished.get(`${server.origin}/feeds/slow.xml`)!).toBeGreaterThanOrEqual(2_400);
  });

  it('marks a source failing after repeated errors, lists it with the error, and recovers when the feed does', async () => {
    const r = rig({ failingAfter: 3 });
    server.serve('/feeds/flaky.xml', server.fixture('feeds/malformed.xml'), CONTENT_TYPES.xml!);
    await r.sources.syncConfig([{ url: `${server.origin}/feeds/flaky.xml` }, { url: `${server.origin}/feeds/rss.xml` }]);
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) {
      await r.poller.pollDue();
      statuses.push((await r.sources.list())[0]!.status);
      later(r, 24 * 60);
    }
    expect(statuses).toEqual(['new', 'new', 'failing']);
    const [flaky, good] = await r.sources.list();
    expect(flaky).toMatchObject({ status: 'failing', consecutiveFailures: 3 });
    expect(flaky!.lastError).toMatch(/not a readable RSS, Atom or JSON feed/);
    expect(good).toMatchObject({ status: 'ok', consecutiveFailures: 0 });

    server.serve('/feeds/flaky.xml', server.fixture('feeds/rss.xml'), CONTENT_TYPES.xml!);
    await r.poller.pollDue();
    expect((await r.sources.list())[0]).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    expect((await r.sources.list())[0]!.lastError).toBeUndefined();
  });

  it('polls each feed on its own interval and backs off a failing one', async () => {
    const r = rig();
    server.serve('/feeds/broken.xml', server.fixture('feeds/malformed.xml'), CONTENT_TYPES.xml!);
    await r.sources.syncConfig([
      { url: `${server.origin}/feeds/rss.xml`, intervalMinutes: 5 },
      { url: `${server.origin}/feeds/atom.xml`, intervalMinutes: 60 },
      { url: `${server.origin}/feeds/broken.xml`, intervalMinutes: 5 },
    ]);
    const polled = async (): Promise<string[]> => (await r.poller.pollDue()).map((p) => p.url.split('/').pop()!);
    expect(await polled()).toEqual(['rss.xml', 'atom.xml', 'broken.xml']);
    expect(await polled()).toEqual([]);
    later(r, 5);
    // broken.xml failed once: its next try waits one interval (5 minutes), then two, then four.
    expect(await polled()).toEqual(['rss.xml', 'broken.xml']);
    later(r, 5);
    expect(await polled()).toEqual(['rss.xml']);
    later(r, 5);
    expect(await polled()).toEqual(['rss.xml', 'broken.xml']);
    later(r, 45);
    expect(await polled()).toEqual(['rss.xml', 'atom.xml', 'broken.xml']);
  });

  it('briefs an item once when two pollers on one store see it at the same moment, in one feed or in two', async () => {
    const a = rig();
    const b = rig({ state: a.state, library: a.library });
    const story = (n: number, guid: string) => rssItem({ guid, link: `https://news.test/story-${n}`, title: `Story ${n} approved`, paragraphs: storyParagraphs(`plan ${n}`, n) });
    server.serve('/feeds/one.xml', rssFeed('One', []), CONTENT_TYPES.xml!);
    server.serve('/feeds/two.xml', rssFeed('Two', []), CONTENT_TYPES.xml!);
    await a.sources.syncConfig([{ url: `${server.origin}/feeds/one.xml` }, { url: `${server.origin}/feeds/two.xml` }]);
    await a.poller.pollDue();
    // Stories 1-3 in feed one only (both pollers poll it at once); 4 and 5 in both feeds under other GUIDs.
    server.serve('/feeds/one.xml', rssFeed('One', [1, 2, 3, 4, 5].map((n) => story(n, `one-${n}`))), CONTENT_TYPES.xml!);
    server.serve('/feeds/two.xml', rssFeed('Two', [4, 5].map((n) => story(n, `two-${n}`))), CONTENT_TYPES.xml!);
    for (const r of [a, b]) later(r);
    const reports = (await Promise.all([a.poller.pollDue(), b.poller.pollDue()])).flat();
    for (const r of [a, b]) later(r);
    reports.push(...(await Promise.all([a.poller.pollDue(), b.poller.pollDue()])).flat());

    const titles = [...a.events, ...b.events].map((e) => [e.kind, e.entry.briefing.title]).sort();
    expect(titles).toEqual([1, 2, 3, 4, 5].map((n) => ['new', `Story ${n} approved`]));
    expect(await a.library.size).toBe(5);
    expect(reports.reduce((n, r) => n + r.delivered, 0)).toBe(5);
    // Feed two's copies of stories 4 and 5 are recorded as duplicates, never briefed.
    expect(await a.state.countSeen((await a.state.listSources())[1]!.id)).toEqual({ backlog: 0, delivered: 2, failed: 0 });
  });

  it('with leases: holds the feed while it polls, renews the lease while the poll runs long, and lets go after', async () => {
    const store = openStore({ path: ':memory:' });
    try {
      const leaseMs = 5 * 60_000;
      const mine = createFeedLeaseStore(store.db, { owner: 'replica-a', leaseMs });
      const other = createFeedLeaseStore(store.db, { owner: 'replica-b', leaseMs });
      // The feed's answer waits until the test lets it through: the poll runs as long as the test wants.
      let reached!: () => void;
      const fetchStarted = new Promise<void>((resolve) => (reached = resolve));
      let letThrough!: () => void;
      const gate = new Promise<void>((resolve) => (letThrough = resolve));
      const real = createTestFetcher();
      const fetcher: SafeFetcher = {
        maxBytes: real.maxBytes,
        fetch: async (url, options) => {
          reached();
          await gate;
          return real.fetch(url, options);
        },
      };
      const r = rig({ fetcher, leases: mine, leaseRenewMs: 5 });
      await r.sources.syncConfig([{ url: `${server.origin}/feeds/rss.xml` }]);
      const [source] = await r.state.listSources();
      const startedAt = r.clock.now.getTime();
      const polling = r.poller.pollSource(source!.id);
      await fetchStarted;
      expect(await mine.get(source!.id)).toEqual({ sourceId: source!.id, owner: 'replica-a', until: new Date(startedAt + leaseMs).toISOString() });
      expect(await other.acquire(source!.id, r.clock.now)).toBe(false);
      // Four minutes into the poll the lease is renewed from then (waiting for the renewal, not for a set time).
      later(r, 4);
      const renewedUntil = new Date(startedAt + 4 * 60_000 + leaseMs).toISOString();
      while ((await mine.get(source!.id))?.until !== renewedUntil) await new Promise((resolve) => setTimeout(resolve, 5));
      later(r, 3);
      // Past the first lease's end, and still this replica's.
      expect(await other.acquire(source!.id, r.clock.now)).toBe(false);
      letThrough();
      expect(await polling).toMatchObject({ outcome: 'fetched' });
      expect(await mine.get(source!.id)).toBeUndefined();
      expect(await other.acquire(source!.id, r.clock.now)).toBe(true);
      // Another replica holds it now: this one leaves the feed alone, fetching nothing.
      const before = server.hits('/feeds/rss.xml');
      expect(await r.poller.pollSource(source!.id)).toMatchObject({ outcome: 'elsewhere', items: 0 });
      expect(server.hits('/feeds/rss.xml')).toBe(before);
    } finally {
      store.close();
    }
  });
});
