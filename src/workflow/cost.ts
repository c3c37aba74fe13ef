import { costJson } from '../report/cost-json.js';
import { prettyJsonChunks, TextChunks } from '../render/json-chunks.js';
import { skippedFields, skippedNote } from '../report/skipped-note.js';
import { projectUsage, type DayRange } from '../report/project-usage.js';
import { formatTokens, formatUsd, shortModel } from '../render/format.js';
import { displayWidth, fitLabels, makeTable, shortenMiddle, type Label } from '../render/table.js';
import { renderDailyBars, renderTopTasks } from '../render/charts.js';
import { dayKey, lastDays, monthKey, weekKey } from '../time/zoned.js';
import { budgetRange, budgetStates, budgetText } from './budgets.js';
import type { ProjectContext } from './context.js';
import { guideSplitCost } from './guide-split.js';
import { versionsNote } from '../ledger/claude-versions.js';
import { projectSnapshot } from './snapshot.js';
import { collectGarbage } from '../store/full-gc.js';

export type CostPeriod = 'today' | 'week' | 'month' | 'all';

/** Task rows past which `cost --json` collects its garbage before writing them (a team's months). */
const BIG_ANSWER_ROWS = 4096;

/** `spec-session cost --json`: all time unless a range is given. */
export function costJsonReport(ctx: ProjectContext, range: DayRange): TextChunks {
  const view = projectSnapshot(ctx);
  const usage = projectUsage(view, ctx.book, ctx.tz, range);
  // The month tables a big projection read are garbage now, and V8 frees a typed array only at a
  // full collection (see full-gc.ts): collected before the answer's rows are made, a team's ten
  // years of warm `cost --json` peaked at 93-95 MB against 101-104 MB, in the same time.
  if (usage.tasks.length >= BIG_ANSWER_ROWS) collectGarbage();
  const seen = view.claudeCode;
  const answer = {
    ...costJson(
      usage,
      { priceTable: ctx.book.table, timeZone: ctx.tz, since: range.since ?? null, until: range.until ?? null },
      view.commits,
    ),
    claudeCodeVersions: seen.versions,
    versionsWithoutCostState: seen.withoutCostState,
    ...skippedFields(view),
  };
  return new TextChunks(() => prettyJsonChunks(answer));
}

/**
 * `/cost`: budgets today, this week and this month; then one period by session, spec, task, model;
 * the last 7 days and this month's top tasks. Only the days shown are read.
 */
