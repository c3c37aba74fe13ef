import { picoAddendOf, type PriceBook } from '../pricing/price-call.js';
import type { LedgerView, UsageItem } from '../ledger/read-ledger.js';
import { isUnattributed } from '../ledger/usage-item.js';
import type { DayRange } from '../time/day-range.js';
import type { Phase } from '../ledger/records.js';
import { dayKey } from '../time/zoned.js';
import { UsageTally } from './tally.js';

export { inRange, type DayRange } from '../time/day-range.js';
import { inRange } from '../time/day-range.js';

export function addItem(
  tally: UsageTally,
  item: UsageItem,
  picoUsd: number | bigint | null = priceItem(item, tally.book),
): void {
  tally.addPriced(item.model, item.tokens, picoUsd, item.calls);
}

/** Items summed into one tally, each priced on its own. */
export function tallyOf(items: Iterable<UsageItem>, book: PriceBook): UsageTally {
  const tally = new UsageTally(book);
  for (const item of items) addItem(tally, item);
  return tally;
}

/**
 * An item's price in pico-USD (null = unpriced), decided once per item (per call for long context),
 * in the form a tally adds cheapest: a number when exactly one, else a bigint.
 */
export function priceItem(item: UsageItem, book: PriceBook): number | bigint | null {
  return picoAddendOf(item, book);
}

export interface TaskUsage {
  spec: string;
  taskId: string;
  session: string | null;
  tally: UsageTally;
  manualTokens: number;
  first: number;
  last: number;
}

/** A task over every work session it spanned: a task resumed tomorrow, or in another session, is one row. */
export interface TaskTotal {
  spec: string;
  taskId: string;
  /** Its rows per work session, in order of first activity. */
  sessions: TaskUsage[];
  tally: UsageTally;
  manualTokens: number;
  first: number;
  last: number;
}

export interface SessionUsage {
  name: string;
  spec: string | null;
  tally: UsageTally;
  first: number | null;
  last: number | null;
}

/** The project's usage in a range, split the ways every project view needs. */
export interface ProjectUsage {
  /** Per (spec, task, work session). */
  tasks: TaskUsage[];
  /** Per (spec, task), with its work sessions beneath. */
  taskTotals: TaskTotal[];
  sessions: SessionUsage[];
  specs: Map<string, UsageTally>;
  days: Map<string, UsageTally>;
  unattributed: UsageTally;
  totals: UsageTally;
  /** Per branch checked out at the time ('' when not known or detached), with its sessions and tasks. */
  branches: Map<string, { tally: UsageTally; sessions: Set<string>; tasks: Set<string> }>;
  /** Per commit: the calls its Claude session made since its previous commit, with their tasks. */
  commits: Map<string, { tally: UsageTally; tasks: Set<string> }>;
  /** Per spec: what planning it cost by phase, and what building it cost (its tasks and session work). */
  planning: Map<string, Record<Phase, UsageTally>>;
  implementation: Map<string, UsageTally>;
}

/**
 * The project's usage in a day range (all time without one), from the view: its items visited a
 * month at a time and summed, none kept (a team's years hold tens of thousands).
 */
export function projectUsage(view: LedgerView, book: PriceBook, tz: string, range: DayRange = {}): ProjectUsage {
  const all = !range.since && !range.until;
  const listed = [...view.sessions.values()].filter((ws) => all || inRange({ time: ws.started }, range, tz));
  return splitUsage(
    (add) => view.forEachItemIn(range, tz, add),
    listed,
    book,
    tz,
    (ws) => view.sessions.get(ws)?.spec ?? null,
  );
}

/**
 * Usage items split the ways every project view needs. Work sessions are listed when they have
 * usage among the items, or are given in `listed` (a session with no call yet still shows).
 */
export function usageOf(
  items: UsageItem[],
  listed: Array<{ name: string; spec: string }>,
  book: PriceBook,
  tz: string,
  specOf: (ws: string) => string | null = () => null,
): ProjectUsage & { items: UsageItem[] } {
  return { ...splitUsage((add) => items.forEach(add), listed, book, tz, specOf), items };
}

/**
 * The split, of the items `forEach` hands over. An item is read while it is handed over, never
 * kept: a reader may hand over one object refilled for each item. Ties in the order of rows are
 * broken by name, so the rows come out the same in whatever order the items came.
 */
