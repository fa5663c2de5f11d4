/**
 * One contract for feed polling leases, run against SQLite and a real PostgreSQL server: a feed's
 * lease is held by one process at a time, renewed by its holder, taken over once it expires (a
 * replica that died), refused to the old holder after that, and let go of at once on release;
 * replicas racing for the same feeds each get different ones.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedLeaseStore } from '../../../src/store/feed-leases.js';
import { postgresImplementation, sqliteImplementation, type DigestStoreFixture } from './digest-stores.js';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const LEASE_MS = 60_000;

for (const implementation of [sqliteImplementation, postgresImplementation()]) {
  describe(`feed leases on ${implementation.name}`, () => {
    let fixture: DigestStoreFixture;
    let a: FeedLeaseStore;
    let b: FeedLeaseStore;

    beforeEach(async () => {
      fixture = await implementation.open();
      a = fixture.replica({ owner: 'replica-a', leaseMs: LEASE_MS }).feedLeases;
      b = fixture.replica({ owner: 'replica-b', leaseMs: LEASE_MS }).feedLeases;
    });
    afterEach(async () => {
      await fixture.close();
    });
    afterAll(async () => {
      await implementation.teardown();
    });

    it('gives a free feed to the first asker and refuses the others while the lease holds', async () => {
      expect(await a.get('feed-1')).toBeUndefined();
      expect(await a.acquire('feed-1', T0)).toBe(true);
      expect(await a.get('feed-1')).toEqual({ sourceId: 'feed-1', owner: 'replica-a', until: at(60).toISOString() });
      expect(await b.acquire('feed-1', at(30))).toBe(false);
      expect(await b.acquire('feed-1', at(59.999))).toBe(false);
      // Another feed is another lease.
      expect(await b.acquire('feed-2', at(30))).toBe(true);
      expect((await a.get('feed-1'))?.owner).toBe('replica-a');
    });

    it('lets the holder renew, by acquiring again or by renew()', async () => {
      expect(await a.acquire('feed-1', T0)).toBe(true);
      expect(await a.acquire('feed-1', at(50))).toBe(true);
      expect((await a.get('feed-1'))?.until).toBe(at(110).toISOString());
      expect(await a.renew('feed-1', at(100))).toBe(true);
      expect((await a.get('feed-1'))?.until).toBe(at(160).toISOString());
      expect(await b.acquire('feed-1', at(120))).toBe(false);
      expect(await b.renew('feed-1', at(120))).toBe(false);
    });

    it("takes over an expired lease, and the old holder's renewal is refused", async () => {
      expect(await a.acquire('feed-1', T0)).toBe(true);
      // a died (or stalled): at its lease's end the feed is free for b.
      expect(await b.acquire('feed-1', at(60))).toBe(true);
      expect(await a.get('feed-1')).toEqual({ sourceId: 'feed-1', owner: 'replica-b', until: at(120).toISOString() });
      expect(await a.renew('feed-1', at(61))).toBe(false);
      expect(await a.acquire('feed-1', at(61))).toBe(false);
      await a.release('feed-1'); // not a's any more: nothing happens
      expect((await b.get('feed-1'))?.owner).toBe('replica-b');
    });

    it('frees a released feed at once', async () => {
      expect(await a.acquire('feed-1', T0)).toBe(true);
      await a.release('feed-1');
      expect(await a.get('feed-1')).toBeUndefined();
      expect(await b.acquire('feed-1', at(1))).toBe(true);
    });

    it('gives each feed to exactly one of several replicas asking at once', async () => {
      const replicas = Array.from({ length: 5 }, (_, i) => fixture.replica({ owner: `replica-${i}`, leaseMs: LEASE_MS }).feedLeases);
      const feeds = Array.from({ length: 20 }, (_, i) => `feed-${i}`);
      // Every replica asks for every feed, all at once, in its own order.
      const answers = await Promise.all(
        replicas.flatMap((replica, r) => feeds.map((_, f) => feeds[(f + r * 3) % feeds.length]!).map(async (feed) => ({ feed, owner: replica.owner, got: await replica.acquire(feed, T0) }))),
      );
      for (const feed of feeds) {
        const winners = answers.filter((x) => x.feed === feed && x.got);
        expect(winners, feed).toHaveLength(1);
        expect((await a.get(feed))?.owner).toBe(winners[0]!.owner);
      }
      // Once every lease has expired, each feed goes to exactly one of them again.
      const again = await Promise.all(replicas.map(async (replica) => ({ owner: replica.owner, got: await replica.acquire('feed-0', at(61)) })));
      expect(again.filter((x) => x.got)).toHaveLength(1);
    });
  });
}
