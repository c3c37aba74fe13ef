import { formatCount, formatUsd } from './format.js';
import { displayWidth, shortenMiddle } from './table.js';

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

/** Columns of a top task's label: its spec shortened past this, never its task id. */
const LABEL_WIDTH = 26;

/** The top tasks by cost, as bars. */
export function renderTopTasks(
  tasks: Array<{ spec: string; task: string; value: number; tokens: number }>,
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
      `${taskLabel(t.spec, t.task)} ${'█'.repeat(n).padEnd(25)}${formatUsd(t.value).padStart(9)} ${formatCount(t.tokens).padStart(11)}`,
    );
  }
  return lines.join('\n');
}

/**
 * `spec task` in exactly LABEL_WIDTH terminal columns: padded, or the spec shortened in the middle
 * (shortenMiddle) so the task id always shows. Two tasks of one long spec never print the same label.
 */
function taskLabel(spec: string, task: string): string {
  const full = `${spec} ${task}`;
  if (displayWidth(full) <= LABEL_WIDTH) return pad(full);
  const id = shortenMiddle(task, LABEL_WIDTH);
  const room = LABEL_WIDTH - displayWidth(id) - 1;
  return pad(room < 2 ? id : `${shortenMiddle(spec, room)} ${id}`); // the id alone, when it fills the label
}

const pad = (label: string) => label + ' '.repeat(LABEL_WIDTH - displayWidth(label));
