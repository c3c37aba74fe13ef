import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import {
  findTaskLogs,
  logFileName,
  readLogHeader,
  renderImplementationLog,
  type ImplementationLogEntry,
} from '../../src/spec/implementation-log.js';
import { writeTaskUsage } from '../../src/spec/task-usage-log.js';
import { logsDir } from '../../src/spec/spec-dir.js';
import { upsertUsageSection } from '../../src/spec/usage-section.js';
import { listFiles, tempProject } from './temp-project.js';
import { SPEC_WORKFLOW_LOG, USAGE, USAGE_TEXT } from './usage-fixture.js';

const ENTRY: ImplementationLogEntry = {
  taskId: '2.1',
  summary: 'Implemented SessionStore with TTL-based eviction',
  timestamp: '2025-11-10T14:30:12.345Z',
  logId: '3f2a9c1d-8b4e-4c61-9a7f-2d0e5b6c7a81',
  statistics: { linesAdded: 184, linesRemoved: 3, filesChanged: 3 },
  filesModified: ['src/auth/index.ts'],
  filesCreated: ['src/auth/session_store.ts'],
};
const LOGS = '.spec-workflow/specs/auth/Implementation Logs';

/**
 * spec-workflow 2.2.x's log reader, re-implemented from its rules: metadata by substring on any
 * line, `- ` items under the two file headings, `###`/`####` artifacts, and no entry at all
 * without both the task heading and a Log ID.
 */
function readLikeSpecWorkflow(text: string) {
  let taskId = '';
  let id = '';
  let summary = '';
  let timestamp = '';
  const statistics = { linesAdded: 0, linesRemoved: 0, filesChanged: 0 };
  const files: Record<string, string[]> = { filesModified: [], filesCreated: [] };
  const artifactHeadings: string[] = [];
  let section = '';
  for (const line of text.split('\n')) {
    if (line.includes('**Log ID:**')) id = line.split('**Log ID:**')[1]!.trim();
    if (line.startsWith('# Implementation Log: Task')) taskId = line.split('Task ')[1]!;
    if (line.includes('**Summary:**')) summary = line.split('**Summary:**')[1]!.trim();
    if (line.includes('**Timestamp:**')) timestamp = line.split('**Timestamp:**')[1]!.trim();
    if (line.includes('**Lines Added:**')) statistics.linesAdded = Number(/\+(\d+)/.exec(line)?.[1] ?? 0);
    if (line.includes('**Lines Removed:**')) statistics.linesRemoved = Number(/-(\d+)/.exec(line)?.[1] ?? 0);
    if (line.includes('**Files Changed:**')) statistics.filesChanged = Number(/(\d+)/.exec(line)?.[1] ?? 0);
    if (line.startsWith('## Files Modified')) section = 'filesModified';
    else if (line.startsWith('## Files Created')) section = 'filesCreated';
    else if (line.startsWith('## Artifacts')) section = 'artifacts';
    else if (line.startsWith('### ')) artifactHeadings.push(line);
    else if (files[section] && line.startsWith('- ') && !line.includes('_No files'))
      files[section]!.push(line.slice(2).trim());
  }
  if (!taskId || !id) return null;
  return { id, taskId, summary, timestamp, statistics, ...files, artifactHeadings };
}

describe('renderImplementationLog', () => {
  it('writes what spec-workflow writes', () => {
    expect(renderImplementationLog(ENTRY)).toBe(SPEC_WORKFLOW_LOG);
  });

  it('puts the usage section between Statistics and Files Modified', () => {
    expect(renderImplementationLog({ ...ENTRY, usage: USAGE })).toBe(
      SPEC_WORKFLOW_LOG.replace('## Files Modified', `${USAGE_TEXT}## Files Modified`),
    );
  });

  it('says so when no files changed', () => {
    const text = renderImplementationLog({ ...ENTRY, filesModified: [], filesCreated: [] });
    expect(text).toContain('## Files Modified\n_No files modified_\n\n## Files Created\n_No files created_\n\n---\n');
  });

  it("survives spec-workflow's reader with every dashboard field intact", () => {
    const expected = {
      id: ENTRY.logId,
      taskId: '2.1',
      summary: ENTRY.summary,
      timestamp: ENTRY.timestamp,
      statistics: ENTRY.statistics,
      filesModified: ENTRY.filesModified,
      filesCreated: ENTRY.filesCreated,
      artifactHeadings: [],
    };
    expect(readLikeSpecWorkflow(renderImplementationLog({ ...ENTRY, usage: USAGE }))).toEqual(expected);
    expect(readLikeSpecWorkflow(upsertUsageSection(SPEC_WORKFLOW_LOG, USAGE))).toEqual(expected);
  });
});

