import fs from 'node:fs';
import path from 'node:path';
import { withFileLock } from '../store/lock.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import {
  byTimestamp,
  isPlaceholder,
  listLogNames,
  mayHoldTask,
  readLogFiles,
  writePlaceholderLog,
  type LogFile,
} from './implementation-log.js';
import { assertSafeName, logsDir, specDir, unknownSpecError } from './spec-dir.js';
import {
  placeUsageSection,
  readUsageSection,
  removeUsageSection,
  usageSection,
  type UsageBlock,
} from './usage-section.js';

/**
 * Where a task's `## Usage` section lives. spec-workflow's dashboard lists every log of a task,
 * so the section goes into the task's newest log written by the agent (spec-workflow's
 * `log-implementation` tool), whenever that log appears; spec-session writes a placeholder log of
 * its own only for a task done with no log at all, and removes it once the agent's log is there.
 * One section per task: a stale one in an older log of the task is removed too.
 */

/** The task's logs, oldest first (a log named after another task is not read: see mayHoldTask). */
function taskLogs(projectDir: string, spec: string, taskId: string, names = listLogNames(projectDir, spec)): LogFile[] {
  return byTimestamp(
    readLogFiles(projectDir, spec, mayHoldTask(names, taskId)).filter((log) => log.header.taskId === taskId),
  );
}

/** Puts the section into the log it belongs in and clears the others; undefined when the task has no log. */
function settleTaskLogs(logs: LogFile[], section: string): string | undefined {
  const target = logs.filter((log) => !isPlaceholder(log.header)).at(-1) ?? logs.at(-1);
  if (!target) return undefined;
  const placed = placeUsageSection(target.text, section);
  if (placed !== target.text) writeFileAtomic(target.file, placed);
  for (const log of logs) {
    if (log === target) continue;
    if (isPlaceholder(log.header)) fs.rmSync(log.file, { force: true });
    else if (removeUsageSection(log.text) !== log.text) writeFileAtomic(log.file, removeUsageSection(log.text));
  }
  return target.file;
}

/**
 * Record a task's usage in its implementation logs (see above); returns the path of the log that
 * holds it. Under the log folder's lock: two hooks finishing tasks at once never lose a write.
 */
export function writeTaskUsage(
  projectDir: string,
  spec: string,
  taskId: string,
  usage: UsageBlock,
  now: Date,
  newId: () => string,
): string {
  assertSafeName('task', taskId);
  if (!fs.existsSync(specDir(projectDir, spec))) throw unknownSpecError(projectDir, spec);
  return withFileLock(logsDir(projectDir, spec), () => {
    return (
      settleTaskLogs(taskLogs(projectDir, spec, taskId), usageSection(usage)) ??
      writePlaceholderLog(projectDir, spec, taskId, usage, now, newId)
    );
  });
}

/**
 * The agent may call `log-implementation` after spec-session wrote a placeholder (it marked the
 * task [x] first, or logged in a later turn). Moves each such placeholder's usage into the agent's
 * log and removes the placeholder; returns the logs that received usage. Cheap when there is
 * nothing to do, so every turn's end can call it: it lists file names and reads only the files of
 * tasks with two or more logs (spec-workflow names each `task-<id>_…`; a log renamed by hand is
 * settled the next time the task's usage is written).
 *
 * `settled` (machine-local, kept by the caller): per name prefix, the names of a task's logs last
 * found with nothing to adopt. A task the agent logged twice keeps both logs for good; while its
 * names stay the same they are not read again (a placeholder is always a new name).
 */
export function adoptAgentLogs(projectDir: string, spec: string, settled: Record<string, string> = {}): string[] {
  const byTask = new Map<string, string[]>();
  for (const name of listLogNames(projectDir, spec)) {
    const prefix = name.split('_')[0]!;
    byTask.set(prefix, [...(byTask.get(prefix) ?? []), name]);
  }
  for (const prefix of Object.keys(settled)) if (!byTask.has(prefix)) delete settled[prefix];
  const groups = [...byTask].filter(([prefix, names]) => names.length > 1 && settled[prefix] !== names.join('\n'));
  const candidates = groups.flatMap(([, names]) => names);
  const pending = new Set<string>();
  const logs = readLogFiles(projectDir, spec, candidates);
  const byId = new Map<string, typeof logs>();
  for (const log of logs) byId.set(log.header.taskId, [...(byId.get(log.header.taskId) ?? []), log]);
  for (const [taskId, sameTask] of byId)
    if (sameTask.some((log) => isPlaceholder(log.header)) && sameTask.some((log) => !isPlaceholder(log.header)))
      pending.add(taskId);
  const logOf = new Map(logs.map((log) => [path.basename(log.file), log]));
  for (const [prefix, names] of groups) {
    const adopting = names.some((name) => pending.has(logOf.get(name)?.header.taskId ?? ''));
    if (adopting) delete settled[prefix];
    else settled[prefix] = names.join('\n');
  }
  if (pending.size === 0) return [];
  return withFileLock(logsDir(projectDir, spec), () =>
    [...pending].flatMap((taskId) => {
      const current = taskLogs(projectDir, spec, taskId, candidates);
      const section = current
        .filter((log) => isPlaceholder(log.header))
        .map((log) => readUsageSection(log.text))
        .filter((s) => s !== undefined)
        .at(-1);
      if (section === undefined || current.every((log) => isPlaceholder(log.header))) return [];
      return [settleTaskLogs(current, section)!];
    }),
  );
}
