import { formatCount, formatUsd } from './format.js';

const BAR_WIDTH = 40;

/**
 * A compact bar chart of daily cost: plain characters (no colour needed, readable with NO_COLOR),
 * at most 80 columns; a `│` marks the daily budget on the scale when it fits.
 */
export function renderDailyBars(days: Array<{ label: string; value: number }>, budget: number | null): string {
  const max = Math.max(...days.map((d) => d.value), budget ?? 0, 0.01);
  const budgetAt = budget === null ? -1 : Math.round((budget / max) * BAR_WIDTH);
  const lines = [`Last ${days.length} days${budget === null ? '' : ` (│ = daily budget ${formatUsd(budget)})`}`];
  for (const d of days) {
    const n = Math.round((d.value / max) * BAR_WIDTH);
    let bar = '█'.repeat(n).padEnd(BAR_WIDTH, ' ');
    if (budgetAt >= 0 && budgetAt <= BAR_WIDTH)
      bar = `${bar.slice(0, budgetAt)}${budgetAt < n ? '┃' : '│'}${bar.slice(budgetAt + 1)}`;
    lines.push(`${d.label.padEnd(6)}${bar} ${formatUsd(d.value)}`);
  }
  return lines.join('\n');
}

/** The top tasks by cost, as bars. */
export function renderTopTasks(
  tasks: Array<{ label: string; value: number; tokens: number }>,
  top: number,
  when = '',
): string {
  const chosen = [...tasks].sort((a, b) => b.value - a.value).slice(0, top);
  if (chosen.length === 0) return `Top tasks${when ? ` ${when}` : ''}: none yet`;
  const max = Math.max(...chosen.map((t) => t.value), 0.0001);
  const lines = [`${chosen.length === 1 ? 'Top task' : `Top ${chosen.length} tasks`} by cost${when ? ` ${when}` : ''}`];
  for (const t of chosen) {
    const n = Math.max(1, Math.round((t.value / max) * 24));
    lines.push(
      `${t.label.slice(0, 26).padEnd(27)}${'█'.repeat(n).padEnd(25)}${formatUsd(t.value).padStart(9)} ${formatCount(t.tokens).padStart(11)}`,
    );
  }
  return lines.join('\n');
}
