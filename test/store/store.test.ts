import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryStore } from '../../src/store/deliveries.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createSubscriptionStore, type SubscriptionInput } from '../../src/store/subscriptions.js';

const opened: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function open(path = ':memory:', migrations = MIGRATIONS): Store {
  const store = openStore({ path, migrations });
  opened.push(store);
  return store;
}

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'briefbot.db');
}

const now = new Date('2025-03-03T07:00:00Z');
const input: SubscriptionInput = { platform: 'discord', channelId: 'C1', schedule: 'daily 08:00', cron: '0 8 * * *', timezone: 'Europe/London', source: 'chat' };

describe('store', () => {
  it('creates its folder, uses WAL and records the schema version', () => {
    const path = tempPath();
    const store = open(path);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(store.version).toBe(MIGRATIONS.at(-1)!.version);
  });

  it('applies only the migrations a database has not seen, each once', () => {
    const path = tempPath();
    const applied: number[] = [];
    const steps = [
      ...MIGRATIONS,
      { version: 99, name: 'test step', up: (db: Store['db']) => (applied.push(99), db.exec('CREATE TABLE extra (x)')) },
    ];
    open(path, steps).close();
    opened.pop();
    open(path, steps);
    expect(applied).toEqual([99]);
  });

  it('brings a version 1 database forward: quote text, role and sentence filled in from the briefings', () => {
    const path = tempPath();
    const v1 = open(path, MIGRATIONS.filter((m) => m.version === 1));
    const entry = { briefing: { id: 'a', quotes: [{ text: 'We will rebuild', speaker: 'Ann Lee', role: 'mayor', sentence: 3, kind: 'direct' }] } };
    v1.db
      .prepare("INSERT INTO briefings (id, title, sort_key, ingested_at, content_hash, search_text, json) VALUES ('a', 'A', 'x', 'x', 'h', 'a', ?)")
      .run(JSON.stringify(entry));
    v1.db.prepare("INSERT INTO quotes (position, idx, speaker) VALUES (1, 0, 'Ann Lee')").run();
    v1.close();
    opened.pop();
    const current = open(path);
    expect(current.db.prepare('SELECT text, role, sentence FROM quotes').get()).toEqual({ text: 'We will rebuild', role: 'mayor', sentence: 3 });
  });

  it('brings a version 9 database forward: a described quote source filled in from the briefings', async () => {
    const path = tempPath();
    const v9 = open(path, MIGRATIONS.filter((m) => m.version <= 9));
    const entry = { briefing: { id: 'a', quotes: [{ text: 'We will rebuild', speaker: 'Ann Lee', sentence: 3, kind: 'direct' }, { text: 'It is over', source: 'one aide', sentence: 5, kind: 'direct' }] } };
    v9.db
      .prepare("INSERT INTO briefings (id, title, sort_key, ingested_at, content_hash, search_text, json) VALUES ('a', 'A', 'x', 'x', 'h', 'a', ?)")
      .run(JSON.stringify(entry));
    v9.db.prepare("INSERT INTO quotes (position, idx, speaker, text, sentence) VALUES (1, 0, 'Ann Lee', 'We will rebuild', 3), (1, 1, NULL, 'It is over', 5)").run();
    v9.close();
    opened.pop();
    const current = open(path);
    expect(current.db.prepare('SELECT idx, source FROM quotes ORDER BY idx').all()).toEqual([{ idx: 0, source: null }, { idx: 1, source: 'one aide' }]);
  });

  it('brings a delivery half sent before story digests forward: one null thread per part sent, so later parts line up', async () => {
    const path = tempPath();
    const v6 = open(path, MIGRATIONS.filter((m) => m.version <= 6));
    v6.db
      .prepare("INSERT INTO subscriptions (platform, channel_id, schedule, cron, timezone, source, status, active_since, start_position, created_at, updated_at) VALUES ('discord', 'C1', 'x', 'x', 'UTC', 'chat', 'active', '', 0, '', '')")
      .run();
    v6.db
      .prepare("INSERT INTO deliveries (subscription_id, slot, status, items, through_position, parts, parts_sent, refs, created_at, updated_at) VALUES (1, 's', 'pending', 3, 3, '[1,2,3]', 2, '[\"m1\",\"m2\"]', '', '')")
      .run();
    v6.close();
    opened.pop();
    const deliveries = createDeliveryStore(open(path).db);
    expect(await deliveries.get(1)).toMatchObject({ refs: ['m1', 'm2'], threadRefs: [null, null] });
    expect(await deliveries.markSent(1, 2, 'm3', now, 'thread-3')).toMatchObject({ refs: ['m1', 'm2', 'm3'], threadRefs: [null, null, 'thread-3'] });
  });

  it('refuses a database from a newer briefbot', () => {
    const path = tempPath();
    open(path).db.pragma('user_version = 1000');
    opened.pop()!.close();
    expect(() => openStore({ path })).toThrow(/schema version 1000/);
  });

  it('keeps one live subscription per channel and resumes a paused one on save', async () => {
    const store = open();
    const subs = createSubscriptionStore(store.db);
    const first = await subs.save(input, now, 5);
    expect(first.change).toBe('created');
    expect(first.subscription).toMatchObject({ status: 'active', activeSince: now.toISOString(), startPosition: 5 });
    expect((await subs.save(input, now, 6)).change).toBe('unchanged');
    expect((await subs.save({ ...input, schedule: 'daily 09:00', cron: '0 9 * * *' }, now, 6)).change).toBe('updated');
    await subs.pause(first.subscription.id, 'Missing Access', now);
    expect(await subs.get(first.subscription.id)).toMatchObject({ status: 'paused', pausedReason: 'Missing Access' });
    const later = new Date('2025-03-04T00:00:00Z');
    const resumed = await subs.save(input, later, 9);
    expect(resumed.change).toBe('resumed');
    expect(resumed.subscription).toMatchObject({ id: first.subscription.id, status: 'active', activeSince: later.toISOString() });
    expect(resumed.subscription.pausedReason).toBeUndefined();
    await subs.remove(first.subscription.id, later);
    expect(await subs.forChannel('discord', 'C1')).toBeUndefined();
    expect((await subs.save(input, later, 9)).subscription.id).not.toBe(first.subscription.id);
    expect(() =>
      store.db
        .prepare("INSERT INTO subscriptions (platform, channel_id, schedule, cron, timezone, source, status, active_since, start_position, created_at, updated_at) VALUES ('discord', 'C1', 'x', 'x', 'UTC', 'chat', 'active', '', 0, '', '')")
        .run(),
    ).toThrow(/UNIQUE/);
  });

  it('records a slot once: the second firing gets the first row back', async () => {
    const store = open();
    const subs = createSubscriptionStore(store.db);
    const deliveries = createDeliveryStore(store.db);
    const sub = (await subs.save(input, now, 0)).subscription;
    const slot = '2025-03-03T08:00:00.000Z';
    const a = await deliveries.record({ subscriptionId: sub.id, slot, status: 'pending', items: 2, throughPosition: 7, parts: [{ p: 1 }, { p: 2 }] }, now);
    const b = await deliveries.record({ subscriptionId: sub.id, slot, status: 'pending', items: 9, throughPosition: 9, parts: [] }, now);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.delivery).toEqual(a.delivery);
    expect(await deliveries.cursor(sub.id)).toBe(7);
    expect(await deliveries.hasAtOrAfter(sub.id, slot)).toBe(true);
    expect(await deliveries.hasAtOrAfter(sub.id, '2025-03-04T08:00:00.000Z')).toBe(false);
  });

  it('tracks each part: attempted, sent once, finished', async () => {
    const store = open();
    const subs = createSubscriptionStore(store.db);
    const deliveries = createDeliveryStore(store.db);
    const sub = (await subs.save(input, now, 0)).subscription;
    const { delivery } = await deliveries.record({ subscriptionId: sub.id, slot: 's', status: 'pending', items: 2, throughPosition: 3, parts: [1, 2] }, now);
    await deliveries.markAttempt(delivery.id, 0, now);
    await deliveries.markFailedAttempt(delivery.id, 'HTTP 503', now);
    expect(await deliveries.get(delivery.id)).toMatchObject({ attemptedPart: 0, attempts: 1, lastError: 'HTTP 503' });
    await deliveries.markSent(delivery.id, 0, 'm1', now);
    // A repeated confirmation of the same part changes nothing.
    await deliveries.markSent(delivery.id, 0, 'm1', now);
    expect(await deliveries.get(delivery.id)).toMatchObject({ partsSent: 1, refs: ['m1'], attempts: 0 });
    expect((await deliveries.get(delivery.id))?.attemptedPart).toBeUndefined();
    await deliveries.markSent(delivery.id, 1, 'm2', now);
    await deliveries.finish(delivery.id, 'delivered', now);
    expect(await deliveries.get(delivery.id)).toMatchObject({ status: 'delivered', partsSent: 2, refs: ['m1', 'm2'] });
    expect(await deliveries.claimPending(now)).toEqual([]);
    // A finished delivery stays finished.
    await deliveries.finish(delivery.id, 'failed', now, 'late');
    expect((await deliveries.get(delivery.id))?.status).toBe('delivered');
  });

  it('lets go at open of the delivery claims a dead process left: the next process resumes them at once', async () => {
    const path = tempPath();
    const first = open(path);
    const sub = (await createSubscriptionStore(first.db).save(input, now, 0)).subscription;
    const dead = createDeliveryStore(first.db, { owner: 'dead-process' });
    const { delivery } = await dead.record({ subscriptionId: sub.id, slot: '2025-03-03T08:00:00.000Z', status: 'pending', items: 1, throughPosition: 1, parts: [1] }, now);
    expect(delivery.claimedBy).toBe('dead-process');
    // Still held while the file stays open (another store object, as a second process would be).
    expect(await createDeliveryStore(first.db, { owner: 'other' }).claimPending(now)).toEqual([]);
    opened.pop()!.close();
    const next = createDeliveryStore(open(path).db, { owner: 'next-process' });
    expect((await next.claimPending(now)).map((d) => [d.id, d.claimedBy])).toEqual([[delivery.id, 'next-process']]);
  });

  it('does not count failed digests in the cursor, so their items come again', async () => {
    const store = open();
    const subs = createSubscriptionStore(store.db);
    const deliveries = createDeliveryStore(store.db);
    const sub = (await subs.save(input, now, 2)).subscription;
    expect(await deliveries.cursor(sub.id)).toBeUndefined();
    const a = (await deliveries.record({ subscriptionId: sub.id, slot: '1', status: 'pending', items: 1, throughPosition: 4, parts: [1] }, now)).delivery;
    await deliveries.finish(a.id, 'delivered', now);
    const b = (await deliveries.record({ subscriptionId: sub.id, slot: '2', status: 'pending', items: 1, throughPosition: 6, parts: [1] }, now)).delivery;
    await deliveries.finish(b.id, 'failed', now, 'gave up');
    expect(await deliveries.cursor(sub.id)).toBe(4);
    expect(await deliveries.failuresSince(sub.id, '')).toMatchObject({ count: 1, last: { id: b.id, lastError: 'gave up' } });
  });
});
