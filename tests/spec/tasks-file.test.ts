import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import {
  duplicateIds,
  findTask,
  findUniqueTask,
  lineList,
  parseTasks,
  setTaskStatus,
  summarize,
  type SpecTask,
  type TaskStatus,
} from '../../src/spec/tasks-file.js';

const brief = (tasks: SpecTask[]) => tasks.map((t) => `${t.id}|${t.status}|${t.depth}|${t.line}|${t.title}`);

describe('parseTasks: one line', () => {
  it.each([
    ['- [ ] 1. Create core interfaces', '1|pending|0|0|Create core interfaces'],
    ['- [-] 1.1 Sub-task', '1.1|in-progress|0|0|Sub-task'],
    ['- [x] 2.3.1 Deep one', '2.3.1|done|0|0|Deep one'],
    ['- [X] 3 Upper-case done (spec-kit)', '3|done|0|0|Upper-case done (spec-kit)'],
    ['- [~] 4. Blocked one', '4|blocked|0|0|Blocked one'],
    ['- [ ] 4\\. MDX-escaped dot', '4|pending|0|0|MDX-escaped dot'],
    ['* [ ] 5 Star list marker', '5|pending|0|0|Star list marker'],
    ['- [ ] T001 [P] [US1] Create project structure', 'T001|pending|0|0|[P] [US1] Create project structure'],
    ['- [X] T012 [US2] Done in spec-kit', 'T012|done|0|0|[US2] Done in spec-kit'],
    ['- [ ]* 1.1 Optional Kiro task', '1.1|pending|0|0|Optional Kiro task'],
    ['- [x] 6.   Extra spaces  ', '6|done|0|0|Extra spaces  '], // trailing spaces kept, as spec-workflow shows them
  ])('%s', (line, expected) => {
    expect(brief(parseTasks(line))).toEqual([expected]);
  });

  it.each([
    ['- [ ] No id here'],
    ['- [/] 1. Unknown marker'],
    ['-[ ] 1. No space after the list marker'],
    ['1. [ ] Ordered list item'],
    ['- [ ] 2024roadmap'],
    ['- 1. Plain list item'],
    ['## 1. Heading'],
  ])('not a task: %s', (line) => {
    expect(parseTasks(line)).toEqual([]);
  });
});

// spec-workflow's own shapes are checked against its recorded outputs in spec-workflow-parity.test.ts;
// these are the formats it does not read.
describe('parseTasks: spec-kit and Kiro files', () => {
  const SPEC_KIT = [
    '- [ ] T001 [P] Create project structure',
    '  - File: src/index.ts',
    '  - [X] done sub-note',
    '- [X] T002 [US1] Done',
    '  - _Requirements: FR-1_',
  ].join('\n');

  it('reads spec-kit tasks and their details; a [X] task line ends the one above', () => {
    expect(
      parseTasks(SPEC_KIT).map((t) => [t.id, t.status, t.details.files, t.details.requirements, t.details.notes]),
    ).toEqual([
      ['T001', 'pending', ['src/index.ts'], [], []],
      ['T002', 'done', [], ['FR-1'], []],
    ]);
  });

  it('reads a CRLF file exactly like the LF one', () => {
    expect(parseTasks(SPEC_KIT.replace(/\n/g, '\r\n'))).toEqual(parseTasks(SPEC_KIT));
  });

  it('gives Kiro nesting (4-space indents) its depth', () => {
    const kiro = [
      '- [ ] 1. Set up',
      '    - [x] 1.1 Scaffold',
      '        - [ ] 1.1.1 Deepest',
      '    - [ ]* 1.2 Optional',
      '- [ ] 2. Next',
    ].join('\n');
    expect(brief(parseTasks(kiro))).toEqual([
      '1|pending|0|0|Set up',
      '1.1|done|1|1|Scaffold',
      '1.1.1|pending|2|2|Deepest',
      '1.2|pending|1|3|Optional',
      '2|pending|0|4|Next',
    ]);
  });
});

describe('duplicate ids', () => {
  // spec-workflow's own template repeats ids 4, 5 and 6.
  const duplicated = parseTasks(
    [
      '- [x] 4. First four',
      '- [ ] 4. Second four',
      '- [ ] 4. Third four',
      '- [x] 5. Five',
      '- [ ] 6. Six',
      '- [x] 5. Five again',
    ].join('\n'),
  );

  it.each([
    ['4', 0],
    ['5', 3],
    ['6', 4],
  ])('findTask(%s) is the first line with it, as spec-workflow takes: line %i', (id, line) => {
    expect(findTask(duplicated, id)?.line).toBe(line);
  });

  it('findUniqueTask refuses an ambiguous id, naming its lines', () => {
    expect(() => findUniqueTask(duplicated, '4')).toThrow(
      new SpecError(
        "task 4 is ambiguous: lines 1, 2 and 3 of tasks.md carry it, and spec-workflow's tools always take the first; renumber the tasks so each id is unique",
      ),
    );
    expect(() => findUniqueTask(duplicated, '5', 'the tasks.md of spec shop')).toThrow(
      /^task 5 is ambiguous: lines 4 and 6 of the tasks.md of spec shop carry it/,
    );
    expect(findUniqueTask(duplicated, '6')?.title).toBe('Six');
    expect(findUniqueTask(duplicated, '7')).toBeUndefined();
  });

  it('duplicateIds lists each repeated id with its lines', () => {
    expect([...duplicateIds(duplicated)]).toEqual([
      ['4', [0, 1, 2]],
      ['5', [3, 5]],
    ]);
    expect(duplicateIds(parseTasks('- [ ] 1. A\n- [ ] 2. B'))).toEqual(new Map());
    expect([lineList([0]), lineList([0, 9]), lineList([0, 9, 41])]).toEqual([
      'lines 1',
      'lines 1 and 10',
      'lines 1, 10 and 42',
    ]);
  });
});

