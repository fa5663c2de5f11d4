import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The e2e tests spawn bin/briefbot.js, which runs dist/: build it first so they never run a stale one.
    // The store's Postgres tests share one real server started here (test/setup/postgres.ts).
    globalSetup: ['test/setup/build.ts', 'test/setup/postgres.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // An unhandled rejection anywhere fails the run (vitest's default, stated so nobody turns it off).
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
