import type { SessionRecord } from '../ledger/records.js';
import { projectUsage } from '../report/project-usage.js';
import { skippedNote } from '../report/skipped-note.js';
import { formatCount, formatUsd } from '../render/format.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { dayKey, lastDays } from '../time/zoned.js';
import { renderDailyBars, renderTopTasks } from '../render/charts.js';
import path from 'node:path';
import type { ProjectContext } from './context.js';
import { recordEvents } from './context.js';
import { rollUpClosedDays } from './closed-days.js';
import { renderDailySummary } from './daily-summary.js';
import { renderProgress } from './progress-file.js';
import { writeSessionLog } from './session-log.js';
import { projectSnapshot } from './snapshot.js';
import { recordTaskUsage } from './task-completion.js';
import { taskTimes } from './task-progress.js';
import { refreshDerivedFiles, stamped } from './derived-files.js';
import type { LedgerView } from '../ledger/read-ledger.js';
import type { TaskEvent } from '../ledger/fold-events.js';

/**
 * `/eod [--date YYYY-MM-DD]`: close the day. Ends the day's active sessions, writes the daily
 * summary, regenerates PROGRESS.md, archives the session logs, refreshes the usage of the day's
 * implementation logs. Everything is regenerated from the ledger: running it twice changes nothing.
 */
