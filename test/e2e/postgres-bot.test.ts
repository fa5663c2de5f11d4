/**
 * The bot on PostgreSQL, through the whole process: `node bin/briefbot.js start` with DATABASE_URL
 * pointing at a real server (test/helpers/postgres.ts) opens the shared store, loads the briefings
 * folder into it, answers /brief on Discord and /quote on Slack from it, and stops on SIGTERM with
 * exit 0. Without DATABASE_URL nothing changes: the bot keeps its SQLite file, and the console
 * (which keeps everything in memory) opens, DATABASE_URL or not.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBriefbot } from '../../src/app.js';
import { ConfigSchema } from '../../src/config/config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { FIXTURES, IDS } from './helpers/platform-context.js';
import { logLines, ROOT, start } from './helpers/spawn.js';

let discord: FakeDiscord;
let slack: FakeSlack;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const dirs: string[] = [];
const secret = 'postgres-signing-secret';

beforeAll(async () => {
  [discord, slack, database] = await Promise.all([createFakeDiscord({ token: 'pg-token' }), createFakeSlack({ botToken: 'xoxb-pg' }), createTestDatabase()]);
});
afterAll(async () => {
  await discord?.stop();
  await slack?.stop();
  await database?.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-pg-bot-'));
  dirs.push(dir);
  return dir;
}

it('starts on PostgreSQL, answers /brief and /quote from it, and stops with exit 0', async () => {
  const cwd = tempDir();
  const proc = start([join(ROOT, 'bin', 'briefbot.js'), 'start'], {
    cwd,
    env: {
      BRIEFBOT_CONFIG_DIR: cwd,
      BRIEFINGS_DIR: FIXTURES,
      DATABASE_URL: database.url,
      DATABASE_PATH: join(cwd, 'data', 'briefbot.db'),
      LOG_LEVEL: 'info',
      PORT: '0',
      DISCORD_TOKEN: 'pg-token',
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-pg',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.apiUrl,
    },
  });
  try {
    const running = await discord.waitFor(() => logLines(proc.stderr()).find((l) => l.msg === 'briefbot is running'), { timeoutMs: 20_000, what: 'briefbot to start' });
    const opened = logLines(proc.stderr()).find((l) => l.msg === 'PostgreSQL store open');
    // The claim name is logged at start, and the password is not.
    expect(opened).toMatchObject({ schema: expect.any(Number), owner: expect.stringMatching(/^.+:\d+:[0-9a-f]{8}$/) });
    expect(String(opened!.store)).not.toContain(new URL(database.url).password);

    const ix = discord.sendCommand('brief', { article: IDS.rates, length: 'tldr' });
    const cb = await ix.waitForCallback({ accepted: true, timeoutMs: 10_000 });
    expect((cb.data as { embeds: Array<{ title: string }> }).embeds[0]!.title).toBe('Central bank holds rates at 4.5% as inflation cools to 2.9%');

    const res = await slack.sendSlashCommand(`http://127.0.0.1:${running.port as number}/slack/events`, secret, { command: '/quote', text: 'Okafor' });
    expect(res.status).toBe(200);
    expect(JSON.stringify((await res.response.waitForPost()).body)).toContain('Tom Okafor, chief economist at Harbor Bank');
  } finally {
    proc.child.kill('SIGTERM');
  }
  const finished = await Promise.race([proc.finished, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
  if (finished === 'hung') {
    proc.child.kill('SIGKILL');
    throw new Error(`briefbot did not exit within 15 s of SIGTERM:\n${proc.stderr()}`);
  }
  expect(finished).toMatchObject({ code: 0, signal: null });
  expect(logLines(finished.stderr).filter((l) => (l.level as number) >= 50)).toEqual([]);
  expect(finished.stderr).not.toContain('pg-token');
  // The briefings are in PostgreSQL, and no SQLite file was made behind the user's back.
  expect(existsSync(join(cwd, 'data', 'briefbot.db'))).toBe(false);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>('SELECT id FROM briefings WHERE id = $1', [IDS.rates]);
    expect(rows).toEqual([{ id: IDS.rates }]);
  } finally {
    await client.end();
  }
}, 60_000);

it('without DATABASE_URL the bot keeps its SQLite file, as before', async () => {
  const dir = tempDir();
  const storePath = join(dir, 'data', 'briefbot.db');
  const config = ConfigSchema.parse({
    briefings: { dir: FIXTURES },
    store: { path: storePath },
    ingest: { watch: false },
    http: { port: 0 },
    discord: { token: 'pg-token', applicationId: discord.applicationId, apiUrl: discord.apiUrl },
  });
  const running = await startBriefbot({ config, logger: silentLogger() });
  try {
    expect(existsSync(storePath)).toBe(true);
    const cb = await discord.sendCommand('brief', { article: IDS.rates, length: 'tldr' }).waitForCallback({ accepted: true, timeoutMs: 10_000 });
    expect((cb.data as { embeds: Array<{ title: string }> }).embeds[0]!.title).toBe('Central bank holds rates at 4.5% as inflation cools to 2.9%');
  } finally {
    await running.stop();
  }
}, 30_000);

for (const url of [undefined, 'postgres://briefbot@db.example:5432/briefbot']) {
  it(`the console opens in memory ${url ? 'with' : 'without'} DATABASE_URL, and touches no store`, async () => {
    const dir = tempDir();
    const storePath = join(dir, 'briefbot.db');
    // db.example does not resolve: a console that tried to open the URL would fail to start.
    const config = ConfigSchema.parse({ briefings: { dir: FIXTURES }, store: { path: storePath, ...(url ? { url } : {}) }, ingest: { watch: false } });
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const running = await startBriefbot({ config, logger: silentLogger(), input: Readable.from(['/articles\n', '/exit\n']), output });
    await running.done;
    expect(text).toMatch(/briefbot console · \d+ briefings loaded/);
    expect(text).toContain('Central bank holds rates');
    expect(existsSync(storePath)).toBe(false);
  });
}
