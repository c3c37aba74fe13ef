import fs from 'node:fs';
import path from 'node:path';
import { assertSafeName, logsDir, specDir, unknownSpecError } from './spec-dir.js';
import { upsertUsageSection, usageSection, type UsageBlock } from './usage-section.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * Implementation logs in spec-workflow-mcp 2.2.x's own format (its `log-implementation` MCP tool
 * writes them; checked 2025-11): one Markdown file per log in `<spec>/Implementation Logs/`,
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
  return `task-${taskId.replace(/[/.]/g, '-')}_${minute}_${logId.slice(0, 8)}.md`;
}

export interface LogHeader {
  taskId: string;
  logId: string;
  /** '' when the log has no `**Timestamp:**` line. */
  timestamp: string;
}

/** The fields spec-workflow's reader needs to accept a file as a log; null when it would drop it. */
export function readLogHeader(text: string): LogHeader | null {
  let taskId = '';
  let logId = '';
  let timestamp = '';
  for (const line of text.split(/\r?\n/)) {
    const heading = /^# Implementation Log: Task (.+)$/.exec(line);
    if (heading) taskId = heading[1]!.trim();
    if (line.includes('**Log ID:**')) logId = line.split('**Log ID:**')[1]!.trim();
    if (line.includes('**Timestamp:**')) timestamp = line.split('**Timestamp:**')[1]!.trim();
  }
  return taskId !== '' && logId !== '' ? { taskId, logId, timestamp } : null;
}

/** Every `.md` file in the spec's log folder that is a log, with its header; [] without a folder. */
export function readLogHeaders(projectDir: string, spec: string): Array<{ file: string; header: LogHeader; text: string }> {
  const dir = logsDir(projectDir, spec);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.md')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.flatMap((name) => {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    const header = readLogHeader(text);
    return header ? [{ file, header, text }] : [];
  });
}

/** Paths of the task's logs, oldest first by `**Timestamp:**` (then by file name). */
export function findTaskLogs(projectDir: string, spec: string, taskId: string): string[] {
  const time = (timestamp: string) => Date.parse(timestamp) || 0; // an unreadable time sorts first
  return readLogHeaders(projectDir, spec)
    .filter((log) => log.header.taskId === taskId)
    .sort((a, b) => time(a.header.timestamp) - time(b.header.timestamp))
    .map((log) => log.file);
}

/**
 * Record a task's usage: into the newest existing log for the task (typically the one the agent
 * wrote with spec-workflow's `log-implementation` tool), else into a new log of our own that
 * spec-workflow's dashboard lists like any other. Returns the log's path.
 */
export function writeTaskUsage(projectDir: string, spec: string, taskId: string, usage: UsageBlock, now: Date, newId: () => string): string {
  assertSafeName('task', taskId);
  if (!fs.existsSync(specDir(projectDir, spec))) throw unknownSpecError(projectDir, spec);
  const logs = findTaskLogs(projectDir, spec, taskId);
  const newest = logs[logs.length - 1];
  if (newest !== undefined) {
    const text = fs.readFileSync(newest, 'utf8');
    const updated = upsertUsageSection(text, usage);
    if (updated !== text) writeFileAtomic(newest, updated);
    return newest;
  }
  const logId = newId();
  const timestamp = now.toISOString();
  const summary = `Task ${taskId} completed; usage recorded by spec-session.`;
  const statistics = { linesAdded: 0, linesRemoved: 0, filesChanged: 0 };
  const text = renderImplementationLog({ taskId, summary, timestamp, logId, statistics, filesModified: [], filesCreated: [], usage });
  const dir = logsDir(projectDir, spec);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, logFileName(taskId, timestamp, logId));
  writeFileAtomic(file, text);
  return file;
}
