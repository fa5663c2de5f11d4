/**
 * The Postgres schema is migrated once, however many replicas start together: each migrator
 * takes the advisory lock, the first applies the steps, the others find them recorded.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATION_LOCK_KEY, migratePostgres, POSTGRES_MIGRATIONS, type PostgresMigration } from '../../../src/store/postgres/migrations.js';
import { createPostgresPool, type PostgresPool } from '../../../src/store/postgres/pool.js';
import { openPostgresStore } from '../../../src/store/postgres/store.js';
import { createTestDatabase } from '../../helpers/postgres.js';

const pools: PostgresPool[] = [];
const databases: Array<Awaited<ReturnType<typeof createTestDatabase>>> = [];
let url: string;

beforeEach(async () => {
  const database = await createTestDatabase();
  databases.push(database);
  url = database.url;
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});
afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()));
});

function pool(): PostgresPool {
  const p = createPostgresPool({ url, max: 2 });
  pools.push(p);
  return p;
}

/** A step that fails when run twice: its table exists already, and its row counts the runs. */
const counting: PostgresMigration[] = [
  { version: 1, name: 'a table', sql: 'CREATE TABLE runs (n INTEGER NOT NULL); INSERT INTO runs VALUES (1);' },
  { version: 2, name: 'another', sql: 'CREATE TABLE second (id INTEGER PRIMARY KEY); UPDATE runs SET n = n + 1;' },
];

describe('Postgres migrations', () => {
  it('applies every step on an empty database and records each', async () => {
    const result = await migratePostgres(pool());
    const latest = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));
    expect(result).toEqual({ from: 0, to: latest, applied: POSTGRES_MIGRATIONS.map((m) => m.version) });
    const { rows } = await pool().query<{ version: number }>('SELECT version FROM briefbot_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    const again = await migratePostgres(pool());
    expect(again).toEqual({ from: latest, to: latest, applied: [] });
  });

  it('migrates once when several processes start together, and all of them succeed', async () => {
    const results = await Promise.all([migratePostgres(pool(), counting), migratePostgres(pool(), counting), migratePostgres(pool(), counting)]);
    expect(results.map((r) => r.to)).toEqual([2, 2, 2]);
    // Exactly one of them applied the steps; the others found them recorded.
    expect(results.map((r) => r.applied).sort((a, b) => b.length - a.length)).toEqual([[1, 2], [], []]);
    const { rows } = await pool().query<{ n: number }>('SELECT n FROM runs');
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('waits for the lock held by another migrator, then finds the steps applied', async () => {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
      const waiting = [migratePostgres(pool(), counting), migratePostgres(pool(), counting)];
      // Both migrators are seen queued on the advisory lock (polled, no fixed delay).
      for (;;) {
        const { rows } = await holder.query<{ n: number }>(
          "SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        );
        if (rows[0]!.n === 2) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      // Nothing was applied while the lock was held.
      const before = await holder.query("SELECT to_regclass('public.runs') AS t");
      expect(before.rows[0]).toEqual({ t: null });
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
      const results = await Promise.all(waiting);
      expect(results.flatMap((r) => r.applied)).toEqual([1, 2]);
    } finally {
      await holder.end();
    }
  });

  it('brings a version 8 database forward: a described quote source filled in from the briefings', async () => {
    await migratePostgres(pool(), POSTGRES_MIGRATIONS.filter((m) => m.version <= 8));
    const entry = { briefing: { id: 'a', quotes: [{ text: 'We will rebuild', speaker: 'Ann Lee', sentence: 3, kind: 'direct' }, { text: 'It is over', source: 'one aide', sentence: 5, kind: 'direct' }] } };
    await pool().query(
      `INSERT INTO briefings (position, id, title, sort_key, ingested_at, content_hash, search_text, entry, engine_version, schema_version)
       VALUES (1, 'a', 'A', 'x', 'x', 'h', 'a', $1, 1, 1)`,
      [JSON.stringify(entry)],
    );
    await pool().query(
      `INSERT INTO quotes (position, idx, text, speaker, sentence, words, speaker_words, tokens)
       VALUES (1, 0, 'We will rebuild', 'Ann Lee', 3, '', '', 0), (1, 1, 'It is over', NULL, 5, '', '', 0)`,
    );
    expect((await migratePostgres(pool())).applied).toEqual(POSTGRES_MIGRATIONS.filter((m) => m.version > 8).map((m) => m.version));
    const { rows } = await pool().query('SELECT idx, source FROM quotes ORDER BY idx');
    expect(rows).toEqual([{ idx: 0, source: null }, { idx: 1, source: 'one aide' }]);
  });

  it('refuses a database newer than this briefbot', async () => {
    await migratePostgres(pool(), counting);
    await expect(migratePostgres(pool(), counting.slice(0, 1))).rejects.toThrow(/schema version 2, newer than this briefbot knows \(1\): upgrade briefbot/);
  });

  it('rolls a failing step back whole and names it', async () => {
    const broken: PostgresMigration[] = [...counting, { version: 3, name: 'broken', sql: 'CREATE TABLE third (id INTEGER); SELECT * FROM missing_table;' }];
    await expect(migratePostgres(pool(), broken)).rejects.toThrow(/schema step 3 \(broken\) failed: .*missing_table/);
    const { rows } = await pool().query("SELECT to_regclass('public.third') AS t, (SELECT MAX(version) FROM briefbot_migrations) AS v");
    expect(rows[0]).toEqual({ t: null, v: 2 });
  });
});

describe('openPostgresStore', () => {
  it('opens, migrates and reports the version', async () => {
    const store = await openPostgresStore({ url });
    try {
      expect(store.version).toBe(Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version)));
      const { rows } = await store.pool.query("SELECT to_regclass('public.deliveries') IS NOT NULL AS ok");
      expect(rows[0]).toEqual({ ok: true });
    } finally {
      await store.close();
    }
  });

  it('says which server it could not reach, without the password', async () => {
    const unreachable = new URL(url);
    unreachable.port = '1';
    const error = await openPostgresStore({ url: unreachable.toString() }).then(
      () => new Error('opened a store on a port nobody listens on'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^cannot open the PostgreSQL store at postgres:\/\/briefbot:\*\*\*@127\.0\.0\.1:1\//);
    expect(error.message).not.toContain(new URL(url).password);
  });
});
