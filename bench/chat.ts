import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readArticleText } from '../src/articles/index.js';
import { ingestArticle } from '../src/ingest/briefings-folder.js';
import { createMemoryLibrary } from '../src/library/memory-library.js';
import { createFakeDiscord, type FakeDiscord, type FakeInteraction } from '../test/fakes/fake-discord.js';
import { createFakeSlack, DEFAULT_SLASH_FIELDS, type FakeSlack } from '../test/fakes/fake-slack.js';
import { makeArticleText } from './engine.js';
import { npmStartFlags } from './startup.js';

/**
 * `npm run bench -- chat [--rate 1000] [--seconds 5] [--discord-rate 200] [--briefings 1000]`
 *
 * In one run, against the local fakes (no network):
 * 1. Slack: signed /brief slash commands at a fixed rate through a bare Bolt app that only acks,
 *    then through briefbot's Bolt HTTP receiver (which also briefs and posts every reply to its
 *    response_url); then both saturated by 50 concurrent senders. p50/p99 of the HTTP answer
 *    (the ack) and commands/s; and, for briefbot at the fixed rate, what a Slack user waits for:
 *    from sending the signed request to the reply arriving in full at that command's own
 *    response_url (p50/p99), beside the bare app's ack. Targets: briefbot's ack p99 within 1.5x
 *    of the bare app's, and at least 1,000 commands/s.
 * 2. Discord: /brief interactions pushed through the fake gateway at a fixed rate; p50/p99 from
 *    dispatch to the interaction callback. Target: p99 <= 25 ms.
 * 3. RSS of the briefbot process with both adapters up and the briefings loaded (briefed here
 *    beforehand and handed over as library entries, as a restart loads them from the store),
 *    before and after the load. Target: <= 200 MB.
 *
 * Each server gets two seconds of warm-up traffic at half the rate (not counted) before it is measured.
 *
 * Each server runs in its own process; the load generator and the fakes share this one. The
 * numbers are printed, never asserted.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'bench-secret';

interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function summarise(latencies: number[], sent: number, failed: number, seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { sent, ok: latencies.length, failed, seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

async function startServer(mode: 'bare' | 'briefbot', env: Record<string, string>): Promise<{ child: ChildProcess; info: Record<string, unknown>; stop: () => Promise<string> }> {
  // The briefbot server runs with the Node flags npm start uses, so the latency is the shipped bot's.
  const flags = mode === 'briefbot' ? npmStartFlags() : [];
  const child = spawn(process.execPath, [...flags, '--import', `${root}bench/report-max-rss.js`, `${root}bin/run-ts.js`, `${root}bench/chat-server.ts`, mode], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', BENCH_SIGNING_SECRET: SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) resolve(JSON.parse(line) as Record<string, unknown>);
    });
    child.on('close', (code) => reject(new Error(`chat-server ${mode} exited with ${code}:\n${stderr}`)));
  });
  return {
    child,
    info,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      return stderr;
    },
  };
}

/**
 * Where the replies go. Slack's own work on a reply is not briefbot's, so a bare sink that
 * counts them stands in for the fake's response URLs (which check every block): the bench
 * shares two cores with it.
 */
