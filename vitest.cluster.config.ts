import { defineConfig } from 'vitest/config';

// The cluster tier: a real control plane (etcd, kube-apiserver, controller-manager, scheduler,
// kwok fake nodes) per test file, started by test/cluster/harness.ts from binaries that
// `npm run cluster:build` caches outside the clone. See docs/cluster-tier.md.
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    // One control plane at a time: each takes most of a 2-core machine while it starts.
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
