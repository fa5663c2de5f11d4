/**
 * A story digest's parts through the delivery runner, in a channel with threads on: each part goes
 * where the delivery's plan says (opening a story's thread, or replying in it), the thread each
 * part came back with is kept beside its ref, and once the delivery is marked delivered the
 * channel's story ledger holds each story's thread.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError, type OutgoingPart, type SentRef } from '../../src/digest/sender.js';
import type { DeliveryPlan } from '../../src/store/story-ledger.js';
import { createStoryLedger } from '../../src/store/story-ledger.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(() => h?.close());

const SLOT = '2025-03-01T08:00:00.000Z';

/** Three parts: a heading in the channel, story s1's first card (opens its thread), story s2's update (in its thread). */
const PLAN: DeliveryPlan = {
  threads: [null, { mode: 'start', name: 'Border troops' }, { mode: 'reply', ref: 'thread-s2' }],
  told: [
    { story: 's1', facts: [{ kind: 'figure', key: 'figure:troops|', value: '10,000', text: 'troops: 10,000' }], threadPart: 1 },
    { story: 's2', facts: [{ kind: 'outlet', key: 'outlet:AP', value: 'AP', text: 'AP' }], threadPart: 2 },
  ],
};

/** Answers as a platform with threads would: a started thread is the message's own; a reply is in the thread asked for. */
function threadOf(part: OutgoingPart, ref: string): string | undefined {
  if (!part.thread) return undefined;
  return part.thread.mode === 'start' ? ref : part.thread.ref;
}

async function setup(platform: 'discord' | 'slack') {
  h = createHarness();
  const sub = await h.subscribe({ platform, schedule: 'daily 08:00', threads: true, at: '2025-02-01T00:00:00Z' });
  const { delivery } = await h.deps.deliveries.record(
    { subscriptionId: sub.id, slot: SLOT, status: 'pending', items: 2, throughPosition: 0, parts: [{ n: 0 }, { n: 1 }, { n: 2 }], plan: PLAN },
    new Date(SLOT),
  );
  return { sub, delivery, ledger: createStoryLedger(h.store.db) };
}

describe('story digest parts in threads', () => {
  it('sends each part to its planned thread, keeps the thread it came back with, and the ledger holds it once delivered', async () => {
    const { sub, delivery, ledger } = await setup('discord');
    const sender = h.senders.discord;
    sender.behaviour = (part): SentRef => {
      sender.posted.push(part);
      const ref = `msg-${part.index}`;
      const thread = threadOf(part, ref);
      return thread ? { ref, thread } : { ref };
    };
    expect(await h.runner.run(delivery)).toBe('delivered');
    expect(sender.posted.map((p) => p.thread)).toEqual([undefined, { mode: 'start', name: 'Border troops' }, { mode: 'reply', ref: 'thread-s2' }]);
    expect(sender.posted[0]).not.toHaveProperty('thread');
    expect(await h.deps.deliveries.get(delivery.id)).toMatchObject({ status: 'delivered', refs: ['msg-0', 'msg-1', 'msg-2'], threadRefs: [null, 'msg-1', 'thread-s2'] });
    const told = await ledger.told(sub.id, ['s1', 's2']);
    expect(told.get('s1')).toMatchObject({ thread: 'msg-1', facts: [{ key: 'figure:troops|', value: '10,000', toldAt: SLOT }] });
    expect(told.get('s2')).toMatchObject({ thread: 'thread-s2', facts: [{ key: 'outlet:AP', toldAt: SLOT }] });
  });

  it('sends the later parts of a story whose thread was gone to the thread its first part opened, not a new one each', async () => {
    h = createHarness();
    const sub = await h.subscribe({ platform: 'discord', schedule: 'daily 08:00', threads: true, at: '2025-02-01T00:00:00Z' });
    const reply = { mode: 'reply', ref: 'thread-gone', name: 'Border troops' } as const;
    const plan: DeliveryPlan = { threads: [null, reply, reply, reply], told: [{ story: 's1', facts: [], threadPart: 1 }] };
    const { delivery } = await h.deps.deliveries.record(
      { subscriptionId: sub.id, slot: SLOT, status: 'pending', items: 1, throughPosition: 0, parts: [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }], plan },
      new Date(SLOT),
    );
    const sender = h.senders.discord;
    sender.behaviour = (part): SentRef => {
      sender.posted.push(part);
      const ref = `msg-${part.index}`;
      // The old thread is gone: a reply to it opens a new thread on the part, as the senders do.
      if (part.thread?.mode === 'reply' && part.thread.ref === 'thread-gone') return { ref, thread: ref };
      return part.thread?.mode === 'reply' ? { ref, thread: part.thread.ref } : { ref };
    };
    expect(await h.runner.run(delivery)).toBe('delivered');
    expect(sender.posted.map((p) => p.thread)).toEqual([undefined, reply, { ...reply, ref: 'msg-1' }, { ...reply, ref: 'msg-1' }]);
    expect(await h.deps.deliveries.get(delivery.id)).toMatchObject({ threadRefs: [null, 'msg-1', 'msg-1', 'msg-1'] });
    expect((await createStoryLedger(h.store.db).told(sub.id, ['s1'])).get('s1')?.thread).toBe('msg-1');
  });

  it('keeps the thread of a part found already posted after a crash (Slack history)', async () => {
    const { sub, delivery, ledger } = await setup('slack');
    const sender = h.senders.slack;
    // Parts 0 and 1 went out before the crash; part 1 was attempted, and landed, but was never marked sent.
    await h.deps.deliveries.markSent(delivery.id, 0, 'ts-0', new Date(SLOT));
    await h.deps.deliveries.markAttempt(delivery.id, 1, new Date(SLOT));
    sender.findSent = async (part) => (part.index === 1 ? { ref: 'ts-1', thread: threadOf(part, 'ts-1')! } : undefined);
    sender.behaviour = (part): SentRef => {
      sender.posted.push(part);
      return { ref: `ts-${part.index}`, thread: threadOf(part, `ts-${part.index}`)! };
    };
    expect(await h.runner.run(delivery)).toBe('delivered');
    expect(sender.posted.map((p) => p.index)).toEqual([2]);
    expect((await h.deps.deliveries.get(delivery.id))?.threadRefs).toEqual([null, 'ts-1', 'thread-s2']);
    expect((await ledger.told(sub.id, ['s1'])).get('s1')?.thread).toBe('ts-1');
  });

  it('writes nothing to the ledger for a digest that failed part way', async () => {
    const { sub, delivery, ledger } = await setup('discord');
    h.senders.discord.behaviour = (part) => {
      if (part.index === 2) throw new DeliveryError('rejected', 'Discord 400 50035: Invalid Form Body');
      return { ref: `msg-${part.index}`, ...(part.thread ? { thread: threadOf(part, `msg-${part.index}`)! } : {}) };
    };
    expect(await h.runner.run(delivery)).toBe('failed');
    expect(await h.deps.deliveries.get(delivery.id)).toMatchObject({ status: 'failed', threadRefs: [null, 'msg-1'] });
    expect(await ledger.told(sub.id, ['s1', 's2'])).toEqual(new Map());
  });
});
