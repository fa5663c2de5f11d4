import { reportToParent, runBenchChild } from './child.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigSchema } from '../src/config/config.js';
import { digestJob } from '../src/digest/digest-job.js';
import { createDigestService } from '../src/digest/digest-service.js';
import { createDiscordSender } from '../src/platforms/discord/sender.js';
import { createSlackSender } from '../src/platforms/slack/sender.js';
import { createSqliteLibrary } from '../src/library/sqlite-library.js';
import { createLogger } from '../src/logging/logger.js';
import { createDeliveryStore } from '../src/store/deliveries.js';
import { openStore } from '../src/store/store.js';
import { createSubscriptionStore } from '../src/store/subscriptions.js';
import { createFakeDiscord, type FakeDiscord } from '../test/fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack } from '../test/fakes/fake-slack.js';
import { eventBriefing, makeEntry } from '../test/store/helpers.js';
import { renderDigest } from '../src/platforms/index.js';

/**
 * The digest fan-out benchmark: one slot delivered to 1,000 subscriptions (500 Discord channels,
 * 500 Slack channels) against the fakes with Discord's limits (50 requests/s for the bot, 5
 * messages per 5 s per channel) and Slack's (1 message/s per channel) switched on.
 *
 *   npm run bench -- digest [--discord 500] [--slack 500] [--items 3] [--verbose]
 *
 * --items is how many new briefings the digest carries: 3 (the default backfill) fits one
 * message per channel, 12 takes two on both platforms. --verbose prints Discord's posts per second.
 *
 * The fakes run in this process; the bot side (store, scheduler, senders) in a child process,
 * so its peak RSS is its own. Prints the total time from the slot's first record to the last
 * message confirmed, the lower bound the limits impose and the ratio, duplicates counted on the
 * fakes (target 0), 429s the fakes had to send, and the machine's context.
 */


interface ChildReport {
  ms: number;
  /** CPU time the bot process used during the fan-out (user + system). */
  cpuMs: number;
  maxRssKb: number;
  report: unknown;
}

function configFor(discordApi: string, slackApi: string, storePath: string) {
  return ConfigSchema.parse({
    store: { path: storePath },
    discord: { token: 'bench-token', applicationId: '1', apiUrl: discordApi },
    slack: { botToken: 'xoxb-bench', signingSecret: 'x', apiUrl: slackApi },
    digest: { maxItems: 50, backfill: 50 },
  });
}

/** The bot side: deliver the seeded slot once, report the time and peak RSS on stdout. */
async function child(storePath: string, discordApi: string, slackApi: string, slot: string): Promise<void> {
  const config = configFor(discordApi, slackApi, storePath);
  const store = openStore({ path: storePath });
  const library = createSqliteLibrary(store);
  const service = createDigestService({
    config,
    store,
    library,
    logger: createLogger({ level: 'warn', pretty: false }),
    // The senders as the bot builds them: Discord's client keeps to 50 requests/s, Slack's sender spaces posts 1 s per channel.
    senders: {
      discord: createDiscordSender({ token: config.discord.token!, apiUrl: config.discord.apiUrl }),
      slack: createSlackSender({ token: config.slack.botToken!, apiUrl: config.slack.apiUrl }),
    },
    render: renderDigest,
  });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const report = await digestJob.run(service.deps, new Date(slot));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  await service.stop();
  store.close();
  const out: ChildReport = { ms, cpuMs, maxRssKb: process.resourceUsage().maxRSS, report };
  reportToParent(out);
}

/** The least time the platforms' limits allow for this fan-out (bench/scale.ts uses it too). */
export function lowerBound(discordPosts: number, discordPartsPerChannel: number, slackPartsPerChannel: number): { seconds: number; why: string } {
  // 50 requests fit in each second-long window; the last window opens ⌈n/50⌉ − 1 s after the first.
  const global = Math.max(0, Math.ceil(discordPosts / 50) - 1);
  const perDiscordChannel = Math.max(0, Math.ceil(discordPartsPerChannel / 5) - 1) * 5;
  const perSlackChannel = Math.max(0, slackPartsPerChannel - 1);
  const parts = [
    { s: global, why: `Discord global: ${discordPosts} requests at 50/s → ${global} s` },
    { s: perDiscordChannel, why: `Discord per channel: ${discordPartsPerChannel} messages at 5 per 5 s → ${perDiscordChannel} s` },
    { s: perSlackChannel, why: `Slack per channel: ${slackPartsPerChannel} messages at 1/s → ${perSlackChannel} s` },
  ].sort((a, b) => b.s - a.s);
  return { seconds: parts[0]!.s, why: parts.map((p) => p.why).join('; ') };
}

/**
 * Duplicates and missing messages as the fakes saw them, against each subscription's parts
 * (`platform:channel` → how many messages its delivery has). A duplicate is a message beyond
 * the parts or a part posted twice (Discord's nonce, Slack's metadata part); a missing one is a
 * part never posted. Shared with bench/scale.ts.
 */
export function countOnFakes(
  discord: Pick<FakeDiscord, 'messages'>,
  slack: Pick<FakeSlack, 'messages'>,
  partsBySubscription: ReadonlyMap<string, number>,
  discordChannels: readonly string[],
  slackChannels: readonly string[],
): { duplicates: number; missing: number } {
  let duplicates = 0;
  let missing = 0;
  const tally = (key: string, ids: string[]): void => {
    const expected = partsBySubscription.get(key) ?? 0;
    duplicates += ids.length - new Set(ids).size + Math.max(0, new Set(ids).size - expected);
    missing += Math.max(0, expected - new Set(ids).size);
  };
  const discordByChannel = new Map<string, string[]>();
  for (const m of discord.messages) discordByChannel.set(m.channel_id, [...(discordByChannel.get(m.channel_id) ?? []), String(m.nonce)]);
  const slackByChannel = new Map<string, string[]>();
  for (const m of slack.messages) slackByChannel.set(m.channel, [...(slackByChannel.get(m.channel) ?? []), String(m.metadata?.event_payload.part)]);
  for (const c of discordChannels) tally(`discord:${c}`, discordByChannel.get(c) ?? []);
  for (const c of slackChannels) tally(`slack:${c}`, slackByChannel.get(c) ?? []);
  return { duplicates, missing };
}

