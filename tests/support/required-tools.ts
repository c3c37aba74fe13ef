/**
 * Tests that need a tool outside node_modules (chromium, tmux) skip on a developer's machine that
 * lacks it, saying why. Under CI=true they never skip: a missing tool fails the run, so a green CI
 * always means every test ran.
 */
import { spawnSync } from 'node:child_process';

export const IN_CI = process.env.CI === 'true';

export const haveTmux = spawnSync('tmux', ['-V']).status === 0;
export const NO_TMUX = 'tmux is missing (apt-get install -y tmux)';

/** Whether tests needing a tool are skipped: only when it is missing and this is not CI. */
export const skipWithout = (present: boolean): boolean => !present && !IN_CI;

/** Throws, naming the missing tool, when it is absent: the first line of a test that needs it. */
export function requireTool(present: boolean, missing: string): void {
  if (!present)
    throw new Error(`${missing}; under CI=true a missing test dependency fails the run instead of skipping`);
}
