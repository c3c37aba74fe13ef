import type { TaskRecord } from '../ledger/records.js';
import { SpecError } from '../spec/errors.js';
import { assertSafeName, readSpecTasks, tasksPath } from '../spec/spec-dir.js';
import { updateTaskStatusFile } from '../spec/task-status-file.js';
import { findUniqueTask, type SpecTask } from '../spec/tasks-file.js';
import path from 'node:path';
import type { ProjectContext } from './context.js';
import { recordEvents } from './context.js';
import { activeSessions, claudeBinding, projectSnapshot } from './snapshot.js';
import { writeSessionLog } from './session-log.js';

export interface DoTaskResult {
  /** Shown to the user. */
  message: string;
  /** Handed to the model with the prompt, so it can do the work. */
  brief: string;
}

/** `/do-task <spec> <id>`: mark the task in progress, make it this Claude session's active task. */
export function doTask(ctx: ProjectContext, args: string[]): DoTaskResult {
  const [spec, id, ...extra] = args;
  if (!spec || !id || extra.length)
    throw new SpecError('usage: /do-task <spec> <task id>   e.g. /do-task invoice-management 1.1');
  assertSafeName('spec', spec);
  assertSafeName('task', id);
  const tasks = readSpecTasks(ctx.projectDir, spec);
  const task = findUniqueTask(tasks, id, path.relative(ctx.projectDir, tasksPath(ctx.projectDir, spec)));
  if (!task) throw new SpecError(`no task ${id} in spec ${spec}; tasks: ${tasks.map((t) => t.id).join(', ')}`);
  const bound = claudeBinding(ctx);
  // This window's session if it works on the spec; else the one active session on the spec (started
  // from a terminal, or in a window whose hooks were off), when there is exactly one.
  const onSpec = activeSessions(projectSnapshot(ctx, { catchUp: false })).filter((s) => s.spec === spec);
  const ws = bound.spec === spec ? bound.ws : !bound.ws && onSpec.length === 1 ? onSpec[0]!.name : null;
  const notes: string[] = [];
  if (!ctx.claude) notes.push('(not inside Claude Code: the task is marked, but no Claude session is bound to it)');
  else if (!ws)
    notes.push(
      bound.ws
        ? `note: session ${bound.ws} works on spec ${bound.spec}; this task is tracked without a work session`
        : 'note: no work session is active here (/start-session <name> spec <spec>); the task is still tracked',
    );
  if (task.status === 'done')
    notes.push(`note: task ${id} is already marked [x]; its usage keeps adding up while it is active`);
  else {
    const { changed } = updateTaskStatusFile(ctx.projectDir, spec, task.id, 'in-progress');
    if (changed && task.details.blockedReason)
      notes.push(
        `note: removed task ${id}'s blocked reason (${task.details.blockedReason}), as spec-workflow does when a task's status changes`,
      );
  }
  const now = ctx.now();
  recordEvents(ctx, (w) => {
    const record: TaskRecord = {
      k: 'task',
      t: new Date(now).toISOString(),
      ws,
      spec,
      task: task.id,
      event: 'start',
      cs: ctx.claude?.sessionId ?? null,
      source: 'do-task',
    };
    w.append(record);
    w.bind?.({ ws, spec, task: task.id }, 'do-task', now);
  });
  if (ws) writeSessionLog(ctx, ws);
  return {
    message: [`▶ Task ${task.id} in progress: ${task.title}${ws ? ` (session ${ws})` : ''}`, ...notes].join('\n'),
    brief: taskBrief(ctx, spec, task, ws),
  };
}

function taskBrief(ctx: ProjectContext, spec: string, task: SpecTask, ws: string | null): string {
  const d = task.details;
  const file = path.relative(ctx.projectDir, tasksPath(ctx.projectDir, spec));
  const lines = [
    `spec-session: task ${task.id} of spec ${spec}${ws ? ` (work session ${ws})` : ''} is now in progress.`,
    `Task ${task.id}: ${task.title}`,
  ];
  if (d.files.length) lines.push(`Files: ${d.files.join(', ')}`);
  for (const purpose of d.purposes) lines.push(`Purpose: ${purpose}`);
  if (d.leverage) lines.push(`Leverage: ${d.leverage}`);
  if (d.requirements.length) lines.push(`Requirements: ${d.requirements.join(', ')}`);
  if (d.prompt) lines.push(`Prompt: ${d.prompt}`);
  if (d.notes.length) lines.push('Details:', ...d.notes.map((note) => `- ${note}`));
  lines.push(`Specs for context: .spec-workflow/specs/${spec}/requirements.md and design.md.`);
  lines.push(
    `When the task is complete, change its checkbox from [-] to [x] in ${file}, and record it with spec-workflow's log-implementation tool if you have it.`,
  );
  return lines.join('\n');
}
