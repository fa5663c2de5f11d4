/**
 * The story ledger's contract, on SQLite and a real PostgreSQL server: what a story digest told a
 * channel is written from its delivery's plan when, and only when, the delivery store marks it
 * delivered, in that same transaction; facts are kept per (channel, story, key), a later telling
 * replacing an earlier one; a story's thread is the one its part came back with. Also the plan and
 * the per-part thread refs a delivery keeps.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewDelivery } from '../../../src/store/deliveries.js';
import type { DeliveryPlan, StoryTelling, ToldFact } from '../../../src/store/story-ledger.js';
import type { SubscriptionInput } from '../../../src/store/subscriptions.js';
import { postgresImplementation, sqliteImplementation, type DigestStoreFixture, type DigestStores } from './digest-stores.js';

const T0 = new Date('2025-12-02T08:00:00.000Z');
const day = (n: number): Date => new Date(T0.getTime() + n * 86_400_000);
const LEASE_MS = 60_000;

function input(channelId: string, over: Partial<SubscriptionInput> = {}): SubscriptionInput {
  return { platform: 'discord', channelId, schedule: 'daily 08:00', cron: '0 8 * * *', timezone: 'UTC', source: 'chat', ...over };
}

const troops = (value: string): ToldFact => ({ kind: 'figure', key: 'figure:troops|', value, text: `troops: ${value} (Zelensky)` });
const quote: ToldFact = { kind: 'quote', key: 'quote:zelensky|we will not give up', value: 'We will not give up', text: 'Zelensky: "We will not give up"' };
const outlet = (name: string): ToldFact => ({ kind: 'outlet', key: `outlet:${name}`, value: name, text: name });

/** Two parts: the first opens story s1's thread, the second replies in story s2's. */
const PLAN: DeliveryPlan = {
  threads: [{ mode: 'start', name: 'Border troops' }, { mode: 'reply', ref: 'thread-s2' }],
  told: [
    { story: 's1', facts: [troops('10,000'), outlet('Reuters')], threadPart: 0 },
    { story: 's2', facts: [quote], threadPart: 1 },
  ],
};

function planned(subscriptionId: number, slot: Date, plan: DeliveryPlan, parts = 2): NewDelivery {
  return {
    subscriptionId,
    slot: slot.toISOString(),
    status: 'pending',
    items: parts,
    throughPosition: 7,
    parts: Array.from({ length: parts }, (_, i) => ({ text: `part ${i + 1}` })),
    plan,
  };
}