describe('setTaskStatus', () => {
  it.each<[string, string, TaskStatus, string, TaskStatus]>([
    ['- [ ] 1. A\n- [ ] 2. B\n', '2', 'in-progress', '- [ ] 1. A\n- [-] 2. B\n', 'pending'],
    ['- [-] 1. A', '1', 'done', '- [x] 1. A', 'in-progress'],
    ['- [x] 1. A\r\n  - [ ] 1.1 B\r\n', '1.1', 'blocked', '- [x] 1. A\r\n  - [~] 1.1 B\r\n', 'pending'],
    ['*   [~] 3\\. Tabs\tand   spacing ', '3', 'pending', '*   [ ] 3\\. Tabs\tand   spacing ', 'blocked'],
    ['- [ ]* 1.2 Optional', '1.2', 'done', '- [x]* 1.2 Optional', 'pending'],
    ['- [ ] T003 [P] Spec-kit', 'T003', 'done', '- [X] T003 [P] Spec-kit', 'pending'],
    // leaving [~] deletes the reason line, as spec-workflow 2.2.7 does
    [
      '- [~] 1. A\n  - File: a.ts\n  - _Blocked: waiting on ops_\n- [ ] 2. B',
      '1',
      'in-progress',
      '- [-] 1. A\n  - File: a.ts\n- [ ] 2. B',
      'blocked',
    ],
    ['- [ ] 1. A\r\n  - _Blocked: stale_\r\n', '1', 'blocked', '- [~] 1. A\r\n', 'pending'],
  ])('%j: %s → %s', (text, id, status, expected, previous) => {
    expect(setTaskStatus(text, id, status)).toEqual({ text: expected, changed: true, previous });
  });

  it('reports no change when the task already has the status, and keeps [X]', () => {
    expect(setTaskStatus('- [X] 1. A\n', '1', 'done')).toEqual({
      text: '- [X] 1. A\n',
      changed: false,
      previous: 'done',
    });
  });

  it('refuses an id on two lines', () => {
    expect(() => setTaskStatus('- [x] 4. Done\n- [ ] 4. Open\n', '4', 'in-progress')).toThrow(
      /^task 4 is ambiguous: lines 1 and 2 of tasks.md carry it/,
    );
  });

  it('keeps the reason when the status does not change, as the dashboard does', () => {
    const text = '- [~] 1. A\n  - _Blocked: why_\n';
    expect(setTaskStatus(text, '1', 'blocked')).toEqual({ text, changed: false, previous: 'blocked' });
  });

  it('throws a SpecError naming the missing task', () => {
    expect(() => setTaskStatus('- [ ] 1. A\n', '1.3', 'done')).toThrow(new SpecError('no task "1.3" in tasks.md'));
    expect(() => setTaskStatus('- [ ] 1. A\n', '1.3', 'done')).toThrow(SpecError);
  });
});

describe('summarize', () => {
  const ids = (text: string) => {
    const { next, ...counts } = summarize(parseTasks(text));
    return { ...counts, next: next?.id };
  };
  it.each([
    ['', { total: 0, done: 0, inProgress: 0, pending: 0, blocked: 0, next: undefined }],
    ['- [x] 1. A\n- [x] 2. B', { total: 2, done: 2, inProgress: 0, pending: 0, blocked: 0, next: undefined }],
    ['- [x] 1. A\n- [ ] 2. B\n- [ ] 3. C', { total: 3, done: 1, inProgress: 0, pending: 2, blocked: 0, next: '2' }],
    // parents and sub-tasks are all counted; next descends into the open parent
    [
      '- [ ] 1. P\n  - [x] 1.1 A\n  - [ ] 1.2 B\n  - [-] 1.3 C\n- [ ] 2. Q',
      { total: 5, done: 1, inProgress: 1, pending: 3, blocked: 0, next: '1.2' },
    ],
    ['- [ ] 1. P\n  - [x] 1.1 A\n- [ ] 2. Q', { total: 3, done: 1, inProgress: 0, pending: 2, blocked: 0, next: '1' }],
    ['- [~] 1. Blocked\n- [-] 2. Going', { total: 2, done: 0, inProgress: 1, pending: 0, blocked: 1, next: '2' }],
    ['- [~] 1. Blocked', { total: 1, done: 0, inProgress: 0, pending: 0, blocked: 1, next: undefined }],
  ])('%j', (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });
});
