/**
 * Story digests through the real Discord REST client and Slack Web API client, against the fakes:
 * three outlets' articles on one event posted as one digest item; a fourth article, later, posted
 * as an update that says only what is new; with threads on, the story opens a thread and the
 * update lands in it. The articles are written for the tests (test/fixtures/stories/porto-floods.ts)
 * and briefed by the real engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import { digestCommand } from '../../src/commands/digest.js';
import { runCommandText } from '../../src/commands/run.js';
import { digestJob } from '../../src/digest/digest-job.js';
import { createDigestService } from '../../src/digest/digest-service.js';
import { renderDigest } from '../../src/platforms/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { createStoryBook } from '../../src/stories/index.js';
import type { PlatformName } from '../../src/platforms/names.js';
import type { Subscription } from '../../src/store/subscriptions.js';
import { createDigestE2E, type DigestE2E } from '../digest/e2e-context.js';
import { PORTO_DAY_ONE, PORTO_DAY_THREE } from '../fixtures/stories/porto-floods.js';

let ctx: DigestE2E | undefined;
afterEach(async () => {
  await ctx?.stop();
  ctx = undefined;
});

const DAY_ONE_SLOT = new Date('2026-12-02T18:00:00Z');
const DAY_THREE_SLOT = new Date('2026-12-04T18:00:00Z');
const SLACK_CHANNEL = 'C0STORY1';

async function add(context: DigestE2E, article: Article): Promise<void> {
  await context.library.add({ briefing: createBriefing(article), ingestedAt: new Date().toISOString(), contentHash: `hash-${article.id}` }, { article });
}

async function subscribe(context: DigestE2E, platform: PlatformName, channelId: string, threads: boolean): Promise<Subscription> {
  const input = { platform, channelId, schedule: 'cron 0 18 * * *', cron: '0 18 * * *', timezone: 'UTC', source: 'chat' as const, threads };
  return (await context.service.deps.subscriptions.save(input, new Date('2026-12-01T00:00:00Z'), 0)).subscription;
}

/** Everything a Discord message shows, as text. */
const discordText = (m: { content: string; embeds: unknown[] }): string => `${m.content}\n${JSON.stringify(m.embeds)}`;
const slackText = (m: { text?: string; blocks?: unknown[] }): string => `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`;

async function setUp(threads: boolean): Promise<{ context: DigestE2E; discordChannel: string }> {
  const context = await createDigestE2E({ briefings: 0 });
  for (const article of PORTO_DAY_ONE) await add(context, article);
  const discordChannel = context.discordChannels[0]!;
  await subscribe(context, 'discord', discordChannel, threads);
  await subscribe(context, 'slack', SLACK_CHANNEL, threads);
  return { context, discordChannel };
}

