/**
 * The Discord adapter's shards in-process, against the fake gateway: a bot in more guilds than one
 * session may hold is refused with 4011 and the start says to set DISCORD_SHARD_COUNT; with the
 * count set it connects one session per shard and /healthz lists them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { guildIdOnShard } from '../fakes/fake-discord.js';
import { createPlatformTestContext, type PlatformTestContext } from './helpers/platform-context.js';

const GUILDS = [guildIdOnShard(0, 2, 0), guildIdOnShard(1, 2, 0), guildIdOnShard(0, 2, 1), guildIdOnShard(1, 2, 1)].map((id) => ({ id }));

let ctx: PlatformTestContext | undefined;
afterEach(async () => {
  await ctx?.stop();
  ctx = undefined;
});

async function discordHealth(context: PlatformTestContext): Promise<Record<string, unknown>> {
  const body = (await (await fetch(`${context.baseUrl}/healthz`)).json()) as { platforms: { discord: Record<string, unknown> } };
  return body.platforms.discord;
}

describe('Discord adapter: shards', () => {
  it('an unsharded bot in too many guilds for one session fails to start with 4011 and names the setting', async () => {
    await expect(createPlatformTestContext({ discord: { guilds: GUILDS, maxGuildsPerShard: 2 } })).rejects.toThrow(
      'Discord: could not connect: the gateway requires more shards (4011 Sharding required): the bot is in too many servers for 1 shard(s); set DISCORD_SHARD_COUNT (or auto)',
    );
  });

  it('with DISCORD_SHARD_COUNT=2 the same bot runs both shards, and /healthz lists them', async () => {
    ctx = await createPlatformTestContext({ discord: { guilds: GUILDS, maxGuildsPerShard: 2, maxConcurrency: 2 }, config: { discord: { shards: { count: 2 } } } });
    expect(ctx.discord!.gatewayConnections.map((c) => c.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const health = await discordHealth(ctx);
    expect(health).toMatchObject({ status: 'up', guilds: 4, shardCount: 2 });
    expect(health.shards).toEqual([
      { id: 0, status: 'up', pingMs: expect.any(Number) },
      { id: 1, status: 'up', pingMs: expect.any(Number) },
    ]);
  });

  it('a shard closed for good shows as down in /healthz beside the one still up', async () => {
    ctx = await createPlatformTestContext({ discord: { guilds: GUILDS, maxConcurrency: 2 }, config: { discord: { shards: { count: 2 } } } });
    ctx.discord!.dropGateway(4010, 1);
    await ctx.discord!.waitFor(() => ctx!.logs().find((l) => l.msg === 'gateway disconnected'), { what: 'the adapter to see shard 1 go' });
    const health = await discordHealth(ctx);
    expect(health).toMatchObject({ status: 'down', shardCount: 2 });
    expect(health.shards).toEqual([
      { id: 0, status: 'up', pingMs: expect.any(Number) },
      { id: 1, status: 'down', pingMs: expect.any(Number) },
    ]);
    // Shard 0's guilds are still answered.
    await ctx.discord!.sendCommand('help', {}, { guildId: GUILDS[0]!.id }).waitForCallback({ accepted: true });
  });

  it('an unsharded bot reports its one shard, 0 of 1', async () => {
    ctx = await createPlatformTestContext({ discord: true });
    expect(await discordHealth(ctx)).toMatchObject({ status: 'up', shardCount: 1, shards: [{ id: 0, status: 'up' }] });
  });
});
