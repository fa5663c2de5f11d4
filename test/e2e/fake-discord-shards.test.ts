/**
 * The fake Discord gateway's shards against the real discord.js: IDENTIFY carries
 * `[shard_id, num_shards]`, a guild's GUILD_CREATE and INTERACTION_CREATE reach only the session of
 * shard `(guild_id >> 22) % num_shards`, GET /gateway/bot recommends a shard count for
 * `shards: 'auto'`, and an IDENTIFY Discord would refuse is closed with 4010 / 4011.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client, Events, GatewayIntentBits, MessageFlags, type ClientOptions } from 'discord.js';
import { WebSocket } from 'ws';
import { createFakeDiscord, guildIdOnShard, shardOfGuild, type FakeDiscord, type FakeDiscordOptions } from '../fakes/fake-discord.js';

let discord: FakeDiscord | undefined;
const clients: Client[] = [];

afterEach(async () => {
  // Clients first: a gateway that closes under them makes discord.js reconnect.
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await discord?.stop();
  discord = undefined;
});

/** Two guilds on each of two shards, in mixed order. */
const GUILDS = [guildIdOnShard(0, 2, 0), guildIdOnShard(1, 2, 0), guildIdOnShard(0, 2, 1), guildIdOnShard(1, 2, 1)];

async function fake(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  discord = await createFakeDiscord({ guilds: GUILDS.map((id) => ({ id })), ...options });
  return discord;
}

