/**
 * What /start-session, /do-task and /log-task show and write for tasks.md files in the shapes
 * spec-workflow 2.2.7 reads differently from a naive parser (recorded in
 * tests/spec/fixtures/spec-workflow-2.2.7/tasks).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import { projectContext } from '../../src/workflow/context.js';
import { runWorkflowCommand } from '../../src/workflow/run-command.js';
import { tempProject } from '../spec/temp-project.js';

const CORPUS = new URL('../spec/fixtures/spec-workflow-2.2.7/tasks/', import.meta.url);
const corpus = (name: string) => fs.readFileSync(new URL(name, CORPUS), 'utf8');
const TASKS = '.spec-workflow/specs/shop/tasks.md';

/** A project whose only spec, shop, has this tasks.md; run(command, ...args) gives the CLI's output. */
function shop(tasksText: string) {
  const dir = tempProject({ [TASKS]: tasksText });
  const ctx = projectContext(dir, { tz: 'UTC', now: () => Date.parse('2026-12-01T10:00:00Z') });
  return {
    run: (command: 'start-session' | 'do-task' | 'log-task', ...args: string[]) =>
      String(runWorkflowCommand(ctx, command, args)),
    tasks: () => fs.readFileSync(path.join(dir, TASKS), 'utf8'),
  };
}

/** spec-workflow's recorded bytes after updateTaskStatus(text, id, status). */
function specWorkflowUpdate(name: string, id: string, status: string): string {
  const { updates } = JSON.parse(corpus(name.replace(/\.md$/, '.json'))) as {
    updates: Array<{ id: string; status: string; line: number; before: string[]; after: string[] }>;
  };
  const update = updates.find((u) => u.id === id && u.status === status)!;
  const lines = corpus(name).split('\n');
  lines.splice(update.line, update.before.length, ...update.after);
  return lines.join('\n');
}

describe('/start-session', () => {
  it("warns about the template's duplicate ids, naming their lines", () => {
    const out = shop(corpus('template-shape.md')).run('start-session', 'shop-1', 'spec', 'shop');
    expect(out).toContain('Tasks: 1, 2, 3, 4, 5, 6, 7, 8, 4, 4.1, 4.2, 5, 5.1, 5.2, 6, 6.1, 6.2 (2/17 done)\n');
    expect(out).toContain(
      "\n⚠ Duplicate task ids in .spec-workflow/specs/shop/tasks.md: 4 (lines 28 and 64), 5 (lines 36 and 84), 6 (lines 43 and 100). spec-workflow's tools always take the first line with an id, so /do-task refuses these until they are renumbered.\n",
    );
  });

  it('counts the tasks in code fences, as the dashboard does', () => {
    const out = shop(corpus('fenced.md')).run('start-session', 'shop-1', 'spec', 'shop');
    expect(out).toContain('Tasks: 1, 7, 8, 2, 9, 3 (1/6 done)\n');
    expect(out).not.toContain('Duplicate');
  });
});

describe('/do-task', () => {
  it('refuses an id on two lines and leaves tasks.md as it was', () => {
    const p = shop(corpus('template-shape.md'));
    expect(() => p.run('do-task', 'shop', '4')).toThrow(
      new SpecError(
        "task 4 is ambiguous: lines 28 and 64 of .spec-workflow/specs/shop/tasks.md carry it, and spec-workflow's tools always take the first; renumber the tasks so each id is unique",
      ),
    );
    expect(p.tasks()).toBe(corpus('template-shape.md'));
  });

  it('refuses it even when the first line is done (no marker to change)', () => {
    const p = shop('- [x] 4. Done\n- [ ] 4. Open\n');
    expect(() => p.run('do-task', 'shop', '4')).toThrow(/^task 4 is ambiguous: lines 1 and 2 of/);
  });

  it('marks a task the dashboard shows inside a code fence', () => {
    const p = shop(corpus('fenced.md'));
    expect(p.run('do-task', 'shop', '7')).toMatch(/^▶ Task 7 in progress: An example task inside a fence\n/);
    expect(p.tasks()).toBe(specWorkflowUpdate('fenced.md', '7', 'in-progress'));
  });

  it("removes a blocked task's reason, as spec-workflow does, and says so", () => {
    const p = shop(corpus('blocked.md'));
    const out = p.run('do-task', 'shop', '1');
    expect(out).toContain(
      "\nnote: removed task 1's blocked reason (waiting for the sandbox account), as spec-workflow does when a task's status changes\n",
    );
    expect(p.tasks()).toBe(specWorkflowUpdate('blocked.md', '1', 'in-progress'));
  });

  it('briefs a task whose metadata are plain indented lines', () => {
    const out = shop(corpus('plain-metadata.md')).run('do-task', 'shop', '6');
    expect(out.split('\n\n')[1]).toBe(
      [
        'spec-session: task 6 of spec shop is now in progress.',
        'Task 6: Metadata as plain indented lines',
        'Files: src/six.ts',
        'Leverage: src/six.ts',
        'Requirements: 6.1',
        'Specs for context: .spec-workflow/specs/shop/requirements.md and design.md.',
        "When the task is complete, change its checkbox from [-] to [x] in .spec-workflow/specs/shop/tasks.md, and record it with spec-workflow's log-implementation tool if you have it.",
        '',
      ].join('\n'),
    );
  });

  it('briefs a prompt continued over several lines, and every detail bullet', () => {
    const prompt = shop(corpus('multiline-prompt.md')).run('do-task', 'shop', '2');
    expect(prompt).toContain(
      '\nPrompt: Role: Backend developer | Task: Build the importer following requirement 2.1, reading CSV and JSON | Restrictions: stream the input | Success: imports 1 GB in a minute\n',
    );
    const details = shop(corpus('template-shape.md')).run('do-task', 'shop', '1');
    expect(details).toContain(
      '\nPurpose: Give the order code one set of types\nLeverage: src/types/base.ts\nRequirements: 1.1\n',
    );
    expect(details).toContain(
      '\nDetails:\n- Describe orders, order lines and their states\n- Reuse the shared entity base types\n',
    );
  });
});

describe('/log-task', () => {
  it('refuses an id on two lines', () => {
    const p = shop(corpus('crlf.md'));
    expect(() => p.run('log-task', 'shop/3', 'done', '45k', 'claude-haiku-4-5')).toThrow(
      /^task 3 is ambiguous: lines 10 and 12 of \.spec-workflow\/specs\/shop\/tasks\.md carry it/,
    );
    expect(p.tasks()).toBe(corpus('crlf.md'));
  });

  it('unblocks a CRLF task: reason gone, CRLF kept on its line', () => {
    const p = shop(corpus('crlf.md'));
    p.run('log-task', 'shop/1', 'done', '45k', 'claude-haiku-4-5');
    expect(p.tasks()).toBe(
      corpus('crlf.md').replace(
        '- [~] 1. Blocked on Windows\r\n  - _Blocked: waiting on ops_\r\n',
        '- [x] 1. Blocked on Windows\r\n',
      ),
    );
  });
});
