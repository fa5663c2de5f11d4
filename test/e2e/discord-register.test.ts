/**
 * The Discord command definitions derived from the command list, and `npm run register`
 * publishing them (a child process, as a person would run it) to the fake Discord.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDiscordDefinitions } from '../../src/platforms/discord/definitions.js';
import { registerDiscordCommands } from '../../src/platforms/discord/register.js';
import { ConfigSchema } from '../../src/config/config.js';
import { commands, type Command } from '../../src/commands/index.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { ROOT, run } from './helpers/spawn.js';

const MANAGE_CHANNELS = String(1n << 4n);

describe('Discord definitions from the command list', () => {
  const definitions = toDiscordDefinitions(commands);
  const byName = Object.fromEntries(definitions.map((d) => [d.name, d]));

  it('declares every command once, within Discord\'s description limits', () => {
    expect(definitions.map((d) => d.name)).toEqual(commands.map((c) => c.name));
    const descriptions = JSON.stringify(definitions).match(/"description":"(?:[^"\\]|\\.)*"/g) ?? [];
    expect(descriptions.length).toBeGreaterThan(10);
    for (const d of descriptions) expect(JSON.parse(`{${d}}`).description.length).toBeLessThanOrEqual(100);
  });

  it('types the options: autocomplete, choices, lengths, ranges, required first', () => {
    expect(byName.brief!.options).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'article', type: 3, autocomplete: true, max_length: 200, required: false }),
        expect.objectContaining({ name: 'length', type: 3, choices: [{ name: 'tldr', value: 'tldr' }, { name: 'short', value: 'short' }, { name: 'full', value: 'full' }] }),
      ]),
    );
    expect(byName.quote!.options!.map((o) => [o.name, o.required])).toEqual([['query', true], ['speaker', false], ['article', false]]);
    expect(byName.quote!.options![1]).toMatchObject({ autocomplete: true });
    expect(byName.articles!.options![1]).toMatchObject({ name: 'page', type: 4, min_value: 1, max_value: 1000 });
  });

  it('makes /digest subcommands, and leaves the permission check to the adapter where they are mixed', () => {
    expect(byName.digest!.options!.map((o) => [o.name, o.type])).toEqual([['now', 1], ['subscribe', 1], ['unsubscribe', 1], ['status', 1]]);
    expect(byName.digest!.options![1]).toMatchObject({
      options: [
        expect.objectContaining({ name: 'schedule', required: true }),
        expect.objectContaining({ name: 'timezone', required: false }),
        expect.objectContaining({ name: 'threads', required: false, choices: [{ name: 'on', value: 'on' }, { name: 'off', value: 'off' }] }),
        expect.objectContaining({ name: 'unchanged', required: false, choices: [{ name: 'skip', value: 'skip' }, { name: 'line', value: 'line' }] }),
      ],
    });
    // Discord's default_member_permissions is per command: /digest now and status are for everyone.
    expect(byName.digest!.default_member_permissions).toBeUndefined();
    const managersOnly: Command = { ...commands.find((c) => c.name === 'digest')!, name: 'admin', subcommands: [{ name: 'reset', description: 'x', options: [], requiresManager: true }] };
    expect(toDiscordDefinitions([managersOnly])[0]!.default_member_permissions).toBe(MANAGE_CHANNELS);
  });
});

describe('npm run register', () => {
  let discord: FakeDiscord;
  const cwd = mkdtempSync(join(tmpdir(), 'briefbot-register-'));
  const entry = join(ROOT, 'src', 'cli', 'register.ts');
  const runTs = join(ROOT, 'bin', 'run-ts.js');

  beforeAll(async () => {
    discord = await createFakeDiscord({ token: 'register-token' });
  });
  afterAll(async () => {
    await discord.stop();
  });

  const env = () => ({ DISCORD_TOKEN: 'register-token', DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl, BRIEFBOT_CONFIG_DIR: cwd });

  it('overwrites the guild\'s commands with --guild, and the global ones without', async () => {
    const guildId = discord.guilds[0]!.id;
    const [guild, global] = await Promise.all([run([runTs, entry, '--guild', guildId], { env: env(), cwd }), run([runTs, entry], { env: env(), cwd })]);
    expect(guild.stderr).toBe('');
    expect(guild.stdout).toContain(`Registered ${commands.length} commands to guild ${guildId}: ${commands.map((c) => `/${c.name}`).join(', ')}`);
    expect(guild.code).toBe(0);
    expect(global.code).toBe(0);
    expect(global.stdout).toContain(`Registered ${commands.length} commands globally`);
    const byScope = Object.fromEntries(discord.commands.map((c) => [c.scope, c.commands]));
    expect(Object.keys(byScope).sort()).toEqual([guildId, 'global'].sort());
    expect(byScope.global).toEqual(toDiscordDefinitions(commands).map((d) => expect.objectContaining({ name: d.name, description: d.description })));
    expect(byScope[guildId]).toHaveLength(commands.length);
    const puts = discord.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.headers.authorization)).toEqual(['Bot register-token', 'Bot register-token']);
  });

  it('says what is missing instead of sending anything', async () => {
    const config = ConfigSchema.parse({ discord: { apiUrl: discord.apiUrl } });
    const before = discord.requests.length;
    await expect(registerDiscordCommands({ config, commands })).rejects.toThrow('registering Discord commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
    await expect(registerDiscordCommands({ config: ConfigSchema.parse({ discord: { apiUrl: discord.apiUrl, token: 't', applicationId: '1' } }), commands, guildId: 'general' })).rejects.toThrow('--guild takes a guild id');
    expect(discord.requests.length).toBe(before);
  });
});