export function costReport(ctx: ProjectContext, period: CostPeriod, range: DayRange = {}): string {
  const view = projectSnapshot(ctx);
  const today = dayKey(ctx.now(), ctx.tz);
  const week = lastDays(today, 7);
  const budgets = budgetRange(ctx);
  const recent = projectUsage(view, ctx.book, ctx.tz, {
    since: week[0]! < budgets.since ? week[0]! : budgets.since,
    until: today,
  });
  const month = projectUsage(view, ctx.book, ctx.tz, { since: `${monthKey(today)}-01`, until: today });
  const chosen: DayRange = range.since || range.until ? range : periodRange(period, today);
  const usage = projectUsage(view, ctx.book, ctx.tz, chosen);
  const title =
    range.since || range.until
      ? `${range.since ?? '…'} → ${range.until ?? '…'}`
      : {
          today: `today (${today})`,
          week: `this week (from ${weekKey(today)})`,
          month: `this month (${monthKey(today)})`,
          all: 'all time',
        }[period];
  const out: string[] = [`spec-session cost · ${title} · ${ctx.book.table} prices · ${ctx.tz}`, ''];
  for (const b of budgetStates(ctx, recent)) out.push(`${b.label.padEnd(11)} ${budgetText(b)}`);
  out.push('');
  const table = makeTable(
    ['', 'Tokens', 'Input', 'Output', 'Cache W', 'Cache R', 'Cost'],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  type Figures = {
    tokens: { input: number; output: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number };
    total: number;
    cost: number;
    unpriced: ReadonlySet<string>;
  };
  // A branch or a task's spec is shortened only past the room the other rows make (see fitLabels).
  const rows: Array<[Label, Figures] | string> = [];
  const row = (label: Label, t: Figures) => rows.push([label, t]);
  const section = (name: string) => rows.push(name);
  if (usage.sessions.some((s) => s.tally.calls > 0)) section('By session');
  for (const s of usage.sessions) if (s.tally.calls > 0) row(`  ${s.name}`, s.tally);
  if (usage.specs.size) section('By spec');
  for (const [spec, t] of [...usage.specs].sort((a, b) => b[1].cost - a[1].cost || a[0].localeCompare(b[0]))) {
    row(`  ${spec}`, t);
    // Planning next to building: what the guide's split says should be cheap, measured.
    const plan = usage.planning.get(spec);
    if (!plan) continue;
    for (const phase of ['requirements', 'design', 'tasks'] as const)
      if (plan[phase].calls) row(`    └ planning ${phase}`, plan[phase]);
    const building = usage.implementation.get(spec);
    if (building?.calls) row('    └ building', building);
  }
  const branches = [...usage.branches].filter(([branch]) => branch !== '');
  if (branches.length) section('By branch');
  for (const [branch, b] of branches.sort((a, c) => c[1].tally.cost - a[1].tally.cost || a[0].localeCompare(c[0])))
    row((column) => `  ${shortenMiddle(branch, Math.max(20, column - 2))}`, b.tally);
  // A task over every session it spanned, its sessions beneath when there are several.
  if (usage.taskTotals.length) section('By task');
  for (const t of [...usage.taskTotals].sort((a, b) => b.tally.cost - a.tally.cost)) {
    const after = ` ${t.taskId}${t.manualTokens ? ' (m)' : ''}`;
    row((column) => `  ${shortenMiddle(t.spec, Math.max(14, column - 2 - displayWidth(after)))}${after}`, t.tally);
    if (t.sessions.length > 1) for (const s of t.sessions) row(`    └ ${s.session ?? 'no session'}`, s.tally);
  }
  section('By model');
  for (const [model, m] of [...usage.totals.models].sort((a, b) => (b[1].cost ?? 0) - (a[1].cost ?? 0))) {
    row(`  ${shortModel(model)}`, {
      tokens: m.tokens,
      total: m.tokens.input + m.tokens.output + m.tokens.cacheWrite5m + m.tokens.cacheWrite1h + m.tokens.cacheRead,
      cost: m.cost ?? 0,
      unpriced: m.cost === null ? new Set([model]) : new Set(),
    });
  }
  if (usage.unattributed.calls > 0) row('Unattributed', usage.unattributed);
  row('Total', usage.totals);
  const labels = fitLabels(rows.map((r) => (typeof r === 'string' ? '' : r[0])));
  rows.forEach((r, i) => {
    if (typeof r === 'string') {
      table.push([{ colSpan: 7, content: r }]);
      return;
    }
    const t = r[1];
    table.push([
      labels[i]!,
      formatTokens(t.total),
      formatTokens(t.tokens.input),
      formatTokens(t.tokens.output),
      formatTokens(t.tokens.cacheWrite5m + t.tokens.cacheWrite1h),
      formatTokens(t.tokens.cacheRead),
      formatUsd(t.cost) + (t.unpriced.size ? '*' : ''),
    ]);
  });
  out.push(table.toString(), '');
  const split = guideSplitCost(ctx, (visit) => view.forEachItemIn(chosen, ctx.tz, visit));
  out.push(
    `Guide's split (${shortModel(split.execution)} runs tasks, ${shortModel(split.planning)} plans): ${formatUsd(split.cost)}; actual ${formatUsd(usage.totals.cost)}`,
  );
  if (usage.totals.unpriced.size)
    out.push(`* unpriced: ${[...usage.totals.unpriced].join(', ')}; add prices in .claude/spec-session/prices.json`);
  if (usage.tasks.some((t) => t.manualTokens)) out.push('(m) includes tokens logged by hand (/log-task)');
  out.push(
    '',
    renderDailyBars(
      week.map((d) => ({ label: d.slice(5), value: recent.days.get(d)?.cost ?? 0 })),
      ctx.config.budgets.daily,
    ),
  );
  // Top tasks of the period shown, or of this month when the period is one day.
  const [top, when] = chosen.since === chosen.until && chosen.since !== undefined ? [month, 'this month'] : [usage, ''];
  const skipped = skippedNote(view);
  if (skipped) out.push(skipped);
  const seen = view.claudeCode;
  if (seen.versions.length)
    out.push(
      `Claude Code ${seen.versions.length === 1 ? 'version' : 'versions'} in the ledger: ${seen.versions.join(', ')}`,
    );
  const missing = versionsNote(seen);
  if (missing) out.push(missing);
  out.push(
    '',
    renderTopTasks(
      top.taskTotals.map((t) => ({ spec: t.spec, task: t.taskId, value: t.tally.cost, tokens: t.tally.total })),
      5,
      when,
    ),
  );
  return `${out.join('\n')}\n`;
}

function periodRange(period: CostPeriod, today: string): DayRange {
  if (period === 'today') return { since: today, until: today };
  if (period === 'week') return { since: weekKey(today), until: today };
  if (period === 'month') return { since: `${monthKey(today)}-01`, until: today };
  return {};
}
