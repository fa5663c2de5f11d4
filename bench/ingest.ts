import { reportToParent, runBenchChild } from './child.js';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { readPlainText } from '../src/articles/index.js';
import { createFetcherFromConfig } from '../src/ingest/create-ingestion.js';
import { createFeedPoller, type PollReport } from '../src/ingest/feed-poller.js';
import { createSourceRegistry } from '../src/ingest/feed-sources.js';
import { createMemoryIngestState } from '../src/ingest/ingest-state.js';
import { createMemoryLibrary } from '../src/library/memory-library.js';
import { ConfigSchema } from '../src/config/config.js';

/**
 * The ingestion benchmark: 100 feeds of 50 items each, served from 127.0.0.1, polled the way the
 * bot polls them (safe fetch, feedsmith, conditional GETs, dedup, briefing, snippet items' pages
 * through Readability).
 *
 *   npm run bench -- ingest [--feeds 100] [--items 50] [--concurrency 8] [--snippet-every 10]
 *
 * Four poll cycles: (1) first look, every item recorded as backlog; (2) every feed replaced by 50
 * new items, all briefed (every Nth carries only a snippet, so its page is fetched and read);
 * (3) nothing changed, answered with 304s; (4) a tenth of the items edited, each a revision.
 * The feed server runs in this process and the poller in a child, so the peak RSS is the
 * poller's own. Prints time per cycle, articles briefed per second, peak RSS and the machine.
 */

const root = fileURLToPath(new URL('..', import.meta.url));

interface Options {
  feeds: number;
  items: number;
  concurrency: number;
  snippetEvery: number;
}

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

let sentences: string[] | undefined;
function seedSentences(): string[] {
  sentences ??= readPlainText(readFileSync(join(root, 'briefings', '000_85307bba339e5121.txt'), 'utf8'))
    .blocks.filter((b) => b.kind === 'paragraph')
    .flatMap((b) => b.text.split(/(?<=[.!?]["”]?)\s+(?=[A-Z"“])/));
  return sentences;
}

/** About 300 words of news prose, different for every (feed, item, version). */
function paragraphs(seed: number, version: number): string[] {
  const random = rng(seed * 7919 + version * 104729);
  const pool = seedSentences();
  const out: string[] = [];
  let words = 0;
  while (words < 300) {
    const s = pool[Math.floor(random() * pool.length)]!.replace(/\d[\d,]*/g, (d) => String(Math.max(2, Math.round(Number(d.replace(/,/g, '')) * (0.5 + random())))));
    out.push(s);
    words += s.split(/\s+/).length;
  }
  const result: string[] = [];
  for (let i = 0; i < out.length; i += 3) result.push(out.slice(i, i + 3).join(' '));
  return result;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The feed server: `round` picks which items each feed carries (0 backlog, 1 new, 2 same, 3 edited). */
async function startServer(options: Options): Promise<{ server: Server; origin: string; setRound(n: number): void }> {
  let round = 0;
  const feedCache = new Map<string, { body: string; etag: string }>();
  let origin = '';
  const itemRound = (r: number): number => (r === 0 ? 0 : 1);
  const version = (feed: number, item: number, r: number): number => (r === 3 && item % 10 === 0 ? 2 : 1);
  const isSnippet = (item: number): boolean => options.snippetEvery > 0 && item % options.snippetEvery === options.snippetEvery - 1;
  function feedXml(feed: number, r: number): string {
    const items: string[] = [];
    for (let i = 0; i < options.items; i++) {
      const id = `f${feed}-r${itemRound(r)}-i${i}`;
      const v = version(feed, i, r);
      const link = `${origin}/page/${id}.html`;
      const title = `${v > 1 ? 'Updated: ' : ''}Story ${i} from feed ${feed} (batch ${itemRound(r)})`;
      const body = isSnippet(i) ? '' : `<content:encoded><![CDATA[${paragraphs(feed * 1000 + i + itemRound(r) * 7, v).map((p) => `<p>${escapeXml(p)}</p>`).join('')}]]></content:encoded>`;
      items.push(
        `<item><title>${escapeXml(title)}</title><link>${link}</link><guid isPermaLink="false">${id}</guid><pubDate>${new Date(Date.UTC(2025, 5, 1, 0, i)).toUTCString()}</pubDate><description>${escapeXml(`Summary of story ${i}.`)}</description>${body}</item>`,
      );
    }
    return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench feed ${feed}</title><link>${origin}/</link>${items.join('')}</channel></rss>`;
  }
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const feed = /^\/feed\/(\d+)\.xml$/.exec(url);
    if (feed) {
      const key = `${feed[1]}:${round}`;
      let cached = feedCache.get(key);
      if (!cached) {
        const body = feedXml(Number(feed[1]), round);
        cached = { body, etag: `"${feed[1]}-${round === 2 ? 1 : round}"` };
        feedCache.set(key, cached);
      }
      if (req.headers['if-none-match'] === cached.etag) {
        res.writeHead(304, { etag: cached.etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: cached.etag }).end(cached.body);
      return;
    }
    const page = /^\/page\/f(\d+)-r(\d+)-i(\d+)\.html$/.exec(url);
    if (page) {
      const [f, r, i] = [Number(page[1]), Number(page[2]), Number(page[3])];
      const text = paragraphs(f * 1000 + i + r * 7, 1);
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><html><head><title>Story ${i}</title><script>fetch('/beacon')</script></head><body><nav><a href="/">Home</a> · <a href="/world">World</a></nav><article><h1>Story ${i} from feed ${f}</h1>${text.map((p) => `<p>${escapeXml(p)}</p>`).join('')}</article><aside><ul><li>More</li></ul></aside><footer>Bench News</footer></body></html>`,
        );
      return;
    }
    const control = /^\/control\/round\/(\d)$/.exec(url);
    if (control) {
      round = Number(control[1]);
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin, setRound: (n) => (round = n) };
}

