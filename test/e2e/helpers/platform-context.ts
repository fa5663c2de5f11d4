/**
 * One context for the platform end-to-end tests: the fake Discord and/or fake Slack, briefbot's
 * real adapters started through `startPlatforms` against them (HTTP listener on a random port),
 * a small in-memory library of the articles in test/fixtures/platforms, and a log the tests can
 * read. `stop()` stops briefbot first, then the fakes (a vanished server makes clients reconnect).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { loadArticleFile, readArticleText } from '../../../src/articles/index.js';
import { actionHandlers, commands as allCommands, type ActionHandler, type Command, type CommandServices, type DigestCommands } from '../../../src/commands/index.js';
import { ConfigSchema, mergeDeep, type Config } from '../../../src/config/config.js';
import { ingestArticle } from '../../../src/ingest/briefings-folder.js';
import type { Library } from '../../../src/library/library.js';
import { createMemoryLibrary } from '../../../src/library/memory-library.js';
import type { Subscription } from '../../../src/store/subscriptions.js';
import type { StoryBook } from '../../../src/stories/story-book.js';
import { startPlatforms, type RunningPlatforms, type StartPlatformsOptions } from '../../../src/platforms/start.js';
import { createFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../fakes/fake-discord.js';
import { createFakeSlack, signSlackRequest, type FakeSlack, type FakeSlackOptions, type ResponseUrlHandle } from '../../fakes/fake-slack.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/platforms/', import.meta.url));
export const SIGNING_SECRET = 'test-signing-secret';
export const IDS = {
  rates: 'central-bank-holds-rates-at-4-5-as-inflation-cools-to-2-9',
  mentions: 'forum-bans-everyone-pings-after-channel-spam-wave-hits-3000',
  bridges: 'city-approves-1-2-billion-plan-to-rebuild-140-bridges-after',
} as const;

/** The fixture articles, plus `extra` short generated ones (to page /articles). */
export async function loadTestLibrary(extra = 0): Promise<Library> {
  const library = createMemoryLibrary();
  const now = new Date('2025-11-22T09:00:00Z');
  for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith('.md')).sort()) {
    const path = join(FIXTURES, name);
    await ingestArticle(library, await loadArticleFile(path), path, now);
  }
  for (let i = 1; i <= extra; i++) {
    const text = `Harbour report number ${i}\n\nThe harbour handled ${1000 + i} containers on day ${i}, the port authority said. Traffic was up ${i}% on the week.`;
    await ingestArticle(library, readArticleText(text, `harbour-report-${i}.txt`), `generated:${i}`, new Date(Date.UTC(2025, 0, i)));
  }
  return library;
}

/** A logger whose JSON lines the test can read. */
export function memoryLogger(level = 'warn'): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A digest service that only records what it was asked, so the admin checks can be seen to pass. */
export function recordingDigest(): DigestCommands & { calls: string[] } {
  const calls: string[] = [];
  const subscription = (platform: Subscription['platform'], channelId: string, schedule: string): Subscription => ({
    id: 1,
    platform,
    channelId,
    schedule,
    cron: '0 8 * * *',
    timezone: 'UTC',
    source: 'chat',
    status: 'active',
    activeSince: '2025-11-22T10:00:00.000Z',
    startPosition: 0,
    createdAt: '2025-11-22T10:00:00.000Z',
    updatedAt: '2025-11-22T10:00:00.000Z',
  });
  return {
    calls,
    preview: async () => ({ content: { text: 'preview', cards: [], items: 1 } }),
    subscribe: async (target, options) => {
      calls.push(`subscribe ${target.platform} ${target.channel.id} ${options.schedule}`);
      return { subscription: subscription(target.platform, target.channel.id, options.schedule), change: 'created', backfill: 3 };
    },
    unsubscribe: async (target) => {
      calls.push(`unsubscribe ${target.platform} ${target.channel.id}`);
      return { ...subscription(target.platform, target.channel.id, 'daily 08:00'), status: 'removed' };
    },
    status: async () => undefined,
  };
}

export interface ContextOptions {
  discord?: boolean | FakeDiscordOptions;
  slack?: false | 'http' | 'socket';
  fakeSlack?: FakeSlackOptions;
  library?: Library;
  commands?: readonly Command[];
  actions?: readonly ActionHandler[];
  digest?: DigestCommands;
  /** The story book of `library`, for /story and /quote's versions (the bot makes one per library). */
  stories?: StoryBook;
  /** Overrides on top of the test config (e.g. `{ slack: { admins: ['U0BOSS'] } }`). */
  config?: Record<string, unknown>;
  adapters?: StartPlatformsOptions['tuning'];
  logLevel?: string;
}

