/**
 * Rate limits are not failures, and only an unknown outcome leads to a history check:
 * - the senders tell a 429 and a refused connection (nothing posted) from a timeout (it may have
 *   landed), on the real Slack and Discord clients;
 * - the runner waits a 429 out as often as it comes, without counting it or marking the part
 *   "may have landed", and cuts its waits at the deadline;
 * - the next slot's digest is composed only after an earlier one still being sent has ended, so
 *   the briefings of one that failed at its deadline are carried, not lost.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryRunner, type DeliveryRunner } from '../../src/digest/delivery-runner.js';
import { deliveryDeadline, digestJob } from '../../src/digest/digest-job.js';
import { createDiscordSender } from '../../src/platforms/discord/sender.js';
import { rateLimitDelay } from '../../src/digest/retry.js';
import { DeliveryError, type OutgoingPart } from '../../src/digest/sender.js';
import { createSlackSender } from '../../src/platforms/slack/sender.js';
import { createFakeDiscord, discordRateLimited } from '../fakes/fake-discord.js';
import { createFakeSlack, slackError, slackRateLimited, type FakeSlack } from '../fakes/fake-slack.js';
import { createHarness, idsInDiscordPart, type Harness } from './harness.js';
import { failure } from '../helpers/delivery-failure.js';

let h: Harness | undefined;
let slack: FakeSlack | undefined;
afterEach(async () => {
  h?.close();
  h = undefined;
  await slack?.stop();
  slack = undefined;
});

const SLOT = '2025-03-01T08:00:00.000Z';

const part = (channelId = 'C1'): OutgoingPart => ({ channelId, deliveryKey: `1:${SLOT}`, index: 0, count: 1, payload: { text: 'x', blocks: [] }, since: new Date(SLOT) });

/** A port nothing listens on: connecting is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}


describe('what a failed send says about the message', () => {
  it('Slack: a 429 (HTTP or ok:false ratelimited) is a rate limit with nothing posted; a 5xx and a timeout are unknown', async () => {
    slack = await createFakeSlack();
    const sender = createSlackSender({ token: 'xoxb-fake', apiUrl: slack.apiUrl, channelIntervalMs: 0, timeoutMs: 200 });
    const answers = [slackRateLimited(3), slackError('ratelimited'), { status: 503, body: 'busy' }, { status: 200, body: { ok: true, ts: '1.0' }, delayMs: 600 }];
    slack.register('chat.postMessage', ({ callCount }) => answers[callCount - 1]);
    expect(await failure(sender.send(part()))).toMatchObject({ kind: 'rate-limited', outcome: 'not-sent', retryAfterMs: 3000 });
    expect(await failure(sender.send(part()))).toMatchObject({ kind: 'rate-limited', outcome: 'not-sent' });
    expect(await failure(sender.send(part()))).toMatchObject({ kind: 'retry', outcome: 'unknown' });
    expect(await failure(sender.send(part()))).toMatchObject({ kind: 'retry', outcome: 'unknown' });
  });

  it('Slack and Discord: a refused connection is a retry with nothing posted', async () => {
    const port = await closedPort();
    const slackSender = createSlackSender({ token: 'xoxb-fake', apiUrl: `http://127.0.0.1:${port}/api/`, channelIntervalMs: 0 });
    expect(await failure(slackSender.send(part()))).toMatchObject({ kind: 'retry', outcome: 'not-sent' });
    const discordSender = createDiscordSender({ token: 'fake', apiUrl: `http://127.0.0.1:${port}/api` });
    expect(await failure(discordSender.send({ ...part('123'), payload: { content: 'x' } }))).toMatchObject({ kind: 'retry', outcome: 'not-sent' });
  });

  it('Discord with a shared pace: each request takes its turn there first; a pace that fails sends nothing', async () => {
    const discord = await createFakeDiscord();
    try {
      const channel = discord.guilds[0]!.channels[0]!.id;
      const turns: number[] = [];
      const pace = {
        take: async () => void turns.push(discord.messages.length),
        reserve: async () => ({ waitMs: 0, at: Date.now() }),
      };
      const sender = createDiscordSender({ token: 'fake', apiUrl: discord.apiUrl, globalPace: pace });
      await sender.send({ ...part(channel), payload: { content: 'one' } });
      await sender.send({ ...part(channel), index: 1, payload: { content: 'two' } });
      // One turn per request, each taken before its message reached Discord.
      expect(turns).toEqual([0, 1]);
      expect(discord.messages).toHaveLength(2);

      const broken = { ...pace, take: async () => Promise.reject(new Error('the store is unreachable')) };
      const failing = createDiscordSender({ token: 'fake', apiUrl: discord.apiUrl, globalPace: broken });
      expect(await failure(failing.send({ ...part(channel), index: 2, payload: { content: 'three' } }))).toMatchObject({ kind: 'retry', outcome: 'not-sent' });
      expect(discord.messages).toHaveLength(2);
    } finally {
      await discord.stop();
    }
  });

  it('Discord with a shared pace: a global 429 comes back as a rate limit (the retry takes a new turn), not retried inside the client', async () => {
    const discord = await createFakeDiscord();
    try {
      const channel = discord.guilds[0]!.channels[0]!.id;
      discord.register('POST', '/channels/:id/messages', ({ callCount }) => (callCount === 1 ? discordRateLimited(0.05, { global: true }) : undefined));
      let turns = 0;
      const pace = { take: async () => void turns++, reserve: async () => ({ waitMs: 0, at: Date.now() }) };
      const paced = createDiscordSender({ token: 'fake', apiUrl: discord.apiUrl, globalPace: pace });
      expect(await failure(paced.send({ ...part(channel), payload: { content: 'x' } }))).toMatchObject({ kind: 'rate-limited', outcome: 'not-sent' });
      expect(discord.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
      expect(turns).toBe(1);
      // Without a pace (one process), the client waits a global 429 out and retries by itself, as before.
      discord.register('POST', '/channels/:id/messages', ({ callCount }) => (callCount === 1 ? discordRateLimited(0.05, { global: true }) : undefined));
      const alone = createDiscordSender({ token: 'fake', apiUrl: discord.apiUrl });
      await alone.send({ ...part(channel), index: 1, payload: { content: 'y' } });
      expect(discord.messages).toHaveLength(1);
    } finally {
      await discord.stop();
    }
  });
});

describe('rateLimitDelay', () => {
  it('waits out the retry-after with up to a quarter more, and backs off when none was given', () => {
    const policy = { minDelayMs: 1000, maxDelayMs: 60_000 };
    expect(rateLimitDelay(policy, 1, 2000, () => 0)).toBe(2000);
    expect(rateLimitDelay(policy, 1, 2000, () => 0.999999)).toBe(2500);
    expect(rateLimitDelay(policy, 9, 2000, () => 0)).toBe(2000);
    expect(rateLimitDelay(policy, 1, undefined, () => 0)).toBe(1000);
    expect(rateLimitDelay(policy, 3, 0, () => 0)).toBe(4000);
    expect(rateLimitDelay(policy, 30, undefined, () => 0)).toBe(60_000);
  });
});

/** The harness's runner, but with a hook on every wait (to look at the store mid-delivery, or to hold the wait). */
function runnerWithWaits(harness: Harness, onWait: (ms: number) => Promise<void> | void): DeliveryRunner {
  return createDeliveryRunner({
    deliveries: harness.deps.deliveries,
    subscriptions: harness.deps.subscriptions,
    senders: harness.senders,
    retry: { minDelayMs: 100, maxDelayMs: 1000 },
    logger: harness.logger,
    now: () => harness.clock.now,
    deadline: (subscription, delivery) => deliveryDeadline(subscription, delivery.slot),
    random: () => 0.5,
    sleep: async (ms) => {
      harness.sleeps.push(ms);
      await onWait(ms);
      harness.clock.now = new Date(harness.clock.now.getTime() + ms);
    },
  });
}

