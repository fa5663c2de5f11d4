/**
 * One contract for the digest's store ports, run against SQLite and a real PostgreSQL server:
 * subscriptions (one live per channel, saved, paused, removed) and deliveries (one per
 * subscription and slot, progress written part by part, and claims: a pending delivery is sent by
 * the one process holding its claim, a dead process's claim expires and is taken over, and
 * claimers racing for the same due deliveries each get different ones).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryStore, NewDelivery } from '../../../src/store/deliveries.js';
import type { SubscriptionInput } from '../../../src/store/subscriptions.js';
import { postgresImplementation, sqliteImplementation, type DigestStoreFixture, type DigestStores } from './digest-stores.js';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
const LEASE_MS = 60_000;

function input(channelId: string, over: Partial<SubscriptionInput> = {}): SubscriptionInput {
  return { platform: 'discord', channelId, schedule: 'daily 08:00', cron: '0 8 * * *', timezone: 'UTC', source: 'chat', ...over };
}

function newDelivery(subscriptionId: number, slot: Date, over: Partial<NewDelivery> = {}): NewDelivery {
  return { subscriptionId, slot: slot.toISOString(), status: 'pending', items: 2, throughPosition: 7, parts: [{ text: 'part one' }, { text: 'part two' }], ...over };
}

for (const implementation of [sqliteImplementation, postgresImplementation()]) {
  describe(`digest stores on ${implementation.name}`, () => {
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

    const subscribe = async (channelId: string, over: Partial<SubscriptionInput> = {}) => (await a.subscriptions.save(input(channelId, over), T0, 5)).subscription;

    describe('subscriptions', () => {
      it('creates one live subscription per channel and tells what a save changed', async () => {
        const created = await a.subscriptions.save(input('C1', { workspace: 'T1', createdBy: 'U1' }), T0, 5);
        expect(created.change).toBe('created');
        expect(created.subscription).toMatchObject({
          platform: 'discord',
          channelId: 'C1',
          workspace: 'T1',
          createdBy: 'U1',
          status: 'active',
          activeSince: T0.toISOString(),
          startPosition: 5,
          createdAt: T0.toISOString(),
        });
        expect(created.subscription).not.toHaveProperty('backfill');
        expect((await a.subscriptions.save(input('C1'), at(1), 9)).change).toBe('unchanged');
        const updated = await a.subscriptions.save(input('C1', { schedule: 'daily 09:00', cron: '0 9 * * *', backfill: 2 }), at(2), 9);
        expect(updated.change).toBe('updated');
        expect(updated.subscription).toMatchObject({ id: created.subscription.id, cron: '0 9 * * *', backfill: 2, workspace: 'T1', startPosition: 5, updatedAt: at(2).toISOString() });
        expect(await b.subscriptions.get(created.subscription.id)).toEqual(updated.subscription);
        expect(await b.subscriptions.forChannel('discord', 'C1')).toEqual(updated.subscription);
        expect(await b.subscriptions.forChannel('slack', 'C1')).toBeUndefined();
      });

      it('keeps the story digest settings: threads and what to do with a story with nothing new', async () => {
        const created = await a.subscriptions.save(input('C1', { threads: true, unchanged: 'line' }), T0, 5);
        expect(created.subscription).toMatchObject({ threads: true, unchanged: 'line' });
        expect(await b.subscriptions.get(created.subscription.id)).toMatchObject({ threads: true, unchanged: 'line' });
        expect((await a.subscriptions.save(input('C1', { threads: true, unchanged: 'line' }), at(1), 9)).change).toBe('unchanged');
        const off = await a.subscriptions.save(input('C1', { threads: false, unchanged: 'line' }), at(2), 9);
        expect(off.change).toBe('updated');
        expect(off.subscription).toMatchObject({ threads: false, unchanged: 'line' });
        // Left out of a save: not set (a caller that means to keep them passes them again).
        const cleared = await a.subscriptions.save(input('C1'), at(3), 9);
        expect(cleared.change).toBe('updated');
        expect(cleared.subscription).not.toHaveProperty('threads');
        expect(cleared.subscription).not.toHaveProperty('unchanged');
        expect(await b.subscriptions.forChannel('discord', 'C1')).toEqual(cleared.subscription);
      });

      it('pauses, resumes from the resume time, removes, and starts afresh after a removal', async () => {
        const sub = await subscribe('C1');
        await a.subscriptions.pause(sub.id, 'channel gone', at(5));
        expect(await a.subscriptions.get(sub.id)).toMatchObject({ status: 'paused', pausedReason: 'channel gone', pausedAt: at(5).toISOString() });
        expect((await a.subscriptions.active()).map((s) => s.id)).toEqual([]);
        expect((await a.subscriptions.live()).map((s) => s.id)).toEqual([sub.id]);
        const resumed = await a.subscriptions.save(input('C1'), at(10), 8);
        expect(resumed.change).toBe('resumed');
        expect(resumed.subscription).toMatchObject({ status: 'active', activeSince: at(10).toISOString() });
        expect(resumed.subscription).not.toHaveProperty('pausedReason');
        await a.subscriptions.remove(sub.id, at(11));
        expect(await a.subscriptions.forChannel('discord', 'C1')).toBeUndefined();
        expect(await a.subscriptions.live()).toEqual([]);
        const again = await a.subscriptions.save(input('C1'), at(12), 9);
        expect(again.change).toBe('created');
        expect(again.subscription.id).not.toBe(sub.id);
        expect((await a.subscriptions.get(sub.id))?.status).toBe('removed');
      });

      it('lists live and active subscriptions in creation order', async () => {
        const one = await subscribe('C1');
        const two = await subscribe('C2', { platform: 'slack' });
        const three = await subscribe('C3');
        await a.subscriptions.pause(two.id, 'gone', at(1));
        expect((await b.subscriptions.live()).map((s) => s.id)).toEqual([one.id, two.id, three.id]);
        expect((await b.subscriptions.active()).map((s) => s.id)).toEqual([one.id, three.id]);
      });

      it('keeps one subscription when two processes save the same channel at once', async () => {
        const results = await Promise.all([a.subscriptions.save(input('C1'), T0, 5), b.subscriptions.save(input('C1'), T0, 5)]);
        expect(results.map((r) => r.change).sort()).toEqual(['created', 'unchanged']);
        expect(results[0].subscription.id).toBe(results[1].subscription.id);
        expect(await a.subscriptions.live()).toHaveLength(1);
      });
    });

    describe('deliveries', () => {
      it('records a slot once, claimed by the process that recorded it', async () => {
        const sub = await subscribe('C1');
        const first = await a.deliveries.record(newDelivery(sub.id, T0), T0);
        expect(first.created).toBe(true);
        expect(first.delivery).toMatchObject({
          subscriptionId: sub.id,
          slot: T0.toISOString(),
          status: 'pending',
          items: 2,
          throughPosition: 7,
          parts: [{ text: 'part one' }, { text: 'part two' }],
          partsSent: 0,
          refs: [],
          attempts: 0,
          claimedBy: 'replica-a',
          claimedUntil: new Date(T0.getTime() + LEASE_MS).toISOString(),
          createdAt: T0.toISOString(),
        });
        const second = await b.deliveries.record(newDelivery(sub.id, T0, { items: 99 }), at(1));
        expect(second).toEqual({ delivery: first.delivery, created: false });
        expect(await b.deliveries.find(sub.id, T0.toISOString())).toEqual(first.delivery);
        expect(await b.deliveries.get(first.delivery.id)).toEqual(first.delivery);
      });

      it('compacts deliveries finished before a time: their parts and plan go, their row, refs and status stay', async () => {
        const sub = await subscribe('C1');
        const plan = { told: [{ story: 's1', facts: [] }] };
        const { delivery: old } = await a.deliveries.record(newDelivery(sub.id, T0, { plan }), T0);
        await a.deliveries.markSent(old.id, 0, 'm-1', at(1));
        await a.deliveries.markSent(old.id, 1, 'm-2', at(1));
        expect(await a.deliveries.finish(old.id, 'delivered', at(2))).toBe(true);
        const { delivery: sending } = await a.deliveries.record(newDelivery(sub.id, at(60)), at(60));
        const { delivery: recent } = await a.deliveries.record(newDelivery(sub.id, at(120)), at(120));
        await a.deliveries.finish(recent.id, 'failed', at(121), 'channel gone');

        expect(await b.deliveries.compact(at(100), 10)).toBe(1);
        expect(await b.deliveries.get(old.id)).toMatchObject({ status: 'delivered', parts: [], refs: ['m-1', 'm-2'], finishedAt: at(2).toISOString() });
        expect((await b.deliveries.get(old.id))?.plan).toBeUndefined();
        expect((await b.deliveries.get(sending.id))?.parts).toHaveLength(2);
        expect(await b.deliveries.get(recent.id)).toMatchObject({ status: 'failed', parts: [{ text: 'part one' }, { text: 'part two' }], lastError: 'channel gone' });
        expect(await b.deliveries.latest(sub.id, ['delivered'])).toMatchObject({ id: old.id });
        expect(await b.deliveries.cursor(sub.id)).toBe(7);
        expect(await b.deliveries.compact(at(100), 10)).toBe(0);
        // A batch at a time: the later finished one (at 121) goes once the time is past it, at most `limit` per call.
        const { delivery: third } = await a.deliveries.record(newDelivery(sub.id, at(180)), at(180));
        await a.deliveries.finish(third.id, 'expired', at(181));
        expect(await b.deliveries.compact(at(200), 1)).toBe(1);
        expect(await b.deliveries.compact(at(200), 1)).toBe(1);
        expect(await b.deliveries.compact(at(200), 1)).toBe(0);
        expect((await b.deliveries.get(third.id))?.parts).toEqual([]);
        expect((await b.deliveries.get(sending.id))?.parts).toHaveLength(2);
      });

      it('records a slot once when several processes record it at once', async () => {
        const sub = await subscribe('C1');
        const c = fixture.replica({ owner: 'replica-c', leaseMs: LEASE_MS });
        const results = await Promise.all([a, b, c].map((r) => r.deliveries.record(newDelivery(sub.id, T0), T0)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.delivery.id)).size).toBe(1);
        expect(await a.deliveries.counts()).toEqual({ pending: 1, delivered: 0, skipped: 0, failed: 0, expired: 0 });
      });

      it('records a slot with nothing new as skipped: finished and claimed by nobody', async () => {
        const sub = await subscribe('C1');
        const { delivery } = await a.deliveries.record(newDelivery(sub.id, T0, { status: 'skipped', items: 0, parts: [] }), T0);
        expect(delivery).toMatchObject({ status: 'skipped', finishedAt: T0.toISOString() });
        expect(delivery).not.toHaveProperty('claimedBy');
        expect(await b.deliveries.claimPending(at(10))).toEqual([]);
      });

      it('tracks a send part by part, renewing the claim, and refuses a part marked twice', async () => {
        const sub = await subscribe('C1');
        const { delivery } = await a.deliveries.record(newDelivery(sub.id, T0), T0);
        expect(await a.deliveries.markAttempt(delivery.id, 0, at(1))).toBe(true);
        expect(await a.deliveries.get(delivery.id)).toMatchObject({ attemptedPart: 0, claimedUntil: new Date(at(1).getTime() + LEASE_MS).toISOString() });
        const afterFirst = await a.deliveries.markSent(delivery.id, 0, 'msg-1', at(2));
        expect(afterFirst).toMatchObject({ partsSent: 1, refs: ['msg-1'], attempts: 0 });
        expect(afterFirst).not.toHaveProperty('attemptedPart');
        expect(await a.deliveries.markSent(delivery.id, 0, 'msg-dup', at(2))).toBeUndefined();
        expect(await a.deliveries.markRetry(delivery.id, { error: 'HTTP 503', counts: true, notSent: false }, at(3))).toBe(true);
        expect(await a.deliveries.markRetry(delivery.id, { error: 'HTTP 429', counts: false, notSent: true, holdMs: 300_000 }, at(4))).toBe(true);
        expect(await a.deliveries.get(delivery.id)).toMatchObject({
          attempts: 1,
          lastError: 'HTTP 429',
          claimedUntil: new Date(at(4).getTime() + 300_000 + LEASE_MS).toISOString(),
        });
        expect(await a.deliveries.markFailedAttempt(delivery.id, 'HTTP 500', at(5))).toBe(true);
        expect((await a.deliveries.get(delivery.id))?.attempts).toBe(2);
        const done = await a.deliveries.markSent(delivery.id, 1, 'msg-2', at(6));
        expect(done).toMatchObject({ partsSent: 2, refs: ['msg-1', 'msg-2'], attempts: 0 });
        expect(await a.deliveries.finish(delivery.id, 'delivered', at(7))).toBe(true);
        const finished = await b.deliveries.get(delivery.id);
        expect(finished).toMatchObject({ status: 'delivered', finishedAt: at(7).toISOString(), lastError: 'HTTP 500' });
        expect(finished).not.toHaveProperty('claimedBy');
        expect(await a.deliveries.finish(delivery.id, 'failed', at(8))).toBe(false);
      });

      it('answers the cursor, the latest delivery, failures and counts', async () => {
        const sub = await subscribe('C1');
        const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
        const d1 = (await a.deliveries.record(newDelivery(sub.id, day(0), { throughPosition: 3 }), day(0))).delivery;
        await a.deliveries.finish(d1.id, 'delivered', day(0));
        const d2 = (await a.deliveries.record(newDelivery(sub.id, day(1), { throughPosition: 9 }), day(1))).delivery;
        await a.deliveries.finish(d2.id, 'failed', day(1), 'HTTP 403');
        await a.deliveries.record(newDelivery(sub.id, day(2), { status: 'skipped', throughPosition: 4, parts: [] }), day(2));
        expect(await b.deliveries.cursor(sub.id)).toBe(4);
        expect(await b.deliveries.cursor(sub.id + 1000)).toBeUndefined();
        expect((await b.deliveries.latest(sub.id, ['delivered']))?.id).toBe(d1.id);
        expect((await b.deliveries.latest(sub.id, ['delivered', 'skipped']))?.slot).toBe(day(2).toISOString());
        expect(await b.deliveries.latest(sub.id, ['expired'])).toBeUndefined();
        expect(await b.deliveries.failuresSince(sub.id, day(0).toISOString())).toMatchObject({ count: 1, last: { id: d2.id, lastError: 'HTTP 403' } });
        expect((await b.deliveries.failuresSince(sub.id, day(3).toISOString())).count).toBe(0);
        expect(await b.deliveries.hasAtOrAfter(sub.id, day(2).toISOString())).toBe(true);
        expect(await b.deliveries.hasAtOrAfter(sub.id, day(3).toISOString())).toBe(false);
        expect(await b.deliveries.counts()).toEqual({ pending: 0, delivered: 1, skipped: 1, failed: 1, expired: 0 });
      });
    });

    describe('delivery claims', () => {
      it("leaves a live claim alone, takes over an expired one, and refuses the old owner's writes", async () => {
        const sub = await subscribe('C1');
        const { delivery } = await a.deliveries.record(newDelivery(sub.id, T0), T0);
        await a.deliveries.markAttempt(delivery.id, 0, T0);
        // Within a's lease: nothing for b.
        expect(await b.deliveries.claimPending(at(0.5))).toEqual([]);
        // a died: its lease ran out, and b takes the delivery over where a left it.
        const [taken, ...rest] = await b.deliveries.claimPending(at(2));
        expect(rest).toEqual([]);
        expect(taken).toMatchObject({ id: delivery.id, claimedBy: 'replica-b', attemptedPart: 0, claimedUntil: new Date(at(2).getTime() + LEASE_MS).toISOString() });
        // a comes back (a long pause, not a death): every write about the send is refused.
        expect(await a.deliveries.markAttempt(delivery.id, 0, at(3))).toBe(false);
        expect(await a.deliveries.markSent(delivery.id, 0, 'late', at(3))).toBeUndefined();
        expect(await a.deliveries.markRetry(delivery.id, { error: 'x', counts: true, notSent: false }, at(3))).toBe(false);
        expect(await a.deliveries.finish(delivery.id, 'delivered', at(3))).toBe(false);
        await a.deliveries.release(delivery.id);
        expect(await b.deliveries.get(delivery.id)).toMatchObject({ claimedBy: 'replica-b', partsSent: 0, refs: [], status: 'pending' });
        expect(await b.deliveries.markSent(delivery.id, 0, 'msg-1', at(3))).toMatchObject({ refs: ['msg-1'] });
      });

      it('lets others claim a released delivery at once', async () => {
        const sub = await subscribe('C1');
        const { delivery } = await a.deliveries.record(newDelivery(sub.id, T0), T0);
        await b.deliveries.release(delivery.id); // not b's: nothing happens
        expect(await b.deliveries.claimPending(T0)).toEqual([]);
        await a.deliveries.release(delivery.id);
        expect((await b.deliveries.claimPending(T0)).map((d) => d.id)).toEqual([delivery.id]);
      });

      it('claims oldest slots first, only the subscriptions asked for, and at most the limit', async () => {
        const one = await subscribe('C1');
        const two = await subscribe('C2');
        const dead = fixture.replica({ owner: 'dead', leaseMs: 1 });
        const d = [
          (await dead.deliveries.record(newDelivery(two.id, at(-60)), T0)).delivery,
          (await dead.deliveries.record(newDelivery(one.id, at(-30)), T0)).delivery,
          (await dead.deliveries.record(newDelivery(one.id, at(-90)), T0)).delivery,
        ];
        expect((await a.deliveries.claimPending(at(1), { subscriptionIds: [one.id], limit: 1 })).map((x) => x.id)).toEqual([d[2]!.id]);
        expect((await b.deliveries.claimPending(at(1))).map((x) => x.id)).toEqual([d[0]!.id, d[1]!.id]);
        // Each process's own claims come back to it (its runner knows those it is sending); nobody else's do.
        expect((await a.deliveries.claimPending(at(1))).map((x) => x.id)).toEqual([d[2]!.id]);
        expect(await fixture.replica({ owner: 'replica-c' }).deliveries.claimPending(at(1))).toEqual([]);
      });

      it('gives each of several racing claimers different due deliveries, and each is delivered exactly once', async () => {
        const subscriptions = [];
        for (let i = 0; i < 12; i++) subscriptions.push(await subscribe(`C${i}`));
        // Left pending by a replica that died: every claim expired.
        const dead = fixture.replica({ owner: 'dead', leaseMs: 1 });
        const due = [];
        for (const s of subscriptions) for (const slot of [at(-120), at(-60)]) due.push((await dead.deliveries.record(newDelivery(s.id, slot, { parts: [{ text: 'only part' }] }), at(-200))).delivery);

        const claimers: DeliveryStore[] = Array.from({ length: 4 }, (_, i) => fixture.replica({ owner: `claimer-${i}`, leaseMs: LEASE_MS }).deliveries);
        const sent = new Map<string, number>();
        // Each claimer takes a few at a time, sends what it got, and comes back until nothing is left.
        const work = async (store: DeliveryStore): Promise<number[]> => {
          const mine: number[] = [];
          for (;;) {
            const batch = await store.claimPending(T0, { limit: 3 });
            if (batch.length === 0) return mine;
            for (const delivery of batch) {
              mine.push(delivery.id);
              expect(await store.markAttempt(delivery.id, 0, T0)).toBe(true);
              const key = `${delivery.subscriptionId}@${delivery.slot}`;
              sent.set(key, (sent.get(key) ?? 0) + 1);
              expect(await store.markSent(delivery.id, 0, `${store.owner}:${delivery.id}`, T0)).toBeDefined();
              expect(await store.finish(delivery.id, 'delivered', T0)).toBe(true);
            }
          }
        };
        const claimed = await Promise.all(claimers.map(work));
        const all = claimed.flat();
        expect(all.sort((x, y) => x - y)).toEqual(due.map((d) => d.id).sort((x, y) => x - y));
        expect(new Set(all).size).toBe(due.length);
        expect([...sent.values()].every((n) => n === 1)).toBe(true);
        expect(sent.size).toBe(due.length);
        expect(await a.deliveries.counts()).toMatchObject({ pending: 0, delivered: due.length });
        for (const d of due) expect((await a.deliveries.get(d.id))?.refs).toHaveLength(1);
      });
    });
  });
}
