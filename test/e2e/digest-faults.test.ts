/**
 * Fault injection across both fakes: 30% of posts answered 429, some 5xx (a few after the
 * message had landed), some channels permanently 403/404 (Discord) or channel_not_found /
 * not_in_channel (Slack). Every subscription must end delivered exactly once, counted on the
 * fakes, or paused with its reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { digestJob } from '../../src/digest/digest-job.js';
import { DIGEST_EVENT_TYPE } from '../../src/digest/sender.js';
import { discordRateLimited } from '../fakes/fake-discord.js';
import { slackError, slackHttpError, slackRateLimited } from '../fakes/fake-slack.js';
import { createDigestE2E, type DigestE2E } from '../digest/e2e-context.js';

let ctx: DigestE2E | undefined;
afterEach(async () => {
  await ctx?.stop();
  ctx = undefined;
});

/** Deterministic pseudo-randomness, so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('digest fan-out under platform faults', () => {
  it('ends every subscription delivered exactly once or paused with its reason', async () => {
    const PER_PLATFORM = 60;
    // 14 briefings: two messages per digest on both platforms, so parts and their order are exercised too.
    // The fake Slack's per-channel limit is off here, so the sender's spacing can be short too.
    ctx = await createDigestE2E({ discordChannels: PER_PLATFORM, briefings: 14, digest: { maxItems: 14 }, slackIntervalMs: 50 });
    const { discord, slack } = ctx;
    const random = rng(20250303);

    const discordChannels = ctx.discordChannels;
    const forbidden = new Set(discordChannels.slice(0, 4));
    const unknown = new Set(discordChannels.slice(4, 7));
    for (const id of forbidden) discord.setChannelFault(id, 'missing-access');
    for (const id of unknown) discord.setChannelFault(id, 'unknown');
    const counts = { discord429: 0, discord5xx: 0, slack429: 0, slack5xx: 0, slackLanded5xx: 0 };
    discord.register('POST', '/channels/:channelId/messages', ({ params }) => {
      if (forbidden.has(params.channelId!) || unknown.has(params.channelId!)) return undefined;
      const r = random();
      if (r < 0.3) {
        counts.discord429++;
        return discordRateLimited(0.02 + random() * 0.05);
      }
      if (r < 0.4) {
        counts.discord5xx++;
        return { status: [500, 502, 503][Math.floor(random() * 3)]!, body: { message: 'upstream trouble', code: 0 } };
      }
      return undefined;
    });

    const slackChannels = Array.from({ length: PER_PLATFORM }, (_, i) => `C0FAULT${String(i).padStart(3, '0')}`);
    const slackGone = new Map([
      [slackChannels[0]!, 'channel_not_found'],
      [slackChannels[1]!, 'not_in_channel'],
      [slackChannels[2]!, 'channel_not_found'],
      [slackChannels[3]!, 'is_archived'],
    ]);
    slack.register('chat.postMessage', ({ body }) => {
      const params = body as Record<string, unknown>;
      const channel = String(params.channel);
      const gone = slackGone.get(channel);
      if (gone) return slackError(gone);
      const r = random();
      if (r < 0.3) {
        counts.slack429++;
        return slackRateLimited(random() < 0.1 ? 1 : 0);
      }
      if (r < 0.37) {
        counts.slack5xx++;
        return slackHttpError([500, 503][Math.floor(random() * 2)]);
      }
      if (r < 0.4) {
        // The worst case: the message landed, the answer was a 500.
        counts.slackLanded5xx++;
        slack.addMessage(channel, { user: slack.botUserId, bot_id: slack.botId, text: String(params.text), metadata: params.metadata as never });
        return slackHttpError(500);
      }
      return undefined;
    });

    const subs = [];
    for (const c of discordChannels) subs.push(await ctx.subscribe('discord', c));
    for (const c of slackChannels) subs.push(await ctx.subscribe('slack', c));
    const slot = new Date('2025-03-03T08:00:00Z');
    await digestJob.run(ctx.service.deps, slot);
    // A second run (a restart, the sweep) changes nothing.
    expect(await digestJob.run(ctx.service.deps, new Date('2025-03-03T08:01:00Z'))).toMatchObject({ recorded: 0, resumed: 0 });

    expect(counts.discord429).toBeGreaterThan(10);
    expect(counts.slack429).toBeGreaterThan(10);
    expect(counts.discord5xx + counts.slack5xx).toBeGreaterThan(5);

    const problems: string[] = [];
    for (const sub of subs) {
      const state = (await ctx.service.deps.subscriptions.get(sub.id))!;
      const delivery = (await ctx.service.deps.deliveries.find(sub.id, slot.toISOString()))!;
      const received =
        sub.platform === 'discord'
          ? discord.messages.filter((m) => m.channel_id === sub.channelId).map((m) => String(m.nonce))
          : slack.messages.filter((m) => m.channel === sub.channelId).map((m) => String(m.metadata?.event_payload.part));
      const permanent = sub.platform === 'discord' ? forbidden.has(sub.channelId) || unknown.has(sub.channelId) : slackGone.has(sub.channelId);
      if (permanent) {
        if (state.status !== 'paused' || !state.pausedReason) problems.push(`${sub.channelId}: should be paused, is ${state.status}`);
        if (received.length !== 0) problems.push(`${sub.channelId}: paused but received ${received.length}`);
        continue;
      }
      if (delivery.status !== 'delivered') problems.push(`${sub.channelId}: ${delivery.status} ${delivery.lastError ?? ''}`);
      // Exactly the digest's parts, each once.
      if (received.length !== delivery.parts.length || new Set(received).size !== received.length) {
        problems.push(`${sub.channelId}: received ${received.length} messages for ${delivery.parts.length} parts (${received.join(',')})`);
      }
    }
    expect(problems).toEqual([]);
    expect(discord.messages.every((m) => typeof m.nonce === 'string' && m.nonce.length <= 25)).toBe(true);
    expect(slack.messages.every((m) => m.metadata?.event_type === DIGEST_EVENT_TYPE)).toBe(true);
    const paused = (await ctx.service.deps.subscriptions.live()).filter((s) => s.status === 'paused');
    expect(paused.map((s) => s.pausedReason).sort()).toEqual(
      [
        ...Array(4).fill('Discord 403 50001: Missing Access: the bot cannot see the channel'),
        ...Array(3).fill('Discord 404 10003: Unknown Channel: the channel was deleted or the bot cannot see it'),
        'Slack: channel_not_found',
        'Slack: channel_not_found',
        'Slack: is_archived',
        'Slack: not_in_channel',
      ].sort(),
    );
  });
});
