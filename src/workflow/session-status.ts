import { projectUsage, usageOf } from '../report/project-usage.js';
import { skippedNote } from '../report/skipped-note.js';
import { formatCount, formatUsd } from '../render/format.js';
import { readSpecTasks } from '../spec/spec-dir.js';
import { summarize } from '../spec/tasks-file.js';
import { budgetRange, budgetStates, budgetText } from './budgets.js';
import type { ProjectContext } from './context.js';
import { activeSessions, activeTaskOf, projectSnapshot } from './snapshot.js';
import { hourMinute } from './time-format.js';
import { sharedFiles } from '../capture/tool-use.js';

/** `/session-status`: every active work session, parallel ones too, with live numbers. */
export function sessionStatus(ctx: ProjectContext): string {
  const view = projectSnapshot(ctx);
  const active = activeSessions(view);
  const usage = usageOf(view.usageOfSessions(active.map((s) => s.name)), active, ctx.book, ctx.tz);
  const lines: string[] = [];
  if (active.length === 0) lines.push('No active session. Start one: /start-session <name> spec <spec>');
  for (const ws of active) {
    const u = usage.sessions.find((s) => s.name === ws.name);
    let progress = '';
    try {
      const sum = summarize(readSpecTasks(ctx.projectDir, ws.spec));
      progress = `${sum.done}/${sum.total} done`;
    } catch {
      // the spec's tasks.md is gone or unreadable: say so instead of a count
      progress = 'tasks.md missing';
    }
    const t = u?.tally.tokens;
    const mine = ctx.claude && ws.claudeSessions.has(ctx.claude.sessionId) ? ' (this window)' : '';
    lines.push(`Session: ${ws.name}${mine} · spec ${ws.spec} · since ${hourMinute(ws.started, ctx.tz)}`);
    lines.push(`  Active task: ${activeTaskOf(view, ws.name) ?? 'none'} · Tasks: ${progress}`);
    lines.push(
      `  Tokens: ${formatCount(u?.tally.total ?? 0)} (in ${formatCount(t?.input ?? 0)} · out ${formatCount(t?.output ?? 0)} · cache write ${formatCount((t?.cacheWrite5m ?? 0) + (t?.cacheWrite1h ?? 0))} · cache read ${formatCount(t?.cacheRead ?? 0)})`,
    );
    lines.push(
      `  Cost: ${formatUsd(u?.tally.cost ?? 0)}${u?.tally.unpriced.size ? ` + unpriced ${[...u.tally.unpriced].join(', ')}` : ''}`,
    );
  }
  const specs = new Map<string, string[]>();
  for (const ws of active) specs.set(ws.spec, [...(specs.get(ws.spec) ?? []), ws.name]);
  for (const [spec, names] of specs)
    if (names.length > 1) lines.push(`⚠ ${names.join(' and ')} work on the same spec ${spec}: conflict risk`);
  for (const b of budgetStates(ctx, projectUsage(view, ctx.book, ctx.tz, budgetRange(ctx))))
    lines.push(`${b.label}: ${budgetText(b)}`);
  // Parallel sessions on one file (machine-local, the last 30 minutes): the guide's conflict risk, measured.
  for (const shared of sharedFiles(ctx.projectDir, ctx.now())) {
    const who = [
      ...new Map(
        shared.by.map((e) => [e.cs, e.ws ? `${e.ws}${e.task ? ` (${e.task})` : ''}` : `Claude ${e.cs.slice(0, 8)}`]),
      ).values(),
    ];
    lines.push(`⚠ ${shared.file} edited by ${who.join(' and ')} in the last 30 minutes`);
  }
  const skipped = skippedNote(view);
  if (skipped) lines.push(skipped);
  return `${lines.join('\n')}\n`;
}