describe('logFileName', () => {
  it.each([
    ['2.1', '2025-11-10T14:30:12.345Z', '3f2a9c1d-8b4e-4c61-9a7f-2d0e5b6c7a81', 'task-2-1_2025-11-10T1430_3f2a9c1d.md'],
    ['4', '2026-01-02T03:04:05.000Z', 'abcdef12-0000', 'task-4_2026-01-02T0304_abcdef12.md'],
    ['T001', '2026-01-02T23:59:59.999Z', '12345678', 'task-T001_2026-01-02T2359_12345678.md'],
  ])('%s at %s', (taskId, timestamp, logId, name) => expect(logFileName(taskId, timestamp, logId)).toBe(name));
});

describe('readLogHeader', () => {
  it.each([
    [
      'spec-workflow log',
      SPEC_WORKFLOW_LOG,
      { taskId: '2.1', logId: ENTRY.logId, timestamp: ENTRY.timestamp, summary: ENTRY.summary },
    ],
    [
      'CRLF, markdown line breaks',
      '# Implementation Log: Task 1.2.1\r\n\r\n**Timestamp:** 2025-11-21T00:00:00.000Z  \r\n**Log ID:** abc  \r\n',
      { taskId: '1.2.1', logId: 'abc', timestamp: '2025-11-21T00:00:00.000Z', summary: '' },
    ],
    [
      'no timestamp',
      '# Implementation Log: Task 3\n**Log ID:** x\n',
      { taskId: '3', logId: 'x', timestamp: '', summary: '' },
    ],
    ['no Log ID', '# Implementation Log: Task 3\n**Timestamp:** 2025-11-21T00:00:00.000Z\n', null],
    ['another heading', '# Implementation Log: task-2601-foo\n**Log ID:** x\n', null],
    ['empty', '', null],
  ])('%s', (_name, text, header) => expect(readLogHeader(text)).toEqual(header));
});

const log = (taskId: string, timestamp: string, logId: string) => ({ ...ENTRY, taskId, timestamp, logId });

describe('findTaskLogs', () => {
  it("finds the task's logs by content, oldest first", () => {
    const dir = tempProject({
      [`${LOGS}/task-2-1_2025-11-10T0900_zzzzzzzz.md`]: renderImplementationLog(
        log('2.1', '2025-11-10T09:00:00.000Z', 'zzzzzzzz-old'),
      ),
      [`${LOGS}/task-2-1_2025-11-12T0900_aaaaaaaa.md`]: renderImplementationLog(
        log('2.1', '2025-11-12T09:00:00.000Z', 'aaaaaaaa-new'),
      ),
      [`${LOGS}/renamed-by-hand.md`]: renderImplementationLog(log('2.1', '2025-11-11T09:00:00.000Z', 'bbbbbbbb-mid')),
      [`${LOGS}/task-2-10_2025-11-13T0900_cccccccc.md`]: renderImplementationLog(
        log('2.10', '2025-11-13T09:00:00.000Z', 'cccccccc'),
      ),
      [`${LOGS}/task-2-1_notes.md`]: '# Implementation Log: Task 2.1\n\nNo Log ID, so not a log.\n',
      [`${LOGS}/.task-2-1_x.md.123.tmp`]: renderImplementationLog(log('2.1', '2025-11-14T09:00:00.000Z', 'dddddddd')),
    });
    const names = findTaskLogs(dir, 'auth', '2.1').map((file) => path.basename(file));
    expect(names).toEqual([
      'task-2-1_2025-11-10T0900_zzzzzzzz.md',
      'renamed-by-hand.md',
      'task-2-1_2025-11-12T0900_aaaaaaaa.md',
    ]);
    expect(findTaskLogs(dir, 'auth', '9')).toEqual([]);
  });

  it('gives [] when the spec has no log folder yet', () => {
    expect(findTaskLogs(tempProject({ '.spec-workflow/specs/auth/tasks.md': '' }), 'auth', '1')).toEqual([]);
  });
});

