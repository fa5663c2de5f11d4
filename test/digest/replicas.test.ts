/**
 * The digest job run by several replicas on one store, on SQLite and on a real PostgreSQL: each
 * replica has its own runner, its own senders and its own name in delivery claims, as separate
 * processes would. However the replicas' runs interleave, every subscription gets exactly one
 * digest for the slot; and when a replica dies mid-send, another takes its deliveries over once
 * their claims expire, and still each is posted once. Time is injected: no wall clock is waited on.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryRunner, type DeliveryRunner } from '../../src/digest/delivery-runner.js';
import { deliveryDeadline, digestJob, type DigestJobDeps } from '../../src/digest/digest-job.js';
import type { DigestSender, OutgoingPart } from '../../src/digest/sender.js';
import { createMemoryLibrary } from '../../src/library/memory-library.js';
import { silentLogger } from '../../src/logging/logger.js';
import { renderDigest } from '../../src/platforms/index.js';
import { parseSchedule } from '../../src/digest/schedule.js';
import { postgresImplementation, sqliteImplementation, type DigestStoreFixture } from '../store/contract/digest-stores.js';
import { makeBriefing, makeEntry } from '../store/helpers.js';

const SLOT = new Date('2025-03-03T08:00:00.000Z');
const LEASE_MS = 120_000;
const SUBSCRIPTIONS = 30;

/** Posts land in one shared list (the platform), tagged with the replica that posted them. */
interface Posted {
  replica: string;
  part: OutgoingPart;
}

function sender(replica: string, posted: Posted[], hang = false): DigestSender & { stuck: number } {
  const s = {
    platform: 'discord' as const,
    stuck: 0,
    async send(part: OutgoingPart) {
      if (hang) {
        // A replica that died mid-send: the request never comes back and nothing lands.
        s.stuck += 1;
        return new Promise<never>(() => undefined);
      }
      posted.push({ replica, part });
      return { ref: `${replica}/${posted.length}` };
    },
  };
  return s;
}

