import { afterEach, describe, expect, it } from 'vitest';
import { digestCommand } from '../../src/commands/digest.js';
import type { Reply } from '../../src/reply/reply.js';
import { runCommandText } from '../../src/commands/run.js';
import type { CommandServices, Platform, User } from '../../src/commands/types.js';
import { syncConfigSubscriptions } from '../../src/digest/config-subscriptions.js';
import { createDigestCommands } from '../../src/digest/digest-commands.js';
import { digestJob } from '../../src/digest/digest-job.js';
import type { Subscription } from '../../src/store/subscriptions.js';
import { DeliveryError } from '../../src/digest/sender.js';
import { createHarness, type Harness } from './harness.js';

/**
 * /digest end to end through the command layer: the digest service's data (src/digest/digest-commands.ts)
 * and the command's words (src/commands/digest.ts), with the manager check done once, by runCommand.
 */

let h: Harness;
afterEach(() => h?.close());

const manager: User = { id: 'U1', name: 'ann', canManageChannel: true };
const member: User = { id: 'U2', name: 'bob', canManageChannel: false };
const channel = { id: 'C9', name: 'news' };

function setup(now = '2025-03-03T07:00:00Z') {
  h = createHarness({ now });
  const changes: Subscription[] = [];
  const digest = createDigestCommands({ ...h.deps, now: () => h.clock.now, onChange: (s) => changes.push(s) });
  const services: CommandServices = { library: h.library, logger: h.logger, now: () => h.clock.now, digest };
  /** `/digest <text>` as `user` in `channel` on `platform`. */
  const say = async (text: string, options: { user?: User; platform?: Platform } = {}) =>
    runCommandText([digestCommand], 'digest', text, { platform: options.platform ?? 'discord', user: options.user ?? manager, channel }, services);
  return { digest, changes, say };
}

function text(reply: Reply): string {
  return [reply.text, ...reply.cards.flatMap((c) => [c.title, c.description, ...c.sections.flatMap((s) => [s.text, ...(s.items ?? [])]), c.footer])].filter(Boolean).join('\n');
}

