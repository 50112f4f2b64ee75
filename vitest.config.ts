import { defineConfig } from 'vitest/config';

// The fast tier: pure functions, real git repos in temp dirs, the built CLI. No cluster.
export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    exclude: ['test/cluster/**', 'test/integration/**', 'node_modules/**'],
    globalSetup: ['test/setup/build-once.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