export function endOfDay(ctx: ProjectContext, date?: string): string {
  const today = dayKey(ctx.now(), ctx.tz);
  const day = date ?? today;
  let view = projectSnapshot(ctx);
  const toEnd = [...view.sessions.values()].filter(
    (s) => s.ended === null && dayKey(s.started, ctx.tz) <= day && day === today,
  );
  if (toEnd.length) {
    const now = new Date(ctx.now()).toISOString();
    recordEvents(ctx, (w) => {
      for (const s of toEnd) {
        const end: SessionRecord = {
          k: 'session',
          t: now,
          ws: s.name,
          spec: s.spec,
          event: 'end',
          cs: ctx.claude?.sessionId ?? null,
        };
        w.append(end);
      }
      // This window's binding ends with its session; later calls are unattributed until /start-session.
      if (w.bind && w.state && toEnd.some((s) => w.state!.bindings.at(-1)?.ws === s.name))
        w.bind({ ws: null, spec: null, task: null }, 'eod', ctx.now());
    });
    view = projectSnapshot(ctx, { catchUp: false });
  }
  // Closed days before today roll up into committed aggregates: reads stay as cheap in year three as on day one.
  const rolled = rollUpClosedDays(ctx);
  if (rolled.rolled.length) view = projectSnapshot(ctx, { catchUp: false });
  const { usage, daySessions } = dayOf(ctx, view, day);
  const archived: string[] = [];
  for (const s of daySessions) {
    if (s.ended !== null && dayKey(s.ended, ctx.tz) >= day) {
      writeSessionLog(ctx, s.name, dayKey(s.ended, ctx.tz), view);
      archived.push(s.name);
    }
  }
  const doneToday: TaskEvent[] = [];
  view.forEachTaskEvent((t) => {
    if (t.event === 'done' && dayKey(t.time, ctx.tz) === day) doneToday.push(t);
  });
  const week = lastDays(day, 7);
  const recent = projectUsage(view, ctx.book, ctx.tz, { since: week[0]!, until: day });
  // Each spec's task times once for all its tasks done that day (a spec's events, read per task, were most of eod's time at a team's years).
  const timesOf = new Map<string, ReturnType<typeof taskTimes>>();
  const specTimes = (spec: string) => timesOf.get(spec) ?? timesOf.set(spec, taskTimes(view, spec)).get(spec)!;
  for (const t of uniqueTasks(doneToday)) {
    try {
      recordTaskUsage(ctx, t.spec, t.task, view, specTimes);
    } catch {
      // a spec renamed since: its log stays as it was
    }
  }
  const dailyFile = writeDailySummary(ctx, view, day);
  writeProgressFile(ctx, view);
  const rel = (p: string) => path.relative(ctx.projectDir, p);
  const lines = [
    `📊 EOD Summary: ${day}`,
    `├── Sessions: ${daySessions.length}`,
    `├── Tasks: ${uniqueTasks(doneToday).length} done (${new Set(usage.tasks.map((t) => `${t.spec}/${t.taskId}`)).size} worked on)`,
    `├── Tokens: ${formatCount(usage.totals.total)}`,
    `└── Cost: ${formatUsd(usage.totals.cost)}${usage.totals.unpriced.size ? ` + unpriced ${[...usage.totals.unpriced].join(', ')}` : ''} (${ctx.book.table} prices)`,
    `✅ Daily summary: ${rel(dailyFile)}`,
    `✅ Progress: ${rel(ctx.paths.progress)}`,
    archived.length ? `✅ Session logs archived: ${archived.join(', ')}` : '✅ No session logs to archive',
    ...(skippedNote(view) ? [skippedNote(view)!] : []),
    ...(rolled.rolled.length
      ? [
          `✅ Ledger: ${rolled.rolled.length} closed file${rolled.rolled.length === 1 ? '' : 's'} rolled up into ${rolled.written.join(', ')}`,
        ]
      : []),
    ...(rolled.foreign.length
      ? [
          `ℹ Ledger: ${rolled.foreign.length} closed file${rolled.foreign.length === 1 ? '' : 's'} left raw: ${rolled.foreign.length === 1 ? 'it holds' : 'they hold'} another Claude session's usage, which a rollup entry cannot keep apart`,
        ]
      : []),
    ...(rolled.damaged.length
      ? [
          `⚠ Ledger: ${rolled.damaged.length} closed file${rolled.damaged.length === 1 ? '' : 's'} left raw: ${rolled.damaged.length === 1 ? 'it holds' : 'they hold'} lines that could not be read (spec-session doctor shows where)`,
        ]
      : []),
    '',
    renderDailyBars(
      week.map((d) => ({ label: d.slice(5), value: recent.days.get(d)?.cost ?? 0 })),
      ctx.config.budgets.daily,
    ),
    renderTopTasks(
      usage.taskTotals.map((t) => ({ spec: t.spec, task: t.taskId, value: t.tally.cost, tokens: t.tally.total })),
      5,
      'today',
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Writes again the docs/ files a merge (or a hand edit) left not as spec-session wrote them, from
 * the merged ledger: run before every workflow command and when a Claude session starts.
 */
export function repairDerivedFiles(ctx: ProjectContext): string[] {
  return refreshDerivedFiles(ctx, () => projectSnapshot(ctx, { catchUp: false }), {
    daily: (day, view) => writeDailySummary(ctx, view, day),
    progress: (view) => writeProgressFile(ctx, view),
    sessionLog: (name, archiveDay, view) => {
      if (view.sessions.has(name)) writeSessionLog(ctx, name, archiveDay, view);
    },
  });
}

/** A day's usage and the work sessions it shows: those with usage that day, or started that day. */
function dayOf(ctx: ProjectContext, view: LedgerView, day: string) {
  const usage = projectUsage(view, ctx.book, ctx.tz, { since: day, until: day });
  const daySessions = [...view.sessions.values()].filter(
    (s) => usage.sessions.some((u) => u.name === s.name && u.tally.calls > 0) || dayKey(s.started, ctx.tz) === day,
  );
  return { usage, daySessions };
}

/** docs/sessions/daily/<day>.md, regenerated whole (stamped: see derived-files.ts). */
export function writeDailySummary(ctx: ProjectContext, view: LedgerView, day: string): string {
  const { usage, daySessions } = dayOf(ctx, view, day);
  const file = path.join(ctx.paths.daily, `${day}.md`);
  writeFileAtomic(file, stamped(renderDailySummary(ctx, view, usage, day, daySessions)));
  return file;
}

export function writeProgressFile(ctx: ProjectContext, view: LedgerView): void {
  writeFileAtomic(ctx.paths.progress, stamped(renderProgress(ctx, view)));
}

function uniqueTasks<T extends { spec: string; task: string }>(events: T[]): T[] {
  const seen = new Map<string, T>();
  for (const e of events) seen.set(`${e.spec}/${e.task}`, e);
  return [...seen.values()];
}
