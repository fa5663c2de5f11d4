/**
 * Rate limits are not failures (issue 11): against the Slack stand-in answering 50% of posts 429
 * (Retry-After: 1) for a minute, through the real Slack Web API client, every subscription gets
 * its digest exactly once, every 429 is waited out for at least its Retry-After, and no channel
 * history is read, because a 429 means nothing was posted. A few channels are answered 429 on
 * every post for the whole minute: dozens of 429s in a row, and still delivered, just after it.
 *
 * The minute runs on a clock 20 times faster than the wall's: the stand-in measures its episode
 * on it and the delivery runner's waits are slept at 1/20 (a wait of 1 s for Retry-After: 1
 * takes 50 ms), so the test takes a few seconds. The runner still asks for the waits in full,
 * and the test checks the waits it asked for.
 */
import { afterEach, expect, it } from 'vitest';
import { createDeliveryRunner } from '../../src/digest/delivery-runner.js';
import { deliveryDeadline, digestJob } from '../../src/digest/digest-job.js';
import { sleep } from '../../src/digest/retry.js';
import { DIGEST_EVENT_TYPE } from '../../src/digest/sender.js';
import { createSlackSender } from '../../src/platforms/slack/sender.js';
import { silentLogger } from '../../src/logging/logger.js';
import { slackRateLimited } from '../fakes/fake-slack.js';
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

const SCALE = 20;
const MINUTE = 60_000;
const SLOT = new Date('2025-03-03T08:00:00Z');

it('delivers every subscription exactly once through a minute of 50% 429s, with no history read', async () => {
  const start = Date.now();
  /** The fast clock: three real seconds are a minute. */
  const fastNow = (): number => start + (Date.now() - start) * SCALE;
  ctx = await createDigestE2E({
    // 14 briefings: two messages per digest, so a 429 between the parts of one digest is exercised too.
    briefings: 14,
    digest: { maxItems: 14 },
    slack: { rateLimitEpisode: { share: 0.5, forMs: MINUTE, retryAfterSec: 1, random: rng(20250311), now: fastNow } },
    // Slack's one post a second per channel, on the fast clock.
    slackIntervalMs: Math.ceil(1000 / SCALE),
  });
  const { slack } = ctx;

  const channels = Array.from({ length: 60 }, (_, i) => `C0RATE${String(i).padStart(3, '0')}`);
  // Four channels get nothing but 429s for the whole minute.
  const stubborn = new Set(channels.slice(0, 4));
  const stubbornRateLimited = new Map<string, number>();
  slack.register('chat.postMessage', ({ body }) => {
    const channel = String((body as Record<string, unknown>).channel);
    if (!stubborn.has(channel) || fastNow() - start >= MINUTE) return undefined;
    stubbornRateLimited.set(channel, (stubbornRateLimited.get(channel) ?? 0) + 1);
    return slackRateLimited(1);
  });
  const subs = [];
  for (const c of channels) subs.push(await ctx.subscribe('slack', c));

  const waits: number[] = [];
  const runner = createDeliveryRunner({
    ...ctx.service.deps,
    senders: { slack: createSlackSender({ token: 'xoxb-fake', apiUrl: slack.apiUrl, channelIntervalMs: Math.ceil(1000 / SCALE) }) },
    retry: { minDelayMs: 1000, maxDelayMs: 300_000 },
    logger: silentLogger(),
    now: () => new Date(fastNow()),
    deadline: (subscription, delivery) => deliveryDeadline(subscription, delivery.slot),
    sleep: (ms, signal) => {
      waits.push(ms);
      return sleep(ms / SCALE, signal);
    },
  });
  const report = await digestJob.run({ ...ctx.service.deps, runner }, SLOT);
  expect(report.outcomes).toEqual({ delivered: channels.length });

  const posts = slack.requests.filter((r) => r.method === 'chat.postMessage');
  const rateLimited = posts.filter((p) => p.status === 429);
  // The episode was real: about half the posts inside it; and each stubborn channel had its first
  // part refused far more times in a row than the 8 attempts after which a digest used to be given up.
  expect(slack.episodeRateLimited).toBeGreaterThan(40);
  expect([...stubbornRateLimited.keys()].sort()).toEqual([...stubborn].sort());
  for (const count of stubbornRateLimited.values()) expect(count).toBeGreaterThan(12);
  expect(rateLimited.length).toBe(slack.episodeRateLimited + [...stubbornRateLimited.values()].reduce((a, b) => a + b, 0));

  // Exactly once: each digest's two parts, each once, in order, in every channel.
  const problems: string[] = [];
  for (const sub of subs) {
    const delivery = (await ctx.service.deps.deliveries.find(sub.id, SLOT.toISOString()))!;
    const parts = slack.messages.filter((m) => m.channel === sub.channelId).map((m) => m.metadata?.event_payload.part);
    if (delivery.status !== 'delivered') problems.push(`${sub.channelId}: ${delivery.status} ${delivery.lastError ?? ''}`);
    if (JSON.stringify(parts) !== JSON.stringify([0, 1])) problems.push(`${sub.channelId}: parts ${parts.join(',')}`);
  }
  expect(problems).toEqual([]);
  expect(slack.messages.every((m) => m.metadata?.event_type === DIGEST_EVENT_TYPE)).toBe(true);

  // A 429 means nothing was posted: no history read, ever.
  expect(slack.requests.filter((r) => r.method === 'conversations.history')).toEqual([]);

  // Every wait was a 429's: at least its Retry-After of 1 s, with at most a quarter more of jitter, and jittered.
  expect(waits.length).toBe(rateLimited.length);
  expect(Math.min(...waits)).toBeGreaterThanOrEqual(1000);
  expect(Math.max(...waits)).toBeLessThanOrEqual(1250);
  expect(new Set(waits).size).toBeGreaterThan(10);
  // The stubborn channels were delivered once the minute was over, not given up.
  const lastStubbornPost = Math.max(...slack.messages.filter((m) => stubborn.has(m.channel)).map((m) => m.time));
  expect((lastStubbornPost - start) * SCALE).toBeGreaterThanOrEqual(MINUTE);
}, 60_000);
