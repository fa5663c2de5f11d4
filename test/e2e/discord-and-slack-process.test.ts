/**
 * The whole process from outside: `node bin/briefbot.js start` with DISCORD_API_URL,
 * SLACK_API_URL and PORT pointing at the fakes starts both platforms, answers one command on
 * each, serves /healthz and /metrics, and exits 0 on SIGTERM.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { FIXTURES, IDS } from './helpers/platform-context.js';
import { ROOT, start } from './helpers/spawn.js';

let discord: FakeDiscord;
let slack: FakeSlack;

beforeAll(async () => {
  [discord, slack] = await Promise.all([createFakeDiscord({ token: 'process-token' }), createFakeSlack({ botToken: 'xoxb-process' })]);
});
afterAll(async () => {
  await discord?.stop();
  await slack?.stop();
});

function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

it('npm start against stand-ins: both platforms answer, then SIGTERM stops it with exit code 0', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'briefbot-process-'));
  const secret = 'process-signing-secret';
  const proc = start([join(ROOT, 'bin', 'briefbot.js'), 'start'], {
    cwd,
    env: {
      BRIEFBOT_CONFIG_DIR: cwd,
      BRIEFINGS_DIR: FIXTURES,
      DATABASE_PATH: join(cwd, 'briefbot.db'),
      LOG_LEVEL: 'info',
      PORT: '0',
      DISCORD_TOKEN: 'process-token',
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-process',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.apiUrl,
    },
  });
  try {
    const running = await discord.waitFor(() => logLines(proc.stderr()).find((l) => l.msg === 'briefbot is running'), { timeoutMs: 15_000, what: 'briefbot to start' });
    expect(running).toMatchObject({ platforms: ['discord', 'slack'], modes: { slack: 'http' } });
    const port = running.port as number;

    const ix = discord.sendCommand('brief', { article: IDS.rates, length: 'tldr' });
    const cb = await ix.waitForCallback({ accepted: true });
    expect(cb).toMatchObject({ type: 4, late: false });
    expect((cb.data as { embeds: Array<{ title: string }> }).embeds[0]!.title).toBe('Central bank holds rates at 4.5% as inflation cools to 2.9%');

    const res = await slack.sendSlashCommand(`http://127.0.0.1:${port}/slack/events`, secret, { command: '/quote', text: 'Okafor' });
    expect(res.status).toBe(200);
    const post = await res.response.waitForPost();
    expect(JSON.stringify(post.body)).toContain('Tom Okafor, chief economist at Harbor Bank');

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', platforms: { discord: { status: 'up' }, slack: { status: 'up', mode: 'http' } } });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('briefbot_commands_total{platform="slack",command="quote",outcome="ok"} 1');
    expect(metrics).toContain('briefbot_process_resident_memory_bytes');
  } finally {
    proc.child.kill('SIGTERM');
  }
  const finished = await Promise.race([proc.finished, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000))]);
  if (finished === 'hung') {
    proc.child.kill('SIGKILL');
    throw new Error(`briefbot did not exit within 10 s of SIGTERM:\n${proc.stderr()}`);
  }
  expect(finished).toMatchObject({ code: 0, signal: null });
  const lines = logLines(finished.stderr);
  expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
  expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['discord stopped', 'slack stopped', 'stopped']));
  // The bot token never appears in a log line.
  expect(finished.stderr).not.toContain('process-token');
  expect(finished.stderr).not.toContain(secret);
});
