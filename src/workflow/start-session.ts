import fs from 'node:fs';
import path from 'node:path';
import { assertSafeName, listSpecs, readSpecTasks, tasksPath } from '../spec/spec-dir.js';
import { duplicateIds, lineList, summarize, type SpecTask } from '../spec/tasks-file.js';
import { SpecError } from '../spec/errors.js';
import type { SessionRecord } from '../ledger/records.js';
import type { LedgerView } from '../ledger/read-ledger.js';
import { formatDuration } from '../render/format.js';
import type { ProjectContext } from './context.js';
import { recordEvents } from './context.js';
import { activeSessions, projectSnapshot } from './snapshot.js';
import { writeSessionLog } from './session-log.js';
import { clock } from '../time/time-format.js';

const MARK = { pending: '[ ]', 'in-progress': '[-]', done: '[x]', blocked: '[~]' } as const;

/** `/start-session <name> spec <spec>`: open a work session, bind this Claude session to it. */
export function startSession(ctx: ProjectContext, args: string[]): string {
  const [name, ...rest] = args;
  const spec = rest[0] === 'spec' ? rest[1] : rest[0];
  if (!name || !spec || rest.length > (rest[0] === 'spec' ? 2 : 1))
    throw new SpecError(
      'usage: /start-session <name> spec <spec>   e.g. /start-session inv-1000 spec invoice-management',
    );
  assertSafeName('session', name);
  assertSafeName('spec', spec);
  const specs = listSpecs(ctx.projectDir);
  if (!specs.includes(spec))
    throw new SpecError(
      `unknown spec "${spec}"; specs here: ${specs.join(', ') || 'none (create one with spec-workflow first)'}`,
    );
  const view = projectSnapshot(ctx);
  const active = activeSessions(view);
  if (active.some((s) => s.name === name))
    throw new SpecError(
      `session "${name}" is already active; active sessions: ${active.map((s) => s.name).join(', ')}`,
    );
  const ended = view.sessions.get(name);
  if (ended) {
    // A name stands for one work session forever: reusing it would rewrite that session's history.
    throw new SpecError(
      `session "${name}" ended on ${clock(ended.ended ?? ended.started, ctx.tz)} (spec ${ended.spec}); a session's name is never reused, so its record stays as it was: choose another, e.g. ${freeName(name, view)}`,
    );
  }
  const tasks = readSpecTasks(ctx.projectDir, spec);
  const now = ctx.now();
  recordEvents(ctx, (w) => {
    const record: SessionRecord = {
      k: 'session',
      t: new Date(now).toISOString(),
      ws: name,
      spec,
      event: 'start',
      cs: ctx.claude?.sessionId ?? null,
    };
    w.append(record);
    w.bind?.({ ws: name, spec, task: null }, 'start-session', now);
  });
  writeSessionLog(ctx, name);
  const sameSpec = active
    .filter((s) => s.spec === spec)
    .map((s) => ({ name: s.name, idleMs: now - lastActivity(view, s.name, s.started) }));
  return renderStart(ctx, name, spec, tasks, sameSpec);
}

/** `inv-1000-2`, `inv-1000-3`, …: the first not taken. */
function freeName(name: string, view: LedgerView): string {
  for (let n = 2; ; n++) {
    const candidate = `${name.slice(0, 60)}-${n}`;
    if (!view.sessions.has(candidate)) return candidate;
  }
}

/** Sessions on the same spec active this recently are "parallel": the guide's conflict rule. */
const PARALLEL_WINDOW_MS = 30 * 60_000;

function lastActivity(view: LedgerView, ws: string, started: number): number {
  let last = started;
  for (const item of view.usageOfSessions([ws])) if (item.time > last) last = item.time;
  return Math.max(last, view.lastBinding({ ws })?.time ?? last);
}

function renderStart(
  ctx: ProjectContext,
  name: string,
  spec: string,
  tasks: SpecTask[],
  others: Array<{ name: string; idleMs: number }>,
): string {
  const sum = summarize(tasks);
  const lines = [
    `Session ${name} created · spec ${spec}${ctx.claude ? '' : ' (not bound: run /start-session inside Claude Code to track its tokens)'}`,
  ];
  lines.push(`Tasks: ${tasks.map((t) => t.id).join(', ') || 'none'} (${sum.done}/${sum.total} done)`);
  for (const t of tasks) lines.push(`  ${'  '.repeat(t.depth)}${MARK[t.status]} ${t.id} ${t.title}`);
  const duplicates = [...duplicateIds(tasks)].map(([id, at]) => `${id} (${lineList(at)})`);
  const file = path.relative(ctx.projectDir, tasksPath(ctx.projectDir, spec));
  if (duplicates.length)
    lines.push(
      `⚠ Duplicate task ids in ${file}: ${duplicates.join(', ')}. spec-workflow's tools always take the first line with an id, so /do-task refuses these until they are renumbered.`,
    );
  if (sum.next)
    lines.push(
      sum.done > 0
        ? `Continue from task ${sum.next.id}: /do-task ${spec} ${sum.next.id}`
        : `Start with task ${sum.next.id}: /do-task ${spec} ${sum.next.id}`,
    );
  else lines.push('All tasks are done.');
  for (const other of others) {
    if (other.idleMs < PARALLEL_WINDOW_MS)
      lines.push(
        `⚠ Session ${other.name} is also active on spec ${spec}: same module = conflict risk. Prefer one session per module.`,
      );
    else
      lines.push(
        `Session ${other.name} on this spec is still open (idle ${formatDuration(other.idleMs)}); /eod closes it.`,
      );
  }
  const lastDaily = lastDailySummary(ctx);
  if (lastDaily) lines.push(`Last daily summary: ${lastDaily}`);
  return `${lines.join('\n')}\n`;
}

/** Recovery on a new day: the newest daily summary before today. */
function lastDailySummary(ctx: ProjectContext): string | undefined {
  try {
    const files = fs
      .readdirSync(ctx.paths.daily)
      .filter((f) => /^\d{4}-\d{2}-\d{2}\.md$/.test(f))
      .sort();
    const last = files[files.length - 1];
    return last ? path.relative(ctx.projectDir, path.join(ctx.paths.daily, last)) : undefined;
  } catch {
    return undefined; // no daily summaries yet
  }
}
