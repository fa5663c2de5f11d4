/**
 * Three replicas as real processes (`node bin/briefbot.js start`) on one PostgreSQL database follow
 * one configured feed, served from 127.0.0.1 by the test. The verdict is the store's and the feed
 * server's: every new item is briefed once (one `briefings` row each, `seen_items` delivered once),
 * and each poll of the feed is one replica's although all three found it due.
 *
 * Rounds are driven by restarts, not by waiting: a feed's interval is at least a minute and the
 * poller looks for due feeds every 15 s, but it also looks once as it starts. Between rounds all
 * replicas are stopped, new items are put in the feed, and the feed's `next_poll_at` is moved into
 * the past (what its interval passing would do). Then one replica, the round's leader, is started;
 * its fetch is held open by the feed server while the other two start and find the feed due as
 * well, so they meet its lease (without leases they would fetch it too, and without item claims
 * the items could be briefed twice). The leader changes each round: every replica polls new items.
 * Replicas are told apart by their User-Agent (each has its own `fetch.contactUrl`).
 *
 * A `briefings` row count alone cannot show an item briefed twice: the library keys a briefing by
 * its article id, so a second briefing of the same item updates the row. Each replica's
 * `new article` log lines (one per item it briefed and would announce) show it: with the leases
 * and item claims taken out of dist/, a round logged 4 new articles for its 2 items while
 * `briefings` still held one row each; with the leases taken out, every round's feed was fetched
 * by all three replicas.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { createFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { rssFeed, rssItem, storyParagraphs } from '../ingest/feed-server.js';
import { type Finished, logLines, ROOT, start, until } from './helpers/spawn.js';

const REPLICAS = 3;
const FEED_PATH = '/feeds/town.xml';
const SECRET = 'replicas-feed-signing-secret';
/**
 * How long the leader's fetch stays open after the other two are running, for their start-up look
 * at the due feeds to reach its lease. Only whether a missing lease would be caught depends on
 * this; the test passes or fails on counts, never on time.
 */
const CONTENDERS_GRACE_MS = 1_000;

type Proc = ReturnType<typeof start>;

