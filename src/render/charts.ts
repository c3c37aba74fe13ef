import { formatCount, formatUsd } from './format.js';
import { displayWidth } from './table.js';

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

/** Columns of a top task's label: its spec shortened with '…' past this, never its task id. */
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
 * `spec task` in exactly LABEL_WIDTH terminal columns: padded, or the spec cut short with '…' (by
 * whole characters and their display width: a CJK name is two columns a character) so the task id
 * always shows. Two tasks of one long spec must not print the same label.
 */
function taskLabel(spec: string, task: string): string {
  const full = `${spec} ${task}`;
  const width = displayWidth(full);
  if (width <= LABEL_WIDTH) return full + ' '.repeat(LABEL_WIDTH - width);
  const id = fitStart(task, LABEL_WIDTH);
  let room = LABEL_WIDTH - displayWidth(id) - 2; // '…' and a space
  if (room < 1) return id + ' '.repeat(LABEL_WIDTH - displayWidth(id)); // the id alone fills the label
  let head = '';
  for (const ch of spec) {
    const w = displayWidth(ch);
    if (w > room) break;
    head += ch;
    room -= w;
  }
  const label = `${head}… ${id}`;
  return label + ' '.repeat(LABEL_WIDTH - displayWidth(label));
}

/** `text`, or its last characters after '…', in at most `width` columns (a task id longer than a label). */
function fitStart(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const chars = [...text];
  let tail = '';
  let room = width - 1;
  for (let i = chars.length - 1; i >= 0; i--) {
    const w = displayWidth(chars[i]!);
    if (w > room) break;
    tail = chars[i]! + tail;
    room -= w;
  }
  return `…${tail}`;
}
