import { inRange, type DayRange } from '../time/day-range.js';
import type { Binding, CommitEvent, TaskEvent, WorkSession } from './fold-events.js';
import { isUnattributed, type UsageItem } from './usage-item.js';
import { claudeCodeSeen, type ClaudeCodeSeen, type SessionVersions } from './claude-versions.js';

export interface ManualEntry {
  id: string;
  spec: string;
  task: string;
  status: string;
  time: number;
  ws: string | null;
  model: string;
  tokens: { input: number; output: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number };
}

/**
 * The folded ledger, as every report reads it. Reads ask for what they need (a day range, one
 * task, some work sessions), so a view backed by the machine-local index loads only that; `usage`
 * is every item of the whole history, for all-time reports.
 */
export interface LedgerView {
  readonly sessions: Map<string, WorkSession>;
  readonly manual: ManualEntry[];
  /** Raw lines that are not valid records, skipped: reports say so. */
  readonly malformed: number;
  /** Ledger files that could not be read at all (a corrupt rollup): reports say so. */
  readonly problems: string[];
  readonly usage: UsageItem[];
  usageIn(range: DayRange, tz: string): UsageItem[];
  /**
   * The same usage, visited without being kept: the index reads one month at a time (the dashboard
   * of a long history) through one reused item, so a visitor keeps the item's fields, never the item.
   */
  forEachItemIn(range: DayRange, tz: string, visit: (item: UsageItem) => void): void;
  /**
   * usageIn's items in its order (by time), a batch at a time: the index hands over a month's,
   * each kept only until the next (`export` of a long history writes them as they come).
   */
  usageBatches(range: DayRange, tz: string): Iterable<UsageItem[]>;
  usageOfTask(spec: string, task: string): UsageItem[];
  /** A task's usage over all time summed per model and tier (no session, day or Claude session): its cost, cheaply. */
  taskTotal(spec: string, task: string): UsageItem[];
  /** All usage, a spec's, or the unattributed, over all time, summed per model and tier the same way: what PROGRESS.md shows. */
  allTimeSums(of: AllTimeOf): UsageItem[];
  usageOfSessions(names: Iterable<string>): UsageItem[];
  /** Whether a task was marked done in a work session (null: outside any): without loading every task event. */
  taskDone(spec: string, task: string, ws: string | null): boolean;
  /**
   * Every task event of one spec, each at least once (a record written twice may come twice: for
   * a reader that takes a first or a last time), in no set order. The index reads only that
   * spec's events: a turn that completes a task does not load a team's year of them.
   */
  forEachTaskEventOf(spec: string, visit: (event: TaskEvent) => void): void;
  /**
   * Every task event of every spec, on the same terms (at least once, in no set order): a reader
   * that keeps a few of them (one day's) dedupes those, rather than every event ever written being
   * made, keyed and sorted.
   */
  forEachTaskEvent(visit: (event: TaskEvent) => void): void;
  /** The latest binding of a work session, or of a Claude session. */
  lastBinding(of: { ws: string } | { cs: string }): Binding | undefined;
  /** Every model the usage names. */
  readonly models: string[];
  /** Commits Claude sessions made, oldest first. */
  readonly commits: CommitEvent[];
  /** The Claude Code versions that wrote the transcripts, and those that wrote no cost-state. */
  readonly claudeCode: ClaudeCodeSeen;
}

export type AllTimeOf = 'all' | 'unattributed' | { spec: string };

/** Whether an item counts in the all-time sums of `of`. */
export function countsIn(of: AllTimeOf): (item: UsageItem) => boolean {
  if (of === 'all') return () => true;
  if (of === 'unattributed') return isUnattributed;
  return (item) => item.spec === of.spec;
}

export interface MemoryParts {
  usage: UsageItem[];
  sessions: Map<string, WorkSession>;
  tasks: TaskEvent[];
  bindings: Binding[];
  manual: ManualEntry[];
  commits: CommitEvent[];
  sessionVersions: SessionVersions;
  malformed: number;
  problems: string[];
}

/** A view of a ledger folded in memory (a full read, or a test's records). */
export function memoryView(parts: MemoryParts): LedgerView {
  let done: DoneSet | undefined;
  const usageIn = (range: DayRange, tz: string) =>
    range.since || range.until ? parts.usage.filter((i) => inRange(i, range, tz)) : parts.usage;
  return {
    ...parts,
    usageIn,
    forEachItemIn: (range, tz, visit) => {
      for (const item of usageIn(range, tz)) visit(item);
    },
    usageBatches: (range, tz) => [usageIn(range, tz)],
    forEachTaskEventOf: (spec, visit) => {
      for (const e of parts.tasks) if (e.spec === spec) visit(e);
    },
    forEachTaskEvent: (visit) => {
      for (const e of parts.tasks) visit(e);
    },
    taskDone: (spec, task, ws) => (done ??= doneSetOf(parts.tasks)).has(spec, task, ws),
    usageOfTask: (spec, task) => parts.usage.filter((i) => i.spec === spec && i.task === task),
    taskTotal: (spec, task) => parts.usage.filter((i) => i.spec === spec && i.task === task),
    allTimeSums: (of) => parts.usage.filter(countsIn(of)),
    usageOfSessions: (names) => {
      const wanted = new Set(names);
      return parts.usage.filter((i) => i.ws !== null && wanted.has(i.ws));
    },
    lastBinding: (of) => lastOf(parts.bindings, of),
    get models() {
      return [...new Set(parts.usage.map((i) => i.model))].sort();
    },
    get claudeCode() {
      return claudeCodeSeen([parts.sessionVersions]);
    },
  };
}

export function lastOf(bindings: Binding[], of: { ws: string } | { cs: string }): Binding | undefined {
  for (let i = bindings.length - 1; i >= 0; i--) {
    const b = bindings[i]!;
    if ('ws' in of ? b.ws === of.ws : b.cs === of.cs) return b;
  }
  return undefined;
}

/** The key of a task done in a work session, as taskDone looks it up. */
export const doneKey = (spec: string, task: string, ws: string | null): string =>
  `${spec}\u0000${task}\u0000${ws ?? ''}`;

/**
 * The (spec, task, work session) of every done task, asked per row by the dashboard: one map per
 * field over the names it is given, so neither filling it nor asking it makes a string (a key
 * string per done task was 20 MB of a team's-year dashboard's 118 MB peak).
 */
export class DoneSet {
  private readonly specs = new Map<string, Map<string, Set<string | null>>>();

  add(spec: string, task: string, ws: string | null): void {
    let tasks = this.specs.get(spec);
    if (!tasks) this.specs.set(spec, (tasks = new Map()));
    let sessions = tasks.get(task);
    if (!sessions) tasks.set(task, (sessions = new Set()));
    sessions.add(ws);
  }

  has(spec: string, task: string, ws: string | null): boolean {
    return this.specs.get(spec)?.get(task)?.has(ws) === true;
  }
}

/** The done set of task events (the others are left out). */
export function doneSetOf(events: Iterable<{ spec: string; task: string; ws: string | null; event: string }>): DoneSet {
  const done = new DoneSet();
  for (const e of events) if (e.event === 'done') done.add(e.spec, e.task, e.ws);
  return done;
}
