import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands, runTextCommand, type CommandServices } from '../../src/commands/index.js';
import { createFeedPoller, type FeedPoller } from '../../src/ingest/feed-poller.js';
import { createSourceRegistry } from '../../src/ingest/feed-sources.js';
import { createMemoryIngestState } from '../../src/ingest/ingest-state.js';
import { canonicalUrl } from '../../src/ingest/item-identity.js';
import { createLinkBriefer, LINK_SOURCE_ID } from '../../src/ingest/link-briefer.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import { renderText } from '../../src/render/text.js';
import { runBriefbot } from '../helpers/run-cli.js';
import { createTestFetcher, fakeResolver } from '../net/local-server.js';
import { CONTENT_TYPES, silentLogger, startFeedServer, type FeedServer } from './feed-server.js';

let server: FeedServer;
let poller: FeedPoller;

function services(): CommandServices {
  const library = createMemoryLibrary();
  const state = createMemoryIngestState();
  const fetcher = createTestFetcher({ resolve: fakeResolver({ 'intranet.test': ['10.0.0.1'], 'metadata.test': ['169.254.169.254'] }) });
  poller = createFeedPoller({ state, library, fetcher, logger: silentLogger() });
  return {
    library,
    logger: silentLogger(),
    now: () => new Date('2025-06-11T12:00:00Z'),
    sources: createSourceRegistry({ state, poller, logger: silentLogger() }),
    links: createLinkBriefer({ fetcher, library, state, logger: silentLogger() }),
  };
}

const manager = { platform: 'console' as const, user: { id: 'u1', name: 'Ada', canManageChannel: true }, channel: { id: 'c1' } };
const member = { platform: 'console' as const, user: { id: 'u2', name: 'Bob', canManageChannel: false }, channel: { id: 'c1' } };

beforeEach(async () => {
  server = await startFeedServer();
  server.serve('/feeds/rss.xml', server.fixture('feeds/rss.xml'), CONTENT_TYPES.xml!);
  server.serve('/feeds/malformed.xml', server.fixture('feeds/malformed.xml'), CONTENT_TYPES.xml!);
});
afterEach(async () => {
  await poller?.stop();
  await server.close();
});

