import { SpecError } from './errors.js';
import { readTaskDetails, type TaskDetails } from './task-details.js';

export type { TaskDetails } from './task-details.js';

/**
 * A spec's tasks.md, read as spec-workflow-mcp 2.2.7 reads it (src/core/task-parser.ts; checked
 * 2026-12 against its recorded outputs in tests/spec/fixtures/spec-workflow-2.2.7), plus the two
 * other formats users bring: spec-kit (`- [ ] T001 [P] [US1] …`, done = `[X]`) and Kiro
 * (optional tasks `- [ ]* 1.1 …`), on lines spec-workflow does not take for tasks. Pure text
 * functions only: writing the file is the caller's job, under a lock (see task-status-file.ts),
 * because spec-workflow's dashboard may write it too.
 */
export type TaskStatus = 'pending' | 'in-progress' | 'done' | 'blocked';

export interface SpecTask {
  id: string;
  /** The text after the id, as spec-workflow shows it (spec-kit tags such as `[P] [US1]` are kept). */
  title: string;
  status: TaskStatus;
  /** 0-based line number in the file. */
  line: number;
  /** How many task lines enclose this one by indentation (0 = top level). */
  depth: number;
  details: TaskDetails;
}

// spec-workflow's checkbox regex, widened to `[X]` (spec-kit) and `]*` (Kiro optional tasks).
const CHECKBOX = /^(\s*)([-*])(\s+)\[([ xX\-~])\]\*?\s+(.+)/;
const NUMERIC_ID = /^(\d+(?:\.\d+)*)\s*\\?\.?\s+(.+)/; // 1, 1.1, `4.`, MDX-escaped `4\.`
const SPEC_KIT_ID = /^(T\d+)\s+(.+)/;
// What spec-workflow takes for a checkbox line: it ends the task above, id or not.
const SPEC_WORKFLOW_CHECKBOX = /^\s*[-*]\s+\[[ x\-~]\]/;
// spec-workflow deletes the first line like this under a task whose status changes.
const BLOCKED_REASON_LINE = /_Blocked:\s*[^_]+?_/;

const STATUS_BY_MARKER: Record<string, TaskStatus> = {
  ' ': 'pending',
  '-': 'in-progress',
  x: 'done',
  X: 'done',
  '~': 'blocked',
};
const MARKER_BY_STATUS: Record<TaskStatus, string> = { pending: ' ', 'in-progress': '-', done: 'x', blocked: '~' };

interface TaskLine {
  id: string;
  title: string;
  marker: string;
  indent: number;
}

function taskLine(line: string): TaskLine | undefined {
  const checkbox = CHECKBOX.exec(line);
  const id = checkbox && (NUMERIC_ID.exec(checkbox[5]!) ?? SPEC_KIT_ID.exec(checkbox[5]!));
  return id ? { id: id[1]!, title: id[2]!, marker: checkbox![4]!, indent: checkbox![1]!.length } : undefined;
}

/** Where a task's lines end: at the next checkbox line, spec-workflow's or one of our task lines. */
function endOfTask(lines: readonly string[], taskLineIndex: number): number {
  let end = taskLineIndex + 1;
  while (end < lines.length && !SPEC_WORKFLOW_CHECKBOX.test(lines[end]!) && !taskLine(lines[end]!)) end++;
  return end;
}

const withoutCR = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/**
 * Task lines are checkbox items whose text starts with an id; checkbox items without an id are
 * not tasks, but end the task above, as in spec-workflow. Checkboxes in code fences are tasks too:
 * spec-workflow counts them, and one count is what users must see.
 */
export function parseTasks(text: string): SpecTask[] {
  const lines = text.split('\n').map(withoutCR);
  const tasks: SpecTask[] = [];
  const enclosing: number[] = []; // indents of the task lines enclosing the current one
  lines.forEach((line, index) => {
    const found = taskLine(line);
    if (!found) return;
    while (enclosing.length > 0 && enclosing[enclosing.length - 1]! >= found.indent) enclosing.pop();
    const details = readTaskDetails(lines.slice(index + 1, endOfTask(lines, index)));
    tasks.push({
      id: found.id,
      title: found.title,
      status: STATUS_BY_MARKER[found.marker]!,
      line: index,
      depth: enclosing.length,
      details,
    });
    enclosing.push(found.indent);
  });
  return tasks;
}

