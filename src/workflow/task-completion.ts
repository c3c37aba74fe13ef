import { randomUUID } from 'node:crypto';
import type { SessionWriter } from '../capture/capture-session.js';
import { currentBinding } from '../capture/claude-session-state.js';
import type { TaskRecord } from '../ledger/records.js';
import type { LedgerView } from '../ledger/read-ledger.js';
import { tallyOf, usageOf } from '../report/project-usage.js';
import { UsageTally } from '../report/tally.js';
import { formatCount, formatUsd } from '../render/format.js';
import { listSpecDirs, readSpecTasks } from '../spec/spec-dir.js';
import { findTask } from '../spec/tasks-file.js';
import { adoptAgentLogs, writeTaskUsage } from '../spec/task-usage-log.js';
import { readCachedJson, writeFileAtomic } from '../store/atomic-file.js';
import { logHookError } from '../capture/hook-log.js';
import type { UsageBlock } from '../spec/usage-section.js';
import type { ProjectContext } from './context.js';
import { projectSnapshot } from './snapshot.js';
import { taskTimes, type TaskTimes } from './task-progress.js';

/**
 * Inside a locked Claude session: if its active task is now marked [x] in tasks.md (by
 * spec-session or by an agent editing the file as spec-workflow teaches), record that once.
 * Returns the task's "spec/id" when it is done. Every turn's end passes here, so it also moves
 * usage out of spec-session's placeholder logs into agent logs that appeared since.
 */
export function noticeCompletion(
  ctx: ProjectContext,
  writer: SessionWriter,
): { spec: string; task: string; ws: string | null } | undefined {
  adoptNewAgentLogs(ctx);
  const bound = currentBinding(writer.state);
  if (!bound.spec || !bound.task) return undefined;
  let status: string | undefined;
  try {
    status = findTask(readSpecTasks(ctx.projectDir, bound.spec), bound.task)?.status;
  } catch {
    return undefined; // tasks.md moved or renamed: nothing to notice
  }
  if (status !== 'done') return undefined;
  const key = `${bound.spec}/${bound.task}`;
  if (!writer.state.announced.includes(`done:${key}`)) {
    writer.state.announced.push(`done:${key}`);
    const record: TaskRecord = {
      k: 'task',
      t: new Date(ctx.now()).toISOString(),
      ws: bound.ws,
      spec: bound.spec,
      task: bound.task,
      event: 'done',
      cs: writer.state.sessionId,
      source: 'tasks.md',
    };
    writer.append(record);
  }
  return { spec: bound.spec, task: bound.task, ws: bound.ws };
}

/**
 * In every spec; a failure is logged for `spec-session doctor` and never stops the completion
 * notice. The tasks whose logs were found settled are remembered machine-locally (a cache: lost,
 * they are read once more).
 */
function adoptNewAgentLogs(ctx: ProjectContext): void {
  const file = ctx.paths.settledLogs;
  // None yet, or torn: every multi-log task is read once more.
  const settled =
    readCachedJson<Record<string, Record<string, string>>>(file, (v) => typeof v === 'object' && !Array.isArray(v)) ??
    {};
  const before = JSON.stringify(settled);
  const adopt = (spec: string) => {
    try {
      const mine = typeof settled[spec] === 'object' && settled[spec] !== null ? settled[spec] : {};
      adoptAgentLogs(ctx.projectDir, spec, mine);
      settled[spec] = mine;
    } catch (error) {
      logHookError(ctx.paths.hookLog, 'adopt-agent-logs', error);
    }
  };
  try {
    const specs = listSpecDirs(ctx.projectDir);
    specs.forEach(adopt);
    for (const spec of Object.keys(settled)) if (!specs.includes(spec)) delete settled[spec];
    const after = JSON.stringify(settled);
    if (after !== before) writeFileAtomic(file, after, { durable: false });
  } catch (error) {
    logHookError(ctx.paths.hookLog, 'adopt-agent-logs', error);
  }
}

/** One task's usage over every session and day it spanned: all that a completion reads. */
function taskUsage(ctx: ProjectContext, view: LedgerView, spec: string, task: string) {
  return usageOf(view.usageOfTask(spec, task), [], ctx.book, ctx.tz);
}

/** `✅ Task 1.1 completed (42,311 tokens, $0.09)`, with the measured numbers. */
export function completionLine(
  ctx: ProjectContext,
  spec: string,
  task: string,
  view: LedgerView = projectSnapshot(ctx, { catchUp: false }),
): string {
  const totals = tallyOf(view.taskTotal(spec, task), ctx.book);
  return `✅ Task ${task} completed (${formatCount(totals.total)} tokens, ${formatUsd(totals.cost)})`;
}

/** Writes (or refreshes) the task's implementation log with a `## Usage` section. */
export function recordTaskUsage(
  ctx: ProjectContext,
  spec: string,
  task: string,
  view: LedgerView = projectSnapshot(ctx, { catchUp: false }),
  /** The spec's task times (a caller recording many tasks of a spec reads them once). */
  timesOf: (spec: string) => Map<string, TaskTimes> = (s) => taskTimes(view, s),
): string {
  const usage = taskUsage(ctx, view, spec, task);
  const rows = usage.tasks;
  const all = new UsageTally(ctx.book);
  for (const row of rows) all.merge(row.tally);
  const claudeSessions = new Set<string>();
  for (const item of usage.items) if (item.cs) claudeSessions.add(item.cs);
  const times = timesOf(spec).get(task);
  const started = times?.started ?? rows[0]?.first ?? null;
  const finished = times?.done ?? rows[rows.length - 1]?.last ?? null;
  const block: UsageBlock = {
    session: [...new Set(rows.map((r) => r.session ?? 'none'))].join(', ') || 'none',
    claudeSessions: [...claudeSessions].sort(),
    ...(started ? { started: new Date(started).toISOString() } : {}),
    ...(finished ? { finished: new Date(finished).toISOString() } : {}),
    ...(started && finished ? { durationMinutes: Math.round((finished - started) / 60_000) } : {}),
    models: [...all.models].map(([model, m]) => ({ model, ...m.tokens, cost: m.cost })),
    total: { tokens: all.total, cost: all.unpriced.size ? null : all.cost },
    priceTable: ctx.book.table,
    ...(rows.some((r) => r.manualTokens > 0) ? { manual: true } : {}),
  };
  return writeTaskUsage(ctx.projectDir, spec, task, block, new Date(ctx.now()), randomUUID);
}
