/**
 * The digest job with injected time: catch-up, backfill, "nothing new", the cap and the split,
 * against stand-in senders. No wall clock is waited on: `now` is passed in, backoffs are recorded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { digestJob } from '../../src/digest/digest-job.js';
import { renderDigest } from '../../src/platforms/index.js';
import { createHarness, idsInDiscordPart, type Harness } from './harness.js';

let h: Harness;
afterEach(() => h?.close());

const at = (iso: string) => new Date(iso);

describe('catch-up', () => {
  it('delivers a slot missed while the bot was down, once', async () => {
    h = createHarness();
    await h.addBriefings(['a', 'b']);
    const sub = await h.subscribe({ schedule: 'daily 08:00', timezone: 'Europe/London', at: '2025-03-01T00:00:00Z' });
    const first = await digestJob.run(h.deps, at('2025-03-03T10:00:00Z'));
    expect(first).toMatchObject({ recorded: 1, outcomes: { delivered: 1 } });
    expect((await h.deps.deliveries.find(sub.id, '2025-03-03T08:00:00.000Z'))?.status).toBe('delivered');
    // Restarting again, or the sweep, finds the slot recorded.
    expect(await digestJob.run(h.deps, at('2025-03-03T10:05:00Z'))).toMatchObject({ recorded: 0 });
    expect(h.senders.discord.posted).toHaveLength(1);
  });

  it('after days down delivers only the most recent missed slot', async () => {
    h = createHarness();
    await h.addBriefings(['a']);
    const sub = await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    await digestJob.run(h.deps, at('2025-03-06T09:00:00Z'));
    const slots = h.store.db.prepare('SELECT slot FROM deliveries WHERE subscription_id = ?').all(sub.id);
    expect(slots).toEqual([{ slot: '2025-03-06T08:00:00.000Z' }]);
  });

  it('does not deliver a slot older than the catch-up window (default 12 hours)', async () => {
    h = createHarness();
    await h.addBriefings(['a']);
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    expect(await digestJob.run(h.deps, at('2025-03-03T20:00:01Z'))).toMatchObject({ recorded: 0 });
    expect(await digestJob.run(h.deps, at('2025-03-03T20:00:00Z'))).toMatchObject({ recorded: 1 });
  });

  it('honours a configured window', async () => {
    h = createHarness({ settings: { catchUpHours: 1 } });
    await h.addBriefings(['a']);
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    expect(await digestJob.run(h.deps, at('2025-03-03T09:30:00Z'))).toMatchObject({ recorded: 0 });
  });

  it('never delivers a slot from before the subscription began', async () => {
    h = createHarness();
    await h.addBriefings(['a']);
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-03T08:30:00Z' });
    expect(await digestJob.run(h.deps, at('2025-03-03T09:00:00Z'))).toMatchObject({ recorded: 0 });
    expect(await digestJob.run(h.deps, at('2025-03-04T08:00:00Z'))).toMatchObject({ recorded: 1 });
  });

  it('expires a delivery left pending past the window instead of posting stale news', async () => {
    h = createHarness();
    await h.addBriefings(['a']);
    const sub = await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    await h.deps.deliveries.record({ subscriptionId: sub.id, slot: '2025-03-02T08:00:00.000Z', status: 'pending', items: 1, throughPosition: 1, parts: [{ content: 'x' }] }, at('2025-03-02T08:00:00Z'));
    const report = await digestJob.run(h.deps, at('2025-03-03T08:30:00Z'));
    expect(report).toMatchObject({ expired: 1, recorded: 1 });
    expect((await h.deps.deliveries.find(sub.id, '2025-03-02T08:00:00.000Z'))?.status).toBe('expired');
    // Its briefing is not lost: the cursor does not move past an expired digest.
    expect(idsInDiscordPart(h.senders.discord.posted[0]!)).toEqual(['a']);
  });

  it('runs one subscription when asked (its node-cron task) and leaves the others to theirs', async () => {
    h = createHarness();
    await h.addBriefings(['a']);
    const one = await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    const two = await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    await digestJob.run(h.deps, at('2025-03-03T08:00:00Z'), [one.id]);
    expect(await h.deps.deliveries.find(one.id, '2025-03-03T08:00:00.000Z')).toBeDefined();
    expect(await h.deps.deliveries.find(two.id, '2025-03-03T08:00:00.000Z')).toBeUndefined();
  });

  it('follows the DST change: the London 08:00 slot is 07:00 UTC in summer', async () => {
    h = createHarness();
    await h.addBriefings(['a']);
    const sub = await h.subscribe({ schedule: 'daily 08:00', timezone: 'Europe/London', at: '2025-03-29T00:00:00Z' });
    await digestJob.run(h.deps, at('2025-03-30T07:00:00Z'));
    expect((await h.deps.deliveries.find(sub.id, '2025-03-30T07:00:00.000Z'))?.status).toBe('delivered');
    const nyc = await h.subscribe({ schedule: 'daily 08:00', timezone: 'America/New_York', at: '2025-11-01T00:00:00Z' });
    await digestJob.run(h.deps, at('2025-11-02T13:00:00Z'));
    expect(await h.deps.deliveries.find(nyc.id, '2025-11-02T13:00:00.000Z')).toBeDefined();
  });
});

describe('what a digest carries', () => {
  it('starts a new subscription with the 3 most recent briefings, then only what is new', async () => {
    h = createHarness();
    await h.addBriefings(['old-1', 'old-2', 'old-3', 'old-4', 'old-5'], { published: (i) => `2025-02-0${i + 1}` });
    const sub = await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    await digestJob.run(h.deps, at('2025-03-01T08:00:00Z'));
    expect(idsInDiscordPart(h.senders.discord.posted[0]!)).toEqual(['old-5', 'old-4', 'old-3']);
    await h.addBriefings(['new-1', 'new-2'], { published: () => '2025-03-01' });
    await digestJob.run(h.deps, at('2025-03-02T08:00:00Z'));
    expect(idsInDiscordPart(h.senders.discord.posted[1]!).sort()).toEqual(['new-1', 'new-2']);
    expect((h.senders.discord.posted[1]!.payload as { content: string }).content).toMatch(/2 new briefings since Sat 1 Mar 2025, 08:00 UTC/);
    expect((await h.deps.deliveries.latest(sub.id, ['delivered']))?.items).toBe(2);
  });

  it('takes the backfill from the configuration or the subscription, and 0 means only what is new', async () => {
    h = createHarness({ settings: { backfill: 1 } });
    await h.addBriefings(['a', 'b', 'c'], { published: (i) => `2025-02-0${i + 1}` });
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z', backfill: 2 });
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z', backfill: 0, nothingNew: 'skip' });
    await h.addBriefings(['after-subscribing'], { published: () => '2025-01-01' });
    await digestJob.run(h.deps, at('2025-03-01T08:00:00Z'));
    const byChannel = (c: string) => idsInDiscordPart(h.senders.discord.posted.find((p) => p.channelId === c)!);
    // A briefing added after subscribing comes in the first digest whatever its date.
    expect(byChannel('C1')).toEqual(['c', 'after-subscribing']);
    expect(byChannel('C2')).toEqual(['c', 'b', 'after-subscribing']);
    expect(byChannel('C3')).toEqual(['after-subscribing']);
  });

  it('skips the slot when nothing is new under the "skip" policy, and still records it', async () => {
    h = createHarness();
    const sub = await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    const report = await digestJob.run(h.deps, at('2025-03-01T08:00:00Z'));
    expect(report).toMatchObject({ recorded: 1, skipped: 1 });
    expect(h.senders.discord.attempts).toEqual([]);
    expect((await h.deps.deliveries.find(sub.id, '2025-03-01T08:00:00.000Z'))?.status).toBe('skipped');
    // A skipped slot is handled: the next run does not try it again.
    expect(await digestJob.run(h.deps, at('2025-03-01T09:00:00Z'))).toMatchObject({ recorded: 0 });
  });

  it('posts one line when nothing is new under the "note" policy', async () => {
    h = createHarness({ settings: { nothingNew: 'note' } });
    await h.addBriefings(['a']);
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z', platform: 'slack' });
    await digestJob.run(h.deps, at('2025-03-01T08:00:00Z'));
    await digestJob.run(h.deps, at('2025-03-02T08:00:00Z'));
    const note = h.senders.slack.posted[1]!.payload as { text: string; blocks: unknown[] };
    expect(note.text).toBe('briefbot digest: nothing new since the last digest (Sat 1 Mar 2025, 08:00 UTC).');
    expect(note.blocks).toHaveLength(1);
  });

  it('caps a digest and counts the rest; the next digest starts after all of them', async () => {
    h = createHarness({ settings: { maxItems: 5 } });
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z', backfill: 0 });
    await h.addBriefings(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    await digestJob.run(h.deps, at('2025-03-01T08:00:00Z'));
    const part = h.senders.discord.posted[0]!;
    expect(idsInDiscordPart(part)).toHaveLength(5);
    expect((part.payload as { content: string }).content).toBe('Your first briefbot digest: the latest 5 briefings. 3 more in /articles.');
    await digestJob.run(h.deps, at('2025-03-02T08:00:00Z'));
    expect(h.senders.discord.posted).toHaveLength(1);
  });

  it('splits a long digest across messages between items, never inside one', async () => {
    h = createHarness({ settings: { maxItems: 25 } });
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z', backfill: 0 });
    await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z', backfill: 0, platform: 'slack' });
    const ids = Array.from({ length: 24 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
    await h.addBriefings(ids);
    await digestJob.run(h.deps, at('2025-03-01T08:00:00Z'));
    const discord = h.senders.discord.posted;
    expect(discord.length).toBeGreaterThan(1);
    expect(discord.map((p) => p.index)).toEqual(discord.map((_, i) => i));
    const shown = discord.flatMap(idsInDiscordPart);
    expect(shown.sort()).toEqual([...ids].sort());
    for (const p of discord) {
      for (const embed of (p.payload as { embeds: Array<{ title?: string; description?: string; fields?: unknown[] }> }).embeds) {
        expect(embed.title && embed.description && embed.fields?.length).toBeTruthy();
      }
    }
    const slack = h.senders.slack.posted;
    expect(slack.length).toBeGreaterThan(1);
    const slackIds = slack.flatMap((p) =>
      (p.payload as { blocks: Array<{ type: string; elements?: Array<{ text: string }> }> }).blocks
        .filter((b) => b.type === 'context')
        .map((b) => b.elements![0]!.text.replace(/^id: /, '')),
    );
    expect(slackIds.sort()).toEqual([...ids].sort());
    for (const p of slack) expect((p.payload as { blocks: unknown[] }).blocks.length).toBeLessThanOrEqual(50);
  });

  it('renders the same digest once for many channels at one slot', async () => {
    h = createHarness();
    await h.addBriefings(['a', 'b']);
    for (let i = 0; i < 20; i++) await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    await digestJob.run(h.deps, at('2025-03-01T08:00:00Z'));
    expect(h.senders.discord.posted).toHaveLength(20);
    expect(new Set(h.senders.discord.posted.map((p) => p.channelId)).size).toBe(20);
    expect(new Set(h.senders.discord.posted.map((p) => p.deliveryKey)).size).toBe(20);
  });
});

describe('a platform briefbot does not know', () => {
  it('is an error for its subscription (logged, counted), never another platform\'s messages, and the others still get theirs', async () => {
    h = createHarness();
    await h.addBriefings(['a']);
    const known = await h.subscribe({ schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    const unknown = await h.subscribe({ platform: 'slack', schedule: 'daily 08:00', at: '2025-03-01T00:00:00Z' });
    // As a build without Slack in its platform list would render: the list's own refusal.
    h.deps.render = (platform, content) => renderDigest(platform === 'slack' ? 'not-in-this-build' : platform, content);
    const report = await digestJob.run(h.deps, at('2025-03-03T08:00:00Z'));
    expect(report).toMatchObject({ recorded: 1, failed: 1, outcomes: { delivered: 1 } });
    expect((await h.deps.deliveries.find(known.id, '2025-03-03T08:00:00.000Z'))?.status).toBe('delivered');
    expect(await h.deps.deliveries.find(unknown.id, '2025-03-03T08:00:00.000Z')).toBeUndefined();
    expect(h.senders.slack.attempts).toEqual([]);
  });
});