const cleanup: Array<() => Promise<unknown> | void> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function stopProc(proc: Proc): Promise<Finished> {
  proc.child.kill('SIGTERM');
  const finished = await Promise.race([proc.finished, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
  if (finished === 'hung') {
    proc.child.kill('SIGKILL');
    throw new Error(`briefbot did not exit within 15 s of SIGTERM:\n${proc.stderr().slice(-4000)}`);
  }
  return finished;
}

/** A feed request as the server saw it: which replica (by User-Agent), when it came, when it was answered. */
interface FeedFetch {
  replica: number | undefined;
  userAgent: string;
  at: number;
  answeredAt?: number;
}

/** The feed at FEED_PATH, whose answers wait while the gate is shut. */
async function startGatedFeed(): Promise<{ origin: string; fetches: FeedFetch[]; setItems(items: string[]): void; shut(): void; open(): void; close(): Promise<void> }> {
  let body = rssFeed('Town', []);
  let gate: Promise<void> = Promise.resolve();
  let openGate: () => void = () => undefined;
  const fetches: FeedFetch[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== FEED_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const userAgent = req.headers['user-agent'] ?? '';
    const match = /\(\+https:\/\/replica-(\d)\.test\/\)/.exec(userAgent);
    const fetch: FeedFetch = { replica: match ? Number(match[1]) : undefined, userAgent, at: Date.now() };
    fetches.push(fetch);
    const answer = body;
    void gate.then(() => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(answer);
      fetch.answeredAt = Date.now();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    fetches,
    setItems: (items) => void (body = rssFeed('Town', items)),
    shut() {
      gate = new Promise((resolve) => (openGate = resolve));
    },
    open: () => openGate(),
    close: () =>
      new Promise((resolve) => {
        openGate();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const story = (n: number): string => rssItem({ guid: `town-${n}`, link: `https://news.test/story-${n}`, title: `Story ${n} goes ahead`, paragraphs: storyParagraphs(`project ${n}`, n) });
const title = (n: number): string => `Story ${n} goes ahead`;

it('a feed with new items polled by all three replicas yields each item once', async () => {
  const began = Date.now();
  const database = await createTestDatabase();
  cleanup.push(() => database.drop());
  const root = mkdtempSync(join(tmpdir(), 'briefbot-replicas-feed-'));
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));
  const slack: FakeSlack = await createFakeSlack({ botToken: 'xoxb-replicas-feed' });
  cleanup.push(() => slack.stop());
  const feed = await startGatedFeed();
  cleanup.push(() => feed.close());
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  cleanup.push(() => db.end());
  // No briefings folder content: every row in `briefings` comes from the feed.
  const briefingsDir = mkdtempSync(join(root, 'briefings-'));

  const running = new Set<Proc>();
  cleanup.push(() => void [...running].forEach((p) => p.child.kill('SIGKILL')));
  const launch = (r: number): Proc => {
    const configDir = mkdtempSync(join(root, `config-${r}-`));
    writeFileSync(
      join(configDir, 'briefbot.yaml'),
      [
        'feeds:',
        `  - url: ${feed.origin}${FEED_PATH}`,
        'fetch:',
        '  allow: ["127.0.0.1"]',
        `  contactUrl: https://replica-${r}.test/`,
        'ingest:',
        '  watch: false',
        '',
      ].join('\n'),
    );
    const proc = start([join(ROOT, 'bin', 'briefbot.js'), 'start'], {
      cwd: configDir,
      env: {
        BRIEFBOT_CONFIG_DIR: configDir,
        BRIEFINGS_DIR: briefingsDir,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'info',
        PORT: '0',
        SLACK_BOT_TOKEN: 'xoxb-replicas-feed',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
      },
    });
    running.add(proc);
    return proc;
  };
  const isRunning = (proc: Proc): boolean => logLines(proc.stderr()).some((l) => l.msg === 'briefbot is running');

  /** One round: the leader starts and fetches, the others start while its fetch is open; all stop once its poll is done. */
  const round = async (leader: number, items: number[], first: boolean): Promise<{ fetches: FeedFetch[]; newArticles: number[] }> => {
    feed.setItems(items.map(story));
    // What the feed's interval passing would do (the poller's own tick is 15 s, its intervals minutes).
    // Before the first round there is no schema yet: the first replica makes it, and a feed never polled is due.
    if (!first) await db.query('UPDATE feed_sources SET next_poll_at = $1', [new Date(Date.now() - 1_000).toISOString()]);
    const from = feed.fetches.length;
    feed.shut();
    const procs: Proc[] = [];
    procs[leader] = launch(leader);
    await until(() => feed.fetches.length > from, `replica ${leader} to fetch the feed`);
    const others = Array.from({ length: REPLICAS }, (_, r) => r).filter((r) => r !== leader);
    for (const r of others) procs[r] = launch(r);
    await until(() => others.every((r) => isRunning(procs[r]!)), 'the other replicas to start');
    await new Promise((resolve) => setTimeout(resolve, CONTENDERS_GRACE_MS));
    feed.open();
    // The poll is done when its lease is let go of and the feed's next poll is in the future.
    await until(async () => {
      const { rows } = await db.query<{ next_poll_at: string | null; leased: number }>('SELECT next_poll_at, (SELECT COUNT(*)::int FROM feed_leases) AS leased FROM feed_sources');
      return rows.length === 1 && rows[0]!.leased === 0 && rows[0]!.next_poll_at !== null && Date.parse(rows[0]!.next_poll_at) > Date.now();
    }, `replica ${leader}'s poll to finish`);
    const finished = await Promise.all(procs.map(async (p) => {
      const f = await stopProc(p);
      running.delete(p);
      return f;
    }));
    for (const f of finished) {
      expect(f, f.stderr.slice(-3000)).toMatchObject({ code: 0, signal: null });
      expect(logLines(f.stderr).filter((l) => (l.level as number) >= 40)).toEqual([]);
    }
    return { fetches: feed.fetches.slice(from), newArticles: finished.map((f) => logLines(f.stderr).filter((l) => l.msg === 'new article').length) };
  };

  // Round 0: replica 0 primes the feed: what it holds already is backlog.
  const rounds = [{ leader: 0, items: [2, 1] }, { leader: 1, items: [4, 3, 2, 1] }, { leader: 2, items: [6, 5, 4, 3, 2, 1] }, { leader: 0, items: [8, 7, 6, 5, 4, 3] }];
  const results = [];
  for (const [i, { leader, items }] of rounds.entries()) results.push(await round(leader, items, i === 0));
  const elapsedMs = Date.now() - began;

  // The store's verdict: each new item once in the library, the primed ones as backlog only.
  const { rows: briefings } = await db.query<{ title: string; n: number }>("SELECT entry->'briefing'->>'title' AS title, COUNT(*)::int AS n FROM briefings GROUP BY 1 ORDER BY 1");
  const { rows: seen } = await db.query<{ status: string; n: number }>('SELECT status, COUNT(*)::int AS n FROM seen_items GROUP BY status ORDER BY status');
  process.stderr.write(
    `replicas-feed: ${rounds.length} rounds, feed fetched by replicas ${JSON.stringify(results.map((r) => r.fetches.map((f) => f.replica)))}, ` +
      `new articles logged per replica ${JSON.stringify(results.map((r) => r.newArticles))}, ` +
      `briefings ${briefings.reduce((n, b) => n + b.n, 0)} (${briefings.length} titles), seen ${JSON.stringify(seen)}, ${(elapsedMs / 1000).toFixed(1)} s\n`,
  );

  // Each round the feed was fetched once, by its leader, although all three replicas found it due.
  expect(results.map((r) => r.fetches.map((f) => f.replica))).toEqual(rounds.map((r) => [r.leader]));
  expect(results.every((r) => r.fetches.every((f) => f.answeredAt !== undefined))).toBe(true);
  // The leader briefed the round's new items; the others none.
  expect(results.map((r) => r.newArticles)).toEqual([[0, 0, 0], [0, 2, 0], [0, 0, 2], [2, 0, 0]]);
  expect(briefings).toEqual([3, 4, 5, 6, 7, 8].map((n) => ({ title: title(n), n: 1 })));
  expect(seen).toEqual([
    { status: 'backlog', n: 2 },
    { status: 'delivered', n: 6 },
  ]);
}, 60_000);
