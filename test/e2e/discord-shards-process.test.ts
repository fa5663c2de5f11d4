/**
 * Discord shards through whole processes: `node bin/briefbot.js start` twice against one fake
 * Discord, with DISCORD_SHARD_COUNT=2 and DISCORD_SHARD_IDS=0 and =1. Each process is sent only the
 * commands of the guilds on its shard (the fake routes by `(guild_id >> 22) % 2`) and answers each
 * exactly once; its /metrics count says which process answered. One process with
 * DISCORD_SHARD_COUNT=auto runs both shards and answers every guild. A second process on a shard
 * already taken is refused and says why, and a digest for a guild on a shard this process does not
 * run is still posted, since digests go over REST.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSubscriptionStore } from '../../src/store/subscriptions.js';
import { openStore } from '../../src/store/store.js';
import { createFakeDiscord, guildIdOnShard, shardOfGuild, type FakeDiscord, type FakeInteraction } from '../fakes/fake-discord.js';
import { FIXTURES, IDS } from './helpers/platform-context.js';
import { ROOT, start, type Finished } from './helpers/spawn.js';

const TOKEN = 'shard-token';
/** Two guilds on each shard of two, in mixed order. */
const GUILDS = [guildIdOnShard(0, 2, 0), guildIdOnShard(1, 2, 0), guildIdOnShard(0, 2, 1), guildIdOnShard(1, 2, 1)];

type Bot = ReturnType<typeof start> & { name: string; port: number };

let root: string;
const running: Bot[] = [];
let discord: FakeDiscord | undefined;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'briefbot-shards-'));
});
afterEach(async () => {
  // Processes first: a gateway that vanishes under them makes discord.js reconnect.
  await Promise.all(running.splice(0).map((bot) => stop(bot)));
  await discord?.stop();
  discord = undefined;
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function launch(fake: FakeDiscord, name: string, shardEnv: Record<string, string>, briefings = FIXTURES): ReturnType<typeof start> {
  const cwd = mkdtempSync(join(root, `${name}-`));
  return start([join(ROOT, 'bin', 'briefbot.js'), 'start'], {
    cwd,
    env: {
      BRIEFBOT_CONFIG_DIR: cwd,
      BRIEFINGS_DIR: briefings,
      DATABASE_PATH: join(cwd, 'briefbot.db'),
      LOG_LEVEL: 'info',
      PORT: '0',
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      ...shardEnv,
    },
  });
}

/** Starts a bot and waits until it says it is running. */
async function startBot(fake: FakeDiscord, name: string, shardEnv: Record<string, string>, briefings?: string): Promise<Bot> {
  const proc = launch(fake, name, shardEnv, briefings);
  const bot = { ...proc, name, port: 0 };
  running.push(bot);
  const line = await fake.waitFor(() => logLines(proc.stderr()).find((l) => l.msg === 'briefbot is running'), { timeoutMs: 15_000, what: `${name} to start` });
  bot.port = line.port as number;
  return bot;
}

async function stop(bot: ReturnType<typeof start>): Promise<Finished> {
  bot.child.kill('SIGTERM');
  const finished = await Promise.race([bot.finished, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000))]);
  if (finished === 'hung') {
    bot.child.kill('SIGKILL');
    throw new Error(`briefbot did not exit within 10 s of SIGTERM:\n${bot.stderr()}`);
  }
  return finished;
}

/** How many /brief commands this process answered, from its own /metrics. */
async function briefsAnswered(bot: Bot): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
  const match = /^briefbot_commands_total\{platform="discord",command="brief",outcome="ok"\} (\d+)$/m.exec(text);
  return match ? Number(match[1]) : 0;
}

async function health(bot: Bot): Promise<{ platforms: { discord: Record<string, unknown> } }> {
  return (await (await fetch(`http://127.0.0.1:${bot.port}/healthz`)).json()) as { platforms: { discord: Record<string, unknown> } };
}

/** Sends /brief from a guild's first channel and waits for its answer. */
async function brief(fake: FakeDiscord, guildId: string): Promise<FakeInteraction> {
  const channelId = fake.guilds.find((g) => g.id === guildId)!.channels[0]!.id;
  const ix = fake.sendCommand('brief', { article: IDS.rates, length: 'tldr' }, { guildId, channelId });
  const cb = await ix.waitForCallback({ accepted: true, timeoutMs: 10_000 });
  expect((cb.data as { embeds: Array<{ title: string }> }).embeds[0]!.title).toBe('Central bank holds rates at 4.5% as inflation cools to 2.9%');
  return ix;
}

/** Every interaction got one initial answer and nothing was tried twice. */
function expectAnsweredOnce(fake: FakeDiscord, interactions: FakeInteraction[]): void {
  for (const ix of interactions) {
    expect(ix.callbacks.map((c) => c.status)).toEqual([204]);
    expect(ix.webhooks).toEqual([]);
  }
  expect(fake.callbacks.filter((c) => c.status >= 300)).toEqual([]);
}

