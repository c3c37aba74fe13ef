import { inRange, monthInRange, type DayRange } from '../time/day-range.js';
import { foldLedger, type FoldResult } from './fold.js';
import {
  commitKey,
  dedupeBy,
  manualEntry,
  type Binding,
  type CommitEvent,
  type TaskEvent,
  type WorkSession,
} from './fold-events.js';
import type { BaseFile, BuiltBase } from './index-base.js';
import { forEachDoneRow, forEachTaskRow, type PackedBinding } from './packed-events.js';
import type { LiveFile } from './index-live.js';
import { ViewPieces, type BaseLoader } from './view-pieces.js';
import type { LedgerLine, LineOf } from './ledger-schema.js';
import { countsIn, doneSetOf, lastOf, type DoneSet, type LedgerView } from './ledger-view.js';
import {
  forEachPacked,
  itemTable,
  unpackItems,
  taskRowIndex,
  unpackTaskItems,
  type ItemTable,
  type PackedItems,
  type TaskRowIndex,
} from './packed-items.js';
import { compareByTime, sortByTime, type UsageItem } from './usage-item.js';
import { withSessions } from './claude-versions.js';
import { indexSessions } from './index-sessions.js';
import { tokensOf, type TokenCounts } from '../usage/tokens.js';

/**
 * The ledger as the index holds it: the base (rolled-up usage by month and per task, work sessions,
 * events) and the live raw records, folded on read. Each read loads only the pieces it asks for:
 * the statusline today's month and its task's sums; `cost --json` everything.
 */
