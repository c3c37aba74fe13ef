import type { UsageReport } from './usage-report.js';
import { BLOCK_HOURS, burnRate, projection, tokenLimitStatus, type UsageBlock } from './blocks.js';
import { clock, hourMinute } from '../time/time-format.js';
import { formatTokens, formatUsd, shortModel } from '../render/format.js';
import { makeTable } from '../render/table.js';
import type { UsageTally } from './tally.js';
import { totalTokens } from '../usage/tokens.js';

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
      if (breakdown) table.push(...modelRows(t, false));
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

/** A row per model under a row (`--breakdown`), the most expensive first; `calls` adds that column (blocks). */
function modelRows(t: UsageTally, calls: boolean): string[][] {
  return [...t.models]
    .sort((a, b) => (b[1].cost ?? 0) - (a[1].cost ?? 0))
    .map(([model, m]) => [
      ` └ ${fitWidth(shortModel(model), 13)}`,
      ...(calls ? [formatTokens(m.calls)] : []),
      ...cells(m.tokens),
      formatTokens(totalTokens(m.tokens)),
      formatUsd(m.cost),
    ]);
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

/**
 * `report blocks`: one row per 5-hour block (its start in the report's zone, ▶ on the active one),
 * a gap as a line of its own; after the table, the active block's time left, burn rate and
 * projection.
 */
export function renderBlocksTable(
  blocks: UsageBlock[],
  options: {
    tz: string;
    priceTable: string;
    now: number;
    breakdown: boolean;
    /** A block's length (`--session-length`). */
    hours?: number;
    /** `--token-limit`: its tokens (undefined: `max` found no earlier block), and whether it was `max`. */
    limit?: { tokens: number | undefined; max: boolean };
  },
): string {
  const { tz, priceTable, now, breakdown, hours = BLOCK_HOURS, limit } = options;
  const share = limit?.tokens === undefined ? undefined : (tokens: number) => percent(tokens, limit.tokens!);
  const heads = ['Block start', 'Calls', 'Input', 'Output', 'Cache W', 'Cache R', 'Total', 'Cost'];
  const table = makeTable(share ? [...heads.slice(0, 7), '% limit', 'Cost'] : heads, [
    'left',
    ...heads.slice(1).map(() => 'right' as const),
    ...(share ? (['right'] as const) : []),
  ]);
  for (const b of blocks) {
    if (b.isGap) {
      table.push([{ colSpan: heads.length + (share ? 1 : 0), content: `  (no calls for ${span(b.end - b.start)})` }]);
      continue;
    }
    const t = b.tally;
    table.push([
      `${clock(b.start, tz)}${b.isActive ? ' ▶' : ''}`,
      formatTokens(b.calls),
      ...cells(t.tokens),
      formatTokens(t.total),
      ...(share ? [share(t.total)] : []),
      costCell(t.cost, t.unpriced.size > 0),
    ]);
    if (breakdown)
      table.push(...modelRows(t, true).map((row) => (share ? [...row.slice(0, 7), '', ...row.slice(7)] : row)));
  }
  const notes = [`${hours}-hour blocks as ccusage draws them · ${priceTable} prices · times in ${tz}`];
  const active = blocks.find((b) => b.isActive);
  if (active) {
    const rate = burnRate(active);
    const ahead = projection(active, now);
    notes.push(
      `▶ active: ends ${hourMinute(active.end, tz)} (${span(Math.max(0, active.end - now))} left)` +
        (rate && ahead
          ? `; ${formatTokens(Math.round(rate.tokensPerMinute))} tokens/min, ${formatUsd(rate.costPerHour)}/h; at that rate ${formatTokens(ahead.totalTokens)} tokens, ${formatUsd(ahead.totalCost)} by its end`
          : ''),
    );
  }
  if (limit) notes.push(limitNote(active, now, limit));
  if (!blocks.length) notes.push('No calls in this range.');
  return `${blocks.length ? `${table.toString()}\n` : ''}${notes.join('\n')}\n`;
}

/** What `--token-limit` says of the active block: used, left, and where its rate leads. */
function limitNote(
  active: UsageBlock | undefined,
  now: number,
  limit: { tokens: number | undefined; max: boolean },
): string {
  const { tokens } = limit;
  if (tokens === undefined) return 'token limit max: no block before the active one to take it from';
  const named = `token limit ${formatTokens(tokens)}${limit.max ? ' (the most a block before the active one used)' : ''}`;
  if (!active) return `${named}: no active block`;
  const used = active.tally.total;
  const status = tokenLimitStatus(active, now, tokens);
  const ahead = status
    ? `; at this rate ${formatTokens(status.projectedUsage)} by its end (${percent(status.projectedUsage, tokens)})${status.status === 'ok' ? '' : `: ${status.status === 'exceeds' ? '⛔ exceeds it' : '⚠ near it'}`}`
    : '';
  return `${named}: ${formatTokens(used)} used (${percent(used, tokens)}), ${formatTokens(Math.max(0, tokens - used))} left${ahead}`;
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

/** "3d 6h", "12h 30m", "45m". */
function span(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  if (h >= 48) return `${Math.floor(h / 24)}d ${h % 24}h`;
  return h ? `${h}h ${minutes % 60}m` : `${minutes}m`;
}
