/**
 * The index's base: the files it keeps of rolled-up usage and workflow events, and how they are
 * assembled from summed items and packed events (base-from-rollups.ts reads the rollups;
 * base-usage.ts orders the items by month and sums them).
 */
import { applySessionRecord, dedupeBy, manualUsageItem, type WorkSession } from './fold-events.js';
import type { LineOf } from './ledger-schema.js';
import { packItems, tableOfRows, type ItemRows, type ItemTable, type PackedItems } from './packed-items.js';
import type { Table } from './packed-table.js';
import { sumUsage } from './base-usage.js';
import { doneKey } from './ledger-view.js';
import {
  doneTable,
  taskTable,
  uniqueSorted,
  type EventSink,
  type PackedBinding,
  type PackedCommit,
  type PackedTaskEvent,
} from './packed-events.js';
import { contentHash } from './rollup-format.js';
import { type ClaudeCodeSeen, claudeCodeSeen } from './claude-versions.js';

/** Bumped whenever what the index stores changes: an index of another version is rebuilt. */
export const INDEX_VERSION = 18;

/** Rolled-up usage as the index keeps it: what the hot reads need, in one small file. */
export interface BaseFile {
  v: number;
  tz: string;
  /** Identifies this base: the other files and a live file built on another base are discarded. */
  id: string;
  rollups: string[];
  /** UTC day → rollup files holding call keys of that day (to tell a raw copy of a rolled-up call). */
  keyDays: Record<string, string[]>;
  malformed: number;
  problems: string[];
  /** Months (YYYY-MM, in `tz`) with usage, each in a file of its own. */
  months: string[];
  models: string[];
  /** The Claude Code versions the rolled-up records name (a few strings: every report may show them). */
  claudeCode: ClaudeCodeSeen;
  /** Specs with task events, each in a piece of its own (specTasksPiece): what a turn completing a task reads. */
  taskSpecs: string[];
  /** Specs with task usage, each with its tasks' sums in a piece of its own (taskSumsPiece). */
  taskSumSpecs: string[];
}

/** Sums over all time (per model and tier) of each spec, of all usage, and of unattributed usage: what PROGRESS.md shows. */
export interface SumsFile {
  id: string;
  specSums: Record<string, PackedItems>;
  allSums: PackedItems;
  unattributedSums: PackedItems;
}

/**
 * One spec's tasks: which months hold each task's usage, and its sums over all time (per model
 * and tier). A piece per spec (taskSumsPiece): they grow with every task ever worked on, and a
 * turn reads one task's (the statusline, a completion), so it loads only its spec's.
 */
export interface TaskSumsFile {
  id: string;
  spec: string;
  taskMonths: Record<string, string[]>;
  taskSums: Record<string, PackedItems>;
}

/** The piece holding a spec's task sums: named by a hash of the spec. */
export const taskSumsPiece = (spec: string): `k-${string}` => `k-${contentHash(spec, 12)}`;

/** Work sessions and what reads of them need: a file of its own (a team's year has thousands). */
export interface SessionsFile {
  id: string;
  /** Folded work sessions: [name, spec, started, ended, Claude sessions, time of its last record]. */
  sessions: Array<[string, string, number, number | null, string[], number]>;
  /**
   * Work sessions the rollups hold records of but no start before them (an end in a 0.1.0 writer's
   * file rolled up, the start still raw), with the time of their last record.
   */
  orphans: Record<string, number>;
  /** The latest binding of each (work session, Claude session) pair. */
  lastBinds: PackedBinding[];
  /** Which months hold a work session's usage. */
  wsMonths: Record<string, string[]>;
  manual: LineOf<'manual'>[];
}

/**
 * Every work-session record the rollups hold, per work session: read only when a raw record comes
 * before one of them (the view then folds that session again from all its records, in time order).
 */
export interface SessionRecordsFile {
  id: string;
  records: Record<string, Array<LineOf<'session'>>>;
}

/** Per (Claude session, model): the cumulative cost-state gap rollups already count. */
export interface GapsFile {
  id: string;
  baselines: Record<string, [number, number, number, number, number]>;
}

/**
 * One spec's task events, for the reads that ask about one spec's tasks (all specs' pieces
 * together: every task event). On disk a binary table (TASK_WIDTH numbers an event, its names once):
 * a turn completing a task reads its spec's, and a team's year of a spec held 7,000 events.
 */
export interface SpecTasksFile {
  id: string;
  spec: string;
  events: Table;
}

/** The piece holding a spec's task events: named by a hash of the spec (a name may hold any character). */
export const specTasksPiece = (spec: string): `t-${string}` => `t-${contentHash(spec, 12)}`;

/**
 * Tasks marked done, [spec, task, work session]: what the dashboard asks of every task, without the
 * events. On disk a binary table (DONE_WIDTH numbers a task, its names once).
 */
export interface DoneFile {
  id: string;
  done: Table;
}

/** Commits Claude sessions made, [time, cs, sha, branch]: a few per day, read by `cost --json` and `pr` without the events. */
export interface CommitsFile {
  id: string;
  commits: PackedCommit[];
}

