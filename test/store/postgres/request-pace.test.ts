/**
 * The shared request pace: replicas reserving at once get instants one interval apart, from one
 * clock, and never the same one. Checked on the reserved instants (the database's arithmetic),
 * not on wall-clock timings, so the test does not depend on the machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { createPostgresRequestPace } from '../../../src/store/postgres/request-pace.js';
import { replicaStores } from '../../helpers/postgres-replicas.js';

// Three replicas, each with its own pool, opened together (the schema is migrated once).
const stores = replicaStores(3);

describe('shared request pace on PostgreSQL', () => {
  it('spaces the reservations of three replicas one interval apart, with no instant given twice', async () => {
    const paces = stores.map((s) => createPostgresRequestPace(s.pool, { name: 'discord-global', perSecond: 50 }));
    const reservations = await Promise.all(paces.flatMap((pace) => Array.from({ length: 40 }, () => pace.reserve())));
    const instants = reservations.map((r) => r.at).sort((a, b) => a - b);
    expect(instants).toHaveLength(120);
    const gaps = instants.slice(1).map((at, i) => at - instants[i]!);
    // 20 ms apart (50 a second), up to float rounding; more only when the pace was idle in between.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(19.999);
    // So any one second of reservations holds at most 50 of them.
    for (let i = 0; i + 50 < instants.length; i++) expect(instants[i + 50]! - instants[i]!).toBeGreaterThanOrEqual(999.9);
    // Reserved back to back, 120 requests at 50/s end about 2.4 s after the first: waits grow with the queue.
    expect(Math.max(...reservations.map((r) => r.waitMs))).toBeGreaterThan(2000);
  });

  it('keeps separate limits apart by name', async () => {
    const a = createPostgresRequestPace(stores[0]!.pool, { name: 'limit-a', perSecond: 1 });
    const b = createPostgresRequestPace(stores[1]!.pool, { name: 'limit-b', perSecond: 1 });
    const [first, second] = [await a.reserve(), await b.reserve()];
    expect(first.waitMs).toBe(0);
    expect(second.waitMs).toBe(0);
    const third = await a.reserve();
    expect(third.waitMs).toBeGreaterThan(500);
  });

  it('take waits for the reserved instant and stops waiting when aborted', async () => {
    const pace = createPostgresRequestPace(stores[2]!.pool, { name: 'slow', perSecond: 0.5 });
    await pace.take();
    const controller = new AbortController();
    const waiting = pace.take(controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
  });

  it('refuses a rate that is not positive', () => {
    expect(() => createPostgresRequestPace(stores[0]!.pool, { name: 'x', perSecond: 0 })).toThrow(/positive rate/);
  });
});
