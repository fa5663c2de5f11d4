import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { composeDigest } from '../../../src/digest/compose.js';
import { PLATFORM_NAMES, PLATFORMS, planPlatforms, platformNamed, renderDigest } from '../../../src/platforms/index.js';
import { aBriefing, anEntry } from '../../helpers/briefings.js';

/** The platform list: names declared once, each with its folder's platform, and nothing else. */

let empty: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), 'briefbot-platforms-'));
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

describe('the platform list', () => {
  it('has one platform per declared name, each named as its key', () => {
    expect(Object.keys(PLATFORMS).sort()).toEqual([...PLATFORM_NAMES].sort());
    for (const name of PLATFORM_NAMES) expect(PLATFORMS[name].name).toBe(name);
  });

  it('refuses a platform it does not know, rather than rendering for another', () => {
    const content = composeDigest({ entries: [anEntry(aBriefing('a'))], left: 0, throughPosition: 1, first: true }, { timezone: 'UTC' });
    expect(() => platformNamed('teams')).toThrow(/unknown platform "teams": briefbot knows discord, slack/);
    expect(() => renderDigest('teams', content)).toThrow(/unknown platform "teams"/);
    // Inherited object keys are not platforms either.
    expect(() => platformNamed('toString')).toThrow(/unknown platform/);
    // The two it knows render their own payloads: embeds for Discord, blocks for Slack.
    expect(renderDigest('discord', content)[0]).toHaveProperty('embeds');
    expect(renderDigest('slack', content)[0]).toHaveProperty('blocks');
  });
});

describe('planPlatforms', () => {
  const plan = (env: Record<string, string>): ReturnType<typeof planPlatforms> => planPlatforms(loadConfig({ dir: empty, env }));

  it('with no credentials runs nothing and says why each platform is off', () => {
    expect(plan({})).toEqual({
      enabled: [],
      problems: [],
      modes: {},
      off: [
        { platform: 'discord', reason: 'DISCORD_TOKEN and DISCORD_APPLICATION_ID are not set' },
        { platform: 'slack', reason: 'SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is not set' },
      ],
    });
  });

  it('enables a platform with complete credentials, Slack in Socket Mode or over HTTP', () => {
    expect(plan({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: 'a' }).enabled).toEqual(['discord']);
    expect(plan({ SLACK_BOT_TOKEN: 'b', SLACK_APP_TOKEN: 'x' })).toMatchObject({ enabled: ['slack'], modes: { slack: 'socket' } });
    expect(plan({ SLACK_BOT_TOKEN: 'b', SLACK_SIGNING_SECRET: 's' })).toMatchObject({ enabled: ['slack'], modes: { slack: 'http' } });
  });

  it.each([
    [{ DISCORD_TOKEN: 't' }, 'DISCORD_APPLICATION_ID'],
    [{ DISCORD_APPLICATION_ID: 'a' }, 'DISCORD_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'b' }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_APP_TOKEN: 'x' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN'],
  ])('treats a half-configured platform (%j) as a problem naming what is missing', (env, missing) => {
    const result = plan(env);
    expect(result.enabled).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain(`set ${missing}`);
  });

  it('reports both platforms when both are half-configured, and never repeats a secret', () => {
    const result = plan({ DISCORD_TOKEN: 'discord-secret-value', SLACK_APP_TOKEN: 'xapp-secret-value' });
    expect(result.problems).toHaveLength(2);
    expect(result.problems.join(' ')).not.toMatch(/secret-value/);
  });
});
