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
import { eventBriefing, makeEntry } from '../store/helpers.js';

export { eventBriefing };
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
