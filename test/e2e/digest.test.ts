/**
 * Digests through the real Discord REST client and Slack Web API client, against the fakes:
 * what lands in the channels, the nonce and metadata that make resends harmless, permanent
 * failures pausing a subscription, and retry-after honoured.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { statusReply } from '../../src/commands/digest.js';
import { createDeliveryRunner } from '../../src/digest/delivery-runner.js';
import { deliveryDeadline, digestJob } from '../../src/digest/digest-job.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createDiscordSender } from '../../src/platforms/discord/sender.js';
import { DIGEST_EVENT_TYPE, deliveryKey, partNonce } from '../../src/digest/sender.js';
import { discordError, discordRateLimited } from '../fakes/fake-discord.js';
import { slackError, slackHttpError, slackRateLimited } from '../fakes/fake-slack.js';
import { createDigestE2E, type DigestE2E } from '../digest/e2e-context.js';

let ctx: DigestE2E | undefined;
afterEach(async () => {
  await ctx?.stop();
  ctx = undefined;
});

const SLOT = new Date('2025-03-03T08:00:00Z');

describe('digest delivery against the fakes', () => {
  it('posts the digest to a Discord channel with a nonce derived from the delivery key, enforced', async () => {
    ctx = await createDigestE2E();
    const channel = ctx.discordChannels[0]!;
    const sub = await ctx.subscribe('discord', channel);
    const report = await digestJob.run(ctx.service.deps, SLOT);
    expect(report.outcomes).toEqual({ delivered: 1 });
    const messages = ctx.discord.messages.filter((m) => m.channel_id === channel);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.embeds.map((e) => e.title)).toEqual(['Title of story-2', 'Title of story-1', 'Title of story-0']);
    expect(messages[0]!.embeds[0]!.url).toBe('https://news.example/2');
    const request = ctx.discord.requests.find((r) => r.method === 'POST' && r.path === `/channels/${channel}/messages`)!;
    const body = request.body as { nonce: string; enforce_nonce: boolean; allowed_mentions: unknown };
    expect(body.nonce).toBe(partNonce(deliveryKey(sub.id, SLOT.toISOString()), 0));
    expect(body.nonce.length).toBeLessThanOrEqual(25);
    expect(body.enforce_nonce).toBe(true);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(ctx.discord.violations).toEqual([]);
  });

  it('a Discord part sent twice (its answer lost) is one message: the nonce returns the first', async () => {
    ctx = await createDigestE2E();
    const channel = ctx.discordChannels[0]!;
    const sender = createDiscordSender({ token: 'fake-bot-token', apiUrl: ctx.discord.apiUrl });
    const part = { channelId: channel, deliveryKey: '7:2025-03-03T08:00:00.000Z', index: 0, count: 1, payload: { content: 'hello', embeds: [], components: [], allowed_mentions: { parse: [] } }, since: SLOT };
    const first = await sender.send(part);
    const second = await sender.send(part);
    expect(second.ref).toBe(first.ref);
    expect(ctx.discord.messages).toHaveLength(1);
    expect(ctx.discord.nonceHits).toHaveLength(1);
  });

  it('posts to Slack with metadata carrying the delivery key, and finds it in the history before a resend', async () => {
    ctx = await createDigestE2E();
    const sub = await ctx.subscribe('slack', 'C0SLACK1');
    // The first post lands, but its answer is a 500: the resend must find it instead of posting again.
    const reg = ctx.slack.register('chat.postMessage', ({ callCount, body }) => {
      if (callCount !== 1) return undefined;
      const params = body as Record<string, unknown>;
      ctx!.slack.addMessage(String(params.channel), {
        user: ctx!.slack.botUserId,
        bot_id: ctx!.slack.botId,
        text: String(params.text),
        metadata: params.metadata as never,
      });
      return slackHttpError(500);
    });
    const report = await digestJob.run(ctx.service.deps, SLOT);
    expect(report.outcomes).toEqual({ delivered: 1 });
    expect(reg.callCount).toBe(1);
    const messages = ctx.slack.messages.filter((m) => m.channel === 'C0SLACK1');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.metadata).toEqual({ event_type: DIGEST_EVENT_TYPE, event_payload: { key: deliveryKey(sub.id, SLOT.toISOString()), part: 0, parts: 1 } });
    const history = ctx.slack.requests.filter((r) => r.method === 'conversations.history');
    expect(history).toHaveLength(1);
    expect(history[0]!.params.include_all_metadata).toBeTruthy();
  });

  it.each([
    ['missing-access', 'Discord 403 50001: Missing Access: the bot cannot see the channel'],
    ['unknown', 'Discord 404 10003: Unknown Channel: the channel was deleted or the bot cannot see it'],
  ] as const)('pauses a Discord subscription whose channel answers %s, with the reason', async (fault, reason) => {
    ctx = await createDigestE2E();
    const channel = ctx.discordChannels[1]!;
    const sub = await ctx.subscribe('discord', channel);
    ctx.discord.setChannelFault(channel, fault);
    await digestJob.run(ctx.service.deps, SLOT);
    expect(await ctx.service.deps.subscriptions.get(sub.id)).toMatchObject({ status: 'paused', pausedReason: reason });
    expect(ctx.discord.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(statusReply(await ctx.service.commands.status({ platform: 'discord', channel: { id: channel } })).cards[0]!.sections[0]!.items![0]).toMatch(/^Paused since .*Missing Access|Unknown Channel/);
  });

  it.each(['channel_not_found', 'not_in_channel', 'account_inactive', 'invalid_auth', 'token_revoked'])('pauses a Slack subscription on %s', async (error) => {
    ctx = await createDigestE2E();
    const sub = await ctx.subscribe('slack', 'C0SLACK2');
    ctx.slack.register('chat.postMessage', () => slackError(error));
    await digestJob.run(ctx.service.deps, SLOT);
    expect(await ctx.service.deps.subscriptions.get(sub.id)).toMatchObject({ status: 'paused', pausedReason: `Slack: ${error}` });
    expect(ctx.slack.requests.filter((r) => r.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('waits out retry-after on a 429 from either platform, then posts once', async () => {
    ctx = await createDigestE2E();
    const channel = ctx.discordChannels[0]!;
    await ctx.subscribe('discord', channel);
    await ctx.subscribe('slack', 'C0SLACK3');
    ctx.discord.register('POST', '/channels/:channelId/messages', ({ callCount }) => (callCount === 1 ? discordRateLimited(0.3) : undefined));
    ctx.slack.register('chat.postMessage', ({ callCount }) => (callCount === 1 ? slackRateLimited(1) : undefined));
    const started = Date.now();
    await digestJob.run(ctx.service.deps, SLOT);
    const posts = ctx.discord.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.time - posts[0]!.time).toBeGreaterThanOrEqual(290);
    const slackPosts = ctx.slack.requests.filter((r) => r.method === 'chat.postMessage');
    expect(slackPosts).toHaveLength(2);
    expect(slackPosts[1]!.time - slackPosts[0]!.time).toBeGreaterThanOrEqual(990);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ctx.discord.messages).toHaveLength(1);
    expect(ctx.slack.messages).toHaveLength(1);
  });

  it('ends a send that Discord keeps answering with 429 at the deadline (the next slot), not after a count', async () => {
    ctx = await createDigestE2E();
    const channel = ctx.discordChannels[0]!;
    // Hourly: the job runs 0.4 s before the next slot, so the deadline comes within the test.
    const sub = await ctx.subscribe('discord', channel, '0 * * * *');
    const always = ctx.discord.register('POST', '/channels/:channelId/messages', () => discordRateLimited(0.05));
    const sender = createDiscordSender({ token: 'fake-bot-token', apiUrl: ctx.discord.apiUrl, sendDeadlineMs: 150 });
    const deps = {
      ...ctx.service.deps,
      runner: createDeliveryRunner({ ...ctx.service.deps, senders: { discord: sender }, retry: { minDelayMs: 5, maxDelayMs: 10 }, logger: silentLogger(), deadline: (s, d) => deliveryDeadline(s, d.slot) }),
    };
    const started = Date.now();
    await digestJob.run(deps, new Date(SLOT.getTime() + 3_600_000 - 400));
    expect(await ctx.service.deps.deliveries.find(sub.id, SLOT.toISOString())).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/^not delivered by 2025-03-03T09:00:00.000Z, the subscription's next slot; the last error: /),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(always.callCount).toBeGreaterThan(1);
    expect(ctx.discord.messages).toHaveLength(0);
  });

  it('retries a Discord 5xx with backoff and gives a 400 up without pausing', async () => {
    ctx = await createDigestE2E();
    const [a, b] = ctx.discordChannels;
    const subA = await ctx.subscribe('discord', a!);
    const subB = await ctx.subscribe('discord', b!);
    ctx.discord.register('POST', `/channels/${a}/messages`, ({ callCount }) => (callCount <= 2 ? { status: 503, body: { message: 'unavailable', code: 0 } } : undefined));
    ctx.discord.register('POST', `/channels/${b}/messages`, () => discordError(400, 50035, 'Invalid Form Body'));
    await digestJob.run(ctx.service.deps, SLOT);
    expect((await ctx.service.deps.deliveries.find(subA.id, SLOT.toISOString()))?.status).toBe('delivered');
    expect(ctx.discord.messages.filter((m) => m.channel_id === a)).toHaveLength(1);
    expect(await ctx.service.deps.deliveries.find(subB.id, SLOT.toISOString())).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/Discord 400 50035/) });
    expect((await ctx.service.deps.subscriptions.get(subB.id))?.status).toBe('active');
  });

  it('spaces a channel\'s Slack posts a second apart instead of collecting 429s', async () => {
    ctx = await createDigestE2E({ slack: { rateLimits: true }, briefings: 14, digest: { maxItems: 14 } });
    await ctx.subscribe('slack', 'C0SLACK4');
    await digestJob.run(ctx.service.deps, SLOT);
    const posts = ctx.slack.requests.filter((r) => r.method === 'chat.postMessage');
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.every((p) => p.status === 200 && (p.response as { ok: boolean }).ok)).toBe(true);
    expect(posts[1]!.time - posts[0]!.time).toBeGreaterThanOrEqual(1000);
  });
});
