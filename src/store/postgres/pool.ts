import pg from 'pg';

/**
 * The connection pool every Postgres store shares (node-postgres). Values cross as the store's own
 * types: BIGINT (positions, ids, counts) as numbers, since they stay far below 2^53, and
 * TIMESTAMPTZ as the ISO 8601 text the SQLite store keeps, so both answer alike.
 */

export type PostgresPool = pg.Pool;
export type PostgresClient = pg.PoolClient;

// BIGINT (int8) as a number: counts and ids here never reach 2^53.
const INT8 = 20;
// TIMESTAMPTZ as ISO 8601 text in UTC with milliseconds, exactly what the SQLite store keeps.
const TIMESTAMPTZ = 1184;

function typeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === INT8) return (value) => Number(value);
  if (oid === TIMESTAMPTZ) {
    const parse = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (value: string) => Date;
    return (value) => parse(value).toISOString();
  }
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}

export interface CreatePoolOptions {
  url: string;
  /** Connections at most (default 10). */
  max?: number;
  /** Name shown in pg_stat_activity, so a database administrator can tell replicas apart. */
  applicationName?: string;
}

export function createPostgresPool(options: CreatePoolOptions): PostgresPool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'briefbot',
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
  });
  // An idle client whose server went away emits 'error' on the pool; without a listener that
  // would end the process. The next query gets a fresh connection and reports any real problem.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `work` in one transaction on one client, committing on success and rolling back on error. */
export async function inTransaction<T>(pool: PostgresPool, work: (client: PostgresClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
