import { defineConfig } from 'vitest/config';

/**
 * Three projects, so a change to a price or a parser is checked in under a minute:
 * - unit: no real Claude Code CLI, no browser, no tmux (`npm run test:unit`);
 * - e2e: suites that drive the pinned Claude Code CLI, tmux or chromium (`npm run test:e2e`);
 * - e2e-worked: the dashboard, export and statusline suites, which share one project worked by the
 *   real CLI, built once per run by their globalSetup (it runs only when one of them is selected).
 * `npm test` runs all three.
 */
const WORKED = [
  'tests/dashboard/dashboard.test.ts',
  'tests/export/export.test.ts',
  'tests/statusline/statusline.test.ts',
];
const E2E = ['tests/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real Claude Code processes and real hooks: two cores, so at most two test files at once.
    maxWorkers: 2,
    env: { TZ: 'UTC', NO_COLOR: '1' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: [...E2E, ...WORKED] } },
      { extends: true, test: { name: 'e2e', include: E2E } },
      {
        extends: true,
        test: { name: 'e2e-worked', include: WORKED, globalSetup: ['tests/worked-project/global-setup.ts'] },
      },
    ],
  },
});