for (const implementation of [sqliteImplementation, postgresImplementation()]) {
  describe(`story ledger on ${implementation.name}`, () => {
    let fixture: DigestStoreFixture;
    let a: DigestStores;
    let b: DigestStores;

    beforeEach(async () => {
      fixture = await implementation.open();
      a = fixture.replica({ owner: 'replica-a', leaseMs: LEASE_MS });
      b = fixture.replica({ owner: 'replica-b', leaseMs: LEASE_MS });
    });
    afterEach(async () => {
      await fixture.close();
    });
    afterAll(async () => {
      await implementation.teardown();
    });

    const subscribe = async (channelId = 'C1') => (await a.subscriptions.save(input(channelId), T0, 5)).subscription;

    /** Records `plan` at `slot`, sends every part (with the threads given), and finishes it as `status`. */
    async function deliver(subscriptionId: number, slot: Date, plan: DeliveryPlan, threads: Array<string | undefined>, status: 'delivered' | 'failed' | 'expired' = 'delivered') {
      const { delivery } = await a.deliveries.record(planned(subscriptionId, slot, plan, threads.length), slot);
      for (const [i, thread] of threads.entries()) expect(await a.deliveries.markSent(delivery.id, i, `msg-${slot.getTime()}-${i}`, slot, thread)).toBeDefined();
      expect(await a.deliveries.finish(delivery.id, status, slot)).toBe(true);
      return delivery;
    }

    it('keeps a delivery plan and the thread each part went to', async () => {
      const sub = await subscribe();
      const { delivery } = await a.deliveries.record(planned(sub.id, T0, PLAN), T0);
      expect(delivery).toMatchObject({ plan: PLAN, refs: [], threadRefs: [] });
      expect(await a.deliveries.markSent(delivery.id, 0, 'msg-1', T0, 'thread-s1')).toMatchObject({ refs: ['msg-1'], threadRefs: ['thread-s1'] });
      expect(await a.deliveries.markSent(delivery.id, 1, 'msg-2', T0)).toMatchObject({ refs: ['msg-1', 'msg-2'], threadRefs: ['thread-s1', null] });
      const read = await b.deliveries.get(delivery.id);
      expect(read?.plan).toEqual(PLAN);
      expect(read?.threadRefs).toEqual(['thread-s1', null]);
      // A digest of briefings has no plan.
      const plain = (await a.deliveries.record({ ...planned(sub.id, day(1), PLAN), plan: undefined }, day(1))).delivery;
      expect(plain).not.toHaveProperty('plan');
      expect(plain.threadRefs).toEqual([]);
    });

    it('writes what a delivery told when, and only when, it is marked delivered', async () => {
      const sub = await subscribe();
      const { delivery } = await a.deliveries.record(planned(sub.id, T0, PLAN), T0);
      await a.deliveries.markSent(delivery.id, 0, 'msg-1', T0, 'thread-s1');
      await a.deliveries.markSent(delivery.id, 1, 'msg-2', T0, 'thread-s2');
      // Every part is out, but the delivery is not finished: the channel has been told nothing yet.
      expect(await b.ledger.told(sub.id, ['s1', 's2'])).toEqual(new Map());
      expect(await a.deliveries.finish(delivery.id, 'delivered', day(0.01))).toBe(true);
      const told = await b.ledger.told(sub.id, ['s1', 's2', 'never-told']);
      expect([...told.keys()].sort()).toEqual(['s1', 's2']);
      expect(told.get('s1')).toEqual({
        thread: 'thread-s1',
        facts: [
          { ...troops('10,000'), toldAt: T0.toISOString() },
          { ...outlet('Reuters'), toldAt: T0.toISOString() },
        ],
      });
      expect(told.get('s2')).toEqual({ thread: 'thread-s2', facts: [{ ...quote, toldAt: T0.toISOString() }] });
      // Only the stories asked for, and only this channel's.
      expect([...(await b.ledger.told(sub.id, ['s2'])).keys()]).toEqual(['s2']);
      expect(await b.ledger.told(sub.id, [])).toEqual(new Map());
      const other = await subscribe('C2');
      expect(await b.ledger.told(other.id, ['s1', 's2'])).toEqual(new Map());
    });

    it('writes nothing for a delivery that failed or expired', async () => {
      const sub = await subscribe();
      await deliver(sub.id, day(0), PLAN, ['thread-s1', 'thread-s2'], 'failed');
      await deliver(sub.id, day(1), PLAN, ['thread-s1', 'thread-s2'], 'expired');
      expect(await b.ledger.told(sub.id, ['s1', 's2'])).toEqual(new Map());
    });

    it('writes nothing when the finish is refused (the claim is another process\'s), and once when the holder finishes', async () => {
      const sub = await subscribe();
      const { delivery } = await a.deliveries.record(planned(sub.id, T0, PLAN), T0);
      await a.deliveries.markSent(delivery.id, 0, 'msg-1', T0, 'thread-s1');
      // a stalls past its lease; b takes the delivery over and sends the rest.
      const [taken] = await b.deliveries.claimPending(new Date(T0.getTime() + 2 * LEASE_MS));
      expect(taken?.id).toBe(delivery.id);
      expect(await b.deliveries.markSent(delivery.id, 1, 'msg-2', T0, 'thread-s2')).toBeDefined();
      expect(await a.deliveries.finish(delivery.id, 'delivered', T0)).toBe(false);
      expect(await b.ledger.told(sub.id, ['s1', 's2'])).toEqual(new Map());
      expect(await b.deliveries.finish(delivery.id, 'delivered', T0)).toBe(true);
      expect((await b.ledger.told(sub.id, ['s1']))?.get('s1')?.thread).toBe('thread-s1');
      // Finished already: a second finish is refused and changes nothing.
      expect(await b.deliveries.finish(delivery.id, 'delivered', day(1))).toBe(false);
      expect((await b.ledger.told(sub.id, ['s1'])).get('s1')?.facts.map((f) => f.toldAt)).toEqual([T0.toISOString(), T0.toISOString()]);
    });

    it('leaves the delivery pending when the ledger cannot be written: status and ledger are one transaction', async () => {
      const sub = await subscribe();
      const bad = { kind: 'rumour', key: 'x', value: 'y', text: 'y' } as unknown as ToldFact;
      const plan: DeliveryPlan = { told: [{ story: 's1', facts: [troops('10,000')] }, { story: 's2', facts: [bad] }] };
      const { delivery } = await a.deliveries.record(planned(sub.id, T0, plan, 1), T0);
      await a.deliveries.markSent(delivery.id, 0, 'msg-1', T0);
      await expect(a.deliveries.finish(delivery.id, 'delivered', T0)).rejects.toThrow();
      expect(await b.deliveries.get(delivery.id)).toMatchObject({ status: 'pending' });
      expect(await b.ledger.told(sub.id, ['s1', 's2'])).toEqual(new Map());
    });

    it('replaces a fact told again with its new value and time, and keeps the others', async () => {
      const sub = await subscribe();
      await deliver(sub.id, day(0), { told: [{ story: 's1', facts: [troops('10,000'), outlet('Reuters')], threadPart: 0 }] }, ['thread-s1']);
      // The next digest replies in the thread; the sender found it gone and opened a new one.
      const update: StoryTelling = { story: 's1', facts: [troops('12,000'), quote], threadPart: 0 };
      await deliver(sub.id, day(2), { threads: [{ mode: 'reply', ref: 'thread-s1' }], told: [update] }, ['thread-s1-new']);
      const s1 = (await b.ledger.told(sub.id, ['s1'])).get('s1');
      expect(s1?.thread).toBe('thread-s1-new');
      expect(s1?.facts).toEqual([
        { ...outlet('Reuters'), toldAt: day(0).toISOString() },
        { ...troops('12,000'), toldAt: day(2).toISOString() },
        { ...quote, toldAt: day(2).toISOString() },
      ]);
      // A telling whose part came back without a thread keeps the story's thread.
      await deliver(sub.id, day(3), { told: [{ story: 's1', facts: [], threadPart: 0 }] }, [undefined]);
      expect((await b.ledger.told(sub.id, ['s1'])).get('s1')?.thread).toBe('thread-s1-new');
    });

    it('records a story told with no thread, and never lets an older slot put back an older value', async () => {
      const sub = await subscribe();
      const older = (await a.deliveries.record(planned(sub.id, day(0), { told: [{ story: 's1', facts: [troops('10,000')] }] }, 1), day(0))).delivery;
      await deliver(sub.id, day(1), { told: [{ story: 's1', facts: [troops('12,000')] }] }, [undefined]);
      await a.deliveries.markSent(older.id, 0, 'late', day(1));
      expect(await a.deliveries.finish(older.id, 'delivered', day(1))).toBe(true);
      const s1 = (await b.ledger.told(sub.id, ['s1'])).get('s1');
      expect(s1).not.toHaveProperty('thread');
      expect(s1?.facts).toEqual([{ ...troops('12,000'), toldAt: day(1).toISOString() }]);
    });

    it('writes a story told twice in one digest once, the later telling winning', async () => {
      const sub = await subscribe();
      const told: StoryTelling[] = [
        { story: 's1', facts: [troops('10,000'), troops('11,000')], threadPart: 0 },
        { story: 's1', facts: [troops('12,000')], threadPart: 1 },
      ];
      await deliver(sub.id, T0, { told }, ['thread-a', 'thread-b']);
      expect((await b.ledger.told(sub.id, ['s1'])).get('s1')).toEqual({ thread: 'thread-b', facts: [{ ...troops('12,000'), toldAt: T0.toISOString() }] });
    });

    it('keeps the thread a telling with no part of its own carries, and a part\'s thread before it', async () => {
      const sub = await subscribe();
      await deliver(sub.id, day(0), { told: [{ story: 'merged', facts: [troops('10,000')], thread: 'thread-known' }] }, [undefined]);
      expect((await b.ledger.told(sub.id, ['merged'])).get('merged')?.thread).toBe('thread-known');
      await deliver(sub.id, day(1), { told: [{ story: 'merged', facts: [], threadPart: 0, thread: 'thread-known' }] }, ['thread-new']);
      expect((await b.ledger.told(sub.id, ['merged'])).get('merged')?.thread).toBe('thread-new');
    });

    it('forgets the stories a channel was last told of before a time, with their facts, and keeps the others whole', async () => {
      const one = await subscribe('C1');
      const two = await subscribe('C2');
      await deliver(one.id, day(0), { told: [{ story: 's1', facts: [troops('10,000'), outlet('Reuters')], threadPart: 0 }] }, ['thread-s1']);
      await deliver(two.id, day(0), { told: [{ story: 's1', facts: [troops('10,000')] }] }, [undefined]);
      // C2 hears of s1 again later: its older fact stays with the story.
      await deliver(two.id, day(10), { told: [{ story: 's1', facts: [outlet('AP')] }] }, [undefined]);
      await deliver(one.id, day(10), { told: [{ story: 's2', facts: [quote] }] }, [undefined]);

      expect(await b.ledger.forget(day(5))).toBe(1);
      expect([...(await b.ledger.told(one.id, ['s1', 's2'])).keys()]).toEqual(['s2']);
      expect((await b.ledger.told(two.id, ['s1'])).get('s1')?.facts).toEqual([
        { ...troops('10,000'), toldAt: day(0).toISOString() },
        { ...outlet('AP'), toldAt: day(10).toISOString() },
      ]);
      // Told again after being forgotten, a story starts over.
      await deliver(one.id, day(11), { told: [{ story: 's1', facts: [troops('52')] }] }, [undefined]);
      expect((await b.ledger.told(one.id, ['s1'])).get('s1')?.facts).toEqual([{ ...troops('52'), toldAt: day(11).toISOString() }]);
      expect(await b.ledger.forget(day(5))).toBe(0);
    });
  });
}
