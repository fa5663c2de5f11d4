/**
 * The crash test: a child process delivers one digest slot to 200 subscriptions (100 Discord
 * channels, 100 Slack channels, two messages each) and is killed with SIGKILL part-way through
 * the fan-out, then restarted on the same store. The fakes live here, in the parent, so they
 * outlive the kill; what they received is the verdict: every subscription has exactly one
 * digest for the slot, each of its messages once. The kill lands inside a post request, either
 * before the fake stores the message or after (the message is in the channel, the answer never
 * reaches the dead process), at different points of the fan-out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteLibrary } from '../../src/library/sqlite-library.js';
import { createDeliveryStore } from '../../src/store/deliveries.js';
import { openStore } from '../../src/store/store.js';
import { createSubscriptionStore } from '../../src/store/subscriptions.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { eventBriefing } from '../digest/e2e-context.js';
import { makeEntry } from '../store/helpers.js';
import { armKill, runUntilDone, type Killable, type KillMode } from './helpers/digest-child.js';

const PER_PLATFORM = 100;
const PARTS = 2;
const TOTAL_POSTS = PER_PLATFORM * 2 * PARTS;

interface World {
  dir: string;
  storePath: string;
  discord: FakeDiscord;
  slack: FakeSlack;
  discordChannels: string[];
  slackChannels: string[];
  slot: string;
}

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  await world.discord.stop();
  await world.slack.stop();
  rmSync(world.dir, { recursive: true, force: true });
  world = undefined;
});

async function createWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-crash-'));
  const storePath = join(dir, 'briefbot.db');
  const discord = await createFakeDiscord({ guilds: [{ channels: Array.from({ length: PER_PLATFORM }, (_, i) => ({ name: `crash-${i}` })) }] });
  const slack = await createFakeSlack();
  const discordChannels = discord.guilds[0]!.channels.map((c) => c.id);
  const slackChannels = Array.from({ length: PER_PLATFORM }, (_, i) => `C0CRASH${String(i).padStart(3, '0')}`);
  // A daily slot a minute ago, on the real clock (the child runs on it): its catch-up delivers it.
  const slotMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const slot = new Date(slotMs);
  const cron = `${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`;
  const store = openStore({ path: storePath });
  const library = createSqliteLibrary(store);
  // 14 briefings: two messages per digest on both platforms.
  for (let i = 0; i < 14; i++) await library.add(makeEntry(eventBriefing(i, { published: `2025-02-${String(10 + i).padStart(2, '0')}` })));
  const subscriptions = createSubscriptionStore(store.db);
  const since = new Date(slotMs - 86_400_000);
  for (const [platform, channels] of [['discord', discordChannels], ['slack', slackChannels]] as const) {
    for (const channelId of channels) await subscriptions.save({ platform, channelId, schedule: `cron ${cron}`, cron, timezone: 'UTC', source: 'chat', backfill: 14 }, since, 0);
  }
  store.close();
  return { dir, storePath, discord, slack, discordChannels, slackChannels, slot: slot.toISOString() };
}


function verdict(w: World): string[] {
  const problems: string[] = [];
  for (const channel of w.discordChannels) {
    const nonces = w.discord.messages.filter((m) => m.channel_id === channel).map((m) => String(m.nonce));
    if (nonces.length !== PARTS || new Set(nonces).size !== PARTS) problems.push(`discord ${channel}: ${nonces.length} messages`);
  }
  for (const channel of w.slackChannels) {
    const parts = w.slack.messages.filter((m) => m.channel === channel).map((m) => m.metadata?.event_payload.part);
    if (parts.length !== PARTS || new Set(parts).size !== PARTS) problems.push(`slack ${channel}: ${parts.length} messages (${parts.join(',')})`);
  }
  return problems;
}

const KILL_POINTS: Array<{ name: string; kills: Array<{ at: number; mode: KillMode }> }> = [
  { name: 'at the very first post, before it is stored', kills: [{ at: 1, mode: 'before-store' }] },
  { name: 'early, after a post is stored but before its answer', kills: [{ at: 23, mode: 'after-store' }] },
  { name: 'a third of the way, before the post is stored', kills: [{ at: 140, mode: 'before-store' }] },
  { name: 'half way, after the post is stored', kills: [{ at: 201, mode: 'after-store' }] },
  { name: 'at the very last post, after it is stored', kills: [{ at: TOTAL_POSTS, mode: 'after-store' }] },
  {
    name: 'twice: killed again while resuming',
    kills: [
      { at: 90, mode: 'after-store' },
      { at: 260, mode: 'after-store' },
    ],
  },
];

describe('crash during a digest fan-out', () => {
  it.each(KILL_POINTS)('SIGKILL $name: afterwards every subscription has exactly one digest for the slot', async ({ kills }) => {
    world = await createWorld();
    const w = world;
    let child: Killable | undefined;
    const posts = armKill(w, kills, () => child);

    const runs = await runUntilDone(w, kills, (c) => (child = c));
    const last = runs.at(-1)!;
    // Killed as many times as planned, then a clean finish.
    expect(runs.slice(0, -1).map((r) => r.signal)).toEqual(kills.map(() => 'SIGKILL'));
    expect(last.code, last.stderr).toBe(0);
    expect(posts()).toBeGreaterThanOrEqual(kills.at(-1)!.at);

    expect(verdict(w)).toEqual([]);
    expect(w.discord.messages).toHaveLength(PER_PLATFORM * PARTS);
    expect(w.slack.messages).toHaveLength(PER_PLATFORM * PARTS);

    const store = openStore({ path: w.storePath });
    try {
      const deliveries = createDeliveryStore(store.db);
      expect(await deliveries.counts()).toMatchObject({ delivered: PER_PLATFORM * 2, pending: 0, failed: 0 });
      const slots = store.db.prepare('SELECT DISTINCT slot FROM deliveries').all();
      expect(slots).toEqual([{ slot: w.slot }]);
    } finally {
      store.close();
    }
    // A post that landed without its answer was recognised, not repeated.
    if (kills.some((k) => k.mode === 'after-store' && k.at < TOTAL_POSTS)) {
      const recognised = w.discord.nonceHits.length + w.slack.requests.filter((r) => r.method === 'conversations.history').length;
      expect(recognised).toBeGreaterThan(0);
    }
  }, 120_000);
});
