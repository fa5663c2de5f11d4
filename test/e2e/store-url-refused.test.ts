/**
 * DATABASE_URL is checked and accepted by the configuration, but the bot cannot run on PostgreSQL
 * yet: start must refuse it in words rather than quietly run on SQLite. The console, which keeps
 * everything in memory, is not affected.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { POSTGRES_NOT_YET, startBriefbot } from '../../src/app.js';
import { ConfigSchema } from '../../src/config/config.js';
import { silentLogger } from '../../src/logging/logger.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function config(dir: string) {
  return ConfigSchema.parse({
    briefings: { dir },
    store: { path: join(dir, 'briefbot.db'), url: 'postgres://briefbot@db.example:5432/briefbot' },
    ingest: { watch: false },
    discord: { token: 'refused-token', applicationId: '123456789012345678' },
  });
}

it('start with a platform and DATABASE_URL refuses, naming what is missing, and creates no SQLite store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-url-'));
  dirs.push(dir);
  await expect(startBriefbot({ config: config(dir), logger: silentLogger() })).rejects.toThrow(POSTGRES_NOT_YET);
  expect(POSTGRES_NOT_YET).toMatch(/Unset DATABASE_URL/);
  expect(existsSync(join(dir, 'briefbot.db'))).toBe(false);
});

it('the console chat opens with DATABASE_URL set: it keeps everything in memory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-url-'));
  dirs.push(dir);
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const running = await startBriefbot({ config: config(dir), logger: silentLogger(), forceConsole: true, input: Readable.from(['/articles\n', '/exit\n']), output });
  await running.done;
  expect(text).toContain('> /articles');
});