interface CycleResult {
  name: string;
  ms: number;
  fetched: number;
  notModified: number;
  failed: number;
  items: number;
  delivered: number;
  revised: number;
  backlog: number;
  unchanged: number;
}

interface ChildReport {
  cycles: CycleResult[];
  maxRssKb: number;
  library: number;
}

/** The poller side: four cycles against the server, reported on stdout. */
async function child(origin: string, options: Options): Promise<void> {
  const config = ConfigSchema.parse({ fetch: { allow: ['127.0.0.1'] } });
  const logger = pino({ level: 'warn' });
  const state = createMemoryIngestState();
  const library = createMemoryLibrary();
  let clock = new Date('2025-06-11T12:00:00Z');
  const poller = createFeedPoller({ state, library, fetcher: createFetcherFromConfig(config.fetch), logger, now: () => clock, concurrency: options.concurrency });
  const sources = createSourceRegistry({ state, poller, logger, now: () => clock });
  await sources.syncConfig(Array.from({ length: options.feeds }, (_, i) => ({ url: `${origin}/feed/${i}.xml`, intervalMinutes: 15 })));
  const cycles: CycleResult[] = [];
  const names = ['first poll (backlog)', 'new items (all briefed)', 'unchanged (304)', 'a tenth edited (revisions)'];
  for (let round = 0; round < 4; round++) {
    await fetch(`${origin}/control/round/${round}`);
    const started = performance.now();
    const reports: PollReport[] = await poller.pollDue();
    const ms = performance.now() - started;
    const sum = (f: (r: PollReport) => number): number => reports.reduce((n, r) => n + f(r), 0);
    cycles.push({
      name: names[round]!,
      ms,
      fetched: reports.filter((r) => r.outcome === 'fetched').length,
      notModified: reports.filter((r) => r.outcome === 'not-modified').length,
      failed: reports.filter((r) => r.outcome === 'failed').length,
      items: sum((r) => r.items),
      delivered: sum((r) => r.delivered),
      revised: sum((r) => r.revised),
      backlog: sum((r) => r.backlog),
      unchanged: sum((r) => r.unchanged),
    });
    clock = new Date(clock.getTime() + 60 * 60_000);
  }
  await poller.stop();
  const out: ChildReport = { cycles, maxRssKb: process.resourceUsage().maxRSS, library: (await library.size) };
  reportToParent(out);
}

async function parent(options: Options): Promise<void> {
  const { server, origin } = await startServer(options);
  try {
    const result = await runBenchChild<ChildReport>('ingest', [origin, '--feeds', String(options.feeds), '--items', String(options.items), '--concurrency', String(options.concurrency), '--snippet-every', String(options.snippetEvery)]);
    console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GB, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`feeds: ${options.feeds} × ${options.items} items from 127.0.0.1; ${options.concurrency} polled at once; every ${options.snippetEvery}th item a snippet whose page is fetched and read with Readability`);
    for (const c of result.cycles) {
      const rate = c.delivered + c.revised > 0 ? ` · ${((c.delivered + c.revised) / (c.ms / 1000)).toFixed(0)} articles briefed/s` : '';
      console.log(
        `${c.name.padEnd(28)} ${(c.ms / 1000).toFixed(2).padStart(7)} s · feeds ${c.fetched} fetched, ${c.notModified} not modified, ${c.failed} failed · items ${c.items}: ${c.delivered} new, ${c.revised} revised, ${c.backlog} backlog, ${c.unchanged} unchanged${rate}`,
      );
    }
    console.log(`library: ${result.library} briefings`);
    console.log(`peak RSS of the poller process: ${(result.maxRssKb / 1024).toFixed(1)} MB`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

export async function runIngestBench(args: string[]): Promise<void> {
  const child_ = args[0] === '--child';
  const { values } = parseArgs({
    args: child_ ? args.slice(2) : args,
    options: {
      feeds: { type: 'string', default: '100' },
      items: { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '8' },
      'snippet-every': { type: 'string', default: '10' },
    },
  });
  const options: Options = { feeds: Number(values.feeds), items: Number(values.items), concurrency: Number(values.concurrency), snippetEvery: Number(values['snippet-every']) };
  if (child_) await child(args[1]!, options);
  else await parent(options);
}
