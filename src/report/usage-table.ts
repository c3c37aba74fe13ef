import type { UsageReport } from './usage-report.js';
import { formatTokens, formatUsd, shortModel } from '../render/format.js';
import { makeTable } from '../render/table.js';

const TITLES = { daily: 'Date', weekly: 'Week of', monthly: 'Month', session: 'Session' } as const;

/** The human view of `spec-session report`: one row per period (or session), optional model rows. */
export function renderUsageTable(report: UsageReport, breakdown: boolean): string {
  return renderSections(report, [{ report }], breakdown);
}

/**
 * `report --instances`: the same table with a section per project (its folder under `projects/`,
 * as ccusage names it), each with its own rows; the total is `all`'s, the whole history's.
 */
export function renderProjectsTable(
  all: UsageReport,
  projects: Array<{ name: string; report: UsageReport }>,
  breakdown: boolean,
): string {
  return renderSections(all, projects, breakdown);
}

function renderSections(
  report: UsageReport,
  sections: Array<{ name?: string; report: UsageReport }>,
  breakdown: boolean,
): string {
  const table = makeTable(
    [TITLES[report.period], 'Input', 'Output', 'Cache W', 'Cache R', 'Total', 'Cost'],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  for (const section of sections) {
    if (section.name !== undefined) table.push([{ colSpan: 7, content: `Project: ${section.name}` }]);
    for (const g of section.report.groups) {
      const t = g.tally;
      const label = report.period === 'session' ? g.key.slice(0, 8) : g.key;
      table.push([label, ...cells(t.tokens), formatTokens(t.total), costCell(t.cost, t.unpriced.size > 0)]);
      if (breakdown) {
        for (const [model, m] of [...t.models].sort((a, b) => (b[1].cost ?? 0) - (a[1].cost ?? 0))) {
          const total =
            m.tokens.input + m.tokens.output + m.tokens.cacheWrite5m + m.tokens.cacheWrite1h + m.tokens.cacheRead;
          table.push([
            ` └ ${fitWidth(shortModel(model), 13)}`,
            ...cells(m.tokens),
            formatTokens(total),
            formatUsd(m.cost),
          ]);
        }
      }
    }
  }
  const t = report.totals;
  table.push(['Total', ...cells(t.tokens), formatTokens(t.total), costCell(t.cost, t.unpriced.size > 0)]);
  const notes = [`Prices: ${report.priceTable} table · times in ${report.tz}`];
  if (t.unpriced.size)
    notes.push(
      ...wrap(
        `* unpriced models, not in the cost: ${[...t.unpriced].join(', ')}. Add their prices to .claude/spec-session/prices.json.`,
        80,
      ),
    );
  if (report.versions.length) notes.push(...wrap(`Claude Code versions: ${report.versions.join(', ')}.`, 80));
  if (report.versionsWithoutCostState.length) {
    notes.push(
      ...wrap(
        `No cost-state line from ${report.versionsWithoutCostState.join(', ')}: the side calls they make without writing them down (a summary after each Bash command, among others) are not counted.`,
        80,
      ),
    );
  }
  return `${table.toString()}\n${notes.join('\n')}\n`;
}

function cells(t: {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}): string[] {
  return [
    formatTokens(t.input),
    formatTokens(t.output),
    formatTokens(t.cacheWrite5m + t.cacheWrite1h),
    formatTokens(t.cacheRead),
  ];
}

function costCell(cost: number, partial: boolean): string {
  return formatUsd(cost) + (partial ? '*' : '');
}

/** Words on lines of at most `width` columns (a word longer than that gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** 80 columns leave 13 for a model name beside five 7-digit counts and the cost. */
function fitWidth(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
