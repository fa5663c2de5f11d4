/**
 * Three replicas as real processes (`node bin/briefbot.js start`) on one PostgreSQL database, one
 * Discord shard each, fan out one digest slot to 1,000 subscriptions (500 Discord channels, 500
 * Slack channels) whose daily slot was a minute ago, so each replica's start-up catch-up delivers
 * it. Each replica reaches the one fake Discord and the one fake Slack through base URLs of its own
 * (test/fakes/recording-proxy.ts), so the test knows who posted what. The first replica to have 40
 * posts counted is killed with SIGKILL inside its 40th post (which the fake still receives and
 * stores: the answer goes to a dead process). Once the claims it held have expired, it is started
 * again. Discord's rate limits are on, and the replicas share its global one. The verdict is the
 * platform's: every subscription has exactly its digest's messages for the slot, no more, no
 * fewer, and the store agrees (1,000 delivered, none pending or failed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { createPostgresSubscriptionStore } from '../../src/store/postgres/subscriptions.js';
import { createFakeDiscord, guildIdOnShard, type FakeDiscord } from '../fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { createRecordingProxy, type ProxiedRequest, type RecordingProxy } from '../fakes/recording-proxy.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { FIXTURES } from './helpers/platform-context.js';
import { type Finished, logLines, ROOT, start, until } from './helpers/spawn.js';

const REPLICAS = 3;
const PER_PLATFORM = 500;
const KILL_AT = 40;
/** Short, so the dead replica's deliveries are free soon; long enough to outlast any one send here. */
const CLAIM_LEASE_MS = 8_000;
const TOKEN = 'replicas-token';
const SECRET = 'replicas-signing-secret';

type Proc = ReturnType<typeof start>;

const cleanup: Array<() => Promise<unknown> | void> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** A digest message posted: a Discord channel message or a Slack chat.postMessage. */
function isPost(req: ProxiedRequest): boolean {
  return req.method === 'POST' && (/\/channels\/\d+\/messages$/.test(req.path) || req.path.endsWith('/chat.postMessage'));
}

async function stopProc(proc: Proc): Promise<Finished> {
  proc.child.kill('SIGTERM');
  const finished = await Promise.race([proc.finished, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 20_000))]);
  if (finished === 'hung') {
    proc.child.kill('SIGKILL');
    throw new Error(`briefbot did not exit within 20 s of SIGTERM:\n${proc.stderr().slice(-4000)}`);
  }
  return finished;
}

