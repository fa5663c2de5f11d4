import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { BriefbotError } from '../../src/errors.js';

let root: string;
let empty: string;
let count = 0;

/** A config folder holding these files. */
async function folder(files: Record<string, string>): Promise<string> {
  const dir = join(root, `config-${++count}`);
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/** The problems loadConfig reports, one per line without the indent, after checking it threw ours. */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(BriefbotError);
    expect((error as BriefbotError).code).toBe('config');
    const [first, ...rest] = (error as Error).message.split('\n');
    expect(first).toBe('configuration problems:');
    return rest.map((line) => line.replace(/^ {2}/, ''));
  }
  throw new Error('expected the configuration to be refused');
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'briefbot-config-'));
  empty = join(root, 'no-such-folder');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('has a working default for everything, with production API base URLs', () => {
    const config = loadConfig({ dir: empty, env: {} });
    expect(config.briefings).toEqual({ dir: 'briefings', folders: [] });
    expect(config.log.level).toBe('info');
    expect(config.http.port).toBe(3000);
    expect(config.discord.apiUrl).toBe('https://discord.com/api');
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.discord.token).toBeUndefined();
  });

  it('takes settings from the environment, and ignores variables set empty', () => {
    const config = loadConfig({
      dir: empty,
      env: { BRIEFINGS_DIR: '/srv/articles', PORT: '8080', LOG_LEVEL: 'debug', DISCORD_TOKEN: 'dt', DISCORD_APPLICATION_ID: 'app', DISCORD_API_URL: 'http://127.0.0.1:9/api', SLACK_BOT_TOKEN: '' },
    });
    expect(config.briefings.dir).toBe('/srv/articles');
    expect(config.http.port).toBe(8080);
    expect(config.log.level).toBe('debug');
    expect(config.discord).toMatchObject({ token: 'dt', applicationId: 'app', apiUrl: 'http://127.0.0.1:9/api' });
    expect(config.slack.botToken).toBeUndefined();
  });

  it('merges every YAML file in the folder in name order, the environment on top', async () => {
    const dir = await folder({
      '10-base.yaml': 'log:\n  level: warn\nbriefings:\n  dir: articles\n  folders: [more]\nhttp:\n  port: 4000\n',
      '20-local.yml': 'log:\n  level: error\n',
      'notes.txt': 'not: [read',
    });
    const config = loadConfig({ dir, env: { PORT: '5000' } });
    expect(config.log.level).toBe('error');
    expect(config.briefings).toEqual({ dir: 'articles', folders: ['more'] });
    expect(config.http.port).toBe(5000);
  });

  it('finds its folder through BRIEFBOT_CONFIG_DIR', async () => {
    const dir = await folder({ 'a.yaml': 'log: { level: fatal }\n' });
    expect(loadConfig({ env: { BRIEFBOT_CONFIG_DIR: dir } }).log.level).toBe('fatal');
  });

  it('lists every problem at once, each as "path: message"', async () => {
    const dir = await folder({
      'a.yaml': 'http:\n  port: [1\n',
      'b.yaml': 'feeds:\n  - url: not a url\n    intervalMinutes: 0\ndigest:\n  subscriptions:\n    - platform: irc\n      channel: general\n      schedule: daily\n',
      'c.yaml': '- just\n- a list\n',
    });
    const problems = problemsOf(() => loadConfig({ dir, env: { PORT: 'eighty', LOG_LEVEL: 'loud', SLACK_API_URL: 'nowhere' } }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a\.yaml: \S/),
        'c.yaml: expected a mapping of settings',
        'PORT: expected a number, got "eighty"',
        expect.stringMatching(/^log\.level: .*"trace"\|"debug"/),
        expect.stringMatching(/^slack\.apiUrl: /),
        expect.stringMatching(/^feeds\.0\.url: /),
        expect.stringMatching(/^feeds\.0\.intervalMinutes: /),
        expect.stringMatching(/^digest\.subscriptions\.0\.platform: /),
      ]),
    );
    expect(problems).toHaveLength(8);
    for (const problem of problems) expect(problem).toMatch(/^[\w.-]+: \S/);
  });

  it('reads a configured subscription\'s story digest settings, and refuses values it does not know', async () => {
    const good = await folder({ 'a.yaml': 'digest:\n  subscriptions:\n    - platform: slack\n      channel: C1\n      schedule: daily 08:00\n      threads: true\n      unchanged: line\n' });
    expect(loadConfig({ dir: good, env: {} }).digest.subscriptions[0]).toMatchObject({ threads: true, unchanged: 'line' });
    const bad = await folder({ 'a.yaml': 'digest:\n  subscriptions:\n    - platform: slack\n      channel: C1\n      schedule: daily 08:00\n      threads: sometimes\n      unchanged: hide\n' });
    expect(problemsOf(() => loadConfig({ dir: bad, env: {} }))).toEqual([
      expect.stringMatching(/^digest\.subscriptions\.0\.threads: /),
      expect.stringMatching(/^digest\.subscriptions\.0\.unchanged: /),
    ]);
  });

  it('reads http.host from HOST, like PORT for the port', () => {
    expect(loadConfig({ dir: empty, env: {} }).http.host).toBe('0.0.0.0');
    expect(loadConfig({ dir: empty, env: { HOST: '127.0.0.1', PORT: '8081' } }).http).toMatchObject({ host: '127.0.0.1', port: 8081 });
    expect(loadConfig({ dir: empty, env: { HOST: '' } }).http.host).toBe('0.0.0.0');
  });

  it('gives the HTTP listener timeouts and a connection cap by default, and lets YAML change them', async () => {
    expect(loadConfig({ dir: empty, env: {} }).http).toEqual({ port: 3000, host: '0.0.0.0', headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 512, keepAliveTimeoutMs: 5_000 });
    const dir = await folder({ 'http.yaml': 'http:\n  headersTimeoutMs: 2000\n  requestTimeoutMs: 4000\n  maxConnections: 64\n' });
    expect(loadConfig({ dir, env: { HOST: '::1' } }).http).toEqual({ port: 3000, host: '::1', headersTimeoutMs: 2000, requestTimeoutMs: 4000, maxConnections: 64, keepAliveTimeoutMs: 5_000 });
  });

  it('refuses listener limits Node would refuse or that disable the limit', async () => {
    const dir = await folder({ 'http.yaml': 'http:\n  headersTimeoutMs: 20000\n  requestTimeoutMs: 5000\n  maxConnections: 0\n' });
    expect(problemsOf(() => loadConfig({ dir, env: {} }))).toEqual([expect.stringMatching(/^http\.maxConnections: /), 'http.requestTimeoutMs: must be at least headersTimeoutMs (20000)']);
  });

  it('applies overrides last', () => {
    expect(loadConfig({ dir: empty, env: { LOG_LEVEL: 'debug' }, overrides: { log: { level: 'silent' } } }).log.level).toBe('silent');
  });
});