describe('Discord shards across processes', () => {
  it('2 processes × 2 shards: commands for guilds on every shard are answered exactly once, by the process that runs the shard', async () => {
    const fake = (discord = await createFakeDiscord({ token: TOKEN, guilds: GUILDS.map((id) => ({ id })) }));
    const [zero, one] = await Promise.all([
      startBot(fake, 'shard-0', { DISCORD_SHARD_COUNT: '2', DISCORD_SHARD_IDS: '0' }),
      startBot(fake, 'shard-1', { DISCORD_SHARD_COUNT: '2', DISCORD_SHARD_IDS: '1' }),
    ]);
    expect(fake.gatewayConnections.map((c) => c.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect((await health(zero!)).platforms.discord).toMatchObject({ status: 'up', guilds: 2, shardCount: 2, shards: [{ id: 0, status: 'up' }] });
    expect((await health(one!)).platforms.discord).toMatchObject({ status: 'up', guilds: 2, shardCount: 2, shards: [{ id: 1, status: 'up' }] });

    const onZero = GUILDS.filter((g) => shardOfGuild(g, 2) === 0);
    const onOne = GUILDS.filter((g) => shardOfGuild(g, 2) === 1);
    const answered: FakeInteraction[] = [];
    for (const guildId of onZero) answered.push(await brief(fake, guildId));
    expect([await briefsAnswered(zero!), await briefsAnswered(one!)]).toEqual([2, 0]);
    for (const guildId of onOne) answered.push(await brief(fake, guildId));
    expect([await briefsAnswered(zero!), await briefsAnswered(one!)]).toEqual([2, 2]);
    expectAnsweredOnce(fake, answered);

    for (const bot of [zero!, one!]) {
      const finished = await stop(bot);
      expect(finished).toMatchObject({ code: 0, signal: null });
      expect(logLines(finished.stderr).filter((l) => (l.level as number) >= 50)).toEqual([]);
      expect(finished.stderr).not.toContain(TOKEN);
    }
    running.length = 0;
  });

  it('DISCORD_SHARD_COUNT=auto: one process runs the recommended two shards and answers guilds on both', async () => {
    // max_concurrency 2 lets both shards identify at once, as Discord allows large bots; with 1, discord.js waits 5 s between them.
    const fake = (discord = await createFakeDiscord({ token: TOKEN, guilds: GUILDS.map((id) => ({ id })), recommendedShards: 2, maxConcurrency: 2 }));
    const all = await startBot(fake, 'auto', { DISCORD_SHARD_COUNT: 'auto' });
    expect(fake.gatewayConnections.map((c) => c.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const discordHealth = (await health(all)).platforms.discord;
    expect(discordHealth).toMatchObject({ status: 'up', guilds: 4, shardCount: 2 });
    expect((discordHealth.shards as Array<{ id: number }>).map((s) => s.id).sort()).toEqual([0, 1]);
    const answered: FakeInteraction[] = [];
    for (const guildId of GUILDS) answered.push(await brief(fake, guildId));
    expect(await briefsAnswered(all)).toBe(4);
    expectAnsweredOnce(fake, answered);
  });

  it('a second process given a shard already running is refused by the gateway and exits saying which setting to check', async () => {
    const fake = (discord = await createFakeDiscord({ token: TOKEN, guilds: GUILDS.map((id) => ({ id })) }));
    await startBot(fake, 'first', { DISCORD_SHARD_COUNT: '2', DISCORD_SHARD_IDS: '1' });
    const second = launch(fake, 'second', { DISCORD_SHARD_COUNT: '2', DISCORD_SHARD_IDS: '1' });
    const finished = await Promise.race([second.finished, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
    if (finished === 'hung') {
      second.child.kill('SIGKILL');
      throw new Error(`the second process did not give up:\n${second.stderr()}`);
    }
    expect(finished.code).not.toBe(0);
    expect(finished.stderr).toContain('the gateway refused shard 1 of 2 (4010 Invalid shard): check DISCORD_SHARD_IDS and DISCORD_SHARD_COUNT');
    // The first process still answers its guilds, once.
    const onOne = GUILDS.find((g) => shardOfGuild(g, 2) === 1)!;
    expectAnsweredOnce(fake, [await brief(fake, onOne)]);
  });

  it("a digest for a guild on another process's shard is posted all the same: digests go over REST, not the gateway", async () => {
    const fake = (discord = await createFakeDiscord({ token: TOKEN, guilds: GUILDS.map((id) => ({ id })) }));
    const guildOnOne = fake.guilds.find((g) => shardOfGuild(g.id, 2) === 1)!;
    const channel = guildOnOne.channels[0]!.id;
    // A subscription whose slot passed a minute ago: start-up's catch-up posts it.
    const cwd = mkdtempSync(join(root, 'digest-'));
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const cron = `${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`;
    const store = openStore({ path: join(cwd, 'briefbot.db') });
    await createSubscriptionStore(store.db).save({ platform: 'discord', channelId: channel, schedule: `cron ${cron}`, cron, timezone: 'UTC', source: 'chat' }, new Date(slot.getTime() - 86_400_000), 0);
    store.close();

    const proc = start([join(ROOT, 'bin', 'briefbot.js'), 'start'], {
      cwd,
      env: {
        BRIEFBOT_CONFIG_DIR: cwd,
        BRIEFINGS_DIR: FIXTURES,
        DATABASE_PATH: join(cwd, 'briefbot.db'),
        LOG_LEVEL: 'info',
        PORT: '0',
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_SHARD_COUNT: '2',
        DISCORD_SHARD_IDS: '0',
      },
    });
    running.push({ ...proc, name: 'digest', port: 0 });
    const posted = await fake.waitForMessage((m) => m.channel_id === channel, { timeoutMs: 15_000 });
    expect(posted.content).toMatch(/^Your first briefbot digest/);
    // This process never received that guild: its only session is shard 0, which does not hold it.
    const ready = await fake.waitFor(() => logLines(proc.stderr()).find((l) => l.msg === 'discord ready'), { timeoutMs: 15_000, what: 'discord to be ready' });
    expect(ready).toMatchObject({ guilds: 2, shards: [0], shardCount: 2 });
    expect(fake.gatewayConnections.map((c) => c.shard)).toEqual([[0, 2]]);
    expect(fake.messages.filter((m) => m.channel_id === channel)).toHaveLength(1);
  });
});
