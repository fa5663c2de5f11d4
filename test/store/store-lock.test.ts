/**
 * One process per store, with real processes: a second one on the same file stops with one line
 * naming the file, the process holding it and the way to run several replicas; the holder's
 * death (SIGKILL, no cleanup) frees the store at once; the bot's own start-up goes through the
 * same lock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { ROOT, run, start } from '../e2e/helpers/spawn.js';

const FIXTURE = join(ROOT, 'test/store/fixtures/store-process.ts');
const RUN_TS = join(ROOT, 'bin/run-ts.js');

const dirs: string[] = [];
const children: Array<ReturnType<typeof start>> = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGKILL');
    await c.finished;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempStore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'briefbot-lock-'));
  dirs.push(dir);
  return join(dir, 'data', 'briefbot.db');
}

/** Starts a process holding the store; resolves with its pid once it has the lock. */
async function holder(path: string): Promise<ReturnType<typeof start> & { pid: number }> {
  const proc = start([RUN_TS, FIXTURE, path, 'hold'], { cwd: ROOT, env: {} });
  children.push(proc);
  const pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const ready = /ready (\d+)/.exec(out);
      if (ready) resolve(Number(ready[1]));
    });
    void proc.finished.then((f) => reject(new Error(`the holder exited: ${f.code} ${f.stderr}`)));
  });
  return { ...proc, pid };
}

const IN_USE = (path: string, pid: number): RegExp =>
  new RegExp(`^briefbot: the store at ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is in use by process ${pid}, running since \\d{4}-\\d\\d-\\d\\dT[^:]+:\\d\\d:\\d\\d\\.\\d+Z: one briefbot per store; use PostgreSQL for several replicas\\n$`);

describe('one process per store', () => {
  it('refuses a second process with one line naming the file and the holder, and frees the store when the holder is killed', async () => {
    const path = tempStore();
    const first = await holder(path);

    const second = await run([RUN_TS, FIXTURE, path, 'hold'], { cwd: ROOT, env: {}, timeoutMs: 20_000 });
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(IN_USE(path, first.pid));

    // SIGKILL: no close, no cleanup, the owner file left behind. The kernel drops the lock with the process.
    first.child.kill('SIGKILL');
    await first.finished;
    const third = await holder(path);
    expect(third.pid).not.toBe(first.pid);
  }, 60_000);

  it('stops `briefbot start` on a store another process holds, before any platform starts', async () => {
    const path = tempStore();
    const first = await holder(path);
    const bot = await run([join(ROOT, 'bin/briefbot.js'), 'start'], {
      cwd: join(path, '..', '..'),
      env: { DATABASE_PATH: path, DISCORD_TOKEN: 'lock-test-token', DISCORD_APPLICATION_ID: '1', DISCORD_API_URL: 'http://127.0.0.1:9/api' },
      timeoutMs: 30_000,
    });
    expect(bot.code).toBe(1);
    expect(bot.stderr).toMatch(IN_USE(path, first.pid));
    expect(bot.stderr).not.toContain('lock-test-token');
  }, 60_000);

  it('refuses a second open in the same process too, and lets go on close', () => {
    const path = tempStore();
    const store = openStore({ path });
    expect(() => openStore({ path, lockWaitMs: 50 })).toThrow(`the store at ${path} is in use by process ${process.pid}`);
    store.close();
    openStore({ path }).close();
  });
});
