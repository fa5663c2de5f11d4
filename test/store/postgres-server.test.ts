/**
 * The test harness's PostgreSQL is the real server, not a stand-in: it says so, and row locks
 * behave as the delivery claims rely on (a second connection skips a row the first holds, and
 * cannot take it while it is held).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/postgres.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const clients: pg.Client[] = [];

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
  await database.drop();
});

describe('the test PostgreSQL server', () => {
  it('is a PostgreSQL server', async () => {
    const client = await connect();
    const { rows } = await client.query<{ version: string }>('SELECT version()');
    expect(rows[0]!.version).toMatch(/^PostgreSQL \d+/);
  });

  it('gives each test file a database of its own', async () => {
    const client = await connect();
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    expect(rows[0]!.db).toBe(new URL(database.url).pathname.slice(1));
    expect(rows[0]!.db).not.toBe('postgres');
  });

  it('skips rows another connection holds with FOR UPDATE SKIP LOCKED', async () => {
    const a = await connect();
    const b = await connect();
    await a.query('CREATE TABLE jobs (id int PRIMARY KEY)');
    await a.query('INSERT INTO jobs VALUES (1), (2)');

    await a.query('BEGIN');
    const first = await a.query<{ id: number }>('SELECT id FROM jobs ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED');
    expect(first.rows.map((r) => r.id)).toEqual([1]);

    await b.query('BEGIN');
    const second = await b.query<{ id: number }>('SELECT id FROM jobs ORDER BY id FOR UPDATE SKIP LOCKED');
    expect(second.rows.map((r) => r.id)).toEqual([2]);
    // The held row is really locked: taking it without waiting fails with lock_not_available.
    await expect(b.query('SELECT id FROM jobs WHERE id = 1 FOR UPDATE NOWAIT')).rejects.toMatchObject({ code: '55P03' });
    await b.query('ROLLBACK');

    await a.query('COMMIT');
    const after = await b.query<{ id: number }>('SELECT id FROM jobs ORDER BY id FOR UPDATE SKIP LOCKED');
    expect(after.rows.map((r) => r.id)).toEqual([1, 2]);
  });
});
