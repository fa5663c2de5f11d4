/**
 * The console keeps feeds (and briefings) in memory rather than in the store, and says so as it
 * opens: it must be able to open beside a bot that holds the store, which the store's
 * one-process lock would otherwise refuse.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { CONSOLE_MEMORY_NOTICE, startBriefbot } from '../../src/app.js';
import { ConfigSchema } from '../../src/config/config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openStore } from '../../src/store/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function runConsole(storePath: string, briefings: string): Promise<string> {
  const config = ConfigSchema.parse({ briefings: { dir: briefings }, store: { path: storePath }, ingest: { watch: false } });
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const running = await startBriefbot({ config, logger: silentLogger(), forceConsole: true, input: Readable.from(['/articles\n', '/exit\n']), output });
  await running.done;
  return text;
}

it('says at start that feeds are kept in memory, and leaves the store alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-console-'));
  dirs.push(dir);
  const storePath = join(dir, 'data', 'briefbot.db');
  const text = await runConsole(storePath, dir);
  const banner = text.slice(0, text.indexOf('> /articles'));
  expect(banner).toContain(CONSOLE_MEMORY_NOTICE);
  expect(CONSOLE_MEMORY_NOTICE).toMatch(/feeds in memory.*backlog.*not briefed/);
  expect(existsSync(storePath)).toBe(false);
});

it('opens beside a process that holds the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-console-'));
  dirs.push(dir);
  const storePath = join(dir, 'data', 'briefbot.db');
  const bot = openStore({ path: storePath });
  try {
    const text = await runConsole(storePath, dir);
    expect(text).toContain('> /articles');
    expect(text).not.toMatch(/in use by/);
  } finally {
    bot.close();
  }
});
