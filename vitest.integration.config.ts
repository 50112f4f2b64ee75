import { defineConfig } from 'vitest/config';

// Integration tier: real external tools driving kubeplan (pre-commit installing the hook from this repository,
// tmux for the terminal UI). Slower than the fast tier because pre-commit installs the package with npm.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.{ts,tsx}'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
