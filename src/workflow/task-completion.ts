import { randomUUID } from 'node:crypto';
import type { SessionWriter } from '../capture/capture-session.js';
import { currentBinding } from '../capture/claude-session-state.js';
import type { TaskRecord } from '../ledger/records.js';
import { readLedger } from '../ledger/read-ledger.js';
import { projectUsage } from '../report/project-usage.js';
import { formatCount, formatUsd } from '../render/format.js';
import { readSpecTasks } from '../spec/spec-dir.js';
import { findTask } from '../spec/tasks-file.js';
import { writeTaskUsage } from '../spec/implementation-log.js';
import type { UsageBlock } from '../spec/usage-section.js';
import type { ProjectContext } from './context.js';
import { taskTimes } from './task-progress.js';

/**
 * Inside a locked Claude session: if its active task is now marked [x] in tasks.md (by
 * spec-session or by an agent editing the file as spec-workflow teaches), record that once.
 * Returns the task's "spec/id" when it is done.
 */
export function noticeCompletion(ctx: ProjectContext, writer: SessionWriter): { spec: string; task: string; ws: string | null } | undefined {
  const bound = currentBinding(writer.state);
  if (!bound.spec || !bound.task) return undefined;
  let status;
  try {
    status = findTask(readSpecTasks(ctx.projectDir, bound.spec), bound.task)?.status;
  } catch {
    return undefined; // tasks.md moved or renamed: nothing to notice
  }
  if (status !== 'done') return undefined;
  const key = `${bound.spec}/${bound.task}`;
  if (!writer.state.announced.includes(`done:${key}`)) {
    writer.state.announced.push(`done:${key}`);
    const record: TaskRecord = { k: 'task', t: new Date(ctx.now()).toISOString(), ws: bound.ws, spec: bound.spec, task: bound.task, event: 'done', cs: writer.state.sessionId, source: 'tasks.md' };
    writer.append(record);
  }
  return { spec: bound.spec, task: bound.task, ws: bound.ws };
}

/** `✅ Task 1.1 completed (42,311 tokens, $0.09)`, with the measured numbers. */
export function completionLine(ctx: ProjectContext, spec: string, task: string): string {
  const usage = projectUsage(readLedger(ctx.paths.ledger), ctx.book, ctx.tz);
  const rows = usage.tasks.filter((t) => t.spec === spec && t.taskId === task);
  const tokens = rows.reduce((s, r) => s + r.tally.total, 0);
  const cost = rows.reduce((s, r) => s + r.tally.cost, 0);
  return `✅ Task ${task} completed (${formatCount(tokens)} tokens, ${formatUsd(cost)})`;
}

/** Writes (or refreshes) the task's implementation log with a `## Usage` section. */
export function recordTaskUsage(ctx: ProjectContext, spec: string, task: string): string {
  const view = readLedger(ctx.paths.ledger);
  const usage = projectUsage(view, ctx.book, ctx.tz);
  const rows = usage.tasks.filter((t) => t.spec === spec && t.taskId === task);
  const models = new Map<string, UsageBlock['models'][number]>();
  let tokens = 0;
  let cost: number | null = 0;
  const claudeSessions = new Set<string>();
  for (const item of usage.items) if (item.spec === spec && item.task === task && item.cs) claudeSessions.add(item.cs);
  for (const row of rows) {
    tokens += row.tally.total;
    for (const [model, m] of row.tally.models) {
      const into = models.get(model) ?? { model, input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, cost: 0 };
      into.input += m.tokens.input;
      into.output += m.tokens.output;
      into.cacheWrite5m += m.tokens.cacheWrite5m;
      into.cacheWrite1h += m.tokens.cacheWrite1h;
      into.cacheRead += m.tokens.cacheRead;
      into.cost = into.cost === null || m.cost === null ? null : into.cost + m.cost;
      models.set(model, into);
      cost = cost === null || m.cost === null ? null : cost + m.cost;
    }
  }
  const times = taskTimes(view, spec).get(task);
  const started = times?.started ?? rows[0]?.first ?? null;
  const finished = times?.done ?? rows[rows.length - 1]?.last ?? null;
  const block: UsageBlock = {
    session: [...new Set(rows.map((r) => r.session ?? 'none'))].join(', ') || 'none',
    claudeSessions: [...claudeSessions].sort(),
    ...(started ? { started: new Date(started).toISOString() } : {}),
    ...(finished ? { finished: new Date(finished).toISOString() } : {}),
    ...(started && finished ? { durationMinutes: Math.round((finished - started) / 60_000) } : {}),
    models: [...models.values()],
    total: { tokens, cost },
    priceTable: ctx.book.table,
    ...(rows.some((r) => r.manualTokens > 0) ? { manual: true } : {}),
  };
  return writeTaskUsage(ctx.projectDir, spec, task, block, new Date(ctx.now()), randomUUID);
}