describe('story digests against the fakes', () => {
  it('posts three articles of one story as one item, then a fourth as an update that says only what is new', async () => {
    const { context, discordChannel } = await setUp(false);
    ctx = context;

    expect((await digestJob.run(context.service.deps, DAY_ONE_SLOT)).outcomes).toEqual({ delivered: 2 });
    const [first, ...more] = context.discord.messages.filter((m) => m.channel_id === discordChannel);
    expect(more).toEqual([]);
    expect(first!.content).toBe('Your first briefbot digest: the latest story.');
    expect(first!.embeds).toHaveLength(1);
    expect(discordText(first!)).toContain('carried by 3 outlets (Reuters, AP, BBC)');
    const slackFirst = context.slack.messages.filter((m) => m.channel === SLACK_CHANNEL);
    expect(slackFirst).toHaveLength(1);
    expect(slackText(slackFirst[0]!)).toContain('carried by 3 outlets (Reuters, AP, BBC)');

    await add(context, PORTO_DAY_THREE);
    expect((await digestJob.run(context.service.deps, DAY_THREE_SLOT)).outcomes).toEqual({ delivered: 2 });
    const discordUpdate = context.discord.messages.filter((m) => m.channel_id === discordChannel)[1]!;
    const slackUpdate = context.slack.messages.filter((m) => m.channel === SLACK_CHANNEL)[1]!;
    for (const text of [discordText(discordUpdate), slackText(slackUpdate)]) {
      expect(text).toContain('1 story update');
      expect(text).toContain('Update: Floods kill 40 in Porto as the Douro bursts its banks');
      expect(text).toContain('people killed: 40 → 52 (the civil protection agency, as of 2026-12-04); you were told 40 on 2 Dec');
      expect(text).toContain('The European Commission pledged 30 million euros');
      expect(text).toContain('Every family that lost a home will be helped to rebuild');
      expect(text).toContain('Now also reported by AFP.');
      // What the channel already had is not said again.
      expect(text).not.toContain('We have never seen the water rise this fast');
      expect(text).not.toContain('Trains between Porto and Lisbon');
      expect(text).not.toContain('1,200');
    }
  });

  it('with threads on, opens a thread for the story and posts the update in it', async () => {
    const { context, discordChannel } = await setUp(true);
    ctx = context;

    expect((await digestJob.run(context.service.deps, DAY_ONE_SLOT)).outcomes).toEqual({ delivered: 2 });
    const channelMessages = context.discord.messages.filter((m) => m.channel_id === discordChannel);
    // The digest's header, then the story as its own message with a thread on it.
    expect(channelMessages.map((m) => m.content)).toEqual(['Your first briefbot digest: the latest story.', '']);
    const storyMessage = channelMessages[1]!;
    const thread = context.discord.threads.find((t) => t.messageId === storyMessage.id)!;
    expect(thread.name).toBe('Floods kill 40 in Porto as the Douro bursts its banks');
    const slackParent = context.slack.messages.filter((m) => m.channel === SLACK_CHANNEL)[1]!;

    await add(context, PORTO_DAY_THREE);
    expect((await digestJob.run(context.service.deps, DAY_THREE_SLOT)).outcomes).toEqual({ delivered: 2 });
    const inThread = context.discord.threadMessages(thread.id);
    expect(inThread).toHaveLength(1);
    expect(discordText(inThread[0]!)).toContain('people killed: 40 → 52');
    // In the channel, only the header says where the update went.
    const after = context.discord.messages.filter((m) => m.channel_id === discordChannel && !inThread.includes(m));
    expect(after.slice(2).map((m) => m.content)).toEqual([expect.stringContaining('Updates are in their stories’ threads.')]);

    const replies = context.slack.threadReplies(SLACK_CHANNEL, slackParent.ts);
    expect(replies).toHaveLength(1);
    expect(slackText(replies[0]!)).toContain('people killed: 40 → 52');
    const ledger = await context.service.ledger.told((await context.service.deps.subscriptions.active()).find((s) => s.platform === 'slack')!.id, ['porto-floods-reuters']);
    expect(ledger.get('porto-floods-reuters')?.thread).toBe(slackParent.ts);
  });

  it('/digest now previews the digest a channel would get, by story: in a channel without a digest, in a subscribed one, and in the console', async () => {
    const { context, discordChannel } = await setUp(false);
    ctx = context;
    const unsubscribed = await context.service.commands.preview({ platform: 'discord', channel: { id: context.discordChannels[1] ?? 'unsubscribed-channel' } });
    expect(unsubscribed.subscription).toBeUndefined();
    expect(unsubscribed.content).toMatchObject({ items: 1, stories: true });
    expect(JSON.stringify(unsubscribed.content!.cards)).toContain('carried by 3 outlets (Reuters, AP, BBC)');
    const subscribed = await context.service.commands.preview({ platform: 'discord', channel: { id: discordChannel } });
    expect(subscribed.content?.cards).toEqual(unsubscribed.content!.cards);

    // The console has no scheduler: it previews a first digest from its own story book.
    const services = { library: context.library, stories: createStoryBook({ library: context.library }), logger: createLogger({ level: 'silent', pretty: false }), now: () => DAY_ONE_SLOT };
    const { reply } = await runCommandText([digestCommand], 'digest', 'now', { platform: 'console', user: { id: 'u1', name: 'reader', canManageChannel: false }, channel: { id: 'console' } }, services);
    expect(reply.text).toBe('The next digest would post 1 story:');
    expect(reply.cards).toEqual(unsubscribed.content!.cards);
  });

  it('housekeeping: drops a digest\'s rendered parts after 30 days, and forgets what a channel was told of a story after 90 untold', async () => {
    const { context } = await setUp(false);
    ctx = context;
    expect((await digestJob.run(context.service.deps, DAY_ONE_SLOT)).outcomes).toEqual({ delivered: 2 });
    const ids = (await context.service.deps.subscriptions.active()).map((s) => s.id);
    const told = async (): Promise<number> => (await Promise.all(ids.map(async (id) => (await context.service.ledger.told(id, ['porto-floods-reuters'])).size))).reduce((a, b) => a + b, 0);
    expect(await told()).toBe(2);
    const at = (days: number) => () => new Date(DAY_ONE_SLOT.getTime() + days * 86_400_000);
    const serviceAt = (days: number) => createDigestService({ config: context.config, store: context.store, library: context.library, logger: createLogger({ level: 'silent', pretty: false }), render: renderDigest, now: at(days) });
    // The runner finished them on the machine's clock: as if on the day of their slot, so every time below counts from it.
    context.store.db.prepare('UPDATE deliveries SET finished_at = ?').run(DAY_ONE_SLOT.toISOString());
    const delivered = async () => Promise.all(ids.map(async (id) => (await context.service.deps.deliveries.latest(id, ['delivered']))!));
    expect((await delivered()).every((d) => d.parts.length > 0 && d.plan !== undefined)).toBe(true);
    expect(await serviceAt(29).housekeep()).toEqual({ forgotten: 0, compacted: 0 });
    // After 30 days a delivered digest keeps its row, refs and place, not its rendered parts and plan.
    expect(await serviceAt(31).housekeep()).toEqual({ forgotten: 0, compacted: 2 });
    for (const d of await delivered()) expect(d).toMatchObject({ status: 'delivered', parts: [], refs: [expect.any(String)] });
    expect((await delivered()).every((d) => d.plan === undefined)).toBe(true);
    expect(await told()).toBe(2);
    expect(await serviceAt(89).housekeep()).toEqual({ forgotten: 0, compacted: 0 });
    expect(await serviceAt(91).housekeep()).toEqual({ forgotten: 2, compacted: 0 });
    expect(await told()).toBe(0);
  });
});