describe('the runner under rate limits', () => {
  it('waits out 50 rate limits in a row without counting one, marking the part, or reading the history', async () => {
    h = createHarness({ now: SLOT });
    h.addBriefings(['a', 'b']);
    const sub = await h.subscribe({ platform: 'slack', at: '2025-02-01T00:00:00Z' });
    h.senders.slack.behaviour = (_p, n) => {
      if (n <= 50) throw new DeliveryError('rate-limited', 'Slack HTTP 429', 2000);
      return undefined;
    };
    const marks: Array<{ attempts: number; attemptedPart?: number }> = [];
    const harness = h;
    h.deps.runner = runnerWithWaits(h, async () => {
      const row = (await harness.deps.deliveries.find(sub.id, SLOT))!;
      marks.push({ attempts: row.attempts, ...(row.attemptedPart !== undefined ? { attemptedPart: row.attemptedPart } : {}) });
    });
    const report = await digestJob.run(h.deps, new Date(SLOT));
    expect(report.outcomes).toEqual({ delivered: 1 });
    expect(h.senders.slack.attempts).toHaveLength(51);
    expect(h.senders.slack.posted).toHaveLength(1);
    expect(h.senders.slack.lookups).toBe(0);
    // While waiting: no failure counted, nothing marked "may have landed" (a crash now would resend without a history read).
    expect(marks).toHaveLength(50);
    expect(marks.every((m) => m.attempts === 0 && m.attemptedPart === undefined)).toBe(true);
    expect(h.sleeps.every((ms) => ms === 2250)).toBe(true);
  });

  it('after a refused connection resends without a history read; after a timeout reads the history first', async () => {
    h = createHarness({ now: SLOT });
    h.addBriefings(['a']);
    await h.subscribe({ platform: 'slack', channelId: 'C-refused', at: '2025-02-01T00:00:00Z' });
    await h.subscribe({ platform: 'slack', channelId: 'C-timeout', at: '2025-02-01T00:00:00Z' });
    h.senders.slack.behaviour = (p, n) => {
      if (n > 1) return undefined;
      if (p.channelId === 'C-refused') throw new DeliveryError('retry', 'connect ECONNREFUSED', undefined, { outcome: 'not-sent' });
      throw new DeliveryError('retry', 'timeout');
    };
    await digestJob.run(h.deps, new Date(SLOT));
    expect(h.senders.slack.posted.map((p) => p.channelId).sort()).toEqual(['C-refused', 'C-timeout']);
    expect(h.senders.slack.lookups).toBe(1);
  });

  it('keeps the part marked when it is the history read that is rate limited, and reads again before any resend', async () => {
    h = createHarness({ now: SLOT });
    h.addBriefings(['a']);
    await h.subscribe({ platform: 'slack', at: '2025-02-01T00:00:00Z' });
    const slackSender = h.senders.slack;
    let reads = 0;
    const lookFor = slackSender.findSent!;
    slackSender.findSent = async (p) => {
      reads++;
      if (reads === 1) throw new DeliveryError('rate-limited', 'Slack HTTP 429 on conversations.history', 1000);
      return lookFor(p);
    };
    slackSender.behaviour = (p, n) => {
      if (n === 1) {
        // Landed, but the answer was lost.
        slackSender.posted.push(p);
        throw new DeliveryError('retry', 'socket hang up');
      }
      return undefined;
    };
    await digestJob.run(h.deps, new Date(SLOT));
    expect(reads).toBe(2);
    expect(slackSender.attempts).toHaveLength(1);
    expect(slackSender.posted).toHaveLength(1);
  });

  it('never waits past the deadline: a retry-after beyond the next slot ends the delivery at the slot', async () => {
    h = createHarness({ now: SLOT });
    h.addBriefings(['a']);
    const sub = await h.subscribe({ platform: 'discord', schedule: 'every 6 hours', at: '2025-02-01T00:00:00Z' });
    h.senders.discord.behaviour = () => {
      throw new DeliveryError('rate-limited', 'rate limited for 86400000 ms (global)', 86_400_000);
    };
    h.deps.runner = runnerWithWaits(h, () => undefined);
    const slot = '2025-03-01T06:00:00.000Z';
    h.clock.now = new Date('2025-03-01T07:00:00Z');
    await digestJob.run(h.deps, h.clock.now);
    expect(h.sleeps).toEqual([5 * 3_600_000]);
    expect(await h.deps.deliveries.find(sub.id, slot)).toMatchObject({
      status: 'failed',
      lastError: "not delivered by 2025-03-01T12:00:00.000Z, the subscription's next slot; the last error: rate limited for 86400000 ms (global)",
    });
  });

  it('composes the next slot only after an earlier digest still being sent has ended: a digest failed at its deadline is carried, not lost', async () => {
    h = createHarness({ now: SLOT });
    h.addBriefings(['a', 'b']);
    const sub = await h.subscribe({ platform: 'discord', schedule: 'every 6 hours', at: '2025-02-01T00:00:00Z' });
    const first = '2025-03-01T06:00:00.000Z';
    const second = '2025-03-01T12:00:00.000Z';
    let releaseWait!: () => void;
    let waiting!: () => void;
    const inWait = new Promise<void>((resolve) => (waiting = resolve));
    h.senders.discord.behaviour = (p) => {
      if (p.deliveryKey.endsWith(first)) throw new DeliveryError('retry', 'Discord HTTP 503');
      return undefined;
    };
    h.deps.runner = runnerWithWaits(h, () => {
      waiting();
      // The first digest's backoff is still running when the next slot comes.
      return new Promise<void>((resolve) => (releaseWait = resolve));
    });
    h.clock.now = new Date(first);
    const firstRun = digestJob.run(h.deps, h.clock.now);
    await inWait;
    h.addBriefings(['c'], { published: () => '2025-02-28' });
    h.clock.now = new Date(second);
    const secondRun = digestJob.run(h.deps, h.clock.now);
    await new Promise((resolve) => setImmediate(resolve));
    // Not recorded yet: it waits for the first to end.
    expect(await h.deps.deliveries.find(sub.id, second)).toBeUndefined();
    releaseWait();
    await Promise.all([firstRun, secondRun]);
    expect(await h.deps.deliveries.find(sub.id, first)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^not delivered by 2025-03-01T12:00:00.000Z/) });
    expect((await h.deps.deliveries.find(sub.id, second))?.status).toBe('delivered');
    expect(h.senders.discord.posted).toHaveLength(1);
    expect(idsInDiscordPart(h.senders.discord.posted[0]!).sort()).toEqual(['a', 'b', 'c']);
  });
});