describe('/brief url: (command layer, e2e against 127.0.0.1)', () => {
  it('fetches the page, finds the article and briefs it, with buttons that work afterwards', async () => {
    const s = services();
    const { reply } = await runTextCommand(commands, `/brief url:${server.origin}/pages/library-reopens.html full`, manager, s);
    expect(reply.error).toBeFalsy();
    const card = reply.cards[0]!;
    expect(card.title).toBe('Library reopens after two-year renovation');
    expect(card.description).toMatch(/library/i);
    expect(renderText(reply)).toMatch(/This building belongs to everyone again/);
    expect(await s.library.size).toBe(1);
    const again = await runTextCommand(commands, `/brief ${server.origin}/pages/library-reopens.html`, manager, s);
    expect(again.reply.cards[0]!.title).toBe(card.title);
    expect(again.reply.buttons.map((b) => b.id)).toContain(`brief:figures:${(await s.library.latest())!.briefing.id}`);
    expect(await s.library.size).toBe(1);
  });

  it('briefs an edited page as a revision: the card says what changed and when', async () => {
    const s = services();
    const page = server.fixture('pages/tram-depot.html');
    server.serve('/pages/depot.html', page, CONTENT_TYPES.html!);
    const first = await runTextCommand(commands, `/brief url:${server.origin}/pages/depot.html`, manager, s);
    expect(first.reply.cards[0]!.sections.some((section) => section.heading?.startsWith('Updated'))).toBe(false);
    const edited = page
      .replace('<h1>Tram depot to be rebuilt</h1>', '<h1>Tram depot rebuild delayed</h1>')
      .replace('<title>Tram depot to be rebuilt — Metro Transit Notes</title>', '<title>Tram depot rebuild delayed</title>')
      .replace('by 2027 at a cost of $65 million', 'by 2029 at a cost of $80 million');
    server.serve('/pages/depot.html', edited, CONTENT_TYPES.html!);
    const second = await runTextCommand(commands, `/brief url:${server.origin}/pages/depot.html`, manager, s);
    const card = second.reply.cards[0]!;
    expect(card.title).toBe('Tram depot rebuild delayed');
    const updated = card.sections[0]!;
    expect(updated.heading).toMatch(/^Updated \d{4}-\d\d-\d\d \d\d:\d\d UTC \(revision 2\)$/);
    expect(updated.items!.join('\n')).toMatch(/Headline: “Tram depot to be rebuilt” → “Tram depot rebuild delayed”/);
    expect(updated.items!.join('\n')).toMatch(/\$80 million/);
    expect(await s.library.size).toBe(1);
  });

  it('refuses a link into a private network or a metadata endpoint, saying why', async () => {
    const s = services();
    for (const [url, why] of [
      ['http://intranet.test/wiki', /^Will not fetch from intranet\.test: it resolves to 10\.0\.0\.1, a private address/],
      ['http://metadata.test/latest/meta-data/', /cloud metadata endpoint/],
      ['http://[::ffff:10.1.2.3]/', /private address/],
    ] as const) {
      const { reply } = await runTextCommand(commands, `/brief url:${url}`, manager, s);
      expect(reply.error, url).toBe(true);
      expect(reply.text, url).toMatch(why);
    }
    expect(await s.library.size).toBe(0);
  });

  it('says so when the link is not a page or has no article', async () => {
    const s = services();
    const notHtml = await runTextCommand(commands, `/brief url:${server.origin}/feeds/rss.xml`, manager, s);
    expect(notHtml.reply.text).toMatch(/sent application\/rss\+xml, not text\/html/);
    server.serve('/pages/empty.html', '<html><body><nav>Home</nav></body></html>', CONTENT_TYPES.html!);
    const empty = await runTextCommand(commands, `/brief url:${server.origin}/pages/empty.html`, manager, s);
    expect(empty.reply.text).toMatch(/no article/i);
  });

  it('keeps /brief without a url as it was', async () => {
    const s = services();
    const { reply } = await runTextCommand(commands, '/brief', manager, s);
    expect(reply.text).toMatch(/No articles are loaded yet/);
  });

  it('refuses, saying why, a link another replica is briefing right now, and briefs it once that claim is let go of', async () => {
    const library = createMemoryLibrary();
    const state = createMemoryIngestState();
    const links = createLinkBriefer({ fetcher: createTestFetcher(), library, state, logger: silentLogger() });
    const url = `${server.origin}/pages/library-reopens.html`;
    const other = await state.claimSeen({ sourceId: LINK_SOURCE_ID, key: `url:${canonicalUrl(url)}` }, { now: new Date() });
    expect(other).toBeDefined();
    await expect(links.brief(url)).rejects.toThrow(/is being briefed right now; ask again in a moment/);
    expect(await library.size).toBe(0);
    await state.releaseSeen(other!.claim);
    expect((await links.brief(url)).status).toBe('added');
    expect((await links.brief(url)).status).toBe('unchanged');
    expect(await library.size).toBe(1);
  });
});

