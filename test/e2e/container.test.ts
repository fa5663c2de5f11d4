/**
 * The Dockerfile, performed without Docker (scripts/container-check.ts): both stages built in a
 * temporary folder from the Dockerfile's own instructions, the result started with its CMD
 * against the Discord and Slack stand-ins, healthy by its own HEALTHCHECK, stopped by SIGTERM.
 * Takes about half a minute (npm ci from the local npm cache, tsc, prune).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkContainer } from '../../scripts/container-check.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';

let discord: FakeDiscord;
let slack: FakeSlack;

beforeAll(async () => {
  [discord, slack] = await Promise.all([createFakeDiscord({ token: 'container-token' }), createFakeSlack({ botToken: 'xoxb-container' })]);
});
afterAll(async () => {
  await discord?.stop();
  await slack?.stop();
});

it('the image builds, runs as its user with the store on its volume, passes its HEALTHCHECK and stops cleanly', async () => {
  const lines: string[] = [];
  const report = await checkContainer({
    log: (line) => lines.push(line),
    runtimeEnv: {
      DISCORD_TOKEN: 'container-token',
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-container',
      SLACK_SIGNING_SECRET: 'container-signing-secret',
      SLACK_API_URL: slack.apiUrl,
    },
  });
  expect(report.stages).toEqual(['build', 'runtime']);
  expect(report.user.name).toBe('node');
  expect(report.user.uid).not.toBe(0);
  expect(report.devOnlyLeft).toEqual([]);
  expect(report.dependenciesMissing).toEqual([]);
  expect(report.health.status).toBe(200);
  expect(report.health.body).toMatchObject({ status: 'ok', platforms: { discord: { status: 'up' }, slack: { status: 'up', mode: 'http' } } });
  // The bot opened its store where the image's DATABASE_PATH points: on the volume, writable by its user.
  expect(report.volumes).toHaveLength(1);
  expect(report.volumes[0]!.path).toBe('/data');
  expect(report.volumes[0]!.files).toContain('briefbot.db');
  if (report.user.enforced) expect(report.volumes[0]!.ownedByUser).toBe(true);
  expect(report.exit, lines.join('\n') + report.stderr).toEqual({ code: 0, signal: null });
}, 240_000);