describe('/digest subscribe', () => {
  it('subscribes a channel, says when the first digest comes in its zone, and tells the scheduler', async () => {
    const { changes, say } = setup();
    const { reply, outcome } = await say('subscribe "daily 08:00" timezone:europe/london');
    expect(outcome).toBe('ok');
    expect(reply.error).toBeFalsy();
    expect(reply.text).toBe('Subscribed: a digest here daily 08:00 (Europe/London). Next: Mon 3 Mar 2025, 08:00 GMT. The first one carries the latest 3 briefings and anything new.');
    expect(changes).toHaveLength(1);
    expect(await h.deps.subscriptions.forChannel('discord', 'C9')).toMatchObject({ cron: '0 8 * * *', timezone: 'Europe/London', createdBy: 'U1', source: 'chat' });
    expect((await say('subscribe "weekdays 07:30" timezone:Europe/London')).reply.text).toMatch(/^Updated: a digest here weekdays 07:30 \(Europe\/London\)\. Next: Mon 3 Mar 2025, 07:30 GMT\.$/);
  });

  it('sets threads and what to do with a story with nothing new, says them, and keeps them when a later subscribe leaves them out', async () => {
    const { say } = setup();
    const { reply } = await say('subscribe "daily 08:00" threads:on unchanged:line');
    expect(reply.text).toMatch(/^Subscribed: a digest here daily 08:00 \(UTC\)\..* Threads: on, one per story\. Stories with nothing new: one line\.$/);
    expect(await h.deps.subscriptions.forChannel('discord', 'C9')).toMatchObject({ threads: true, unchanged: 'line' });
    // A new time only: the settings stay.
    const moved = (await say('subscribe "daily 09:00"')).reply.text;
    expect(moved).toMatch(/^Updated: .* Threads: on, one per story\. Stories with nothing new: one line\.$/);
    expect(await h.deps.subscriptions.forChannel('discord', 'C9')).toMatchObject({ cron: '0 9 * * *', threads: true, unchanged: 'line' });
    // A bare choice word works as in every text command.
    expect((await say('subscribe "daily 09:00" threads:off skip')).reply.text).toMatch(/^Updated: .* Threads: off\. Stories with nothing new: left out\.$/);
    expect(await h.deps.subscriptions.forChannel('discord', 'C9')).toMatchObject({ threads: false, unchanged: 'skip' });
    expect((await say('subscribe "daily 09:00" threads:off unchanged:skip')).reply.text).toMatch(/^Already subscribed: /);
    expect(text((await say('status')).reply)).toMatch(/^Threads: off\. Stories with nothing new: left out\.$/m);
    await say('subscribe "daily 09:00" threads:on');
    expect(text((await say('status')).reply)).toMatch(/^Threads: on, one per story\. Stories with nothing new: left out\.$/m);
  });

  it('refuses a setting it does not know, naming the ones there are', async () => {
    const { say } = setup();
    const { reply, outcome } = await say('subscribe "daily 08:00" threads:maybe unchanged:hide');
    expect(outcome).toBe('usage');
    expect(reply.text).toMatch(/threads must be one of: on, off/i);
    expect(reply.text).toMatch(/unchanged must be one of: skip, line/i);
    expect(await h.deps.subscriptions.live()).toEqual([]);
  });

  it('explains what schedules are accepted when it cannot read one', async () => {
    const { say } = setup();
    const { reply, outcome } = await say('subscribe "at breakfast"', { platform: 'slack' });
    expect(outcome).toBe('usage');
    expect(reply.error).toBe(true);
    expect(reply.text).toMatch(/could not read "at breakfast" as a schedule\. Use one of: daily 08:00, weekdays 07:30/);
    expect(reply.text).not.toMatch(/\.\.$/);
    expect((await say('subscribe "daily 08:00" timezone:Moon/Base', { platform: 'slack' })).reply.text).toMatch(/not a time zone/);
    expect(await h.deps.subscriptions.live()).toEqual([]);
  });

  it('is for channel managers only: the command layer refuses before the service is asked', async () => {
    const { say, changes } = setup();
    for (const line of ['subscribe "daily 08:00"', 'unsubscribe']) {
      const { reply, outcome } = await say(line, { user: member });
      expect(outcome).toBe('not-allowed');
      expect(reply).toMatchObject({ error: true, text: expect.stringMatching(/^Only people who can manage this channel can use \/digest /) });
    }
    expect(changes).toEqual([]);
    expect(await h.deps.subscriptions.live()).toEqual([]);
  });

  it('refuses the console, and channels whose digest is configured in the files', async () => {
    const { say } = setup();
    expect((await say('subscribe "daily 08:00"', { platform: 'console' })).reply.text).toMatch(/Discord or Slack/);
    await syncConfigSubscriptions(h.deps.subscriptions, [{ platform: 'slack', channel: 'C9', schedule: 'daily 09:00', timezone: 'UTC' }], h.clock.now, 0);
    const configured = await say('subscribe "daily 08:00"', { platform: 'slack' });
    expect(configured.outcome).toBe('not-allowed');
    expect(configured.reply.text).toBe("This channel's digest (daily 09:00 (UTC)) is set in briefbot's configuration; change it there.");
    expect((await say('unsubscribe', { platform: 'slack' })).reply.text).toMatch(/remove it there\.$/);
  });
});