describe('writeTaskUsage', () => {
  const NOW = new Date('2025-11-10T14:30:12.345Z');
  const ID = () => '3f2a9c1d-8b4e-4c61-9a7f-2d0e5b6c7a81';

  it("reads only the logs that may be the task's: its own and any renamed by hand, never another task's", () => {
    const handRenamed = `${LOGS}/notes-on-the-store.md`;
    // Another task's log whose header was edited to name 2.1, and newer: were it read, it would take the usage.
    const otherTask = `${LOGS}/task-3-1_2025-11-12T0900_eeeeeeee.md`;
    const otherText = renderImplementationLog(log('2.1', '2025-11-12T09:00:00.000Z', 'eeeeeeee-other'));
    const dir = tempProject({
      '.spec-workflow/specs/auth/tasks.md': '- [x] 2.1 Store\n',
      [handRenamed]: renderImplementationLog(log('2.1', '2025-11-11T09:00:00.000Z', 'bbbbbbbb-mid')),
      [otherTask]: otherText,
    });
    expect(writeTaskUsage(dir, 'auth', '2.1', USAGE, NOW, ID)).toBe(path.join(dir, handRenamed));
    expect(fs.readFileSync(path.join(dir, handRenamed), 'utf8')).toContain(USAGE_TEXT);
    expect(fs.readFileSync(path.join(dir, otherTask), 'utf8')).toBe(otherText);
  });

  it('creates a log of its own when the task has none', () => {
    const dir = tempProject({ '.spec-workflow/specs/auth/tasks.md': '- [x] 2.1 Store\n' });
    const file = writeTaskUsage(dir, 'auth', '2.1', USAGE, NOW, ID);
    expect(file).toBe(path.join(logsDir(dir, 'auth'), 'task-2-1_2025-11-10T1430_3f2a9c1d.md'));
    expect(fs.readFileSync(file, 'utf8')).toBe(
      renderImplementationLog({
        ...ENTRY,
        summary: 'Task 2.1 completed; usage recorded by spec-session.',
        statistics: { linesAdded: 0, linesRemoved: 0, filesChanged: 0 },
        filesModified: [],
        filesCreated: [],
        usage: USAGE,
      }),
    );
    expect(listFiles(dir)).toEqual([
      `${LOGS}/task-2-1_2025-11-10T1430_3f2a9c1d.md`,
      '.spec-workflow/specs/auth/tasks.md',
    ]);
  });

  it('adds usage to the newest log the agent wrote, touching nothing else', () => {
    const older = renderImplementationLog(log('2.1', '2025-11-09T09:00:00.000Z', 'oldoldol-d'));
    const dir = tempProject({
      [`${LOGS}/task-2-1_2025-11-10T1430_3f2a9c1d.md`]: SPEC_WORKFLOW_LOG,
      [`${LOGS}/task-2-1_2025-11-09T0900_oldoldol.md`]: older,
    });
    const file = writeTaskUsage(dir, 'auth', '2.1', USAGE, NOW, () => 'unused');
    expect(path.basename(file)).toBe('task-2-1_2025-11-10T1430_3f2a9c1d.md');
    expect(fs.readFileSync(file, 'utf8')).toBe(upsertUsageSection(SPEC_WORKFLOW_LOG, USAGE));
    expect(fs.readFileSync(path.join(dir, LOGS, 'task-2-1_2025-11-09T0900_oldoldol.md'), 'utf8')).toBe(older);
    expect(writeTaskUsage(dir, 'auth', '2.1', USAGE, NOW, () => 'unused')).toBe(file);
    expect(listFiles(dir)).toHaveLength(2);
  });

  it.each([
    ['billing', '1', 'unknown spec "billing"; specs here: auth'],
    ['auth', '../1', "invalid task name \"../1\": use letters, digits, '.', '_' and '-'"],
  ])('spec %s task %s fails with one line', (spec, taskId, message) => {
    const dir = tempProject({ '.spec-workflow/specs/auth/tasks.md': '' });
    expect(() => writeTaskUsage(dir, spec, taskId, USAGE, NOW, ID)).toThrow(new SpecError(message));
  });
});