/** The first task with this id: the one spec-workflow's tools and dashboard mean by it. */
export function findTask(tasks: SpecTask[], id: string): SpecTask | undefined {
  return tasks.find((task) => task.id === id);
}

/** Ids carried by more than one task line, with their 0-based lines, in file order. */
export function duplicateIds(tasks: SpecTask[]): Map<string, number[]> {
  const lines = new Map<string, number[]>();
  for (const task of tasks) lines.set(task.id, [...(lines.get(task.id) ?? []), task.line]);
  return new Map([...lines].filter(([, at]) => at.length > 1));
}

/** "lines 12 and 40", "lines 12, 40 and 77": 1-based, as an editor shows them. */
export function lineList(lines: number[]): string {
  const shown = lines.map((line) => String(line + 1));
  return `lines ${shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown[0]}`;
}

/**
 * The task with this id, or undefined. Ids are not unique in the wild (spec-workflow's own
 * template repeats 4, 5 and 6); spec-workflow's tools then always take the first line, which may
 * not be the task the user means, so an id on several lines is refused, naming them.
 */
export function findUniqueTask(tasks: SpecTask[], id: string, file = 'tasks.md'): SpecTask | undefined {
  const matches = tasks.filter((task) => task.id === id);
  if (matches.length > 1) {
    const lines = lineList(matches.map((task) => task.line));
    throw new SpecError(
      `task ${id} is ambiguous: ${lines} of ${file} carry it, and spec-workflow's tools always take the first; renumber the tasks so each id is unique`,
    );
  }
  return matches[0];
}

export interface StatusChange {
  text: string;
  changed: boolean;
  previous: TaskStatus;
}

/**
 * Sets a task's marker as spec-workflow's dashboard does: nothing happens when the task already
 * has the status; otherwise the marker changes and the first `_Blocked: reason_` line under the
 * task is deleted, so an unblocked task carries no reason. Unlike spec-workflow, every other byte
 * of the task's line stays (its spacing, its CRLF).
 */
export function setTaskStatus(text: string, id: string, status: TaskStatus): StatusChange {
  const task = findUniqueTask(parseTasks(text), id);
  if (!task) throw new SpecError(`no task ${JSON.stringify(id)} in tasks.md`);
  if (task.status === status) return { text, changed: false, previous: status };
  const lines = text.split('\n');
  const line = lines[task.line]!;
  const checkbox = CHECKBOX.exec(line)!;
  const at = checkbox[1]!.length + checkbox[2]!.length + checkbox[3]!.length + 1; // just after `[`
  const marker = status === 'done' && /^T\d+$/.test(task.id) ? 'X' : MARKER_BY_STATUS[status]; // spec-kit writes [X]
  lines[task.line] = line.slice(0, at) + marker + line.slice(at + 1);
  const end = endOfTask(lines, task.line);
  for (let i = task.line + 1; i < end; i++) {
    if (BLOCKED_REASON_LINE.test(lines[i]!)) {
      lines.splice(i, 1);
      break;
    }
  }
  return { text: lines.join('\n'), changed: true, previous: task.status };
}

export interface TaskSummary {
  total: number;
  done: number;
  inProgress: number;
  pending: number;
  blocked: number;
  /** Where to continue; absent when nothing is pending or in progress. */
  next?: SpecTask;
}

/**
 * Counts every task line with an id, parents and sub-tasks alike (what spec-workflow's dashboard
 * counts). `next` is the first pending or in-progress task in file order, descending into its
 * sub-tasks while one of them is still open: with `1` open and `1.1` done, it is `1.2`, not `1`.
 * Blocked tasks are skipped: nobody can continue from them.
 */
export function summarize(tasks: SpecTask[]): TaskSummary {
  const count = (status: TaskStatus) => tasks.filter((task) => task.status === status).length;
  const summary: TaskSummary = {
    total: tasks.length,
    done: count('done'),
    inProgress: count('in-progress'),
    pending: count('pending'),
    blocked: count('blocked'),
  };
  const open = (task: SpecTask) => task.status === 'pending' || task.status === 'in-progress';
  const first = tasks.findIndex(open);
  if (first === -1) return summary;
  let next = tasks[first]!;
  for (let i = first + 1; i < tasks.length && tasks[i]!.depth > next.depth; i++) {
    if (open(tasks[i]!)) next = tasks[i]!;
  }
  return { ...summary, next };
}
