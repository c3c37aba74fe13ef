import fs from 'node:fs';
import path from 'node:path';
import { logsDir } from './spec-dir.js';
import { usageSection, type UsageBlock } from './usage-section.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * Implementation logs in spec-workflow-mcp 2.2.x's own format (its `log-implementation` MCP tool
 * writes them; checked 2026-12 against 2.2.7's writer, tests/spec/fixtures/spec-workflow-2.2.7/logs):
 * one Markdown file per log in `<spec>/Implementation Logs/`,
 * named `task-<id, '.' → '-'>_<YYYY-MM-DDTHHmm UTC>_<first 8 of the log id>.md`. Its reader goes
 * by content, not name, and drops a file without both the `# Implementation Log: Task <id>`
 * heading and a `**Log ID:**` line.
 */
export interface ImplementationLogEntry {
  taskId: string;
  summary: string;
  /** ISO 8601, as `Date.toISOString()` gives it. */
  timestamp: string;
  /** A uuid. */
  logId: string;
  statistics: { linesAdded: number; linesRemoved: number; filesChanged: number };
  filesModified: string[];
  filesCreated: string[];
  usage?: UsageBlock;
}

/** The same bytes spec-workflow writes, plus our usage section; artifacts are never recorded. */
export function renderImplementationLog(entry: ImplementationLogEntry): string {
  const { linesAdded, linesRemoved, filesChanged } = entry.statistics;
  const fileList = (files: string[], none: string) => (files.length > 0 ? files.map((file) => `- ${file}`) : [none]);
  const head = [
    `# Implementation Log: Task ${entry.taskId}`,
    '',
    `**Summary:** ${entry.summary.replace(/[\r\n]+/g, ' ')}`,
    '',
    `**Timestamp:** ${entry.timestamp}`,
    `**Log ID:** ${entry.logId}`,
    '',
    '---',
    '',
    '## Statistics',
    '',
    `- **Lines Added:** +${linesAdded}`,
    `- **Lines Removed:** -${linesRemoved}`,
    `- **Files Changed:** ${filesChanged}`,
    `- **Net Change:** ${linesAdded - linesRemoved}`,
    '',
    '',
  ];
  const tail = [
    '## Files Modified',
    ...fileList(entry.filesModified, '_No files modified_'),
    '',
    '## Files Created',
    ...fileList(entry.filesCreated, '_No files created_'),
    '',
    '---',
    '',
    '## Artifacts',
    '',
    '_No artifacts recorded_',
    '',
  ];
  return head.join('\n') + (entry.usage ? usageSection(entry.usage) : '') + tail.join('\n');
}

export function logFileName(taskId: string, timestamp: string, logId: string): string {
  const minute = timestamp.replace(/[:.Z]/g, '').slice(0, 15); // 2025-11-10T14:30:12.345Z → 2025-11-10T1430
  return `${logNamePrefix(taskId)}${minute}_${logId.slice(0, 8)}.md`;
}

/** How a task's log names start, as spec-workflow and spec-session name them: `task-1-2_` for task 1.2. */
export function logNamePrefix(taskId: string): string {
  return `task-${taskId.replace(/[/.]/g, '-')}_`;
}

/**
 * The names that may hold a task's logs: its own (`task-1-2_…`) and any not named after a task
 * (renamed by hand), not another task's. A spec's folder gains a log per task done; a turn that
 * completes one reads only these.
 */
export function mayHoldTask(names: string[], taskId: string): string[] {
  const own = logNamePrefix(taskId);
  return names.filter((name) => name.startsWith(own) || !/^task-[^_]+_/.test(name));
}

export interface LogHeader {
  taskId: string;
  logId: string;
  /** '' when the log has no `**Timestamp:**` line. */
  timestamp: string;
  /** '' when the log has no `**Summary:**` line. */
  summary: string;
}

/** The fields spec-workflow's reader needs to accept a file as a log; null when it would drop it. */
export function readLogHeader(text: string): LogHeader | null {
  let taskId = '';
  let logId = '';
  let timestamp = '';
  let summary = '';
  for (const line of text.split(/\r?\n/)) {
    const heading = /^# Implementation Log: Task (.+)$/.exec(line);
    if (heading) taskId = heading[1]!.trim();
    if (line.includes('**Log ID:**')) logId = line.split('**Log ID:**')[1]!.trim();
    if (line.includes('**Timestamp:**')) timestamp = line.split('**Timestamp:**')[1]!.trim();
    if (line.includes('**Summary:**')) summary = line.split('**Summary:**')[1]!.trim();
  }
  return taskId !== '' && logId !== '' ? { taskId, logId, timestamp, summary } : null;
}

export interface LogFile {
  file: string;
  header: LogHeader;
  text: string;
}

/** The `.md` file names in the spec's log folder, sorted; [] without a folder. */
export function listLogNames(projectDir: string, spec: string): string[] {
  try {
    return fs
      .readdirSync(logsDir(projectDir, spec))
      .filter((name) => name.endsWith('.md'))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** These files of the spec's log folder that are logs, with their headers. */
export function readLogFiles(projectDir: string, spec: string, names: string[]): LogFile[] {
  return names.flatMap((name) => {
    const file = path.join(logsDir(projectDir, spec), name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []; // removed since the listing
      throw error;
    }
    const header = readLogHeader(text);
    return header ? [{ file, header, text }] : [];
  });
}

/** Every `.md` file in the spec's log folder that is a log, with its header; [] without a folder. */
export function readLogHeaders(projectDir: string, spec: string): LogFile[] {
  return readLogFiles(projectDir, spec, listLogNames(projectDir, spec));
}

/** Oldest first by `**Timestamp:**` (an unreadable time sorts first), then by file name. */
export function byTimestamp(logs: LogFile[]): LogFile[] {
  const time = (timestamp: string) => Date.parse(timestamp) || 0;
  return [...logs].sort((a, b) => time(a.header.timestamp) - time(b.header.timestamp));
}

/** Paths of the task's logs, oldest first. */
export function findTaskLogs(projectDir: string, spec: string, taskId: string): string[] {
  return byTimestamp(readLogHeaders(projectDir, spec).filter((log) => log.header.taskId === taskId)).map(
    (log) => log.file,
  );
}

/**
 * The summary of the log spec-session writes for a task done with no log of its own: a
 * placeholder that only carries the `## Usage` section until the agent's log appears.
 */
export function placeholderSummary(taskId: string): string {
  return `Task ${taskId} completed; usage recorded by spec-session.`;
}

export function isPlaceholder(header: LogHeader): boolean {
  return header.summary === placeholderSummary(header.taskId);
}

/** A new placeholder log for the task, holding this usage section; returns its path. */
export function writePlaceholderLog(
  projectDir: string,
  spec: string,
  taskId: string,
  usage: UsageBlock,
  now: Date,
  newId: () => string,
): string {
  const logId = newId();
  const timestamp = now.toISOString();
  const statistics = { linesAdded: 0, linesRemoved: 0, filesChanged: 0 };
  const text = renderImplementationLog({
    taskId,
    summary: placeholderSummary(taskId),
    timestamp,
    logId,
    statistics,
    filesModified: [],
    filesCreated: [],
    usage,
  });
  const dir = logsDir(projectDir, spec);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, logFileName(taskId, timestamp, logId));
  writeFileAtomic(file, text);
  return file;
}
