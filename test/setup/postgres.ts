/**
 * Vitest global setup: one real PostgreSQL server for the whole run (test/helpers/postgres.ts),
 * started before the first file and stopped after the last. Files reach it through
 * createTestDatabase(), which makes each of them a database of its own. Its start-up time goes to
 * stderr so a slow machine shows where the seconds went.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../helpers/postgres.js';

export default async function postgres(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  process.stderr.write(`test PostgreSQL server ready in ${(server.startMs / 1000).toFixed(2)} s\n`);
  project.provide('postgresAdminUrl', server.adminUrl);
  return () => server.stop();
}
