/**
 * Digests through the whole process: `node bin/briefbot.js start` against the fakes with a
 * store that has a Discord and a Slack subscription whose slot passed a minute ago. Start-up's
 * catch-up posts both digests; `/digest status` on Discord and `/digest subscribe` on Slack go
 * through the real adapters to the store; SIGTERM stops it with exit 0; a second start posts
 * nothing more for that slot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSubscriptionStore } from '../../src/store/subscriptions.js';
import { openStore } from '../../src/store/store.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { ROOT, start } from './helpers/spawn.js';

let discord: FakeDiscord;
let slack: FakeSlack;
let cwd: string;

beforeAll(async () => {
  [discord, slack] = await Promise.all([createFakeDiscord({ token: 'digest-token' }), createFakeSlack({ botToken: 'xoxb-digest' })]);
  cwd = mkdtempSync(join(tmpdir(), 'briefbot-digest-process-'));
});
afterAll(async () => {
  await discord?.stop();
  await slack?.stop();
  rmSync(cwd, { recursive: true, force: true });
});

const secret = 'digest-signing-secret';

function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function startBot() {
  return start([join(ROOT, 'bin', 'briefbot.js'), 'start'], {
    cwd,
    env: {
      BRIEFBOT_CONFIG_DIR: cwd,
      BRIEFINGS_DIR: join(ROOT, 'briefings'),
      DATABASE_PATH: join(cwd, 'data', 'briefbot.db'),
      LOG_LEVEL: 'info',
      PORT: '0',
      DISCORD_TOKEN: 'digest-token',
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-digest',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.apiUrl,
    },
  });
}

async function stopBot(proc: ReturnType<typeof startBot>) {
  proc.child.kill('SIGTERM');
  const finished = await Promise.race([proc.finished, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
  if (finished === 'hung') {
    proc.child.kill('SIGKILL');
    throw new Error(`briefbot did not exit within 15 s of SIGTERM:\n${proc.stderr()}`);
  }
  return finished;
}

it('catches up the missed slot on start, answers /digest, stops on SIGTERM, and does not post the slot again', async () => {
  const channel = discord.guilds[0]!.channels[0]!.id;
  const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
  const cron = `${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`;
  const store = openStore({ path: join(cwd, 'data', 'briefbot.db') });
  const subscriptions = createSubscriptionStore(store.db);
  const since = new Date(slot.getTime() - 86_400_000);
  await subscriptions.save({ platform: 'discord', channelId: channel, schedule: `cron ${cron}`, cron, timezone: 'UTC', source: 'chat' }, since, 0);
  await subscriptions.save({ platform: 'slack', channelId: 'C0DIGEST', schedule: `cron ${cron}`, cron, timezone: 'UTC', source: 'chat' }, since, 0);
  store.close();

  const proc = startBot();
  let port = 0;
  try {
    const running = await discord.waitFor(() => logLines(proc.stderr()).find((l) => l.msg === 'briefbot is running'), { timeoutMs: 15_000, what: 'briefbot to start' });
    port = running.port as number;
    const posted = await discord.waitForMessage((m) => m.channel_id === channel, { timeoutMs: 10_000 });
    expect(posted.content).toMatch(/^Your first briefbot digest: the latest story\./);
    expect(posted.embeds[0]!.title).toBe('North Korea deploys 6,000 engineers to Kursk as military alliance with Russia escalates');
    await slack.waitForMessage((m) => m.channel === 'C0DIGEST', { timeoutMs: 10_000 });

    const ix = discord.sendCommand('digest', [{ name: 'status', type: 1, options: [] }], { channelId: channel });
    const cb = await ix.waitFor((i) => (i.original && !(i.original.flags & 128) ? i.original : undefined), { timeoutMs: 10_000 });
    expect(JSON.stringify(cb)).toMatch(/Last delivered: .* \(1 briefing\)/);

    slack.setUser({ id: 'U0ADMIN', is_admin: true });
    const res = await slack.sendSlashCommand(`http://127.0.0.1:${port}/slack/events`, secret, { command: '/digest', text: 'subscribe weekdays 07:30 timezone:Europe/London', user_id: 'U0ADMIN', channel_id: 'C0OTHER' });
    expect(res.status).toBe(200);
    expect(JSON.stringify((await res.response.waitForPost()).body)).toMatch(/Subscribed: a digest here weekdays 07:30 \(Europe\/London\)/);
  } finally {
    const finished = await stopBot(proc);
    expect(finished).toMatchObject({ code: 0, signal: null });
    expect(logLines(finished.stderr).filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(finished.stderr).not.toContain('digest-token');
  }

  // A second start: the slot is recorded, nothing is posted again; the chat subscription survived.
  const again = startBot();
  try {
    await discord.waitFor(() => logLines(again.stderr()).find((l) => l.msg === 'briefbot is running'), { timeoutMs: 15_000, what: 'briefbot to start' });
    const caughtUp = await discord.waitFor(() => logLines(again.stderr()).find((l) => l.msg === 'digest catch-up done'), { timeoutMs: 15_000, what: 'the catch-up' });
    expect(caughtUp).toMatchObject({ recorded: 0, resumed: 0 });
  } finally {
    expect(await stopBot(again)).toMatchObject({ code: 0 });
  }
  expect(discord.messages.filter((m) => m.channel_id === channel)).toHaveLength(1);
  expect(slack.messages.filter((m) => m.channel === 'C0DIGEST')).toHaveLength(1);
  const check = openStore({ path: join(cwd, 'data', 'briefbot.db') });
  expect(await createSubscriptionStore(check.db).forChannel('slack', 'C0OTHER')).toMatchObject({ cron: '30 7 * * 1-5', timezone: 'Europe/London' });
  check.close();
});
