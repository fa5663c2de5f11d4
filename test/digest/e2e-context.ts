/**
 * Digests against the fake Discord and fake Slack through the real senders (@discordjs/rest,
 * the Slack Web API client): the store, the library and the service wired as app.ts does.
 */
import { ConfigSchema, type Config } from '../../src/config/config.js';
import { createDigestService, type DigestService } from '../../src/digest/digest-service.js';
import { createDiscordSender } from '../../src/platforms/discord/sender.js';
import { createSlackSender } from '../../src/platforms/slack/sender.js';
import { createSqliteLibrary } from '../../src/library/sqlite-library.js';
import type { Library } from '../../src/library/library.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { Subscription } from '../../src/store/subscriptions.js';
import { createFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../fakes/fake-discord.js';
import { createFakeSlack, type FakeSlack, type FakeSlackOptions } from '../fakes/fake-slack.js';
import type { Briefing } from '../../src/briefing/index.js';
import { makeBriefing, makeEntry } from '../store/helpers.js';
import type { PlatformName } from '../../src/platforms/names.js';
import { renderDigest } from '../../src/platforms/index.js';

export interface DigestE2E {
  discord: FakeDiscord;
  slack: FakeSlack;
  config: Config;
  store: Store;
  library: Library;
  service: DigestService;
  /** Discord channel ids created on the fake, in order. */
  discordChannels: string[];
  subscribe(platform: PlatformName, channelId: string, schedule?: string): Promise<Subscription>;
  stop(): Promise<void>;
}

export interface DigestE2EOptions {
  discordChannels?: number;
  discord?: FakeDiscordOptions;
  slack?: FakeSlackOptions;
  digest?: Record<string, unknown>;
  storePath?: string;
  briefings?: number;
  /** Time between two posts to one Slack channel (Slack: about 1 s; the fakes only care when their limits are on). */
  slackIntervalMs?: number;
}

/** Fast retries for tests: the policy's shape is what matters, not its seconds. */
export const TEST_RETRY = { attempts: 12, minDelayMs: 5, maxDelayMs: 50 };

export function fakeConfig(discordApi: string, slackApi: string, digest: Record<string, unknown> = {}, storePath = ':memory:'): Config {
  return ConfigSchema.parse({
    store: { path: storePath },
    discord: { token: 'fake-bot-token', applicationId: '1', apiUrl: discordApi },
    slack: { botToken: 'xoxb-fake', signingSecret: 'secret', apiUrl: slackApi },
    digest: { retry: TEST_RETRY, shutdownGraceMs: 2000, ...digest },
  });
}

/** Events with nothing in common (each its own place and subject), for the briefings digests carry. */
const PLACES = ['Lisbon', 'Nairobi', 'Athens', 'Oslo', 'Lima', 'Hobart', 'Cairo', 'Tbilisi', 'Vienna', 'Dublin', 'Hanoi', 'Quito', 'Riga', 'Dakar', 'Prague', 'Bergen'];
const SUBJECTS = ['harbour dredging', 'geothermal wells', 'wildfire evacuations', 'tram tunnel', 'copper strike', 'salmon farms', 'railway bridge', 'wine harvest', 'desalination plant', 'volcano monitoring', 'flood barriers', 'cable car', 'opera house', 'fishing quotas', 'coffee cooperative', 'ferry terminal'];
export function topicOf(i: number): string[] {
  const place = PLACES[i % PLACES.length]!;
  const subject = SUBJECTS[i % SUBJECTS.length]!;
  return [`${place} approves the ${subject}.`, `Critics in ${place} oppose the ${subject}.`, `The ${subject} costs ${i + 2} million euros.`];
}

/**
 * Briefing `story-<i>`, about an event of its own: story digests group one event's articles into
 * one item, and templated briefings that differ only by their number read as one event.
 */
export function eventBriefing(i: number, over: Parameters<typeof makeBriefing>[1] = {}): Briefing {
  const topic = topicOf(i);
  return makeBriefing(`story-${i}`, { tldr: topic[0]!, keyPoints: topic.map((text, n) => ({ text, sentence: n })), ...over });
}

export async function createDigestE2E(options: DigestE2EOptions = {}): Promise<DigestE2E> {
  const count = options.discordChannels ?? 4;
  const discord = await createFakeDiscord({
    guilds: [{ channels: Array.from({ length: count }, (_, i) => ({ name: `digest-${i}` })) }],
    ...options.discord,
  });
  const slack = await createFakeSlack(options.slack);
  const config = fakeConfig(`${discord.apiUrl}`, slack.apiUrl, options.digest, options.storePath);
  const store = openStore({ path: config.store.path });
  const library = createSqliteLibrary(store);
  for (let i = 0; i < (options.briefings ?? 3); i++) {
    await library.add(makeEntry(eventBriefing(i, { published: `2025-02-${String(10 + i).padStart(2, '0')}`, url: `https://news.example/${i}` })));
  }
  const senders = {
    discord: createDiscordSender({ token: config.discord.token!, apiUrl: config.discord.apiUrl }),
    slack: createSlackSender({ token: config.slack.botToken!, apiUrl: config.slack.apiUrl, ...(options.slackIntervalMs !== undefined ? { channelIntervalMs: options.slackIntervalMs } : {}) }),
  };
  const service = createDigestService({ config, store, library, logger: silentLogger(), senders, render: renderDigest });
  return {
    discord,
    slack,
    config,
    store,
    library,
    service,
    discordChannels: discord.guilds[0]!.channels.map((c) => c.id),
    async subscribe(platform, channelId, schedule = '0 8 * * *') {
      return (await service.deps.subscriptions.save(
        { platform, channelId, schedule: `cron ${schedule}`, cron: schedule, timezone: 'UTC', source: 'chat' },
        new Date('2025-01-01T00:00:00Z'),
        0,
      )).subscription;
    },
    async stop() {
      await service.stop();
      store.close();
      await discord.stop();
      await slack.stop();
    },
  };
}