async function parent(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      discord: { type: 'string', default: '500' },
      slack: { type: 'string', default: '500' },
      items: { type: 'string', default: '3' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const discordCount = Number(values.discord);
  const slackCount = Number(values.slack);
  const items = Number(values.items);
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-bench-digest-'));
  const storePath = join(dir, 'briefbot.db');
  const discord = await createFakeDiscord({ rateLimits: true, guilds: [{ channels: Array.from({ length: discordCount }, (_, i) => ({ name: `bench-${i}` })) }] });
  const slack = await createFakeSlack({ rateLimits: true });
  try {
    const discordChannels = discord.guilds[0]!.channels.map((c) => c.id);
    const slackChannels = Array.from({ length: slackCount }, (_, i) => `C0BENCH${String(i).padStart(4, '0')}`);
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const cron = `${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`;
    const store = openStore({ path: storePath });
    const library = createSqliteLibrary(store);
    for (let i = 0; i < items; i++) {
      await library.add(makeEntry(eventBriefing(i, { published: `2025-02-${String(1 + (i % 28)).padStart(2, '0')}`, url: `https://news.example/${i}` })));
    }
    const subscriptions = createSubscriptionStore(store.db);
    const since = new Date(slot.getTime() - 86_400_000);
    for (const [platform, channels] of [['discord', discordChannels], ['slack', slackChannels]] as const) {
      for (const channelId of channels) await subscriptions.save({ platform, channelId, schedule: `cron ${cron}`, cron, timezone: 'UTC', source: 'chat' }, since, 0);
    }
    store.close();

    const result = await runBenchChild<ChildReport>('digest', [storePath, discord.apiUrl, slack.apiUrl, slot.toISOString()]);

    // What the fakes received: duplicates are messages beyond each delivery's parts, or a part twice.
    const check = openStore({ path: storePath });
    const deliveries = createDeliveryStore(check.db);
    const partsBySubscription = new Map<string, number>();
    for (const row of check.db.prepare<[], { platform: string; channel_id: string; parts: string; status: string }>(
      'SELECT s.platform, s.channel_id, d.parts, d.status FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id',
    ).all()) {
      partsBySubscription.set(`${row.platform}:${row.channel_id}`, (JSON.parse(row.parts) as unknown[]).length);
    }
    const counts = await deliveries.counts();
    check.close();
    const { duplicates, missing } = countOnFakes(discord, slack, partsBySubscription, discordChannels, slackChannels);

    const discordParts = partsBySubscription.get(`discord:${discordChannels[0]}`) ?? 0;
    const slackParts = partsBySubscription.get(`slack:${slackChannels[0]}`) ?? 0;
    const bound = lowerBound(discord.messages.length, discordParts, slackParts);
    const seconds = result.ms / 1000;
    const discord429 = discord.requests.filter((r) => r.status === 429).length;
    const posts = discord.requests.filter((r) => r.method === 'POST');
    const span = posts.length > 1 ? (posts.at(-1)!.time - posts[0]!.time) / 1000 : 0;
    if (values.verbose) {
      const perSecond = new Map<number, number>();
      for (const p of posts) perSecond.set(Math.floor((p.time - posts[0]!.time) / 1000), (perSecond.get(Math.floor((p.time - posts[0]!.time) / 1000)) ?? 0) + 1);
      console.log('discord posts per second since the first:', JSON.stringify([...perSecond.entries()]));
      console.log('discord post times of 429s:', JSON.stringify(discord.requests.filter((r) => r.status === 429).map((r) => r.time - posts[0]!.time)));
    }
    const slack429 = slack.requests.filter((r) => r.status === 429).length;

    console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`subscriptions: ${discordChannels.length} Discord channels + ${slackChannels.length} Slack channels, ${items} briefings each`);
    console.log(`messages: Discord ${discord.messages.length} (${discordParts} per channel), Slack ${slack.messages.length} (${slackParts} per channel)`);
    console.log(`deliveries: ${JSON.stringify(counts)}`);
    console.log(`total time: ${seconds.toFixed(2)} s (first slot recorded → last message confirmed); Discord's first to last post seen by the fake: ${span.toFixed(2)} s`);
    console.log(`lower bound: ${bound.seconds} s (${bound.why})`);
    console.log(`ratio: ${bound.seconds > 0 ? (seconds / bound.seconds).toFixed(3) : 'n/a'}× (target ≤ 1.15×)`);
    console.log(`duplicates: ${duplicates} (target 0); missing: ${missing}`);
    console.log(`429s answered by the fakes: Discord ${discord429}, Slack ${slack429}`);
    console.log(`bot process: peak RSS ${(result.maxRssKb / 1024).toFixed(1)} MB, CPU ${(result.cpuMs / 1000).toFixed(2)} s during the fan-out`);
  } finally {
    await discord.stop();
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runDigestBench(args: string[]): Promise<void> {
  if (args[0] === '--child') {
    const [, storePath, discordApi, slackApi, slot] = args;
    await child(storePath!, discordApi!, slackApi!, slot!);
    return;
  }
  await parent(args);
}
