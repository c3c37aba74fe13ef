import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import { tasksPath } from '../../src/spec/spec-dir.js';
import { updateTaskStatusFile } from '../../src/spec/task-status-file.js';
import { listFiles, tempProject } from './temp-project.js';

const TASKS = '# Tasks\r\n\r\n- [ ] 1. First\r\n  - _Leverage: src/file_utils.ts_\r\n- [ ] 2. Second'; // CRLF, no final newline

describe('updateTaskStatusFile', () => {
  it('changes one marker under the lock and leaves no lock or temp file behind', () => {
    const dir = tempProject({ '.spec-workflow/specs/auth/tasks.md': TASKS });
    expect(updateTaskStatusFile(dir, 'auth', '2', 'in-progress')).toEqual({ changed: true, previous: 'pending' });
    expect(fs.readFileSync(tasksPath(dir, 'auth'), 'utf8')).toBe(TASKS.replace('- [ ] 2.', '- [-] 2.'));
    expect(listFiles(dir)).toEqual(['.spec-workflow/specs/auth/tasks.md']);
  });

  it('does not rewrite the file when nothing changes', () => {
    const dir = tempProject({ '.spec-workflow/specs/auth/tasks.md': TASKS });
    const before = fs.statSync(tasksPath(dir, 'auth')).ino;
    expect(updateTaskStatusFile(dir, 'auth', '1', 'pending')).toEqual({ changed: false, previous: 'pending' });
    expect(fs.statSync(tasksPath(dir, 'auth')).ino).toBe(before);
  });

  it('removes the reason of a task leaving [~], keeping CRLF on the changed line', () => {
    const blocked =
      '- [~] 1. First\r\n  - _Blocked: waiting on ops_\r\n  - _Leverage: src/file_utils.ts_\r\n- [ ] 2. Second\r\n';
    const dir = tempProject({ '.spec-workflow/specs/auth/tasks.md': blocked });
    expect(updateTaskStatusFile(dir, 'auth', '1', 'in-progress')).toEqual({ changed: true, previous: 'blocked' });
    expect(fs.readFileSync(tasksPath(dir, 'auth'), 'utf8')).toBe(
      '- [-] 1. First\r\n  - _Leverage: src/file_utils.ts_\r\n- [ ] 2. Second\r\n',
    );
  });

  it.each([
    ['auth', '9', 'no task "9" in spec "auth"'],
    [
      'shop',
      '4',
      "task 4 is ambiguous: lines 1 and 3 of .spec-workflow/specs/shop/tasks.md carry it, and spec-workflow's tools always take the first; renumber the tasks so each id is unique",
    ],
    ['billing', '1', 'unknown spec "billing"; specs here: auth, shop'],
    ['../auth', '1', "invalid spec name \"../auth\": use letters, digits, '.', '_' and '-'"],
  ])('spec %s task %s fails with one line', (spec, id, message) => {
    const files = {
      '.spec-workflow/specs/auth/tasks.md': TASKS,
      '.spec-workflow/specs/shop/tasks.md': '- [x] 4. Done\n- [ ] 5. Five\n- [ ] 4. Again\n',
    };
    const dir = tempProject(files);
    expect(() => updateTaskStatusFile(dir, spec, id, 'done')).toThrow(new SpecError(message));
    expect(listFiles(dir)).toEqual(Object.keys(files).sort());
    for (const [file, text] of Object.entries(files)) expect(fs.readFileSync(`${dir}/${file}`, 'utf8')).toBe(text);
  });
});