/** A logged-in client that answers every command with its own name, and counts what it received. */
async function connect(fake: FakeDiscord, name: string, shardOptions: Pick<ClientOptions, 'shards' | 'shardCount'>): Promise<{ client: Client; received: string[] }> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl }, ...shardOptions });
  clients.push(client);
  const received: string[] = [];
  client.on(Events.InteractionCreate, (interaction) => {
    received.push(interaction.guildId ?? 'dm');
    if (interaction.isChatInputCommand()) void interaction.reply({ content: name, flags: MessageFlags.Ephemeral });
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login('fake-bot-token');
  await ready;
  return { client, received };
}

describe('fake Discord: shards', () => {
  it('guildIdOnShard makes ids on the asked shard, by Discord’s rule', () => {
    expect(GUILDS.map((id) => shardOfGuild(id, 2))).toEqual([0, 1, 0, 1]);
    expect(Number((BigInt(guildIdOnShard(2, 3, 7)) >> 22n) % 3n)).toBe(2);
    expect(shardOfGuild('not-a-snowflake', 1)).toBe(0);
  });

  it('two processes on shards 0 and 1 of 2: each is sent only its own guilds and their commands', async () => {
    const fakeDiscord = await fake();
    const zero = await connect(fakeDiscord, 'zero', { shards: [0], shardCount: 2 });
    const one = await connect(fakeDiscord, 'one', { shards: [1], shardCount: 2 });

    expect(fakeDiscord.gatewayConnections.map((c) => (c.identify as { shard: unknown }).shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect([...zero.client.guilds.cache.keys()].sort()).toEqual([GUILDS[0], GUILDS[2]].sort());
    expect([...one.client.guilds.cache.keys()].sort()).toEqual([GUILDS[1], GUILDS[3]].sort());

    for (const guildId of GUILDS) {
      const ix = fakeDiscord.sendCommand('brief', {}, { guildId, channelId: fakeDiscord.guilds.find((g) => g.id === guildId)!.channels[0]!.id });
      const cb = await ix.waitForCallback({ accepted: true });
      expect((cb.data as { content: string }).content).toBe(shardOfGuild(guildId, 2) === 0 ? 'zero' : 'one');
    }
    // Exactly once each: nobody saw another shard's guild.
    expect(zero.received.sort()).toEqual([GUILDS[0], GUILDS[2]].sort());
    expect(one.received.sort()).toEqual([GUILDS[1], GUILDS[3]].sort());
    expect(fakeDiscord.callbacks).toHaveLength(4);
    // A DM goes to shard 0, as Discord sends them.
    await fakeDiscord.sendCommand('brief', {}, { dm: true }).waitForCallback({ accepted: true });
    expect(zero.received).toContain('dm');
    expect(one.received).not.toContain('dm');
  });

  it('a command for a guild whose shard nobody runs has nowhere to go', async () => {
    const fakeDiscord = await fake();
    await connect(fakeDiscord, 'zero', { shards: [0], shardCount: 2 });
    expect(() => fakeDiscord.sendCommand('brief', {}, { guildId: GUILDS[1] })).toThrow(/no gateway session runs the shard of guild/);
  });

  it("shards: 'auto' runs as many shards as GET /gateway/bot recommends, and sees every guild", async () => {
    const fakeDiscord = await fake({ recommendedShards: 2, maxConcurrency: 2 });
    const all = await connect(fakeDiscord, 'all', { shards: 'auto' });
    expect(all.client.options.shardCount).toBe(2);
    expect(fakeDiscord.gatewayConnections.map((c) => c.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(all.client.guilds.cache.size).toBe(4);
    for (const guildId of GUILDS) await fakeDiscord.sendCommand('brief', {}, { guildId }).waitForCallback({ accepted: true });
    expect(all.received.sort()).toEqual([...GUILDS].sort());
  });

  it('an unsharded client sees every guild, as before', async () => {
    const fakeDiscord = await fake();
    const single = await connect(fakeDiscord, 'single', {});
    expect(fakeDiscord.gatewayConnections[0]!.shard).toEqual([0, 1]);
    expect(single.client.guilds.cache.size).toBe(4);
  });
});

describe('fake Discord: refused IDENTIFYs', () => {
  /** Opens a gateway connection, identifies with `shard`, and resolves with the close code (or 'ready'). */
  function identify(fakeDiscord: FakeDiscord, shard: unknown): Promise<{ code: number | 'ready'; ws: WebSocket }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${fakeDiscord.gatewayUrl}/?v=10&encoding=json`);
      ws.on('error', reject);
      ws.on('message', (raw: Buffer) => {
        const frame = JSON.parse(raw.toString('utf8')) as { op: number; t: string | null };
        if (frame.op === 10) ws.send(JSON.stringify({ op: 2, d: { token: 't', intents: 1, properties: {}, ...(shard === undefined ? {} : { shard }) } }));
        if (frame.t === 'READY') resolve({ code: 'ready', ws });
      });
      ws.on('close', (code) => resolve({ code, ws }));
    });
  }

  it.each([
    ['an id past the count', [2, 2]],
    ['a negative id', [-1, 2]],
    ['a count of 0', [0, 0]],
    ['not a pair', [1]],
  ])('closes %s with 4010 Invalid shard', async (_what, shard) => {
    const fakeDiscord = await fake();
    expect((await identify(fakeDiscord, shard)).code).toBe(4010);
  });

  it('closes a second live session on the same shard with 4010; the shard is free again once the first closes', async () => {
    const fakeDiscord = await fake();
    const first = await identify(fakeDiscord, [1, 2]);
    expect(first.code).toBe('ready');
    expect((await identify(fakeDiscord, [1, 2])).code).toBe(4010);
    expect((await identify(fakeDiscord, [0, 2])).code).toBe('ready');
    await new Promise<void>((resolve) => {
      first.ws.once('close', () => resolve());
      first.ws.close(1000);
    });
    await fakeDiscord.waitFor(() => fakeDiscord.gatewayConnections[0]!.closedCode !== undefined, { what: 'the fake to see the close' });
    expect((await identify(fakeDiscord, [1, 2])).code).toBe('ready');
  });

  it('closes a session that would hold too many guilds with 4011 Sharding required, and recommends enough shards', async () => {
    const fakeDiscord = await fake({ maxGuildsPerShard: 2 });
    expect((await identify(fakeDiscord, undefined)).code).toBe(4011);
    expect((await identify(fakeDiscord, [0, 1])).code).toBe(4011);
    expect((await identify(fakeDiscord, [0, 2])).code).toBe('ready');
    const gateway = (await (await fetch(`${fakeDiscord.apiUrl}/v10/gateway/bot`)).json()) as { shards: number };
    expect(gateway.shards).toBe(2);
    fakeDiscord.setRecommendedShards(3);
    expect(((await (await fetch(`${fakeDiscord.apiUrl}/v10/gateway/bot`)).json()) as { shards: number }).shards).toBe(3);
  });
});