describe('/digest unsubscribe and status', () => {
  it('shows the next run in the channel zone, the last delivery and the failures', async () => {
    const { say } = setup('2025-03-29T12:00:00Z');
    await h.addBriefings(['a', 'b']);
    await say('subscribe "daily 08:00" timezone:Europe/London');
    let status = text((await say('status')).reply);
    expect(status).toMatch(/Digest: daily 08:00 \(Europe\/London\)/);
    // Across the change to summer time: the next 08:00 is BST.
    expect(status).toMatch(/Next digest: Sun 30 Mar 2025, 08:00 BST\./);
    expect(status).toMatch(/No digest delivered here yet\./);
    expect(status).toMatch(/No failures in the last 7 days\./);

    h.clock.now = new Date('2025-03-30T07:00:00Z');
    await digestJob.run(h.deps, h.clock.now);
    h.senders.discord.behaviour = () => {
      throw new DeliveryError('rejected', 'Discord 400 50035: Invalid Form Body');
    };
    h.clock.now = new Date('2025-03-31T07:00:00Z');
    await h.addBriefings(['c']);
    await digestJob.run(h.deps, h.clock.now);
    status = text((await say('status')).reply);
    expect(status).toMatch(/Next digest: Tue 1 Apr 2025, 08:00 BST\./);
    expect(status).toMatch(/Last delivered: Sun 30 Mar 2025, 08:00 BST \(2 briefings\)\./);
    expect(status).toMatch(/Failures in the last 7 days: 1; the latest, Mon 31 Mar 2025, 08:00 BST: Discord 400 50035: Invalid Form Body\./);
  });

  it('says why a subscription paused and how to resume it', async () => {
    const { say } = setup('2025-03-03T07:00:00Z');
    await h.addBriefings(['a']);
    await say('subscribe "daily 08:00"', { platform: 'slack' });
    h.senders.slack.behaviour = () => {
      throw new DeliveryError('permanent', 'Slack: not_in_channel');
    };
    h.clock.now = new Date('2025-03-03T08:00:00Z');
    await digestJob.run(h.deps, h.clock.now);
    const status = text((await say('status', { platform: 'slack' })).reply);
    expect(status).toMatch(/Paused since Mon 3 Mar 2025, 08:00 UTC: Slack: not_in_channel\./);
    expect(status).toMatch(/run \/digest subscribe to resume/);
    h.senders.slack.behaviour = undefined;
    expect((await say('subscribe "daily 08:00"', { platform: 'slack' })).reply.text).toMatch(/^Resumed: /);
    expect((await h.deps.subscriptions.forChannel('slack', 'C9'))?.status).toBe('active');
  });

  it('unsubscribes, and says so when there is nothing to remove', async () => {
    const { changes, say, digest } = setup();
    await say('subscribe "daily 08:00"');
    expect((await say('unsubscribe')).reply.text).toBe('Unsubscribed: no more digests here (it was daily 08:00 (UTC)).');
    expect(changes.at(-1)?.status).toBe('removed');
    expect((await say('unsubscribe')).reply.text).toBe('No digest is set up here.');
    expect((await say('status')).reply.text).toMatch(/No digest is set up here/);
    expect(await digest.status({ platform: 'discord', channel })).toBeUndefined();
  });
});

describe('/digest now', () => {
  it('previews the next digest without recording anything', async () => {
    const { say } = setup();
    expect((await say('now')).reply.text).toBe('Nothing to post yet: no articles are loaded.');
    await h.addBriefings(['a', 'b', 'c', 'd']);
    expect((await say('now')).reply.text).toBe('No digest is set up here. A first digest would post 3 briefings:');
    await say('subscribe "daily 08:00"');
    const preview = (await say('now')).reply;
    expect(preview.text).toBe('The digest at Mon 3 Mar 2025, 08:00 UTC would post 3 briefings:');
    expect(preview.cards).toHaveLength(3);
    expect(await h.deps.deliveries.counts()).toMatchObject({ pending: 0, delivered: 0 });
    h.clock.now = new Date('2025-03-03T08:00:00Z');
    await digestJob.run(h.deps, h.clock.now);
    expect((await say('now')).reply.text).toMatch(/^Nothing new since the last digest: the digest at Tue 4 Mar 2025, 08:00 UTC will be skipped/);
  });

  it('previews the same first digest with no scheduler (the console) as a channel without a digest would get', async () => {
    const { say, digest } = setup();
    await h.addBriefings(['a', 'b', 'c', 'd']);
    const withScheduler = (await say('now')).reply;
    const services: CommandServices = { library: h.library, logger: h.logger, now: () => h.clock.now };
    const console = (await runCommandText([digestCommand], 'digest', 'now', { platform: 'console', user: member, channel }, services)).reply;
    expect(console.text).toBe('The next digest would post 3 briefings:');
    expect(console.cards).toEqual(withScheduler.cards);
    expect((await digest.preview({ platform: 'discord', channel })).content?.cards).toEqual(withScheduler.cards);
  });
});

