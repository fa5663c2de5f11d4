import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // An unhandled rejection anywhere fails the run (vitest's default, stated so nobody turns it off).
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