async function startReplySink(): Promise<{ url: string; received: () => number; arrivals: Map<string, number>; stop: () => Promise<void> }> {
  let received = 0;
  // When each response_url's first reply had arrived in full (performance.now(), this process's clock, as the senders').
  const arrivals = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      if (req.url && !arrivals.has(req.url)) arrivals.set(req.url, performance.now());
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/response/bench`,
    received: () => received,
    arrivals,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function slashBody(slack: FakeSlack, responseUrl: string, text: string): string {
  const fields = { ...DEFAULT_SLASH_FIELDS, team_id: slack.teamId, api_app_id: slack.appId, command: '/brief', text, trigger_id: `${Date.now()}.1`, response_url: responseUrl };
  return new URLSearchParams(fields).toString();
}

function post(agent: Agent, port: number, body: string): Promise<number> {
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path: '/slack/events',
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Open loop: requests leave on schedule whether or not earlier ones have been answered. */
async function fixedRate(port: number, bodies: string[], rate: number, sentAt?: number[]): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let failed = 0;
  const inflight: Array<Promise<void>> = [];
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(bodies.length, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      while (sent < due) {
        const at = performance.now();
        if (sentAt) sentAt[sent] = at;
        inflight.push(
          post(agent, port, bodies[sent++]!).then((status) => {
            if (status === 200) latencies.push(performance.now() - at);
            else failed++;
          }),
        );
      }
      if (sent < bodies.length) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(inflight);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return summarise(latencies, sent, failed, seconds);
}

/** Closed loop: `concurrency` senders, each sending again as soon as it is answered. */
async function saturate(port: number, makeBody: () => string, concurrency: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let failed = 0;
  let sent = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const at = performance.now();
        sent++;
        const status = await post(agent, port, makeBody());
        if (status === 200) latencies.push(performance.now() - at);
        else failed++;
      }
    }),
  );
  agent.destroy();
  return summarise(latencies, sent, failed, (performance.now() - started) / 1000);
}

async function discordLoad(discord: FakeDiscord, ids: string[], rate: number, seconds: number): Promise<LoadResult> {
  const total = rate * seconds;
  const interactions: FakeInteraction[] = [];
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      while (interactions.length < due) interactions.push(discord.sendCommand('brief', { article: ids[interactions.length % ids.length]! }));
      if (interactions.length < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await discord.waitFor(() => interactions.every((ix) => ix.callbacks.length > 0), { timeoutMs: 10_000, what: 'every interaction answered' }).catch(() => undefined);
  const answered = interactions.filter((ix) => ix.acknowledged && !ix.acknowledged.late);
  return summarise(
    answered.map((ix) => ix.acknowledged!.elapsedMs),
    total,
    total - answered.length,
    (performance.now() - started) / 1000,
  );
}

/** Two seconds at half the rate, not counted: until the JIT has compiled the hot paths, p99 measures the compiler. */
async function warmUp(port: number, makeBody: () => string, rate: number): Promise<void> {
  await fixedRate(port, Array.from({ length: rate }, makeBody), rate / 2);
}

async function memoryOf(port: number): Promise<{ rss: number; heap: number }> {
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN) / 1024 / 1024;
  return { rss: value('briefbot_process_resident_memory_bytes'), heap: value('briefbot_nodejs_heap_size_used_bytes') };
}

async function writeLibrary(count: number): Promise<{ path: string; remove: () => void }> {
  const library = createMemoryLibrary();
  for (let i = 0; i < count; i++) await ingestArticle(library, readArticleText(makeArticleText(i), `bench-${i}.txt`), `bench:${i}`);
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-bench-'));
  const path = join(dir, 'library.json');
  writeFileSync(path, JSON.stringify((await library.list({ limit: count })).items));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');

function row(label: string, r: LoadResult): string {
  return `  ${label.padEnd(30)} ${String(r.ok).padStart(6)}/${String(r.sent).padEnd(6)} p50 ${fmt(r.p50).padStart(6)} ms   p99 ${fmt(r.p99).padStart(6)} ms   ${fmt(r.ok / r.seconds, 0).padStart(6)} commands/s${r.failed ? `   ${r.failed} failed` : ''}`;
}

export async function runChatBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { rate: { type: 'string' }, seconds: { type: 'string' }, 'discord-rate': { type: 'string' }, briefings: { type: 'string' }, concurrency: { type: 'string' } },
  });
  const rate = Number(values.rate ?? 1000);
  const seconds = Number(values.seconds ?? 5);
  const discordRate = Number(values['discord-rate'] ?? 200);
  const briefings = Number(values.briefings ?? 1000);
  const concurrency = Number(values.concurrency ?? 50);

  const started = performance.now();
  const stored = await writeLibrary(briefings);
  console.log(`\n(${briefings} briefings made in ${fmt((performance.now() - started) / 1000)} s for the library)`);
  const slack = await createFakeSlack();
  const discord = await createFakeDiscord();
  const sink = await startReplySink();
  const env = { SLACK_API_URL: slack.apiUrl, DISCORD_API_URL: discord.apiUrl, DISCORD_APPLICATION_ID: discord.applicationId, BENCH_LIBRARY: stored.path };
  try {
    console.log(`\nSlack: signed /brief at ${rate}/s for ${seconds} s (open loop), then ${concurrency} concurrent senders for ${seconds} s`);
    const bare = await startServer('bare', env);
    await warmUp(bare.info.port as number, () => slashBody(slack, sink.url, ''), rate);
    const bareFixed = await fixedRate(bare.info.port as number, Array.from({ length: rate * seconds }, () => slashBody(slack, sink.url, '')), rate);
    const bareMax = await saturate(bare.info.port as number, () => slashBody(slack, sink.url, ''), concurrency, seconds);
    await bare.stop();
    console.log(row('bare Bolt, ack only', bareFixed));
    console.log(row(`bare Bolt, ${concurrency} concurrent`, bareMax));

    const bot = await startServer('briefbot', env);
    const ids = bot.info.ids as string[];
    const idle = await memoryOf(bot.info.port as number);
    let w = 0;
    await warmUp(bot.info.port as number, () => slashBody(slack, sink.url, ids[w++ % ids.length]!), rate);
    const before = sink.received();
    const texts = (n: number) => Array.from({ length: n }, (_, i) => ids[i % ids.length]!);
    // Each command of the measured run gets its own response_url, so its reply's arrival can be matched to its send.
    const sentAt: number[] = [];
    const replyPath = (n: number): string => `${new URL(sink.url).pathname}/${n}`;
    const botFixed = await fixedRate(bot.info.port as number, texts(rate * seconds).map((t, n) => slashBody(slack, `${sink.url}/${n}`, t)), rate, sentAt);
    await slack.waitFor(() => sentAt.filter((_, n) => sink.arrivals.has(replyPath(n))).length >= botFixed.ok, { timeoutMs: 15_000 }).catch(() => undefined);
    const waits = sentAt.flatMap((at, n) => {
      const arrived = sink.arrivals.get(replyPath(n));
      return arrived === undefined ? [] : [arrived - at];
    });
    const replyResult = summarise(waits, botFixed.sent, botFixed.sent - waits.length, botFixed.seconds);
    let i = 0;
    const botMax = await saturate(bot.info.port as number, () => slashBody(slack, sink.url, ids[i++ % ids.length]!), concurrency, seconds);
    const expected = botFixed.ok + botMax.ok;
    await slack.waitFor(() => sink.received() - before >= expected, { timeoutMs: 15_000 }).catch(() => undefined);
    const delivered = sink.received() - before;
    console.log(row('briefbot ack (brief, reply)', botFixed));
    console.log(row('briefbot request → reply', replyResult));
    console.log(row(`briefbot, ${concurrency} concurrent`, botMax));
    console.log(`  replies delivered to response_url: ${delivered} of ${expected}`);
    const ratio = botFixed.p99 / bareFixed.p99;
    console.log(`  what a Slack user waits for at ${rate}/s, from the signed request to the reply at response_url: p50 ${fmt(replyResult.p50)} ms, p99 ${fmt(replyResult.p99)} ms (bare Bolt's ack: p50 ${fmt(bareFixed.p50)} ms, p99 ${fmt(bareFixed.p99)} ms)`);
    console.log(`  p99 at ${rate}/s: ${fmt(ratio, 2)}x the bare app's (target <= 1.5x) · briefbot saturated: ${fmt(botMax.ok / botMax.seconds, 0)} commands/s (target >= 1,000)`);

    console.log(`\nDiscord: /brief interactions through the fake gateway at ${discordRate}/s for ${seconds} s`);
    const discordResult = await discordLoad(discord, ids, discordRate, seconds);
    console.log(row('dispatch → callback', discordResult));
    console.log(`  p99 ${fmt(discordResult.p99)} ms (target <= 25 ms); late answers: ${discord.callbacks.filter((c) => c.late).length}`);

    const loaded = await memoryOf(bot.info.port as number);
    const stderr = await bot.stop();
    const peak = Number(/bench-max-rss-kb (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024;
    console.log(`\nRSS with Discord and Slack up and ${String(bot.info.briefings)} briefings (target <= 200 MB):`);
    console.log(`  ready, before any command: ${fmt(idle.rss, 0)} MB (heap in use ${fmt(idle.heap, 0)} MB)`);
    console.log(`  after the load above:      ${fmt(loaded.rss, 0)} MB (heap in use ${fmt(loaded.heap, 0)} MB), peak ${fmt(peak, 0)} MB`);
  } finally {
    await discord.stop();
    await slack.stop();
    await sink.stop();
    stored.remove();
  }
}
