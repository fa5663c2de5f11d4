/**
 * The server side of `npm run bench -- chat`, run in its own process so the load generator and
 * the fakes do not share its event loop:
 *
 *   chat-server.ts bare       a Bolt App that only acks /brief (the baseline)
 *   chat-server.ts briefbot   briefbot's Discord and Slack adapters via startPlatforms, its
 *                             library filled from BENCH_LIBRARY (a JSON file of library entries,
 *                             briefed beforehand, as a restart would load them from the store)
 *
 * Prints one JSON line `{ "ready": true, "port": N, ... }` when it can take requests; stops on
 * SIGTERM.
 */
import { App, LogLevel } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { actionHandlers, commands } from '../src/commands/index.js';
import { ConfigSchema } from '../src/config/config.js';
import { createMemoryLibrary } from '../src/library/memory-library.js';
import { createLogger } from '../src/logging/logger.js';
import { startPlatforms } from '../src/platforms/start.js';
import type { LibraryEntry } from '../src/library/library.js';

const mode = process.argv[2];
const env = process.env;
const signingSecret = env.BENCH_SIGNING_SECRET ?? 'bench-secret';

function ready(info: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ ready: true, ...info }) + '\n');
}

if (mode === 'bare') {
  const app = new App({ token: 'xoxb-bench', signingSecret, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: env.SLACK_API_URL } });
  app.command('/brief', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  ready({ port: (server.address() as AddressInfo).port });
  process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
} else if (mode === 'briefbot') {
  const library = createMemoryLibrary();
  const started = performance.now();
  for (const entry of JSON.parse(readFileSync(env.BENCH_LIBRARY!, 'utf8')) as LibraryEntry[]) await library.add(entry);
  const loadSeconds = (performance.now() - started) / 1000;
  const logger = createLogger({ level: 'warn', pretty: false });
  const config = ConfigSchema.parse({
    http: { port: 0, host: '127.0.0.1' },
    discord: { token: 'bench-token', applicationId: env.DISCORD_APPLICATION_ID, apiUrl: env.DISCORD_API_URL },
    slack: { botToken: 'xoxb-bench', signingSecret, apiUrl: env.SLACK_API_URL },
  });
  const running = await startPlatforms({ config, logger, commands, actions: actionHandlers, services: { library, logger, now: () => new Date() } });
  ready({ port: running.port, briefings: await library.size, loadSeconds, ids: (await library.list({ limit: 20 })).items.map((e) => e.briefing.id) });
  process.once('SIGTERM', () => void running.stop().then(() => process.exit(0)));
} else {
  console.error('usage: chat-server.ts bare|briefbot');
  process.exit(2);
}
