import { BriefbotError, describeError } from '../../errors.js';
import { migratePostgres, POSTGRES_MIGRATIONS, type PostgresMigration } from './migrations.js';
import { createPostgresPool, type PostgresPool } from './pool.js';
import { postgresUrlProblem } from '../../config/database-url.js';

/**
 * The shared store for several replicas: one PostgreSQL database, reached through one pool per
 * process, its schema brought forward on open (once, whichever replica gets there first).
 */

export interface PostgresStore {
  readonly pool: PostgresPool;
  /** The schema version the database is at. */
  readonly version: number;
  close(): Promise<void>;
}

export interface OpenPostgresStoreOptions {
  url: string;
  /** Only for tests of the migration machinery. */
  migrations?: readonly PostgresMigration[];
  poolSize?: number;
  applicationName?: string;
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export async function openPostgresStore(options: OpenPostgresStoreOptions): Promise<PostgresStore> {
  const problem = postgresUrlProblem(options.url);
  if (problem) throw new BriefbotError('config', `the store URL ${problem}`);
  const pool = createPostgresPool({
    url: options.url,
    ...(options.poolSize !== undefined ? { max: options.poolSize } : {}),
    ...(options.applicationName !== undefined ? { applicationName: options.applicationName } : {}),
  });
  try {
    const { to } = await migratePostgres(pool, options.migrations ?? POSTGRES_MIGRATIONS);
    let open = true;
    return {
      pool,
      version: to,
      async close() {
        if (!open) return;
        open = false;
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof BriefbotError) throw error;
    throw new BriefbotError('unavailable', `cannot open the PostgreSQL store at ${redactUrl(options.url)}: ${describeError(error)}`, { cause: error });
  }
}
