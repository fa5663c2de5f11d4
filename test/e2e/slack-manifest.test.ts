/** The Slack app manifest derived from the command list, and `npm run manifest` writing it. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSlackManifest } from '../../src/platforms/slack/manifest.js';
import { commands } from '../../src/commands/index.js';
import { ROOT, run } from './helpers/spawn.js';

describe('Slack app manifest', () => {
  it('declares every command with its usage hint and request URL, interactivity and the scopes', () => {
    const url = 'https://bot.example.com/slack/events';
    const manifest = createSlackManifest(commands, { socketMode: false, requestUrl: url });
    expect(manifest.features.slash_commands).toEqual(
      commands.map((c) => ({ command: `/${c.name}`, description: expect.any(String), usage_hint: c.usage.replace(`/${c.name} `, ''), should_escape: false, url })),
    );
    expect(manifest.features.slash_commands[1]).toMatchObject({ command: '/quote', usage_hint: expect.stringMatching(/^<query> \[speaker\] \[article\]/) });
    expect(manifest.settings).toMatchObject({ interactivity: { is_enabled: true, request_url: url }, socket_mode_enabled: false });
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'chat:write.public', 'users:read']);
    // Slack refuses a long description under 174 characters, and names over 35.
    expect(manifest.display_information.long_description!.length).toBeGreaterThanOrEqual(174);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
  });

  it('needs no URLs in Socket Mode, and an https URL otherwise', () => {
    const manifest = createSlackManifest(commands, { socketMode: true });
    expect(manifest.settings).toMatchObject({ socket_mode_enabled: true, interactivity: { is_enabled: true } });
    expect(JSON.stringify(manifest)).not.toContain('"url"');
    expect(() => createSlackManifest(commands, { socketMode: false })).toThrow('needs the public request URL');
    expect(() => createSlackManifest(commands, { socketMode: false, requestUrl: 'http://bot.example.com/slack/events' })).toThrow('https');
  });

  it('npm run manifest writes the file, keeping a path prefix of the public URL', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'briefbot-manifest-'));
    const env = { BRIEFBOT_CONFIG_DIR: cwd };
    const args = [join(ROOT, 'bin', 'run-ts.js'), join(ROOT, 'src', 'cli', 'manifest.ts')];
    const [written, socket, neither] = await Promise.all([
      run([...args, '--url', 'https://bot.example.com/briefbot/'], { env, cwd }),
      run([...args, '--out', '-'], { env: { ...env, SLACK_APP_TOKEN: 'xapp-1' }, cwd }),
      run(args, { env, cwd }),
    ]);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(`Wrote slack-manifest.json (HTTP mode, requests to https://bot.example.com/briefbot/slack/events; ${commands.length} slash commands).`);
    const manifest = JSON.parse(readFileSync(join(cwd, 'slack-manifest.json'), 'utf8')) as ReturnType<typeof createSlackManifest>;
    expect(manifest.settings.interactivity.request_url).toBe('https://bot.example.com/briefbot/slack/events');
    expect(socket.code).toBe(0);
    expect(JSON.parse(socket.stdout)).toMatchObject({ settings: { socket_mode_enabled: true } });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('say where Slack should post: --url https://your.host, or --socket for Socket Mode');
  });
});
