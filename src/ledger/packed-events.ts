/**
 * The index's workflow events as read from rollups: bindings, task events and commits packed into
 * small arrays, sorted and deduplicated when the base is assembled.
 */
import type { LedgerLine, LineOf } from './ledger-schema.js';
import { namedTable, type Table } from './packed-table.js';
import { addVersionRecord, type SessionVersions } from './claude-versions.js';

/** [time, cs, ws, spec, task, why] */
export type PackedBinding = [number, string, string | null, string | null, string | null, string];
/** [time, ws, spec, task, done, source] */
export type PackedTaskEvent = [number, string | null, string, string, 0 | 1, string];
/** Numbers per row of a spec's task events table: [time, work session, task, done, source], names by their number (-1: none). */
export const TASK_WIDTH = 5;

/**
 * One spec's task events as a table (the spec is the table's own, not in its rows): what the index
 * keeps per spec, read without an array or strings per event.
 */
export function taskTable(events: PackedTaskEvent[]): Table {
  return namedTable(events, TASK_WIDTH, ([time, ws, , task, done, source], id) => [
    time,
    id(ws),
    id(task),
    done,
    id(source),
  ]);
}

/** Visits the rows of a spec's task events table. */
export function forEachTaskRow(
  { names, cells }: Table,
  visit: (time: number, ws: string | null, task: string, done: boolean, source: string) => void,
): void {
  const count = Math.floor(cells.length / TASK_WIDTH);
  for (let r = 0; r < count * TASK_WIDTH; r += TASK_WIDTH) {
    const ws = cells[r + 1]!;
    visit(cells[r]!, ws >= 0 ? names[ws]! : null, names[cells[r + 2]!]!, cells[r + 3] === 1, names[cells[r + 4]!]!);
  }
}

/** Numbers per row of the done tasks' table: [spec, task, work session], names by their number (-1: none). */
export const DONE_WIDTH = 3;

/** Done tasks, [spec, task, work session] each, as a table: the index's done piece. */
export function doneTable(done: Array<[string, string, string | null]>): Table {
  return namedTable(done, DONE_WIDTH, ([spec, task, ws], id) => [id(spec), id(task), id(ws)]);
}

/** Visits the rows of the done tasks' table. */
export function forEachDoneRow(
  { names, cells }: Table,
  visit: (spec: string, task: string, ws: string | null) => void,
): void {
  const count = Math.floor(cells.length / DONE_WIDTH);
  for (let r = 0; r < count * DONE_WIDTH; r += DONE_WIDTH) {
    const ws = cells[r + 2]!;
    visit(names[cells[r]!]!, names[cells[r + 1]!]!, ws >= 0 ? names[ws]! : null);
  }
}

/** [time, cs, sha, branch] */
export type PackedCommit = [number, string, string, string | null];

/** Packed events sorted by time, a record written twice kept once (equal in its first five fields). */
export function uniqueSorted<T extends readonly unknown[]>(events: T[]): T[] {
  const sorted = events.sort(
    (a, b) =>
      (a[0] as number) - (b[0] as number) ||
      String(a[1]).localeCompare(String(b[1])) ||
      String(a[2]).localeCompare(String(b[2])) ||
      String(a[3]).localeCompare(String(b[3])) ||
      String(a[4]).localeCompare(String(b[4])),
  );
  return sorted.filter((e, i) => i === 0 || [0, 1, 2, 3, 4].some((k) => e[k] !== sorted[i - 1]![k]));
}

/** Workflow events as they are read, kept packed (a team's year holds a hundred thousand). */
export class EventSink {
  sessions: LineOf<'session'>[] = [];
  manual: LineOf<'manual'>[] = [];
  bindings: PackedBinding[] = [];
  tasks: PackedTaskEvent[] = [];
  commits: PackedCommit[] = [];
  versions: SessionVersions = new Map();
  add(e: LedgerLine): void {
    if (e.k === 'version') addVersionRecord(this.versions, e);
    if (e.k === 'git' && e.event === 'commit') this.commits.push([Date.parse(e.t), e.cs, e.sha, e.branch]);
    if (e.k === 'session') this.sessions.push(e);
    else if (e.k === 'manual') this.manual.push(e);
    else if (e.k === 'bind') this.bindings.push([Date.parse(e.t), e.cs, e.ws, e.spec, e.task, e.why]);
    else if (e.k === 'task')
      this.tasks.push([Date.parse(e.t), e.ws, e.spec, e.task, e.event === 'done' ? 1 : 0, e.source]);
  }
}
