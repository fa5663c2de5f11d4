import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { BriefbotError } from '../../src/errors.js';
import { discordClientOptions } from '../../src/platforms/discord/discord-adapter.js';
import { discordShardOptions } from '../../src/platforms/discord/shards.js';

/** DISCORD_SHARD_IDS / DISCORD_SHARD_COUNT (or discord.shards in YAML) and the discord.js options they become. */

let root: string;
let empty: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'briefbot-shards-'));
  empty = join(root, 'no-such-folder');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const shardsOf = (env: Record<string, string>) => loadConfig({ dir: empty, env }).discord.shards;

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ dir: empty, env });
  } catch (error) {
    expect(error).toBeInstanceOf(BriefbotError);
    return (error as Error).message.split('\n').slice(1).map((line) => line.trim());
  }
  throw new Error('expected the configuration to be refused');
}

describe('Discord shard configuration', () => {
  it('with neither variable set there are no shards: one unsharded connection, no shard options for discord.js', () => {
    expect(shardsOf({})).toBeUndefined();
    expect(shardsOf({ DISCORD_SHARD_IDS: '', DISCORD_SHARD_COUNT: '' })).toBeUndefined();
    expect(discordShardOptions(undefined)).toEqual({});
    const options = discordClientOptions(loadConfig({ dir: empty, env: {} }));
    expect(options).not.toHaveProperty('shards');
    expect(options).not.toHaveProperty('shardCount');
  });

  it('reads ids and a count, spaces allowed', () => {
    expect(shardsOf({ DISCORD_SHARD_IDS: '0,1', DISCORD_SHARD_COUNT: '4' })).toEqual({ ids: [0, 1], count: 4 });
    expect(shardsOf({ DISCORD_SHARD_IDS: ' 3 ', DISCORD_SHARD_COUNT: ' 4 ' })).toEqual({ ids: [3], count: 4 });
    expect(shardsOf({ DISCORD_SHARD_IDS: '2, 0', DISCORD_SHARD_COUNT: '3' })).toEqual({ ids: [2, 0], count: 3 });
  });

  it('passes them to discord.js as its own shard options', () => {
    expect(discordShardOptions({ ids: [1], count: 2 })).toEqual({ shards: [1], shardCount: 2 });
    expect(discordClientOptions(loadConfig({ dir: empty, env: { DISCORD_SHARD_IDS: '2,3', DISCORD_SHARD_COUNT: '4' } }))).toMatchObject({ shards: [2, 3], shardCount: 4 });
  });

  it('a count alone runs every shard of that count here', () => {
    expect(shardsOf({ DISCORD_SHARD_COUNT: '3' })).toEqual({ count: 3 });
    expect(discordShardOptions({ count: 3 })).toEqual({ shards: [0, 1, 2], shardCount: 3 });
  });

  it("auto asks Discord how many and runs them all: discord.js's shards: 'auto'", () => {
    expect(shardsOf({ DISCORD_SHARD_COUNT: 'auto' })).toEqual({ count: 'auto' });
    expect(discordShardOptions({ count: 'auto' })).toEqual({ shards: 'auto' });
  });

  it('reads YAML too, and the environment overrides it', async () => {
    const dir = join(root, 'yaml');
    await mkdir(dir);
    await writeFile(join(dir, 'discord.yaml'), 'discord:\n  shards:\n    ids: [1, 2]\n    count: 3\n');
    expect(loadConfig({ dir, env: {} }).discord.shards).toEqual({ ids: [1, 2], count: 3 });
    expect(loadConfig({ dir, env: { DISCORD_SHARD_IDS: '0' } }).discord.shards).toEqual({ ids: [0], count: 3 });
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['ids without a count', { DISCORD_SHARD_IDS: '0' }, ['discord.shards.count: DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT: the total number of shards across every process']],
    ['an id not below the count', { DISCORD_SHARD_IDS: '1,2', DISCORD_SHARD_COUNT: '2' }, ['discord.shards.ids: shard 2 does not exist with DISCORD_SHARD_COUNT=2: ids run from 0 to 1']],
    ['a duplicate id', { DISCORD_SHARD_IDS: '1,0,1', DISCORD_SHARD_COUNT: '2' }, ['discord.shards.ids: shard 1 is listed twice']],
    ['ids with auto', { DISCORD_SHARD_IDS: '0', DISCORD_SHARD_COUNT: 'auto' }, ['discord.shards.ids: DISCORD_SHARD_COUNT=auto runs every shard in this process; leave DISCORD_SHARD_IDS unset, or give a whole-number count']],
    ['a count of 0', { DISCORD_SHARD_COUNT: '0' }, ['discord.shards.count: expected 1 or more shards']],
    ['a fractional count', { DISCORD_SHARD_COUNT: '1.5' }, ['discord.shards.count: expected a whole number of shards (1 or more) or "auto"']],
    ['a word for a count', { DISCORD_SHARD_COUNT: 'all' }, ['discord.shards.count: expected a whole number of shards (1 or more) or "auto"']],
    ['a negative id', { DISCORD_SHARD_IDS: '-1', DISCORD_SHARD_COUNT: '2' }, ['discord.shards.ids.0: expected a shard id (a whole number from 0), got "-1"']],
    ['a word and an empty item among the ids', { DISCORD_SHARD_IDS: '0,,one', DISCORD_SHARD_COUNT: '2' }, [
      'discord.shards.ids.1: expected a shard id (a whole number from 0), got ""',
      'discord.shards.ids.2: expected a shard id (a whole number from 0), got "one"',
    ]],
  ])('refuses %s with a clear message', (_what, env, problems) => {
    expect(problemsOf(env)).toEqual(problems);
  });

  it('lists a shard problem with every other problem at once', () => {
    expect(problemsOf({ DISCORD_SHARD_IDS: '5', DISCORD_SHARD_COUNT: '2', PORT: 'x' })).toEqual([
      'PORT: expected a number, got "x"',
      'discord.shards.ids: shard 5 does not exist with DISCORD_SHARD_COUNT=2: ids run from 0 to 1',
    ]);
  });
});