it('SIGKILL one of three replicas mid-fan-out, restart it: 1,000 subscriptions get exactly one digest each', async () => {
  const began = Date.now();
  const database = await createTestDatabase();
  cleanup.push(() => database.drop());
  const root = mkdtempSync(join(tmpdir(), 'briefbot-replicas-'));
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));

  // One Discord with two guilds of 250 channels (on shards 0 and 1 of 3), and one Slack. Discord's
  // limits are on: the replicas share one bot token, so they meet its global limit (429s, waited out).
  const discord: FakeDiscord = await createFakeDiscord({
    token: TOKEN,
    rateLimits: true,
    guilds: [0, 1].map((g) => ({ id: guildIdOnShard(g, REPLICAS, 0), channels: Array.from({ length: PER_PLATFORM / 2 }, (_, i) => ({ name: `digest-${g}-${i}` })) })),
  });
  const slack: FakeSlack = await createFakeSlack({ botToken: 'xoxb-replicas' });
  cleanup.push(() => slack.stop(), () => discord.stop());
  const discordChannels = discord.guilds.flatMap((g) => g.channels.map((c) => c.id));
  const slackChannels = Array.from({ length: PER_PLATFORM }, (_, i) => `C0REPL${String(i).padStart(4, '0')}`);

  // The subscriptions, through the subscription store, before any replica starts (it also makes the schema).
  const slotMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const slot = new Date(slotMs);
  const cron = `${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`;
  const setup = await openPostgresStore({ url: database.url });
  const subscriptions = createPostgresSubscriptionStore(setup.pool);
  const since = new Date(slotMs - 86_400_000);
  for (const [platform, channels] of [['discord', discordChannels], ['slack', slackChannels]] as const) {
    for (const channelId of channels) await subscriptions.save({ platform, channelId, schedule: `cron ${cron}`, cron, timezone: 'UTC', source: 'chat' }, since, 0);
  }
  await setup.close();
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  cleanup.push(() => db.end());

  // Each replica's own base URLs; the first to post KILL_AT times is killed inside that post.
  const procs: Array<Proc | undefined> = [];
  const posts = Array.from({ length: REPLICAS }, () => 0);
  let victim: number | undefined;
  const proxies: Array<{ discord: RecordingProxy; slack: RecordingProxy }> = [];
  for (let r = 0; r < REPLICAS; r++) {
    const onRequest = (req: ProxiedRequest) => {
      if (!isPost(req)) return;
      posts[r]! += 1;
      if (victim === undefined && posts[r] === KILL_AT) {
        victim = r;
        procs[r]!.child.kill('SIGKILL');
      }
    };
    const pair = { discord: await createRecordingProxy(discord.apiUrl, { onRequest }), slack: await createRecordingProxy(slack.apiUrl, { onRequest }) };
    proxies.push(pair);
    cleanup.push(() => pair.discord.stop(), () => pair.slack.stop());
  }

  const launch = (r: number): Proc => {
    const configDir = mkdtempSync(join(root, `config-${r}-`));
    writeFileSync(join(configDir, 'briefbot.yaml'), `digest:\n  claimLeaseMs: ${CLAIM_LEASE_MS}\n`);
    const proc = start([join(ROOT, 'bin', 'briefbot.js'), 'start'], {
      cwd: configDir,
      env: {
        BRIEFBOT_CONFIG_DIR: configDir,
        BRIEFINGS_DIR: FIXTURES,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'info',
        PORT: '0',
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: proxies[r]!.discord.url(discord.apiUrl),
        DISCORD_SHARD_IDS: String(r),
        DISCORD_SHARD_COUNT: String(REPLICAS),
        SLACK_BOT_TOKEN: 'xoxb-replicas',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: proxies[r]!.slack.url(slack.apiUrl),
      },
    });
    procs[r] = proc;
    return proc;
  };

  const first = Array.from({ length: REPLICAS }, (_, r) => launch(r));
  cleanup.push(() => void procs.forEach((p) => p?.child.kill('SIGKILL')));
  const killedAt = await until(() => victim !== undefined && Date.now(), `a replica's ${KILL_AT}th post`);
  const dead = victim!;
  const killed = await first[dead]!.finished;
  expect(killed.signal).toBe('SIGKILL');
  const owner = logLines(killed.stderr).find((l) => l.msg === 'PostgreSQL store open')?.owner as string;
  expect(owner).toMatch(/:\d+:/);

  // What the dead replica still held: at least the delivery whose post was on the wire when it died.
  const held = (await db.query<{ id: number }>("SELECT id FROM deliveries WHERE status = 'pending' AND claimed_by = $1", [owner])).rows.map((r) => r.id);
  expect(held.length).toBeGreaterThan(0);
  // The restart comes once nobody holds those any more: the claims expire, a replica that died cannot renew them.
  await until(async () => (await db.query("SELECT 1 FROM deliveries WHERE id = ANY($1) AND status = 'pending' AND claimed_by = $2 AND claimed_until > now()", [held, owner])).rowCount === 0, 'the dead replica’s claims to expire');
  const restarted = launch(dead);

  // Done when the store says so: every subscription's slot delivered.
  await until(async () => {
    const { rows } = await db.query<{ delivered: number }>("SELECT COUNT(*) FILTER (WHERE status = 'delivered') AS delivered FROM deliveries");
    return Number(rows[0]!.delivered) === PER_PLATFORM * 2;
  }, 'every digest to be delivered', 60_000);
  const doneAt = Date.now();
  const fanOutMs = doneAt - began;

  const finished = await Promise.all(procs.map((p) => stopProc(p!)));
  for (const f of finished) {
    expect(f, f.stderr.slice(-3000)).toMatchObject({ code: 0, signal: null });
    expect(logLines(f.stderr).filter((l) => (l.level as number) >= 50)).toEqual([]);
  }
  // All three were up on the one schema: the migrations ran once, whoever got there first.
  expect(finished.map((f) => logLines(f.stderr).find((l) => l.msg === 'PostgreSQL store open')?.schema)).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
  expect(logLines(restarted.stderr()).some((l) => l.msg === 'briefbot is running')).toBe(true);

  // The platform's verdict: each channel has exactly its delivery's parts, each once.
  const { rows: deliveries } = await db.query<{ platform: string; channel_id: string; status: string; slot: Date; parts: number }>(
    'SELECT s.platform, s.channel_id, d.status, d.slot, jsonb_array_length(d.parts) AS parts FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id',
  );
  expect(deliveries).toHaveLength(PER_PLATFORM * 2);
  expect(new Set(deliveries.map((d) => d.status))).toEqual(new Set(['delivered']));
  expect(new Set(deliveries.map((d) => d.slot.toISOString()))).toEqual(new Set([slot.toISOString()]));
  const counted = new Map<string, number>();
  for (const m of discord.messages) counted.set(`discord ${m.channel_id}`, (counted.get(`discord ${m.channel_id}`) ?? 0) + 1);
  for (const m of slack.messages) counted.set(`slack ${m.channel}`, (counted.get(`slack ${m.channel}`) ?? 0) + 1);
  let duplicates = 0;
  let missing = 0;
  for (const d of deliveries) {
    const n = counted.get(`${d.platform} ${d.channel_id}`) ?? 0;
    duplicates += Math.max(0, n - Number(d.parts));
    missing += Math.max(0, Number(d.parts) - n);
  }
  const expectedPosts = deliveries.reduce((n, d) => n + Number(d.parts), 0);
  // Who posted: each replica's proxies saw its own posts answered by the fakes.
  const byReplica = proxies.map((p) => [...p.discord.exchanges, ...p.slack.exchanges].filter((x) => isPost(x) && x.status !== undefined && x.status < 300).length);
  const resumed = logLines(finished[dead]!.stderr).find((l) => l.msg === 'digest catch-up done')?.resumed;
  // A post may have landed without its answer: recognised by its nonce (Discord) or in the channel's history (Slack).
  const recognised = discord.nonceHits.length + slack.requests.filter((r) => r.method === 'conversations.history').length;
  process.stderr.write(
    `replicas-crash: ${deliveries.length} subscriptions, ${expectedPosts} messages expected, ${discord.messages.length + slack.messages.length} posted; ` +
      `posts answered per replica ${JSON.stringify(byReplica)}; replica ${dead} killed at its ${KILL_AT}th post holding ${held.length} deliveries, ` +
      `its restart resumed ${String(resumed)}, ${recognised} landed posts recognised; ${discord.requests.filter((r) => r.status === 429).length} Discord 429s; ` +
      `duplicates ${duplicates}, missing ${missing}; ` +
      `all delivered ${(fanOutMs / 1000).toFixed(1)} s after the test began, ${((doneAt - killedAt) / 1000).toFixed(1)} s after the kill\n`,
  );
  expect({ duplicates, missing }).toEqual({ duplicates: 0, missing: 0 });
  expect(discord.messages.length + slack.messages.length).toBe(expectedPosts);
  expect(byReplica[dead]).toBeGreaterThanOrEqual(KILL_AT - 1);
}, 120_000);
