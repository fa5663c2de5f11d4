/**
 * The story crash test: a channel that was told a story gets its update once, and its ledger
 * matches what it was sent, even when the process sending the update is killed (SIGKILL) part-way
 * and restarted on the same store.
 *
 * 15 Discord and 15 Slack channels with threads off, as many with threads on, were all told the
 * Porto floods story (three outlets) yesterday, in this process. Today a fourth outlet's report
 * raises the toll from 40 to 52. A child process (test/digest/fixtures/digest-child.ts) delivers
 * today's slot and is killed inside a post, before or after the fake stores it; it is restarted
 * until it finishes. The fakes live here and outlive the kills: what they received is the verdict.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/index.js';
import { createBriefing } from '../../src/briefing/index.js';
import { digestJob } from '../../src/digest/digest-job.js';
import { createDigestService } from '../../src/digest/digest-service.js';
import { createSqliteLibrary } from '../../src/library/sqlite-library.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createDiscordSender } from '../../src/platforms/discord/sender.js';
import { renderDigest } from '../../src/platforms/index.js';
import { createSlackSender } from '../../src/platforms/slack/sender.js';
import { createDeliveryStore } from '../../src/store/deliveries.js';
import { createStoryLedger } from '../../src/store/story-ledger.js';
import { openStore } from '../../src/store/store.js';
import { createSubscriptionStore } from '../../src/store/subscriptions.js';
import { fakeConfig } from '../digest/e2e-context.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { PORTO_DAY_ONE, PORTO_DAY_THREE } from '../fixtures/stories/porto-floods.js';
import { armKill, runUntilDone, type Killable, type KillMode } from './helpers/digest-child.js';

const PER_KIND = 15;
const STORY = 'porto-floods-reuters';
const UPDATE = 'people killed: 40 → 52';

interface Channel {
  platform: 'discord' | 'slack';
  id: string;
  threads: boolean;
  subscriptionId: number;
  /** Slack: the story's message (its thread); Discord: the thread opened on it. */
  thread?: string;
}

interface World {
  dir: string;
  storePath: string;
  discord: FakeDiscord;
  slack: FakeSlack;
  channels: Channel[];
  today: string;
}

let world: World | undefined;
afterEach(async () => {
  if (!world) return;
  await world.discord.stop();
  await world.slack.stop();
  rmSync(world.dir, { recursive: true, force: true });
  world = undefined;
});

async function addArticle(library: ReturnType<typeof createSqliteLibrary>, article: Article): Promise<void> {
  await library.add({ briefing: createBriefing(article), ingestedAt: new Date().toISOString(), contentHash: `hash-${article.id}` }, { article });
}

/** Yesterday's digest told every channel the story; today's slot is a minute ago, due for the child's catch-up. */
async function createWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-story-crash-'));
  const storePath = join(dir, 'briefbot.db');
  const discord = await createFakeDiscord({ guilds: [{ channels: Array.from({ length: PER_KIND * 2 }, (_, i) => ({ name: `story-${i}` })) }] });
  const slack = await createFakeSlack();
  const todayMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const yesterday = new Date(todayMs - 86_400_000);
  const cron = `${yesterday.getUTCMinutes()} ${yesterday.getUTCHours()} * * *`;

  const config = fakeConfig(discord.apiUrl, slack.apiUrl, {}, storePath);
  const store = openStore({ path: storePath });
  const library = createSqliteLibrary(store);
  for (const article of PORTO_DAY_ONE) await addArticle(library, article);
  const subscriptions = createSubscriptionStore(store.db);
  const channels: Channel[] = [];
  const discordIds = discord.guilds[0]!.channels.map((c) => c.id);
  for (let i = 0; i < PER_KIND * 2; i++) {
    for (const platform of ['discord', 'slack'] as const) {
      const id = platform === 'discord' ? discordIds[i]! : `C0STORY${String(i).padStart(3, '0')}`;
      const threads = i % 2 === 1;
      const saved = await subscriptions.save({ platform, channelId: id, schedule: `cron ${cron}`, cron, timezone: 'UTC', source: 'chat', threads }, new Date(yesterday.getTime() - 3_600_000), 0);
      channels.push({ platform, id, threads, subscriptionId: saved.subscription.id });
    }
  }
  const service = createDigestService({
    config,
    store,
    library,
    logger: silentLogger(),
    render: renderDigest,
    senders: {
      discord: createDiscordSender({ token: config.discord.token!, apiUrl: config.discord.apiUrl, globalRequestsPerSecond: 1000 }),
      slack: createSlackSender({ token: config.slack.botToken!, apiUrl: config.slack.apiUrl, channelIntervalMs: 5 }),
    },
  });
  const report = await digestJob.run(service.deps, new Date(yesterday.getTime() + 1000));
  expect(report.outcomes).toEqual({ delivered: PER_KIND * 4 });
  for (const c of channels.filter((x) => x.threads)) {
    if (c.platform === 'discord') {
      const story = discord.messages.filter((m) => m.channel_id === c.id)[1]!;
      c.thread = discord.threads.find((t) => t.messageId === story.id)!.id;
    } else {
      c.thread = slack.messages.filter((m) => m.channel === c.id)[1]!.ts;
    }
  }
  await service.stop();
  await addArticle(library, PORTO_DAY_THREE);
  store.close();
  return { dir, storePath, discord, slack, channels, today: new Date(todayMs).toISOString() };
}


