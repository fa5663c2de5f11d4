/**
 * The Slack replay guard on PostgreSQL: a request accepted by one replica is a replay for every
 * other, also when several replicas are handed it at the same moment; it is forgotten once it
 * has expired, and expired rows are swept.
 */
import { describe, expect, it } from 'vitest';
import { createPostgresReplayGuard } from '../../../src/store/postgres/replay-guard.js';
import { replicaStores } from '../../helpers/postgres-replicas.js';

// Three replicas, each with its own pool, opened together (the schema is migrated once).
const stores = replicaStores(3);

describe('Slack replay guard on PostgreSQL', () => {
  it('accepts a signature once across replicas, and refuses it on every other replica until it expires', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const [a, b] = stores.map((s) => createPostgresReplayGuard(s.pool, { now: () => clock }));
    const expires = clock + 300_000;
    expect(await a!.remember('v0=aaa', expires)).toBe('new');
    expect(await b!.remember('v0=aaa', expires)).toBe('seen');
    expect(await a!.remember('v0=aaa', expires)).toBe('seen');
    expect(await b!.remember('v0=bbb', expires)).toBe('new');
    clock = expires;
    expect(await b!.remember('v0=aaa', clock + 300_000)).toBe('new');
  });

  it('gives `new` to exactly one of the replicas handed the same request at once', async () => {
    const guards = stores.map((s) => createPostgresReplayGuard(s.pool));
    const expires = Date.now() + 300_000;
    const answers = await Promise.all(guards.flatMap((guard) => Array.from({ length: 5 }, () => guard.remember('v0=same', expires))));
    expect(answers.filter((a) => a === 'new')).toHaveLength(1);
    expect(answers.filter((a) => a === 'seen')).toHaveLength(14);
  });

  it('sweeps expired signatures', async () => {
    let clock = Date.parse('2026-02-01T00:00:00Z');
    const guard = createPostgresReplayGuard(stores[0]!.pool, { now: () => clock, sweepEveryMs: 1000 });
    await guard.remember('v0=old', clock + 10);
    clock += 5000;
    await guard.remember('v0=new', clock + 300_000);
    const { rows } = await stores[0]!.pool.query<{ key: string }>("SELECT key FROM request_replays WHERE key IN ('v0=old', 'v0=new') ORDER BY key");
    expect(rows.map((r) => r.key)).toEqual(['v0=new']);
  });
});