export interface PlatformTestContext {
  discord: FakeDiscord | undefined;
  slack: FakeSlack | undefined;
  running: RunningPlatforms;
  config: Config;
  library: Library;
  /** http://127.0.0.1:PORT of briefbot's listener. */
  baseUrl: string;
  /** Where the fake Slack posts slash commands (HTTP mode). */
  slackUrl: string;
  logs: () => Array<Record<string, unknown>>;
  /** A signed slash command through briefbot's HTTP listener; resolves after the HTTP answer. */
  slash(command: string, text: string, fields?: Record<string, string>): ReturnType<FakeSlack['sendSlashCommand']>;
  /** A signed button press (block_actions) through briefbot's HTTP listener. */
  slackButton(actionId: string, fields?: { user?: string }): Promise<{ status: number; response: ResponseUrlHandle }>;
  stop(): Promise<void>;
}

export async function createPlatformTestContext(options: ContextOptions = {}): Promise<PlatformTestContext> {
  const discord = options.discord ? await createFakeDiscord(options.discord === true ? {} : options.discord) : undefined;
  const slackMode = options.slack ?? false;
  const slack = slackMode ? await createFakeSlack(options.fakeSlack ?? {}) : undefined;
  const base: Record<string, unknown> = {
    briefings: { dir: FIXTURES, folders: [] },
    http: { port: 0, host: '127.0.0.1' },
    log: { level: 'warn' },
    discord: discord ? { token: 'fake-discord-token', applicationId: discord.applicationId, apiUrl: discord.apiUrl } : {},
    slack: slack
      ? {
          botToken: 'xoxb-fake',
          apiUrl: slack.apiUrl,
          ...(slackMode === 'socket' ? { appToken: 'xapp-fake' } : { signingSecret: SIGNING_SECRET }),
        }
      : {},
  };
  const merged = mergeDeep(base, options.config ?? {});
  const config = ConfigSchema.parse(merged);
  const library = options.library ?? (await loadTestLibrary());
  const { logger, lines } = memoryLogger(options.logLevel ?? 'warn');
  const services: CommandServices = { library, logger, now: () => new Date('2025-11-22T10:00:00Z'), ...(options.digest ? { digest: options.digest } : {}), ...(options.stories ? { stories: options.stories } : {}) };
  let running: RunningPlatforms;
  try {
    running = await startPlatforms({
      config,
      logger,
      commands: options.commands ?? allCommands,
      actions: options.actions ?? actionHandlers,
      services,
      tuning: {
        discord: { readyTimeoutMs: 5000, drainMs: 500, ...options.adapters?.discord },
        slack: {
          webApiRetry: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
          socketRetry: { retries: 0 },
          responseRetry: { retries: 3, backoffMs: 20, maxWaitMs: 2000 },
          drainMs: 500,
          ...options.adapters?.slack,
        },
      },
      stopTimeoutMs: 5000,
    });
  } catch (error) {
    await discord?.stop();
    await slack?.stop();
    throw error;
  }
  const baseUrl = `http://127.0.0.1:${running.port}`;
  const slackUrl = `${baseUrl}${config.slack.path}`;
  let stopped = false;
  return {
    discord,
    slack,
    running,
    config,
    library,
    baseUrl,
    slackUrl,
    logs: lines,
    slash(command, text, fields = {}) {
      if (!slack) throw new Error('no fake Slack in this context');
      return slack.sendSlashCommand(slackUrl, SIGNING_SECRET, { command, text, ...fields });
    },
    async slackButton(actionId, fields = {}) {
      if (!slack) throw new Error('no fake Slack in this context');
      const response = slack.newResponseUrl();
      const body = `payload=${encodeURIComponent(JSON.stringify(blockActionPayload(slack, actionId, response.url, fields.user ?? 'U0TESTER')))}`;
      const res = await fetch(slackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SIGNING_SECRET, body).headers },
        body,
      });
      await res.text();
      return { status: res.status, response };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await running.stop();
      await discord?.stop();
      await slack?.stop();
    },
  };
}

/** What Slack posts when someone presses one of briefbot's buttons. */
export function blockActionPayload(slack: FakeSlack, actionId: string, responseUrl: string, user = 'U0TESTER'): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: slack.teamId, domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: slack.teamId },
    api_app_id: slack.appId,
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0GENERAL', is_ephemeral: false },
    trigger_id: '1700000000.1.abc',
    channel: { id: 'C0GENERAL', name: 'general' },
    message: { type: 'message', ts: '1700000000.000100', text: 'briefing', bot_id: slack.botId },
    response_url: responseUrl,
    actions: [{ action_id: actionId, block_id: 'actions', value: actionId, type: 'button', action_ts: '1700000001.000200', text: { type: 'plain_text', text: 'button' } }],
  };
}


/** Every string a fake received from briefbot, for mention checks. */
export function discordPayloads(discord: FakeDiscord): unknown[] {
  return discord.requests.filter((r) => r.method !== 'GET' && r.body !== undefined).map((r) => r.body);
}

export function slackPayloads(slack: FakeSlack): unknown[] {
  return [...slack.responses.map((r) => r.body), ...slack.requests.filter((r) => r.method.startsWith('chat.')).map((r) => r.params)];
}
