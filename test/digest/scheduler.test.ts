/**
 * The node-cron wiring, under vitest's fake timers (node-cron 4 runs on setTimeout and Date, so
 * the clock is moved, never waited on).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDigestScheduler } from '../../src/digest/scheduler.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(() => {
  vi.useRealTimers();
  h?.close();
});

describe('digest scheduler', () => {
  it('fires each subscription at its time in its zone through node-cron, once per slot', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2025-07-01T06:58:30Z'));
    h = createHarness();
    h.addBriefings(['a']);
    const london = await h.subscribe({ schedule: 'daily 08:00', timezone: 'Europe/London', at: '2025-06-01T00:00:00Z' });
    const utc = await h.subscribe({ schedule: 'daily 08:00', timezone: 'UTC', at: '2025-06-01T00:00:00Z' });
    // The sweep is put off to New Year, so what fires here is each subscription's own task.
    const scheduler = createDigestScheduler(h.deps, { now: () => new Date(), sweep: '0 0 1 1 *' });
    const { catchUp } = await scheduler.start();
    expect(await catchUp).toMatchObject({ recorded: 0 });
    expect(scheduler.tasks).toBe(2);

    await vi.advanceTimersByTimeAsync(120_000); // past 07:00 UTC = 08:00 BST
    await h.runner.idle();
    expect((await h.deps.deliveries.find(london.id, '2025-07-01T07:00:00.000Z'))?.status).toBe('delivered');
    expect(await h.deps.deliveries.find(utc.id, '2025-07-01T08:00:00.000Z')).toBeUndefined();

    await vi.advanceTimersByTimeAsync(3_600_000);
    await h.runner.idle();
    expect((await h.deps.deliveries.find(utc.id, '2025-07-01T08:00:00.000Z'))?.status).toBe('delivered');
    expect(h.senders.discord.posted.map((p) => p.channelId).sort()).toEqual(['C1', 'C2']);
    expect(await scheduler.stop(100)).toBe(0);
    expect(scheduler.tasks).toBe(0);
  });

  it('stop waits for a job under way, so the store is not closed under it', async () => {
    h = createHarness();
    h.addBriefings(['a']);
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-06-01T00:00:00Z' });
    // The catch-up (the second read of the subscriptions; the first makes the tasks) waits here until let go.
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    let reads = 0;
    const subscriptions = {
      ...h.deps.subscriptions,
      active: async () => {
        reads += 1;
        if (reads === 2) await gate;
        return h.deps.subscriptions.active();
      },
    };
    const scheduler = createDigestScheduler({ ...h.deps, subscriptions }, { now: () => new Date('2025-07-01T00:00:00Z'), sweep: '0 0 1 1 *' });
    const { catchUp } = await scheduler.start();
    const order: string[] = [];
    void catchUp.then(() => order.push('catch-up ended'));
    const stopping = scheduler.stop(60_000).then(() => order.push('stopped'));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    letGo();
    await stopping;
    expect(order).toEqual(['catch-up ended', 'stopped']);
  });

  it('creates, moves and removes a task when a subscription changes', async () => {
    h = createHarness();
    const scheduler = createDigestScheduler(h.deps, { now: () => new Date('2025-07-01T00:00:00Z') });
    scheduler.start();
    const sub = await h.subscribe({ schedule: 'daily 08:00' });
    scheduler.refresh(sub);
    expect(scheduler.tasks).toBe(1);
    scheduler.refresh({ ...sub, cron: '0 9 * * *' });
    expect(scheduler.tasks).toBe(1);
    scheduler.refresh({ ...sub, status: 'paused' });
    expect(scheduler.tasks).toBe(0);
    await scheduler.stop(10);
  });

  it('the sweep delivers a slot whose task did not fire (a local time skipped by DST; a late event loop), once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    // 01:30 does not exist in London on 30 March 2025; node-cron never fires that day, the sweep does at 02:30 BST.
    vi.setSystemTime(new Date('2025-03-30T01:28:00Z'));
    h = createHarness();
    h.addBriefings(['a']);
    const sub = await h.subscribe({ schedule: 'daily 01:30', timezone: 'Europe/London', at: '2025-03-01T00:00:00Z' });
    const scheduler = createDigestScheduler(h.deps, { now: () => new Date() });
    await (await scheduler.start()).catchUp;
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    await h.runner.idle();
    expect((await h.deps.deliveries.find(sub.id, '2025-03-30T01:30:00.000Z'))?.status).toBe('delivered');
    // Next day the task and the sweep both fire at 01:30 BST: one message.
    h.addBriefings(['b']);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    await h.runner.idle();
    expect(h.senders.discord.posted).toHaveLength(2);
    await scheduler.stop(10);
  });
});