describe('/sources (command layer, e2e against 127.0.0.1)', () => {
  it('lets a manager add a feed (its items recorded as backlog), lists it, and removes it', async () => {
    const s = services();
    const added = await runTextCommand(commands, `/sources add ${server.origin}/feeds/rss.xml`, manager, s);
    expect(added.reply.error).toBeFalsy();
    expect(added.reply.text).toMatch(/Now following Harbour Gazette: new items are briefed every 15 minutes\. Its 2 existing items were recorded as backlog, not posted\./);
    expect(await s.library.size).toBe(0);
    const listed = await runTextCommand(commands, '/sources list', member, s);
    expect(listed.reply.text).toBe('1 feed');
    expect(renderText(listed.reply)).toMatch(/1\. Harbour Gazette — http:\/\/127\.0\.0\.1:\d+\/feeds\/rss\.xml · ok · every 15 min · last read \d{4}-\d\d-\d\d \d\d:\d\d UTC · 0 briefed, 2 backlog/);
    const again = await runTextCommand(commands, `/sources add ${server.origin}/feeds/rss.xml`, manager, s);
    expect(again.reply.text).toMatch(/Already following/);
    const removed = await runTextCommand(commands, '/sources remove 1', manager, s);
    expect(removed.reply.text).toMatch(/Stopped following Harbour Gazette/);
    expect((await runTextCommand(commands, '/sources list', member, s)).reply.text).toMatch(/No feeds yet/);
  });

  it('refuses adding and removing to people who cannot manage the channel', async () => {
    const s = services();
    for (const line of [`/sources add ${server.origin}/feeds/rss.xml`, '/sources remove 1']) {
      const { reply, outcome } = await runTextCommand(commands, line, member, s);
      expect(outcome).toBe('not-allowed');
      expect(reply.text).toMatch(/Only people who can manage this channel/);
    }
    expect(await s.sources!.list()).toEqual([]);
  });

  it('refuses a feed that is not one, or points into a private network, and keeps nothing', async () => {
    const s = services();
    const broken = await runTextCommand(commands, `/sources add ${server.origin}/feeds/malformed.xml`, manager, s);
    expect(broken.reply.text).toMatch(/Could not add .*malformed\.xml: not a readable RSS, Atom or JSON feed/);
    const internal = await runTextCommand(commands, '/sources add http://intranet.test/feed.xml', manager, s);
    expect(internal.reply.text).toMatch(/private address/);
    const notUrl = await runTextCommand(commands, '/sources add feeds.example.com/rss', manager, s);
    expect(notUrl.reply.text).toMatch(/is not a link/);
    expect(await s.sources!.list()).toEqual([]);
  });

  it('shows a source that keeps failing in the list, with its error', async () => {
    const s = services();
    await runTextCommand(commands, `/sources add ${server.origin}/feeds/rss.xml`, manager, s);
    server.serve('/feeds/rss.xml', '<rss><channel><item>', CONTENT_TYPES.xml!);
    const id = (await s.sources!.list())[0]!.id;
    for (let i = 0; i < 3; i++) await poller.pollSource(id);
    const listed = await runTextCommand(commands, '/sources list', member, s);
    expect(listed.reply.text).toBe('1 feed, 1 failing');
    expect(renderText(listed.reply)).toMatch(/FAILING \(3 errors in a row: not a readable RSS, Atom or JSON feed/);
  });
});

describe('briefbot brief <url> (the command line, against 127.0.0.1)', () => {
  let configDir: string;
  let cliServer: FeedServer;
  beforeAll(async () => {
    cliServer = await startFeedServer();
    configDir = mkdtempSync(join(tmpdir(), 'briefbot-config-'));
  });
  afterAll(async () => {
    await cliServer.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('fetches and briefs a page when the config allows the address', async () => {
    writeFileSync(join(configDir, 'fetch.yaml'), 'fetch:\n  allow: ["127.0.0.1"]\n  timeoutMs: 5000\n');
    const run = await runBriefbot(['brief', `${cliServer.origin}/pages/library-reopens.html`, '--json'], { env: { BRIEFBOT_CONFIG_DIR: configDir } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const briefing = JSON.parse(run.stdout) as { title: string; byline: { author?: string; outlet?: string } };
    expect(briefing.title).toBe('Library reopens after two-year renovation');
    expect(briefing.byline).toMatchObject({ author: 'Nadia Flores', outlet: 'Teaser Times' });
    const ua = cliServer.requests.find((r) => r.path === '/pages/library-reopens.html')!.headers['user-agent'];
    expect(ua).toMatch(/^briefbot\/\d+\.\d+\.\d+/);
  });

  it('refuses loopback by default, with one line saying why, and never connects', async () => {
    const emptyConfig = mkdtempSync(join(tmpdir(), 'briefbot-config-'));
    const before = cliServer.requests.length;
    const run = await runBriefbot(['brief', `${cliServer.origin}/pages/library-reopens.html`], { env: { BRIEFBOT_CONFIG_DIR: emptyConfig } });
    rmSync(emptyConfig, { recursive: true, force: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('briefbot: will not fetch from 127.0.0.1: it is a loopback address, and briefbot does not fetch from private or internal networks\n');
    expect(cliServer.requests.length).toBe(before);
  });
});
