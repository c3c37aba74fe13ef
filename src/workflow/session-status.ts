import { projectUsage, usageOf } from '../report/project-usage.js';
import { skippedFields, skippedNote } from '../report/skipped-note.js';
import { modelBreakdowns, UsageTally, withTallyFields } from '../report/tally.js';
import { formatCount, formatUsd } from '../render/format.js';
import { readSpecTasks } from '../spec/spec-dir.js';
import { summarize } from '../spec/tasks-file.js';
import { budgetRange, budgetStates, budgetText } from './budgets.js';
import type { ProjectContext } from './context.js';
import { activeSessions, activeTaskOf, projectSnapshot } from './snapshot.js';
import { hourMinute } from '../time/time-format.js';
import { sharedFiles } from '../capture/tool-use.js';

/** What `/session-status` shows: every active work session, parallel ones too, with live numbers. */
function statusOf(ctx: ProjectContext) {
  const view = projectSnapshot(ctx);
  const active = activeSessions(view);
  const usage = usageOf(view.usageOfSessions(active.map((s) => s.name)), active, ctx.book, ctx.tz);
  const zero = new UsageTally(ctx.book);
  const sessions = active.map((ws) => {
    let tasks: { done: number; total: number } | null = null;
    try {
      const sum = summarize(readSpecTasks(ctx.projectDir, ws.spec));
      tasks = { done: sum.done, total: sum.total };
    } catch {
      // the spec's tasks.md is gone or unreadable: shown as missing instead of a count
    }
    return {
      ws,
      thisWindow: ctx.claude !== undefined && ws.claudeSessions.has(ctx.claude.sessionId),
      activeTask: activeTaskOf(view, ws.name) ?? null,
      tasks,
      tally: usage.sessions.find((s) => s.name === ws.name)?.tally ?? zero,
    };
  });
  const specs = new Map<string, string[]>();
  for (const ws of active) specs.set(ws.spec, [...(specs.get(ws.spec) ?? []), ws.name]);
  return {
    sessions,
    sameSpec: [...specs].filter(([, names]) => names.length > 1).map(([spec, names]) => ({ spec, sessions: names })),
    budgets: budgetStates(ctx, projectUsage(view, ctx.book, ctx.tz, budgetRange(ctx))),
    // Parallel sessions on one file (machine-local, the last 30 minutes): the guide's conflict risk, measured.
    sharedFiles: sharedFiles(ctx.projectDir, ctx.now()).map((shared) => ({
      file: shared.file,
      by: [
        ...new Map(
          shared.by.map((e) => [e.cs, { claudeSession: e.cs, session: e.ws, task: e.task }] as const),
        ).values(),
      ],
    })),
    skipped: { malformed: view.malformed, problems: view.problems },
  };
}

/** `/session-status`. */
export function sessionStatus(ctx: ProjectContext): string {
  const status = statusOf(ctx);
  const lines: string[] = [];
  if (status.sessions.length === 0) lines.push('No active session. Start one: /start-session <name> spec <spec>');
  for (const { ws, thisWindow, activeTask, tasks, tally } of status.sessions) {
    const t = tally.tokens;
    lines.push(
      `Session: ${ws.name}${thisWindow ? ' (this window)' : ''} · spec ${ws.spec} · since ${hourMinute(ws.started, ctx.tz)}`,
    );
    lines.push(
      `  Active task: ${activeTask ?? 'none'} · Tasks: ${tasks ? `${tasks.done}/${tasks.total} done` : 'tasks.md missing'}`,
    );
    lines.push(
      `  Tokens: ${formatCount(tally.total)} (in ${formatCount(t.input)} · out ${formatCount(t.output)} · cache write ${formatCount(t.cacheWrite5m + t.cacheWrite1h)} · cache read ${formatCount(t.cacheRead)})`,
    );
    lines.push(
      `  Cost: ${formatUsd(tally.cost)}${tally.unpriced.size ? ` + unpriced ${[...tally.unpriced].join(', ')}` : ''}`,
    );
  }
  for (const { spec, sessions } of status.sameSpec)
    lines.push(`⚠ ${sessions.join(' and ')} work on the same spec ${spec}: conflict risk`);
  for (const b of status.budgets) lines.push(`${b.label}: ${budgetText(b)}`);
  for (const shared of status.sharedFiles) {
    const who = shared.by.map((e) =>
      e.session ? `${e.session}${e.task ? ` (${e.task})` : ''}` : `Claude ${e.claudeSession.slice(0, 8)}`,
    );
    lines.push(`⚠ ${shared.file} edited by ${who.join(' and ')} in the last 30 minutes`);
  }
  const skipped = skippedNote(status.skipped);
  if (skipped) lines.push(skipped);
  return `${lines.join('\n')}\n`;
}

/**
 * `session-status --json`: the same, for scripts and status bars. Each session row has the token
 * fields, cost and model breakdowns of a `cost --json` session row; fields are only ever added.
 */
export function sessionStatusJson(ctx: ProjectContext): string {
  const status = statusOf(ctx);
  const answer = {
    sessions: status.sessions.map(({ ws, thisWindow, activeTask, tasks, tally }) =>
      Object.assign(withTallyFields({ name: ws.name, spec: ws.spec }, tally), {
        started: new Date(ws.started).toISOString(),
        thisWindow,
        activeTask,
        tasks,
        unpricedModels: [...tally.unpriced].sort(),
        modelBreakdowns: modelBreakdowns(tally),
      }),
    ),
    sameSpec: status.sameSpec,
    budgets: status.budgets.map(({ period, key, limit, spent, level }) => ({
      period,
      key,
      spent,
      limit,
      level,
    })),
    sharedFiles: status.sharedFiles,
    timeZone: ctx.tz,
    ...skippedFields(status.skipped),
  };
  return `${JSON.stringify(answer, null, 2)}\n`;
}