describe('subscriptions from the configuration', () => {
  it('creates, updates and removes what config/*.yaml lists, and reports every bad entry', async () => {
    setup();
    const subs = h.deps.subscriptions;
    const now = h.clock.now;
    const first = await syncConfigSubscriptions(subs, [
      { platform: 'discord', channel: 'D1', schedule: 'daily 08:00', timezone: 'Europe/London' },
      { platform: 'slack', channel: 'S1', schedule: 'weekdays 07:30', timezone: 'America/New_York', backfill: 5, nothingNew: 'note' },
    ], now, 0);
    expect(first).toMatchObject({ created: 2, updated: 0, removed: 0 });
    expect(await subs.forChannel('slack', 'S1')).toMatchObject({ cron: '30 7 * * 1-5', backfill: 5, nothingNew: 'note', source: 'config' });
    expect(await subs.forChannel('slack', 'S1')).not.toHaveProperty('threads');
    const again = await syncConfigSubscriptions(subs, [{ platform: 'discord', channel: 'D1', schedule: 'daily 09:00', timezone: 'Europe/London' }], now, 0);
    expect(again).toMatchObject({ created: 0, updated: 1, removed: 1 });
    expect((await subs.live()).map((s) => `${s.platform}:${s.channelId}:${s.cron}`)).toEqual(['discord:D1:0 9 * * *']);
    // A configured subscription that paused itself stays paused while its entry is unchanged.
    await subs.pause((await subs.forChannel('discord', 'D1'))!.id, 'Missing Access', now);
    await syncConfigSubscriptions(subs, [{ platform: 'discord', channel: 'D1', schedule: 'daily 09:00', timezone: 'Europe/London' }], now, 0);
    expect((await subs.forChannel('discord', 'D1'))?.status).toBe('paused');
    await expect(
      syncConfigSubscriptions(subs, [
        { platform: 'discord', channel: 'D1', schedule: 'whenever', timezone: 'UTC' },
        { platform: 'slack', channel: 'S2', schedule: 'daily 08:00', timezone: 'Nowhere/Land' },
      ], now, 0),
    ).rejects.toThrow(/digest\.subscriptions\.0 \(discord D1\): I could not read "whenever"[\s\S]*digest\.subscriptions\.1 \(slack S2\): "Nowhere\/Land" is not a time zone/);
  });

  it('applies the story digest settings an entry lists, and notices when they change', async () => {
    setup();
    const subs = h.deps.subscriptions;
    const now = h.clock.now;
    const entry = { platform: 'discord' as const, channel: 'D1', schedule: 'daily 08:00', timezone: 'UTC', threads: true, unchanged: 'line' as const };
    expect(await syncConfigSubscriptions(subs, [entry], now, 0)).toMatchObject({ created: 1 });
    expect(await subs.forChannel('discord', 'D1')).toMatchObject({ threads: true, unchanged: 'line', source: 'config' });
    expect(await syncConfigSubscriptions(subs, [entry], now, 0)).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await syncConfigSubscriptions(subs, [{ ...entry, threads: false }], now, 0)).toMatchObject({ updated: 1 });
    expect(await subs.forChannel('discord', 'D1')).toMatchObject({ threads: false, unchanged: 'line' });
    // Taken out of the entry: back to unset (the defaults).
    const { threads: _t, unchanged: _u, ...plain } = entry;
    expect(await syncConfigSubscriptions(subs, [plain], now, 0)).toMatchObject({ updated: 1 });
    const cleared = await subs.forChannel('discord', 'D1');
    expect(cleared).not.toHaveProperty('threads');
    expect(cleared).not.toHaveProperty('unchanged');
  });
});