/** What each channel got today, where it should be: the update once (in the story's thread with threads on). */
function verdict(w: World, before: { discord: Set<string>; slack: Set<string> }): string[] {
  const problems: string[] = [];
  const text = (m: { content?: string; text?: string; embeds?: unknown[]; blocks?: unknown[] }): string => `${m.content ?? m.text ?? ''}${JSON.stringify(m.embeds ?? m.blocks ?? [])}`;
  for (const c of w.channels) {
    const posted =
      c.platform === 'discord'
        ? w.discord.messages.filter((m) => !before.discord.has(m.id) && (m.channel_id === c.id || m.channel_id === c.thread))
        : w.slack.messages.filter((m) => !before.slack.has(m.ts) && m.channel === c.id);
    const updates = posted.filter((m) => text(m).includes(UPDATE));
    if (updates.length !== 1) problems.push(`${c.platform} ${c.id}: the update ${updates.length} times`);
    const update = updates[0] as { channel_id?: string; thread_ts?: string } | undefined;
    // The thread the update was posted in, if any: a Discord thread is a channel of its own, a Slack reply has a thread_ts.
    const thread = update === undefined ? undefined : c.platform === 'discord' ? (update.channel_id !== c.id ? update.channel_id : undefined) : update.thread_ts;
    if (c.threads && thread !== c.thread) problems.push(`${c.platform} ${c.id}: the update is not in the story's thread`);
    if (!c.threads && thread !== undefined) problems.push(`${c.platform} ${c.id}: the update went into a thread`);
    if (posted.length !== (c.threads ? 2 : 1)) problems.push(`${c.platform} ${c.id}: ${posted.length} messages today`);
  }
  return problems;
}

const KILL_POINTS: Array<{ name: string; kills: Array<{ at: number; mode: KillMode }> }> = [
  { name: 'inside a post, before it is stored', kills: [{ at: 17, mode: 'before-store' }] },
  {
    name: 'after a post is stored but before its answer, and again while resuming',
    kills: [
      { at: 9, mode: 'after-store' },
      { at: 61, mode: 'after-store' },
    ],
  },
];

describe('crash during a story digest', () => {
  it.each(KILL_POINTS)('SIGKILL $name: each channel gets the update once, and its ledger matches what it was sent', async ({ kills }) => {
    world = await createWorld();
    const w = world;
    const before = { discord: new Set(w.discord.messages.map((m) => m.id)), slack: new Set(w.slack.messages.map((m) => m.ts)) };
    let child: Killable | undefined;
    const posts = armKill(w, kills, () => child);
    const runs = await runUntilDone(w, kills, (c) => (child = c));
    expect(runs.slice(0, -1).map((r) => r.signal)).toEqual(kills.map(() => 'SIGKILL'));
    expect(runs.at(-1)!.code, runs.at(-1)!.stderr).toBe(0);
    expect(posts()).toBeGreaterThanOrEqual(kills.at(-1)!.at);
    expect(verdict(w, before)).toEqual([]);

    const store = openStore({ path: w.storePath });
    try {
      expect(await createDeliveryStore(store.db).counts()).toMatchObject({ delivered: PER_KIND * 8, pending: 0, failed: 0 });
      const ledger = createStoryLedger(store.db);
      for (const c of w.channels) {
        const record = (await ledger.told(c.subscriptionId, [STORY])).get(STORY);
        // What the channel was sent today is what its ledger holds: the toll it was told is 52, as of today's slot.
        const toll = record?.facts.find((f) => f.key === 'figure:people killed|');
        expect(toll, `${c.platform} ${c.id}`).toMatchObject({ value: '52', toldAt: w.today });
        expect(record?.facts.filter((f) => f.kind === 'outlet').map((f) => f.value).sort()).toEqual(['AFP', 'AP', 'BBC', 'Reuters']);
        expect(record?.thread).toBe(c.threads ? c.thread : undefined);
      }
    } finally {
      store.close();
    }
  }, 180_000);
});
