/**
 * The whole process on a store made by the code before briefings were versioned (the committed
 * fixture store): `node bin/briefbot.js start` with Discord on its stand-in opens it, migrates it,
 * answers a command, and re-briefs its briefings with the current engine in the background,
 * then stops cleanly on SIGTERM.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../src/briefing/index.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { ROOT, start } from './helpers/spawn.js';

const FIXTURE = join(ROOT, 'test', 'store', 'fixtures', 'unversioned-store.db');
let discord: FakeDiscord;
let dir: string;

beforeAll(async () => {
  discord = await createFakeDiscord({ token: 'rebrief-token' });
  dir = mkdtempSync(join(tmpdir(), 'briefbot-rebrief-start-'));
});
afterAll(async () => {
  await discord?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The store's rows as another process sees them (read-only, beside the bot). */
function engineVersions(path: string): Record<string, number | null> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, engine_version FROM briefings').all() as Array<{ id: string; engine_version: number | null }>;
    return Object.fromEntries(rows.map((r) => [r.id, r.engine_version]));
  } finally {
    db.close();
  }
}

it('start on a pre-versioning store: migrates, answers, and re-briefs the stored briefings in the background', async () => {
  const storePath = join(dir, 'briefbot.db');
  copyFileSync(FIXTURE, storePath);
  const emptyFolder = join(dir, 'briefings');
  mkdirSync(emptyFolder);
  // The fixture's articles are recorded by paths relative to the repository root (test/store/...),
  // where the bot that made it ran: a link makes the same paths lead to them from this folder.
  symlinkSync(join(ROOT, 'test'), join(dir, 'test'), 'dir');
  const proc = start([join(ROOT, 'bin', 'briefbot.js'), 'start'], {
    cwd: dir,
    env: {
      BRIEFBOT_CONFIG_DIR: dir,
      BRIEFINGS_DIR: emptyFolder,
      DATABASE_PATH: storePath,
      LOG_LEVEL: 'info',
      PORT: '0',
      DISCORD_TOKEN: 'rebrief-token',
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
    },
  });
  try {
    await discord.waitFor(() => logLines(proc.stderr()).find((l) => l.msg === 'briefbot is running'), { timeoutMs: 20_000, what: 'briefbot to start' });
    // A briefing whose article was never kept is answered as it was stored.
    const ix = discord.sendCommand('brief', { article: 'central-bank-holds-rates', length: 'tldr' });
    const cb = await ix.waitForCallback({ accepted: true });
    expect((cb.data as { embeds: Array<{ title: string }> }).embeds[0]!.title).toBe('Central bank holds rates at 4.5% as inflation cools to 2.9%');

    const done = await discord.waitFor(() => logLines(proc.stderr()).find((l) => l.msg === 'stored briefings re-briefed by the current engine'), {
      timeoutMs: 20_000,
      what: 'the background re-briefing to finish',
    });
    expect(done).toMatchObject({ rebriefed: 4, total: 5, kept: 1 });
    const versions = engineVersions(storePath);
    expect(Object.keys(versions)).toHaveLength(5);
    for (const [id, version] of Object.entries(versions)) {
      // The feed item's article was never kept: it stays as it was, and the log says why.
      expect(version, id).toBe(id.startsWith('central-bank') ? null : ENGINE_VERSION);
    }
    // Logged just after the summary, possibly in a later write.
    const kept = await discord.waitFor(() => logLines(proc.stderr()).find((l) => l.msg === 'a stored briefing was kept as it is'), { timeoutMs: 10_000, what: 'the kept row to be logged' });
    expect(kept).toMatchObject({ articleId: 'central-bank-holds-rates-at-4-5-as-inflation-cools-to-2-9' });
  } finally {
    proc.child.kill('SIGTERM');
  }
  const finished = await Promise.race([proc.finished, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000))]);
  if (finished === 'hung') {
    proc.child.kill('SIGKILL');
    throw new Error(`briefbot did not exit within 10 s of SIGTERM:\n${proc.stderr()}`);
  }
  expect(finished.code, proc.stderr()).toBe(0);
});
