import { afterAll, beforeAll } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/store.js';
import { createTestDatabase } from './postgres.js';

/**
 * For a test file: a fresh database opened by `count` stores, each with its own pool, as replicas
 * starting together would (the schema is migrated once). Filled in beforeAll; closed and dropped
 * in afterAll.
 */
export function replicaStores(count: number, poolSize = 4): PostgresStore[] {
  const stores: PostgresStore[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    const url = database.url;
    stores.push(...(await Promise.all(Array.from({ length: count }, () => openPostgresStore({ url, poolSize })))));
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await database?.drop();
  });
  return stores;
}
