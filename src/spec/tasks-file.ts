import { SpecError } from './errors.js';

/**
 * A spec's tasks.md, as spec-workflow-mcp 2.2.x writes it (checked 2025-11), plus the two other
 * formats users bring: spec-kit (`- [ ] T001 [P] [US1] …`, done = `[X]`) and Kiro (optional
 * tasks `- [ ]* 1.1 …`). Pure text functions only: writing the file is the caller's job, under a
 * lock (see task-status-file.ts), because spec-workflow's dashboard may write it too.
 */
export type TaskStatus = 'pending' | 'in-progress' | 'done' | 'blocked';

export interface TaskDetails {
  files: string[];
  purpose?: string;
  leverage?: string;
  requirements?: string;
  prompt?: string;
  blockedReason?: string;
  /** Every detail list item under the task, marker removed, in file order. */
  raw: string[];
}

export interface SpecTask {
  id: string;
  /** The text after the id (spec-kit tags such as `[P] [US1]` are kept). */
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
const ANY_CHECKBOX = /^\s*[-*]\s+\[.\]/;
const LIST_ITEM = /^\s*[-*]\s+(.*)$/;
const FENCE = /^\s*(```|~~~)/;
const DETAIL_KEY = /^(Files?|Purpose|Leverage|Requirements|Prompt|Blocked)\s*:\s*(.*)$/i;

const STATUS_BY_MARKER: Record<string, TaskStatus> = { ' ': 'pending', '-': 'in-progress', x: 'done', X: 'done', '~': 'blocked' };
const MARKER_BY_STATUS: Record<TaskStatus, string> = { pending: ' ', 'in-progress': '-', done: 'x', blocked: '~' };

/**
 * Task lines are checkbox items whose text starts with an id; checkbox items without an id are
 * ignored, as spec-workflow does. Lines in fenced code blocks are skipped (spec-workflow counts
 * them; an example in a fence is not a task). Detail lines are the non-checkbox list items
 * indented under a task; anything less indented ends the task's details.
 */
export function parseTasks(text: string): SpecTask[] {
  const tasks: SpecTask[] = [];
  const enclosing: number[] = []; // indents of the task lines enclosing the current position
  let current: { task: SpecTask; indent: number } | undefined;
  let inFence = false;
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (FENCE.test(line)) {
      inFence = !inFence;
      return;
    }
    if (inFence || line.trim() === '') return;
    const indent = /^\s*/.exec(line)![0].length;
    const checkbox = CHECKBOX.exec(line);
    const idMatch = checkbox && (NUMERIC_ID.exec(checkbox[5]!) ?? SPEC_KIT_ID.exec(checkbox[5]!));
    if (idMatch) {
      while (enclosing.length > 0 && enclosing[enclosing.length - 1]! >= indent) enclosing.pop();
      const task: SpecTask = {
        id: idMatch[1]!,
        title: idMatch[2]!.trim(),
        status: STATUS_BY_MARKER[checkbox![4]!]!,
        line: index,
        depth: enclosing.length,
        details: { files: [], raw: [] },
      };
      enclosing.push(indent);
      tasks.push(task);
      current = { task, indent };
      return;
    }
    if (!current || indent <= current.indent || ANY_CHECKBOX.test(line)) {
      current = undefined; // a heading, a less indented line or an id-less checkbox ends the details
      return;
    }
    const item = LIST_ITEM.exec(line);
    if (item) addDetail(current.task.details, item[1]!.trim()); // indented prose is skipped
  });
  return tasks;
}

function addDetail(details: TaskDetails, itemText: string): void {
  details.raw.push(itemText);
  // `_Leverage: src/file_utils.ts_`: only the first and last characters are the italic wrapper.
  const unwrapped = itemText.length >= 2 && itemText.startsWith('_') && itemText.endsWith('_') ? itemText.slice(1, -1) : itemText;
  const keyed = DETAIL_KEY.exec(unwrapped);
  if (!keyed) return;
  const key = keyed[1]!.toLowerCase();
  const value = keyed[2]!.trim();
  if (key === 'file' || key === 'files') {
    details.files.push(...value.split(',').map((f) => f.trim().replace(/^`(.*)`$/, '$1')).filter((f) => f !== ''));
    return;
  }
  const field = key === 'blocked' ? 'blockedReason' : (key as 'purpose' | 'leverage' | 'requirements' | 'prompt');
  details[field] ??= value; // the first line of a kind wins
}

/**
 * Ids are not unique in the wild (spec-workflow's own template repeats 4, 5 and 6). Of several
 * tasks with this id, the first that is not done is the one being worked on; if all are done,
 * the first. spec-workflow itself always takes the first match.
 */
export function findTask(tasks: SpecTask[], id: string): SpecTask | undefined {
  const matches = tasks.filter((task) => task.id === id);
  return matches.find((task) => task.status !== 'done') ?? matches[0];
}

export interface StatusChange {
  text: string;
  changed: boolean;
  previous: TaskStatus;
}

/** Rewrites only the marker character of the task's line; every other byte stays as it was. */
export function setTaskStatus(text: string, id: string, status: TaskStatus): StatusChange {
  const task = findTask(parseTasks(text), id);
  if (!task) throw new SpecError(`no task ${JSON.stringify(id)} in tasks.md`);
  if (task.status === status) return { text, changed: false, previous: status };
  const lines = text.split('\n');
  const line = lines[task.line]!;
  const checkbox = CHECKBOX.exec(line)!;
  const at = checkbox[1]!.length + checkbox[2]!.length + checkbox[3]!.length + 1; // just after `[`
  const marker = status === 'done' && /^T\d+$/.test(task.id) ? 'X' : MARKER_BY_STATUS[status]; // spec-kit writes [X]
  lines[task.line] = line.slice(0, at) + marker + line.slice(at + 1);
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
  const summary: TaskSummary = { total: tasks.length, done: count('done'), inProgress: count('in-progress'), pending: count('pending'), blocked: count('blocked') };
  const open = (task: SpecTask) => task.status === 'pending' || task.status === 'in-progress';
  const first = tasks.findIndex(open);
  if (first === -1) return summary;
  let next = tasks[first]!;
  for (let i = first + 1; i < tasks.length && tasks[i]!.depth > next.depth; i++) {
    if (open(tasks[i]!)) next = tasks[i]!;
  }
  return { ...summary, next };
}