function splitUsage(
  forEach: (add: (item: UsageItem) => void) => void,
  listed: Array<{ name: string; spec: string }>,
  book: PriceBook,
  tz: string,
  specOf: (ws: string) => string | null,
): ProjectUsage {
  const tasks: TaskUsage[] = [];
  const sessions = new Map<string, SessionUsage>();
  const specs = new Map<string, UsageTally>();
  const days = new Map<string, UsageTally>();
  const unattributed = new UsageTally(book);
  const totals = new UsageTally(book);
  const branches: ProjectUsage['branches'] = new Map();
  const commits: ProjectUsage['commits'] = new Map();
  const planning: ProjectUsage['planning'] = new Map();
  const implementation: ProjectUsage['implementation'] = new Map();
  for (const ws of listed)
    sessions.set(ws.name, { name: ws.name, spec: ws.spec, tally: new UsageTally(book), first: null, last: null });
  // Per item, everything is found by its own strings (a few per table, so their hashes are kept),
  // never by a key made for the item: a team's year hands over tens of thousands of items.
  const tasksOf = new Map<string, Map<string, TaskRows>>();
  const newTally = () => new UsageTally(book);
  const newBranch = () => ({ tally: newTally(), sessions: new Set<string>(), tasks: new Set<string>() });
  const newCommit = () => ({ tally: newTally(), tasks: new Set<string>() });
  forEach((item) => {
    const pico = priceItem(item, book);
    addItem(totals, item, pico);
    addItem(getOr(days, dayKey(item.time, tz), newTally), item, pico);
    const { spec, ws } = item;
    if (spec) {
      addItem(getOr(specs, spec, newTally), item, pico);
      if (item.phase) addItem(getOr(planning, spec, () => phaseTallies(book))[item.phase], item, pico);
      else if (item.task || ws) addItem(getOr(implementation, spec, newTally), item, pico);
    }
    const rows = spec && item.task ? taskRowsOf(tasksOf, spec, item.task) : undefined;
    if (item.kind !== 'manual') {
      const b = getOr(branches, item.branch ?? '', newBranch);
      addItem(b.tally, item, pico);
      if (ws) b.sessions.add(ws);
      if (rows) b.tasks.add(rows.label);
    }
    if (item.commit) {
      const c = getOr(commits, item.commit, newCommit);
      addItem(c.tally, item, pico);
      if (rows) c.tasks.add(rows.label);
    }
    if (ws) {
      let s = sessions.get(ws);
      if (!s)
        sessions.set(ws, (s = { name: ws, spec: specOf(ws) ?? spec, tally: newTally(), first: null, last: null }));
      addItem(s.tally, item, pico);
      s.first = Math.min(s.first ?? item.first, item.first);
      s.last = Math.max(s.last ?? item.last, item.last);
    }
    if (rows) {
      let t = rows.bySession.get(ws ?? '');
      if (!t) {
        t = {
          spec: spec!,
          taskId: item.task!,
          session: ws,
          tally: newTally(),
          manualTokens: 0,
          first: item.first,
          last: item.last,
        };
        rows.bySession.set(ws ?? '', t);
        tasks.push(t);
      }
      addItem(t.tally, item, pico);
      if (item.kind === 'manual') t.manualTokens += sumTokens(item);
      t.first = Math.min(t.first, item.first);
      t.last = Math.max(t.last, item.last);
    } else if (isUnattributed(item)) addItem(unattributed, item, pico);
  });
  const taskRows = tasks.sort(
    (a, b) =>
      a.first - b.first ||
      compareText(a.spec, b.spec) ||
      compareText(a.taskId, b.taskId) ||
      compareText(a.session ?? '', b.session ?? ''),
  );
  return {
    tasks: taskRows,
    taskTotals: taskTotals(taskRows, book),
    sessions: [...sessions.values()].sort(
      (a, b) => (a.first ?? Infinity) - (b.first ?? Infinity) || a.name.localeCompare(b.name),
    ),
    specs,
    days,
    unattributed,
    totals,
    branches,
    commits,
    planning,
    implementation,
  };
}

/** A task's rows, one per work session ('' for none), and its `spec/task` label. */
interface TaskRows {
  label: string;
  bySession: Map<string, TaskUsage>;
}

function taskRowsOf(tasksOf: Map<string, Map<string, TaskRows>>, spec: string, task: string): TaskRows {
  let ofSpec = tasksOf.get(spec);
  if (!ofSpec) tasksOf.set(spec, (ofSpec = new Map()));
  let rows = ofSpec.get(task);
  if (!rows) ofSpec.set(task, (rows = { label: `${spec}/${task}`, bySession: new Map() }));
  return rows;
}

const phaseTallies = (book: PriceBook): Record<Phase, UsageTally> => ({
  requirements: new UsageTally(book),
  design: new UsageTally(book),
  tasks: new UsageTally(book),
});

function taskTotals(rows: TaskUsage[], book: PriceBook): TaskTotal[] {
  const totals = new Map<string, TaskTotal>();
  for (const row of rows) {
    const key = `${row.spec}\u0000${row.taskId}`;
    const t = getOr(totals, key, () => ({
      spec: row.spec,
      taskId: row.taskId,
      sessions: [],
      tally: new UsageTally(book),
      manualTokens: 0,
      first: row.first,
      last: row.last,
    }));
    t.sessions.push(row);
    t.tally.merge(row.tally);
    t.manualTokens += row.manualTokens;
    t.first = Math.min(t.first, row.first);
    t.last = Math.max(t.last, row.last);
  }
  return [...totals.values()];
}

function sumTokens(item: UsageItem): number {
  const t = item.tokens;
  return t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
