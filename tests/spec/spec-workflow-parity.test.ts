/**
 * spec-session against spec-workflow-mcp 2.2.7's own outputs on the same tasks.md files (recorded
 * by fixtures/spec-workflow-2.2.7/record.mjs): the task list, statuses and counts the dashboard
 * shows, each task card's fields (what /do-task's brief shows), and the bytes after every marker
 * change. The few differences on purpose are listed here, one by one.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import { parseTasks, setTaskStatus, summarize, type SpecTask, type TaskStatus } from '../../src/spec/tasks-file.js';

type SpecWorkflowStatus = 'pending' | 'in-progress' | 'completed' | 'blocked';

interface Card {
  id: string;
  description: string;
  status: SpecWorkflowStatus;
  lineNumber: number;
  files: string[];
  purposes: string[];
  requirements: string[];
  leverage: string | null;
  prompt: string | null;
  blockedReason: string | null;
  implementationDetails: string[];
}

interface Recording {
  tasks: Card[];
  summary: { total: number; completed: number; inProgress: number; pending: number; blocked: number };
  updates: Array<{ id: string; status: SpecWorkflowStatus; line: number; before: string[]; after: string[] }>;
}

const DIR = new URL('fixtures/spec-workflow-2.2.7/tasks/', import.meta.url);
const CORPUS = fs
  .readdirSync(DIR)
  .filter((name) => name.endsWith('.md'))
  .sort();
const read = (name: string) => fs.readFileSync(new URL(name, DIR), 'utf8');
const recording = (name: string) => JSON.parse(read(name.replace(/\.md$/, '.json'))) as Recording;

const OUR_STATUS: Record<SpecWorkflowStatus, TaskStatus> = {
  pending: 'pending',
  'in-progress': 'in-progress',
  completed: 'done',
  blocked: 'blocked',
};
const THEIR_STATUS: Record<TaskStatus, SpecWorkflowStatus> = {
  pending: 'pending',
  'in-progress': 'in-progress',
  done: 'completed',
  blocked: 'blocked',
};

const card = (task: SpecTask): Card => ({
  id: task.id,
  description: task.title,
  status: THEIR_STATUS[task.status],
  lineNumber: task.line,
  files: task.details.files,
  purposes: task.details.purposes,
  requirements: task.details.requirements,
  leverage: task.details.leverage ?? null,
  prompt: task.details.prompt ?? null,
  blockedReason: task.details.blockedReason ?? null,
  implementationDetails: task.details.notes,
});

/** By `<file>:<0-based line>`: values with underscores, which spec-workflow cuts at the first one. */
const READ_WHOLE: Record<string, Partial<Card>> = {
  'underscores.md:2': { requirements: ['REQ_1', '2.3'], leverage: 'src/file_utils.ts' }, // theirs: ['REQ'], 'src/file'
  'underscores.md:7': { leverage: 'pkg/__init__.py, docs/templates/' }, // 'pkg/'
  'underscores.md:11': { blockedReason: 'no API_KEY in CI' }, // 'no API'
  'underscores.md:14': { leverage: 'src/a_b.ts, src/c.ts, src/d.ts' }, // 'src/a, src/d.ts'
  'blocked.md:7': { blockedReason: 'the mail service has no API_KEY for staging yet' }, // '… no API'
  'crlf.md:9': { leverage: 'src/file_utils.ts' }, // 'src/file'
};

describe.each(CORPUS)('%s as spec-workflow 2.2.7 reads it', (name) => {
  const text = read(name);
  const theirs = recording(name);

  it('the same tasks, statuses, lines and card fields', () => {
    const expected = theirs.tasks.map((task) => ({ ...task, ...READ_WHOLE[`${name}:${task.lineNumber}`] }));
    expect(parseTasks(text).map(card)).toEqual(expected);
  });

  it('the same counts', () => {
    const { total, done, inProgress, pending, blocked } = summarize(parseTasks(text));
    expect({ total, completed: done, inProgress, pending, blocked }).toEqual(theirs.summary);
  });
});

/** spec-workflow rewrites the task's line as `<indent><bullet> [<marker>] <text>` (no `\r`). */
const rewrittenLikeSpecWorkflow = (line: string) =>
  line.replace(/\r$/, '').replace(/^(\s*)([-*])\s+\[(.)\]\s+/, '$1$2 [$3] ');

describe.each(CORPUS)('%s: every marker change spec-workflow 2.2.7 makes', (name) => {
  const text = read(name);
  const theirs = recording(name);
  const duplicated = new Set(theirs.tasks.map((t) => t.id).filter((id, i, ids) => ids.indexOf(id) !== i));

  it.each(theirs.updates.map((u) => [`${u.id} → ${u.status}`, u] as const))('%s', (_label, update) => {
    if (duplicated.has(update.id)) {
      // spec-workflow changes the first line with the id; we refuse to guess.
      expect(() => setTaskStatus(text, update.id, OUR_STATUS[update.status])).toThrow(SpecError);
      expect(() => setTaskStatus(text, update.id, OUR_STATUS[update.status])).toThrow(
        /is ambiguous: lines \d+ and \d+ of tasks.md carry it/,
      );
      return;
    }
    const lines = text.split('\n');
    const original = lines[update.line]!;
    // Ours keeps the task line's bytes and changes only the marker character spec-workflow set.
    const marker = /\[(.)\]/.exec(update.after[0]!)![1]!;
    const ourLine = original.replace(/\[.\]/, `[${marker}]`);
    expect(rewrittenLikeSpecWorkflow(ourLine)).toBe(update.after[0]);
    lines.splice(update.line, update.before.length, ourLine, ...update.after.slice(1));
    expect(setTaskStatus(text, update.id, OUR_STATUS[update.status])).toEqual({
      text: lines.join('\n'),
      changed: true,
      previous: expect.any(String),
    });
  });
});