for (const implementation of [sqliteImplementation, postgresImplementation()]) {
  describe(`digest replicas on ${implementation.name}`, () => {
    let fixture: DigestStoreFixture;
    const runners: DeliveryRunner[] = [];
    const library = createMemoryLibrary();
    beforeAll(async () => {
      for (const id of ['a', 'b', 'c']) await library.add(makeEntry(makeBriefing(id, { published: '2025-03-01' })));
    });

    beforeEach(async () => {
      fixture = await implementation.open();
      const { subscriptions } = fixture.replica();
      const parsed = parseSchedule('daily 08:00', 'UTC');
      if (!parsed.ok) throw new Error(parsed.message);
      for (let i = 0; i < SUBSCRIPTIONS; i++) {
        await subscriptions.save(
          { platform: 'discord', channelId: `C${i}`, schedule: parsed.schedule.label, cron: parsed.schedule.cron, timezone: 'UTC', source: 'chat' },
          new Date('2025-03-01T00:00:00Z'),
          0,
        );
      }
    });
    afterEach(async () => {
      await Promise.all(runners.splice(0).map((r) => r.stop(0)));
      await fixture.close();
    });
    afterAll(async () => {
      await implementation.teardown();
    });

    function replica(name: string, posted: Posted[], clock: { now: Date }, hang = false, more: { send?: DigestSender; renewClaimEveryMs?: number } = {}): DigestJobDeps {
      const { subscriptions, deliveries } = fixture.replica({ owner: name, leaseMs: LEASE_MS });
      const logger = silentLogger();
      const runner = createDeliveryRunner({
        deliveries,
        subscriptions,
        senders: { discord: more.send ?? sender(name, posted, hang) },
        ...(more.renewClaimEveryMs ? { renewClaimEveryMs: more.renewClaimEveryMs } : {}),
        retry: { attempts: 5, minDelayMs: 1, maxDelayMs: 4 },
        logger,
        now: () => clock.now,
        deadline: (subscription, delivery) => deliveryDeadline(subscription, delivery.slot),
        sleep: async () => undefined,
      });
      runners.push(runner);
      return { render: renderDigest, library, subscriptions, deliveries, runner, settings: { catchUpHours: 12, backfill: 3, nothingNew: 'skip', maxItems: 20 }, logger };
    }

    function perChannel(posted: Posted[]): Map<string, number> {
      const counts = new Map<string, number>();
      for (const { part } of posted) counts.set(part.channelId, (counts.get(part.channelId) ?? 0) + 1);
      return counts;
    }

    it('three replicas firing the same slot at once post each digest once', async () => {
      const posted: Posted[] = [];
      const clock = { now: new Date(SLOT.getTime() + 30_000) };
      const replicas = ['r1', 'r2', 'r3'].map((name) => replica(name, posted, clock));
      const reports = await Promise.all(replicas.map((deps) => digestJob.run(deps, clock.now)));
      expect(reports.reduce((n, r) => n + r.recorded, 0)).toBe(SUBSCRIPTIONS);
      const counts = perChannel(posted);
      expect(counts.size).toBe(SUBSCRIPTIONS);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      // The sweep a minute later, on every replica, finds nothing left to do.
      clock.now = new Date(SLOT.getTime() + 90_000);
      for (const deps of replicas) expect(await digestJob.run(deps, clock.now)).toMatchObject({ recorded: 0, resumed: 0 });
      expect(posted).toHaveLength(SUBSCRIPTIONS);
      expect(await replicas[0]!.deliveries.counts()).toMatchObject({ delivered: SUBSCRIPTIONS, pending: 0 });
    });

    it('a send that waits longer than the lease keeps its claim: no other replica sends it too', async () => {
      const posted: Posted[] = [];
      const clock = { now: new Date(SLOT.getTime() + 30_000) };
      // A send held in the platform client's queue (a rate limit shared by replicas) until let go.
      let letGo!: () => void;
      const queue = new Promise<void>((resolve) => (letGo = resolve));
      let waiting = 0;
      const slow: DigestSender = {
        platform: 'discord',
        async send(part) {
          waiting += 1;
          await queue;
          posted.push({ replica: 'slow', part });
          return { ref: `slow/${posted.length}` };
        },
      };
      const slowReplica = replica('slow', posted, clock, false, { send: slow, renewClaimEveryMs: 5 });
      const run = digestJob.run(slowReplica, clock.now);
      while (waiting < SUBSCRIPTIONS) await new Promise((resolve) => setTimeout(resolve, 5));
      // Past the lease on the clock: the sends are still in flight, and their claims are renewed meanwhile.
      clock.now = new Date(SLOT.getTime() + 30_000 + LEASE_MS + 60_000);
      const renewed = async () => {
        for (const subscription of await slowReplica.subscriptions.active()) {
          const d = await slowReplica.deliveries.find(subscription.id, SLOT.toISOString());
          if (d?.status !== 'pending' || d.claimedBy !== 'slow' || !(d.claimedUntil! > clock.now.toISOString())) return false;
        }
        return true;
      };
      while (!(await renewed())) await new Promise((resolve) => setTimeout(resolve, 5));
      const other = replica('other', posted, clock);
      expect(await digestJob.run(other, clock.now)).toMatchObject({ recorded: 0, resumed: 0 });
      letGo();
      expect(await run).toMatchObject({ recorded: SUBSCRIPTIONS, outcomes: { delivered: SUBSCRIPTIONS } });
      const counts = perChannel(posted);
      expect(counts.size).toBe(SUBSCRIPTIONS);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(posted.map((p) => p.replica))).toEqual(new Set(['slow']));
    });

    it("a replica that dies mid-send has its deliveries taken over once its claims expire, each posted once", async () => {
      const posted: Posted[] = [];
      const clock = { now: new Date(SLOT.getTime() + 30_000) };
      const dying = replica('dying', posted, clock, true);
      // It records every slot and starts sending; no send ever comes back.
      const run = digestJob.run(dying, clock.now);
      void run.catch(() => undefined);
      for (;;) {
        if ((await dying.deliveries.counts()).pending === SUBSCRIPTIONS) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Within its lease, another replica's sweep leaves its deliveries alone.
      const survivor = replica('survivor', posted, clock);
      clock.now = new Date(SLOT.getTime() + 60_000);
      expect(await digestJob.run(survivor, clock.now)).toMatchObject({ recorded: 0, resumed: 0 });
      expect(posted).toEqual([]);
      // Past the lease: the survivor claims them all and sends each once.
      clock.now = new Date(SLOT.getTime() + 30_000 + LEASE_MS + 60_000);
      expect(await digestJob.run(survivor, clock.now)).toMatchObject({ recorded: 0, resumed: SUBSCRIPTIONS, outcomes: { delivered: SUBSCRIPTIONS } });
      const counts = perChannel(posted);
      expect(counts.size).toBe(SUBSCRIPTIONS);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(posted.map((p) => p.replica))).toEqual(new Set(['survivor']));
      expect(await survivor.deliveries.counts()).toMatchObject({ delivered: SUBSCRIPTIONS, pending: 0 });
    });
  });
}
