/**
 * The IngestState contract on a real PostgreSQL server (test/helpers/postgres.ts), with "replicas"
 * that are separate connection pools on one database, so claims and revisions race for real; and
 * the places where the PostgreSQL version must answer exactly as the in-memory one does.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryIngestState, type IngestState } from '../../src/ingest/ingest-state.js';
import { createPostgresIngestState } from '../../src/ingest/postgres-ingest-state.js';
import { migratePostgres } from '../../src/store/postgres/migrations.js';
import { createPostgresPool, type PostgresPool } from '../../src/store/postgres/pool.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { aSeen, aSource, describeIngestStateContract } from './ingest-state-contract.js';

/** One database for the file, migrated once and emptied for each state made on it; every pool is ended after the file. */
let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
const pools: PostgresPool[] = [];
afterAll(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
  await database?.drop();
});

function newPool(): PostgresPool {
  const pool = createPostgresPool({ url: database!.url, max: 4 });
  pools.push(pool);
  return pool;
}

async function emptyDatabase(): Promise<void> {
  if (!database) {
    database = await createTestDatabase();
    await migratePostgres(newPool());
  }
  await pools[0]!.query('TRUNCATE feed_sources, seen_items, seen_claims, article_revisions RESTART IDENTITY');
}

async function postgresState(): Promise<IngestState> {
  await emptyDatabase();
  return createPostgresIngestState(pools[0]!);
}

/** Two replicas: each its own pool on the same, emptied database. */
async function twoReplicas(): Promise<[IngestState, IngestState]> {
  await emptyDatabase();
  return [createPostgresIngestState(newPool()), createPostgresIngestState(newPool())];
}

describeIngestStateContract('postgres', postgresState, twoReplicas);

describe('IngestState on PostgreSQL answers as in memory', () => {
  it('keeps a replaced source in its place among sources added at the same instant', async () => {
    const postgres = await postgresState();
    const memory = createMemoryIngestState();
    for (const state of [postgres, memory]) {
      for (const id of ['x', 'y', 'z']) await state.saveSource(aSource(id));
      await state.saveSource(aSource('x', { primed: true }));
      await state.removeSource('y');
      await state.saveSource(aSource('y'));
    }
    const order = async (state: IngestState): Promise<string[]> => (await state.listSources()).map((s) => s.id);
    expect(await order(postgres)).toEqual(['x', 'z', 'y']);
    expect(await order(postgres)).toEqual(await order(memory));
  });

  it('answers a canonical URL with the item saved last', async () => {
    const postgres = await postgresState();
    const memory = createMemoryIngestState();
    const url = 'https://news.test/story';
    for (const state of [postgres, memory]) {
      await state.saveSeen(aSeen('feed-a', 'guid:1', { canonicalUrl: url, status: 'backlog' }));
      await state.saveSeen(aSeen('link', `url:${url}`, { canonicalUrl: url, status: 'delivered', articleId: 'story' }));
      await state.saveSeen(aSeen('feed-b', 'guid:9', { canonicalUrl: url, status: 'delivered', articleId: 'story' }));
      await state.saveSeen(aSeen('feed-a', 'guid:1', { canonicalUrl: url, status: 'backlog', lastSeenAt: '2025-06-12T00:00:00.000Z' }));
    }
    const query = { sourceId: 'feed-c', key: 'guid:new', canonicalUrl: url };
    expect(await postgres.findSeen(query)).toMatchObject({ sourceId: 'feed-a', status: 'backlog' });
    expect(await postgres.findSeen(query)).toEqual(await memory.findSeen(query));
  });
});
