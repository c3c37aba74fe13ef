import { defineConfig } from 'vitest/config';

/**
 * Four projects, so a change to a price or a parser is checked in about a minute:
 * - unit: no real Claude Code CLI, no browser, no tmux, no process storms (`npm run test:unit`);
 * - stress: hooks killed at random, run by the dozen at once, fed hostile names (`npm run test:e2e`);
 * - e2e: suites that drive the pinned Claude Code CLI, tmux or chromium (`npm run test:e2e`);
 * - e2e-worked: the dashboard, export and statusline suites, which share one project worked by the
 *   real CLI, built once per run by their globalSetup (it runs only when one of them is selected).
 * `npm test` runs all four.
 */
const WORKED = [
  'tests/dashboard/dashboard.test.ts',
  'tests/export/export.test.ts',
  'tests/statusline/statusline.test.ts',
];
const E2E = ['tests/e2e/**/*.test.ts'];
const STRESS = [
  'tests/reliability/sigkill.test.ts',
  'tests/reliability/concurrent-hooks.test.ts',
  'tests/reliability/unsafe-names.test.ts',
  'tests/reliability/stale-locks.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real Claude Code processes and real hooks: two cores, so at most two test files at once.
    maxWorkers: 2,
    env: { TZ: 'UTC', NO_COLOR: '1' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: [...E2E, ...WORKED, ...STRESS] },
      },
      { extends: true, test: { name: 'stress', include: STRESS } },
      { extends: true, test: { name: 'e2e', include: E2E } },
      {
        extends: true,
        test: { name: 'e2e-worked', include: WORKED, globalSetup: ['tests/worked-project/global-setup.ts'] },
      },
    ],
  },
});