export function indexedView(base: BaseFile, live: LiveFile, load: BaseLoader, built?: BuiltBase): LedgerView {
  const pieces = new ViewPieces(base, load, built);
  const lines = Object.values(live.lines).flat();
  const has = (k: LedgerLine['k']) => lines.some((l) => l.k === k);

  let liveFold: FoldResult | undefined;
  const folded = (): FoldResult => {
    if (liveFold) return liveFold;
    // Live records a rollup also holds (written just before a crash, its raw file not yet deleted)
    // are the same records: a manual entry counts once, a gap above what rollups counted.
    const baseManual = has('manual') ? new Set(pieces.sessions().manual.map((m) => m.id)) : new Set<string>();
    const raw = lines.filter((l) => l.k !== 'manual' || !baseManual.has(l.id));
    const baselines = new Map<string, TokenCounts>();
    if (has('gap')) for (const [key, gap] of Object.entries(pieces.gaps().baselines)) baselines.set(key, tokensOf(gap));
    return (liveFold = foldLedger({
      raw: [{ rel: 'live', lines: raw }],
      base: { items: [], events: [], baselines },
      isRolled: () => false,
    }));
  };

  const months = new Map<string, UsageItem[]>();
  /** A month's items: kept for the next ask, or (`keep` false) only handed back. */
  const monthItems = (month: string, keep = true): UsageItem[] => {
    let items = months.get(month);
    if (!items) {
      items = unpackItems(pieces.month(month, false), `${month}#`); // the items are kept, not the table too
      if (keep) months.set(month, items);
    }
    return items;
  };
  /**
   * A month table's rows by task, made when a second task of it is asked about (eod asks for each
   * task a day completed); a single ask (a turn completing a task) scans its rows once. Kept per
   * table, not per month: a damaged index is rebuilt mid-read, and its tables name things anew.
   */
  const taskRows = new WeakMap<ItemTable, TaskRowIndex | null>();
  const rowsOf = (table: ItemTable): TaskRowIndex | undefined => {
    const known = taskRows.get(table);
    if (known) return known;
    if (known === undefined) return void taskRows.set(table, null);
    const made = taskRowIndex(table);
    taskRows.set(table, made);
    return made;
  };
  /**
   * The items a range keeps, and the months that may hold them: every month for all time, or when
   * the range's days are in another zone than the months'.
   */
  const monthsFor = (range: DayRange, tz: string) => {
    const all = !range.since && !range.until;
    return {
      keep: (i: UsageItem) => all || inRange(i, range, tz),
      wanted: all || tz !== base.tz ? base.months : base.months.filter((m) => monthInRange(m, range)),
    };
  };
  const fromMonths = (wanted: string[], keep: (i: UsageItem) => boolean) =>
    sortByTime([...wanted.flatMap((m) => monthItems(m).filter(keep)), ...folded().usage.filter(keep)]);

  let sessions: Map<string, WorkSession> | undefined;
  let lastBinds: Binding[] | undefined;
  let all: UsageItem[] | undefined;
  let done: DoneSet | undefined;
  /** A spec's stored task events, each made as it is visited. */
  const storedTaskEvents = (spec: string, visit: (event: TaskEvent) => void) =>
    forEachTaskRow(pieces.specTasks(spec).events, (time, ws, task, done, source) =>
      visit({ time, ws, spec, task, event: done ? 'done' : 'start', source }),
    );

  return {
    get sessions() {
      if (!sessions) {
        sessions = indexSessions(
          pieces.sessions(),
          lines.filter((l): l is LineOf<'session'> => l.k === 'session'),
          () => pieces.sessionRecords().records,
        );
        for (const b of folded().bindings) if (b.ws) sessions.get(b.ws)?.claudeSessions.add(b.cs);
      }
      return sessions;
    },
    get manual() {
      return [...pieces.sessions().manual.map(manualEntry), ...folded().manual];
    },
    malformed: base.malformed + live.malformed,
    problems: base.problems,
    get usage() {
      return (all ??= fromMonths(base.months, () => true));
    },
    usageIn(range: DayRange, tz: string) {
      if (!range.since && !range.until) return this.usage;
      if (tz !== base.tz) return this.usage.filter((i) => inRange(i, range, tz));
      return fromMonths(
        base.months.filter((m) => monthInRange(m, range)),
        (i) => inRange(i, range, tz),
      );
    },
    forEachItemIn(range: DayRange, tz: string, visit: (item: UsageItem) => void) {
      const { keep, wanted } = monthsFor(range, tz);
      const visitKept = (item: UsageItem) => {
        if (keep(item)) visit(item);
      };
      for (const month of wanted) {
        // Read and let go, a month at a time (a table kept for a task's rows is used as it is).
        const kept = months.get(month);
        if (kept) for (const item of kept) visitKept(item);
        else forEachPacked(pieces.month(month, false), `${month}#`, visitKept);
      }
      for (const item of folded().usage) if (keep(item)) visit(item);
    },
    *usageBatches(range: DayRange, tz: string) {
      // A month's items are of its days, so the months, each in order, are in order end to end; the
      // items not rolled up (a few days') go between them where their times fall.
      const { keep, wanted } = monthsFor(range, tz);
      const live = sortByTime(folded().usage.filter(keep));
      let next = 0;
      for (const month of wanted) {
        const batch: UsageItem[] = [];
        for (const item of sortByTime(monthItems(month, false).filter(keep))) {
          while (next < live.length && compareByTime(live[next]!, item) < 0) batch.push(live[next++]!);
          batch.push(item);
        }
        if (batch.length) yield batch;
      }
      if (next < live.length) yield live.slice(next);
    },
    usageOfTask(spec: string, task: string) {
      // Only the task's rows become items: a task resumed all year spans every month, and eod asks
      // for each task a day completed (unpacking and keeping the months held a team's year whole).
      const ofTask = (i: UsageItem) => i.spec === spec && i.task === task;
      const items: UsageItem[] = [];
      for (const month of pieces.taskSums(spec)?.taskMonths[task] ?? []) {
        const kept = months.get(month);
        if (kept) items.push(...kept.filter(ofTask));
        else {
          const table = pieces.month(month);
          items.push(...unpackTaskItems(table, `${month}#`, spec, task, rowsOf(table)));
        }
      }
      return sortByTime([...items, ...folded().usage.filter(ofTask)]);
    },
    taskTotal(spec: string, task: string) {
      return [
        ...sumItems(pieces.taskSums(spec)?.taskSums[task]),
        ...folded().usage.filter((i) => i.spec === spec && i.task === task),
      ];
    },
    allTimeSums(of) {
      const all = pieces.sums();
      const sums = of === 'all' ? all.allSums : of === 'unattributed' ? all.unattributedSums : all.specSums[of.spec];
      return [...sumItems(sums), ...folded().usage.filter(countsIn(of))];
    },
    usageOfSessions(names: Iterable<string>) {
      const wanted = new Set(names);
      const wsMonths = pieces.sessions().wsMonths;
      const ofThem = [...new Set([...wanted].flatMap((ws) => wsMonths[ws] ?? []))].sort();
      return fromMonths(ofThem, (i) => i.ws !== null && wanted.has(i.ws));
    },
    forEachTaskEventOf(spec: string, visit: (event: TaskEvent) => void) {
      if (base.taskSpecs.includes(spec)) storedTaskEvents(spec, visit);
      for (const e of folded().tasks) if (e.spec === spec) visit(e);
    },
    forEachTaskEvent(visit: (event: TaskEvent) => void) {
      for (const spec of base.taskSpecs) storedTaskEvents(spec, visit);
      for (const e of folded().tasks) visit(e);
    },
    taskDone(spec: string, task: string, ws: string | null) {
      if (!done) {
        const set = (done = doneSetOf(folded().tasks));
        forEachDoneRow(pieces.done().done, (spec, task, ws) => set.add(spec, task, ws));
      }
      return done.has(spec, task, ws);
    },
    lastBinding(of) {
      const stored = lastOf((lastBinds ??= pieces.sessions().lastBinds.map(unpackBinding)), of);
      const fresh = lastOf(folded().bindings, of);
      return !stored || (fresh && fresh.time >= stored.time) ? fresh : stored;
    },
    get commits() {
      const stored = pieces
        .commits()
        .commits.map(([time, cs, sha, branch]): CommitEvent => ({ time, cs, sha, branch }));
      return dedupeBy([...stored, ...folded().commits], commitKey).sort((a, b) => a.time - b.time);
    },
    get models() {
      return [...new Set([...base.models, ...folded().usage.map((i) => i.model)])].sort();
    },
    get claudeCode() {
      return withSessions(base.claudeCode, folded().sessionVersions);
    },
  };
}

/** Stored all-time sums as items (none when there are none). */
function sumItems(sums: PackedItems | undefined): UsageItem[] {
  return sums ? unpackItems(itemTable(sums), 'sum#') : [];
}

function unpackBinding([time, cs, ws, spec, task, why]: PackedBinding): Binding {
  return { time, cs, ws, spec, task, why };
}
