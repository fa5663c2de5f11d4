import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore, openStoreReadOnly } from '../../src/store/store.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefbot-readonly-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const latest = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

describe('openStoreReadOnly', () => {
  it('opens a store another process holds the lock of, and cannot write to it', () => {
    const path = join(dir, 'held.db');
    const bot = openStore({ path });
    try {
      const reader = openStoreReadOnly(path);
      expect(reader.version).toBe(latest);
      expect(() => reader.db.exec('CREATE TABLE t (x)')).toThrow(/readonly/);
      reader.close();
    } finally {
      bot.close();
    }
  });

  it('refuses a store at an older schema version, saying how to bring it forward, and leaves it as it was', () => {
    const path = join(dir, 'old.db');
    new Database(path).close();
    expect(() => openStoreReadOnly(path)).toThrow(`the store at ${path} is at schema version 0 and this briefbot reads version ${latest}: start the bot once (briefbot start) to bring it forward`);
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();
  });

  it('refuses a store written by a newer briefbot', () => {
    const path = join(dir, 'new.db');
    const db = new Database(path);
    db.pragma(`user_version = ${latest + 1}`);
    db.close();
    expect(() => openStoreReadOnly(path)).toThrow(/written by a newer briefbot .*upgrade briefbot/);
  });
});
