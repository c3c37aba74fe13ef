import path from 'node:path';
import { utcDay } from '../ledger/ledger-files.js';
import { rollUpLedger, type RollupOptions, type RollupResult } from '../ledger/rollup.js';
import { LockTimeoutError } from '../store/lock.js';
import { dayKey } from '../time/zoned.js';
import type { ProjectContext } from './context.js';

/**
 * What a Claude session's start rolls up at most: this many folders, and none begun after the
 * budget (a developer's day takes ~60 ms; a team's ~0.25 s, after ~0.6 s reading the rollups at a
 * team's ten years). A ledger that went long without a rollup (a 0.1.0 ledger before its first
 * `compact`) is taken some days at a time, not all at once in a hook.
 */
export const START_ROLLUP_FOLDERS = 8;
const START_ROLLUP_BUDGET_MS = 1000;

/**
 * Rolls up the ledger's closed days before today (today in the project's zone and in UTC, the
 * earlier): /eod does it, and so does every Claude session's start (rollUpAtStart), so a ledger
 * stays rolled up, and every read, every turn, cheap, for a team that skips /eod. Two clones doing
 * it for the same days write identical files.
 */
export function rollUpClosedDays(ctx: ProjectContext, options: Partial<RollupOptions> = {}): RollupResult {
  const now = ctx.now();
  return rollUpLedger(ctx.paths.ledger, {
    now,
    before: closedBefore(now, ctx.tz),
    keyCache: rollupKeyCacheFile(ctx),
    ...options,
  });
}

/** What this machine knows of the project's rollup files (rollup-key-cache.ts). */
export const rollupKeyCacheFile = (ctx: Pick<ProjectContext, 'paths'>): string =>
  path.join(ctx.paths.state, 'rollup-keys.json');

/** The first day not rolled up: today, in the project's zone or in UTC, whichever is earlier. */
export function closedBefore(now: number, tz: string): string {
  return [dayKey(now, tz), utcDay(now)].sort()[0]!;
}

/**
 * What a Claude session's start rolls up: the oldest START_ROLLUP_FOLDERS closed days. Another
 * process rolling up now (a `compact`, a teammate's window starting) is left to it: the start does
 * not wait, and the next one takes what is left. True when it rolled something up.
 */
export function rollUpAtStart(ctx: ProjectContext): boolean {
  try {
    const result = rollUpClosedDays(ctx, {
      maxFolders: START_ROLLUP_FOLDERS,
      budgetMs: START_ROLLUP_BUDGET_MS,
      lockTimeoutMs: 200,
    });
    return result.rolled.length > 0;
  } catch (error) {
    if (!(error instanceof LockTimeoutError)) throw error;
    return false;
  }
}
