import fs from 'node:fs';
import { writeFileAtomic } from '../store/atomic-file.js';
import { withFileLock } from '../store/lock.js';
import type { ProjectUsage } from '../report/project-usage.js';
import { formatUsd } from '../render/format.js';
import { picoUsdToUsd } from '../pricing/price-call.js';
import { dayKey, monthKey, weekKey } from '../time/zoned.js';
import type { ProjectContext } from './context.js';

export type BudgetPeriod = 'daily' | 'weekly' | 'monthly';

export interface BudgetState {
  period: BudgetPeriod;
  key: string;
  label: string;
  limit: number | null;
  spent: number;
  level: 'ok' | 'warn' | 'over' | 'none';
}

/** The days budgets look at: this week and this month, in the user's zone. */
export function budgetRange(ctx: ProjectContext): { since: string; until: string } {
  const today = dayKey(ctx.now(), ctx.tz);
  const week = weekKey(today);
  const month = `${monthKey(today)}-01`;
  return { since: week < month ? week : month, until: today };
}

/** Spend today, this week and this month (in the user's zone) against the configured budgets. */
export function budgetStates(ctx: ProjectContext, usage: ProjectUsage): BudgetState[] {
  const today = dayKey(ctx.now(), ctx.tz);
  const keys = { daily: today, weekly: weekKey(today), monthly: monthKey(today) };
  const of = { daily: (d: string) => d, weekly: weekKey, monthly: monthKey };
  const labels = { daily: 'Today', weekly: 'This week', monthly: 'This month' };
  return (['daily', 'weekly', 'monthly'] as const).map((period) => {
    let pico = 0n; // summed exactly: the same in whatever order the days were met
    for (const [day, tally] of usage.days) if (of[period](day) === keys[period]) pico += tally.picoUsd;
    const spent = picoUsdToUsd(pico);
    const limit = ctx.config.budgets[period];
    return { period, key: keys[period], label: labels[period], limit, spent, level: levelOf(spent, limit) };
  });
}

export function levelOf(spent: number, limit: number | null): BudgetState['level'] {
  if (limit === null) return 'none';
  return spent >= limit ? 'over' : spent >= 0.8 * limit ? 'warn' : 'ok';
}

export function budgetText(
  b: { spent: number; limit: number | null; level: BudgetState['level'] },
  flag = true,
): string {
  if (b.limit === null) return `${formatUsd(b.spent)} (no budget)`;
  const pct = Math.round((b.spent / b.limit) * 100);
  const mark = !flag ? '' : b.level === 'over' ? ' ⛔ over budget' : b.level === 'warn' ? ' ⚠' : '';
  return `${formatUsd(b.spent)} of ${formatUsd(b.limit)} (${pct}%)${mark}`;
}

/**
 * One notice per threshold crossed (80%, 100%) per budget period, not one per tool call:
 * what was already said is remembered in the machine-local notices file.
 */
export function takeBudgetNotices(
  ctx: ProjectContext,
  states: Array<BudgetState | (Omit<BudgetState, 'period'> & { period: string })>,
): string[] {
  const file = ctx.paths.notices;
  // Nothing past a threshold (the usual turn): nothing to say, and no lock to take.
  if (!states.some((s) => s.level === 'warn' || s.level === 'over')) return [];
  return withFileLock(file, () => {
    let said: Record<string, string> = {};
    try {
      said = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      // first notice
    }
    const out: string[] = [];
    for (const s of states) {
      if (s.level !== 'warn' && s.level !== 'over') continue;
      const id = `${s.period}:${s.key}`;
      if (said[id] === s.level || (said[id] === 'over' && s.level === 'warn')) continue;
      said[id] = s.level;
      out.push(
        s.level === 'over'
          ? `⛔ spec-session: ${s.label} budget exceeded: ${budgetText(s, false)}`
          : `⚠ spec-session: ${s.label} at ${budgetText(s, false)}, past 80% of the budget`,
      );
    }
    if (out.length) writeFileAtomic(file, JSON.stringify(said));
    return out;
  });
}