/** The index's base, built from the rollup files: every piece, each written to a file of its own. */
export interface BuiltBase {
  base: BaseFile;
  sessions: SessionsFile;
  sessionRecords: SessionRecordsFile;
  sums: SumsFile;
  taskSums: TaskSumsFile[];
  gaps: GapsFile;
  commits: CommitsFile;
  done: DoneFile;
  specTasks: SpecTasksFile[];
  /** Each month's table, as its file holds it: a read that built the base reads its months from these. */
  monthTables: Map<string, ItemTable>;
}

/** The id of the base of `rollups` in `tz`: its files and a live file built on another are discarded. */
export const baseId = (tz: string, rollups: string[]): string =>
  contentHash(`${INDEX_VERSION}\n${tz}\n${rollups.join('\n')}`);

/** The base's files, from rolled-up usage summed per day and the workflow events the rollups hold. */
export function assembleBase(parts: {
  tz: string;
  rollups: string[];
  keyDays: BaseFile['keyDays'];
  baselines: GapsFile['baselines'];
  malformed: number;
  problems: string[];
  items: ItemRows;
  events: EventSink;
}): BuiltBase {
  const id = baseId(parts.tz, parts.rollups);
  const manual = dedupeBy(parts.events.manual, (m) => m.id);
  for (const m of manual) parts.items.push(manualUsageItem(m));
  const table = parts.items.table;
  const { byMonth, wsMonths, taskOf, allSums, unattributedSums, specSums, models } = sumUsage(table, parts.tz);
  const sessions = new Map<string, WorkSession>();
  const records: SessionRecordsFile['records'] = {};
  const lastRecord = new Map<string, number>();
  for (const s of parts.events.sessions.sort((a, b) => a.t.localeCompare(b.t))) {
    applySessionRecord(sessions, s);
    (records[s.ws] ??= []).push(s);
    lastRecord.set(s.ws, Date.parse(s.t));
  }
  const bindings = uniqueSorted(parts.events.bindings);
  const tasks = uniqueSorted(parts.events.tasks);
  const last = new Map<string, PackedBinding>();
  for (const b of bindings) {
    last.set(`${b[2]}\u0000${b[1]}`, b);
    if (b[2]) sessions.get(b[2])?.claudeSessions.add(b[1]);
  }
  const sorted = (entries: Iterable<[string, Set<string>]>) =>
    Object.fromEntries([...entries].map(([k, v]) => [k, [...v].sort()]));
  return {
    base: {
      v: INDEX_VERSION,
      tz: parts.tz,
      id,
      rollups: parts.rollups,
      keyDays: parts.keyDays,
      malformed: parts.malformed,
      problems: parts.problems,
      months: [...byMonth.keys()].sort(),
      models,
      claudeCode: claudeCodeSeen([parts.events.versions]),
      taskSpecs: [...new Set(tasks.map((t) => t[2]))].sort(),
      taskSumSpecs: [...taskOf.keys()].sort(),
    },
    sessions: {
      id,
      sessions: [...sessions.values()].map((s) => [
        s.name,
        s.spec,
        s.started,
        s.ended,
        [...s.claudeSessions].sort(),
        lastRecord.get(s.name) ?? s.started,
      ]),
      orphans: Object.fromEntries([...lastRecord].filter(([ws]) => !sessions.has(ws))),
      lastBinds: [...last.values()].sort((a, b) => a[0] - b[0]),
      wsMonths: sorted(wsMonths),
      manual,
    },
    sums: {
      id,
      specSums: Object.fromEntries(
        [...specSums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([spec, sums]) => [spec, packItems([...sums.values()])]),
      ),
      allSums: packItems([...allSums.values()]),
      unattributedSums: packItems([...unattributedSums.values()]),
    },
    taskSums: [...taskOf].map(([spec, ofSpec]) => ({
      id,
      spec,
      taskMonths: Object.fromEntries([...ofSpec].map(([task, t]) => [task, [...t.months].sort()])),
      taskSums: Object.fromEntries([...ofSpec].map(([task, t]) => [task, packItems([...t.sums.values()])])),
    })),
    sessionRecords: { id, records },
    gaps: { id, baselines: parts.baselines },
    done: { id, done: doneTable(doneOf(tasks)) },
    specTasks: specTasksOf(id, tasks),
    commits: {
      id,
      commits: uniqueSorted(parts.events.commits.map(([t, cs, sha, branch]) => [t, cs, sha, branch, ''] as const)).map(
        ([t, cs, sha, branch]) => [t, cs, sha, branch],
      ),
    },
    monthTables: new Map([...byMonth].map(([m, rows]) => [m, tableOfRows(table, rows)])),
  };
}

/** The task events grouped by spec, each group in the order of `tasks` (by time). */
function specTasksOf(id: string, tasks: PackedTaskEvent[]): SpecTasksFile[] {
  const bySpec = new Map<string, PackedTaskEvent[]>();
  for (const t of tasks) (bySpec.get(t[2]) ?? bySpec.set(t[2], []).get(t[2])!).push(t);
  return [...bySpec].map(([spec, of]) => ({ id, spec, events: taskTable(of) }));
}

/** Each (spec, task, work session) with a done event, once. */
function doneOf(tasks: PackedTaskEvent[]): Array<[string, string, string | null]> {
  const seen = new Map<string, [string, string, string | null]>();
  for (const [, ws, spec, task, done] of tasks) if (done) seen.set(doneKey(spec, task, ws), [spec, task, ws]);
  return [...seen.values()];
}
