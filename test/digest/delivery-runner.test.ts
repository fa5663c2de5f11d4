/**
 * Sending one digest: retries that wait out retry-after until the deadline, permanent failures that pause
 * the subscription with the platform's reason, rejected payloads, and picking up a delivery a
 * crash left half-sent without posting any part twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { digestJob } from '../../src/digest/digest-job.js';
import { retryDelay } from '../../src/digest/retry.js';
import { DeliveryError, deliveryKey, partNonce } from '../../src/digest/sender.js';
import { createHarness, idsInDiscordPart, type Harness } from './harness.js';

let h: Harness;
afterEach(() => h?.close());

const SLOT = '2025-03-01T08:00:00.000Z';

async function setup(platform: 'discord' | 'slack' = 'discord') {
  h = createHarness({ retry: { attempts: 4, minDelayMs: 100, maxDelayMs: 1000 } });
  h.addBriefings(['a', 'b']);
  return await h.subscribe({ platform, schedule: 'daily 08:00', at: '2025-02-01T00:00:00Z' });
}

describe('retries', () => {
  it('waits out a retry-after, then posts once', async () => {
    const sub = await setup();
    h.senders.discord.behaviour = (_p, n) => {
      if (n === 1) throw new DeliveryError('retry', 'rate limited', 2500);
      return undefined;
    };
    await digestJob.run(h.deps, new Date(SLOT));
    expect(h.sleeps).toEqual([2500]);
    expect(h.senders.discord.posted).toHaveLength(1);
    expect(await h.deps.deliveries.find(sub.id, SLOT)).toMatchObject({ status: 'delivered', attempts: 0 });
  });

  it('backs off exponentially on 5xx, within bounds', async () => {
    await setup();
    h.senders.discord.behaviour = (_p, n) => {
      if (n <= 3) throw new DeliveryError('retry', 'Discord HTTP 503');
      return undefined;
    };
    await digestJob.run(h.deps, new Date(SLOT));
    expect(h.sleeps).toEqual([100, 200, 400]);
    expect(retryDelay({ attempts: 9, minDelayMs: 100, maxDelayMs: 1000 }, 8, undefined, () => 0.5)).toBe(1000);
    expect(retryDelay({ attempts: 9, minDelayMs: 100, maxDelayMs: 1000 }, 1, 5000, () => 0.5)).toBe(5000);
  });

  it('gives a digest up at its deadline, the next slot, not after a count: the subscription stays, its briefings come next time', async () => {
    // Long waits, so the clock (moved on by each wait) reaches the next slot in a few dozen attempts.
    h = createHarness({ retry: { minDelayMs: 60_000, maxDelayMs: 3_600_000 } });
    h.addBriefings(['a', 'b']);
    const sub = await h.subscribe({ platform: 'discord', schedule: 'daily 08:00', at: '2025-02-01T00:00:00Z' });
    h.senders.discord.behaviour = () => {
      throw new DeliveryError('retry', 'Discord HTTP 502');
    };
    h.clock.now = new Date(SLOT);
    const report = await digestJob.run(h.deps, h.clock.now);
    expect(report.outcomes).toEqual({ failed: 1 });
    // Far more attempts than the old limit of 8, and the last wait cut short at the deadline.
    expect(h.senders.discord.attempts.length).toBeGreaterThan(20);
    expect(h.clock.now.toISOString()).toBe('2025-03-02T08:00:00.000Z');
    expect(await h.deps.deliveries.find(sub.id, SLOT)).toMatchObject({
      status: 'failed',
      lastError: "not delivered by 2025-03-02T08:00:00.000Z, the subscription's next slot; the last error: Discord HTTP 502",
    });
    expect((await h.deps.subscriptions.get(sub.id))?.status).toBe('active');
    h.senders.discord.behaviour = undefined;
    await digestJob.run(h.deps, new Date('2025-03-02T08:00:00Z'));
    expect(h.senders.discord.posted).toHaveLength(1);
    expect(idsInDiscordPart(h.senders.discord.posted[0]!)).toEqual(['b', 'a']);
  });

  it('fails at once a delivery resumed after its deadline, and the next slot carries its briefings', async () => {
    h = createHarness({ settings: { catchUpHours: 48 } });
    h.addBriefings(['a', 'b']);
    const sub = await h.subscribe({ platform: 'discord', schedule: 'daily 08:00', at: '2025-02-01T00:00:00Z' });
    const { delivery } = await h.deps.deliveries.record({ subscriptionId: sub.id, slot: SLOT, status: 'pending', items: 2, throughPosition: 2, parts: [{ content: 'x' }] }, new Date(SLOT));
    for (let i = 0; i < 3; i++) await h.deps.deliveries.markFailedAttempt(delivery.id, 'HTTP 500', new Date(SLOT));
    // The bot comes back an hour after the next slot.
    h.clock.now = new Date('2025-03-02T09:00:00Z');
    const report = await digestJob.run(h.deps, h.clock.now);
    expect(report).toMatchObject({ resumed: 1, recorded: 1 });
    expect(await h.deps.deliveries.get(delivery.id)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^not delivered by 2025-03-02T08:00:00.000Z/) });
    // Nothing was sent for the old slot; the new one has both briefings.
    expect(h.senders.discord.attempts).toHaveLength(1);
    expect(idsInDiscordPart(h.senders.discord.posted[0]!)).toEqual(['b', 'a']);
  });
});

describe('permanent failures', () => {
  it.each([
    ['discord', 'Discord 403 50001: Missing Access: the bot cannot see the channel'],
    ['discord', 'Discord 404 10003: Unknown Channel: the channel was deleted or the bot cannot see it'],
    ['slack', 'Slack: not_in_channel'],
    ['slack', 'Slack: channel_not_found'],
    ['slack', 'Slack: account_inactive'],
    ['slack', 'Slack: invalid_auth'],
  ] as const)('pause the %s subscription with the reason (%s)', async (platform, reason) => {
    const sub = await setup(platform);
    h.senders[platform].behaviour = () => {
      throw new DeliveryError('permanent', reason);
    };
    const report = await digestJob.run(h.deps, new Date(SLOT));
    expect(report.outcomes).toEqual({ paused: 1 });
    expect(h.senders[platform].attempts).toHaveLength(1);
    expect(await h.deps.subscriptions.get(sub.id)).toMatchObject({ status: 'paused', pausedReason: reason });
    expect(await h.deps.deliveries.find(sub.id, SLOT)).toMatchObject({ status: 'failed', lastError: reason });
    // A paused subscription is left alone by later runs.
    await digestJob.run(h.deps, new Date('2025-03-02T08:00:00Z'));
    expect(h.senders[platform].attempts).toHaveLength(1);
  });

  it('fails a digest the platform refuses, without pausing', async () => {
    const sub = await setup();
    h.senders.discord.behaviour = () => {
      throw new DeliveryError('rejected', 'Discord 400 50035: Invalid Form Body');
    };
    await digestJob.run(h.deps, new Date(SLOT));
    expect((await h.deps.deliveries.find(sub.id, SLOT))?.status).toBe('failed');
    expect((await h.deps.subscriptions.get(sub.id))?.status).toBe('active');
  });
});

describe('resuming what a crash left', () => {
  async function halfSent(platform: 'discord' | 'slack', landed: boolean) {
    const sub = await setup(platform);
    const parts = [{ n: 0 }, { n: 1 }, { n: 2 }];
    const { delivery } = await h.deps.deliveries.record({ subscriptionId: sub.id, slot: SLOT, status: 'pending', items: 3, throughPosition: 2, parts }, new Date(SLOT));
    await h.deps.deliveries.markAttempt(delivery.id, 0, new Date(SLOT));
    await h.deps.deliveries.markSent(delivery.id, 0, 'm0', new Date(SLOT));
    // The process died after starting part 1: the request may or may not have reached the platform.
    await h.deps.deliveries.markAttempt(delivery.id, 1, new Date(SLOT));
    const key = deliveryKey(sub.id, SLOT);
    if (landed) h.senders[platform].posted.push({ channelId: sub.channelId, deliveryKey: key, index: 1, count: 3, payload: parts[1], since: new Date(SLOT) });
    return { sub, delivery, key };
  }

  it('Slack: finds the part that landed in the channel history and does not post it again', async () => {
    const { delivery } = await halfSent('slack', true);
    const report = await digestJob.run(h.deps, new Date('2025-03-01T08:05:00Z'));
    expect(report).toMatchObject({ resumed: 1, recorded: 0, outcomes: { delivered: 1 } });
    expect(h.senders.slack.attempts.map((p) => p.index)).toEqual([2]);
    expect(h.senders.slack.lookups).toBe(1);
    expect(await h.deps.deliveries.get(delivery.id)).toMatchObject({ status: 'delivered', refs: ['m0', 'found', 'C1/2'] });
  });

  it('Slack: posts the part when the history does not have it', async () => {
    await halfSent('slack', false);
    await digestJob.run(h.deps, new Date('2025-03-01T08:05:00Z'));
    expect(h.senders.slack.attempts.map((p) => p.index)).toEqual([1, 2]);
  });

  it('Slack: checks the history before every resend, not only after a crash', async () => {
    await setup('slack');
    h.senders.slack.behaviour = (part, n) => {
      if (n === 1) {
        // Posted, but the answer was lost (a timeout).
        h.senders.slack.posted.push(part);
        throw new DeliveryError('retry', 'Slack request failed: timeout');
      }
      return undefined;
    };
    await digestJob.run(h.deps, new Date(SLOT));
    expect(h.senders.slack.posted).toHaveLength(1);
    expect(h.senders.slack.attempts).toHaveLength(1);
  });

  it('Discord: sends the part again with the same nonce (Discord returns the existing message)', async () => {
    const { key } = await halfSent('discord', true);
    await digestJob.run(h.deps, new Date('2025-03-01T08:05:00Z'));
    expect(h.senders.discord.attempts.map((p) => p.index)).toEqual([1, 2]);
    expect(partNonce(key, 1)).toBe(partNonce(key, 1));
    expect(partNonce(key, 1)).not.toBe(partNonce(key, 2));
    expect(partNonce(key, 1)).toHaveLength(25);
    expect(partNonce(deliveryKey(2, SLOT), 1)).not.toBe(partNonce(key, 1));
  });
});

describe('shutdown', () => {
  it('waits a bounded time for a send in flight and leaves the rest pending for the next start', async () => {
    const sub = await setup();
    let release!: () => void;
    h.senders.discord.behaviour = () => undefined;
    const slow = h.senders.discord.send.bind(h.senders.discord);
    h.senders.discord.send = async (part) => {
      await new Promise<void>((resolve) => (release = resolve));
      return slow(part);
    };
    const run = digestJob.run(h.deps, new Date(SLOT));
    await new Promise((resolve) => setImmediate(resolve));
    const started = Date.now();
    expect(await h.runner.stop(30)).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await h.deps.deliveries.find(sub.id, SLOT))?.status).toBe('pending');
    release();
    await run;
  });
});
