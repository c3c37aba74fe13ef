import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real Claude Code processes and real hooks: two cores, so at most two test files at once.
    maxWorkers: 2,
    env: { TZ: 'UTC', NO_COLOR: '1' },
  },
});
