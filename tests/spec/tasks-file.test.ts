import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import { findTask, parseTasks, setTaskStatus, summarize, type SpecTask, type TaskStatus } from '../../src/spec/tasks-file.js';

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
    ['- [x] 6.   Extra spaces  ', '6|done|0|0|Extra spaces'],
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

const TEMPLATE = [
  '# Tasks Document',
  '',
  '- [x] 1. Create core interfaces in src/types/feature.ts',
  '  - File: src/types/feature.ts, `src/types/file_utils.ts`',
  '  - Purpose: Establish type safety for feature_flags',
  '  - _Leverage: src/types/base_types.ts, src/file_utils.ts_',
  '  - _Requirements: 1.1, 2_3_',
  '  - _Prompt: Role: TypeScript Developer | Task: Create interfaces | Restrictions: Do not modify base_types | Success: Compiles_',
  '  - Some free note',
  '  - [ ] 1.1 Add feature_flag type',
  '    - File: src/types/flags.ts',
  '',
  '- [~] 2. Wire the service',
  '  - _Blocked: waiting on API_KEY from ops_',
  'Indented prose belongs to nobody',
  '  - Not a detail of task 2 any more',
  '',
  '```markdown',
  '- [ ] 9. An example inside a fence',
  '```',
  '- [-] 3. Implement the service',
].join('\n');

describe('parseTasks: a spec-workflow tasks.md', () => {
  it('parses ids, statuses, lines, depth and details without cutting at underscores', () => {
    expect(parseTasks(TEMPLATE)).toEqual([
      {
        id: '1',
        title: 'Create core interfaces in src/types/feature.ts',
        status: 'done',
        line: 2,
        depth: 0,
        details: {
          files: ['src/types/feature.ts', 'src/types/file_utils.ts'],
          purpose: 'Establish type safety for feature_flags',
          leverage: 'src/types/base_types.ts, src/file_utils.ts',
          requirements: '1.1, 2_3',
          prompt: 'Role: TypeScript Developer | Task: Create interfaces | Restrictions: Do not modify base_types | Success: Compiles',
          raw: [
            'File: src/types/feature.ts, `src/types/file_utils.ts`',
            'Purpose: Establish type safety for feature_flags',
            '_Leverage: src/types/base_types.ts, src/file_utils.ts_',
            '_Requirements: 1.1, 2_3_',
            '_Prompt: Role: TypeScript Developer | Task: Create interfaces | Restrictions: Do not modify base_types | Success: Compiles_',
            'Some free note',
          ],
        },
      },
      { id: '1.1', title: 'Add feature_flag type', status: 'pending', line: 9, depth: 1, details: { files: ['src/types/flags.ts'], raw: ['File: src/types/flags.ts'] } },
      {
        id: '2',
        title: 'Wire the service',
        status: 'blocked',
        line: 12,
        depth: 0,
        details: { files: [], blockedReason: 'waiting on API_KEY from ops', raw: ['_Blocked: waiting on API_KEY from ops_'] },
      },
      { id: '3', title: 'Implement the service', status: 'in-progress', line: 20, depth: 0, details: { files: [], raw: [] } },
    ]);
  });

  it('reads a CRLF file exactly like the LF one', () => {
    expect(parseTasks(TEMPLATE.replace(/\n/g, '\r\n'))).toEqual(parseTasks(TEMPLATE));
  });

  it('gives Kiro nesting (4-space indents) its depth', () => {
    const kiro = ['- [ ] 1. Set up', '    - [x] 1.1 Scaffold', '        - [ ] 1.1.1 Deepest', '    - [ ]* 1.2 Optional', '- [ ] 2. Next'].join('\n');
    expect(brief(parseTasks(kiro))).toEqual(['1|pending|0|0|Set up', '1.1|done|1|1|Scaffold', '1.1.1|pending|2|2|Deepest', '1.2|pending|1|3|Optional', '2|pending|0|4|Next']);
  });
});

describe('findTask', () => {
  // spec-workflow's own template repeats ids 4, 5 and 6.
  const duplicated = parseTasks(['- [x] 4. First four', '- [ ] 4. Second four', '- [ ] 4. Third four', '- [x] 5. Five', '- [x] 5. Five again'].join('\n'));
  it.each([
    ['4', 1],
    ['5', 3],
  ])('id %s → the task on line %i', (id, line) => {
    expect(findTask(duplicated, id)?.line).toBe(line);
  });
  it('is undefined for an unknown id', () => {
    expect(findTask(duplicated, '7')).toBeUndefined();
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
    ['- [x] 4. Done\n- [ ] 4. Open\n', '4', 'in-progress', '- [x] 4. Done\n- [-] 4. Open\n', 'pending'],
  ])('%j: %s → %s', (text, id, status, expected, previous) => {
    expect(setTaskStatus(text, id, status)).toEqual({ text: expected, changed: true, previous });
  });

  it('reports no change when the task already has the status, and keeps [X]', () => {
    expect(setTaskStatus('- [X] 1. A\n', '1', 'done')).toEqual({ text: '- [X] 1. A\n', changed: false, previous: 'done' });
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
    ['- [ ] 1. P\n  - [x] 1.1 A\n  - [ ] 1.2 B\n  - [-] 1.3 C\n- [ ] 2. Q', { total: 5, done: 1, inProgress: 1, pending: 3, blocked: 0, next: '1.2' }],
    ['- [ ] 1. P\n  - [x] 1.1 A\n- [ ] 2. Q', { total: 3, done: 1, inProgress: 0, pending: 2, blocked: 0, next: '1' }],
    ['- [~] 1. Blocked\n- [-] 2. Going', { total: 2, done: 0, inProgress: 1, pending: 0, blocked: 1, next: '2' }],
    ['- [~] 1. Blocked', { total: 1, done: 0, inProgress: 0, pending: 0, blocked: 1, next: undefined }],
  ])('%j', (text, expected) => {
    expect(ids(text)).toEqual(expected);
  });
});
