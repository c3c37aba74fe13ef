import { StringTable } from '../history/string-table.js';
import type { UsageItem } from './usage-item.js';
import type { Phase } from './records.js';
import type { Table } from './packed-table.js';

/**
 * Usage items packed: one array of numbers per item, names in one dictionary (the index's
 * all-time sums). A month's items are a binary table of the same rows (packed-table.ts).
 */
export interface PackedItems {
  names: string[];
  rows: number[][];
}

/** Item kinds by their number, as packed rows and keys hold them. */
export const ITEM_KINDS = ['call', 'gap', 'manual'] as const;

export function packItems(items: UsageItem[]): PackedItems {
  const names = new StringTable();
  const name = (s: string | null) => (s === null ? -1 : names.id(s));
  const rows = items.map((i) => itemCells(i, name));
  return { names: names.list, rows };
}

/** An item's row: its numbers, and its names by `name`'s ids (numbered in the order of NAME_CELLS). */
function itemCells(i: UsageItem, name: (s: string | null) => number): number[] {
  const t = i.tokens;
  return [
    ITEM_KINDS.indexOf(i.kind),
    i.first,
    i.last - i.first,
    i.calls,
    i.longContext ? 1 : 0,
    i.speed === 'fast' ? 1 : 0,
    name(i.model),
    name(i.cs),
    name(i.ws),
    name(i.spec),
    name(i.task),
    t.input,
    t.output,
    t.cacheWrite5m,
    t.cacheWrite1h,
    t.cacheRead,
    name(i.phase),
    name(i.branch),
    name(i.commit),
  ];
}

/** Numbers per packed item: the row layout packItems writes. */
export const ITEM_WIDTH = 19;

/** Packed items as one flat run of numbers, ITEM_WIDTH per item: a month file's table, or a PackedItems' rows laid end to end. */
export type ItemTable = Table;

/** A PackedItems' rows as one table (a row of another width is padded or cut: each row keeps its place). */
export function itemTable({ names, rows }: PackedItems): ItemTable {
  const cells = new Float64Array(rows.length * ITEM_WIDTH);
  rows.forEach((r, n) => {
    for (let c = 0; c < ITEM_WIDTH; c++) cells[n * ITEM_WIDTH + c] = r[c] ?? Number.NaN;
  });
  return { names, cells };
}

/** The cells of a row that hold a name's id (-1: none), in the order packItems numbers the names. */
export const NAME_CELLS = [6, 7, 8, 9, 10, 16, 17, 18] as const;

/**
 * Items of a larger table as a table of their own (a month's, from the rows of every month the
 * base is built from): `rows` are the first cells of the rows taken, in order; their names are
 * numbered afresh, as packItems numbers them, so the table is the one packItems makes of the same
 * items.
 */
export function tableOfRows({ names, cells }: ItemTable, rows: ArrayLike<number>): ItemTable {
  const own = new StringTable();
  const renumbered = new Int32Array(names.length).fill(-1);
  const out = new Float64Array(rows.length * ITEM_WIDTH);
  for (let n = 0; n < rows.length; n++) {
    const from = rows[n]!;
    const to = n * ITEM_WIDTH;
    for (let c = 0; c < ITEM_WIDTH; c++) out[to + c] = cells[from + c]!;
    for (const c of NAME_CELLS) {
      const id = cells[from + c]!;
      if (id < 0) continue;
      if (renumbered[id] === -1) renumbered[id] = own.id(names[id]!);
      out[to + c] = renumbered[id]!;
    }
  }
  return { names: own.list, cells: out };
}

/**
 * Items as rows of numbers while they are summed (packItems' layout, every row's names in one
 * table): a team's years of rollups sum into tens of thousands of items, and an object each (with
 * its token counts and key) was most of what a fresh clone's first read held.
 */
export class ItemRows {
  cells = new Float64Array(ITEM_WIDTH * 1024);
  count = 0;
  private readonly names = new StringTable();

  /** A name's id in this table (null: -1). */
  name(text: string | null): number {
    return text === null ? -1 : this.names.id(text);
  }

  /** Room for `rows` more rows without growing. */
  reserve(rows: number): void {
    const need = (this.count + rows) * ITEM_WIDTH;
    if (need <= this.cells.length) return;
    const grown = new Float64Array(need + ITEM_WIDTH * 1024);
    grown.set(this.cells.subarray(0, this.count * ITEM_WIDTH));
    this.cells = grown;
  }

  /** A new row of zeros; its first cell. */
  add(): number {
    if ((this.count + 1) * ITEM_WIDTH > this.cells.length) {
      const grown = new Float64Array(this.cells.length * 2);
      grown.set(this.cells);
      this.cells = grown;
    }
    return this.count++ * ITEM_WIDTH;
  }

  /** An item as a new row. */
  push(item: UsageItem): void {
    const r = this.add();
    this.cells.set(
      itemCells(item, (s) => this.name(s)),
      r,
    );
  }

  /** The rows as a table (a view: adding rows after leaves it as it was). */
  get table(): ItemTable {
    return { names: this.names.list, cells: this.cells.subarray(0, this.count * ITEM_WIDTH) };
  }
}

/** A table's items, each its own object; `rows`: only the rows it accepts (see forEachPacked). */
export function unpackItems(table: ItemTable, keyPrefix = 'r', rows?: RowFilter): UsageItem[] {
  const items: UsageItem[] = [];
  forEachPacked(table, keyPrefix, (item) => items.push({ ...item, tokens: { ...item.tokens } }), rows);
  return items;
}

/**
 * The items of a table that belong to one task, each its own object: the other rows are passed by
 * their numbers, no item made. With `byTask` (taskRowIndex of the table), only the task's rows are
 * visited.
 */
export function unpackTaskItems(
  table: ItemTable,
  keyPrefix: string,
  spec: string,
  task: string,
  byTask?: TaskRowIndex,
): UsageItem[] {
  const specId = table.names.indexOf(spec);
  const taskId = table.names.indexOf(task);
  if (specId < 0 || taskId < 0) return [];
  if (!byTask)
    return unpackItems(
      table,
      keyPrefix,
      (cells, r) => cells[r + SPEC_CELL] === specId && cells[r + TASK_CELL] === taskId,
    );
  const read = rowReader(table);
  return (byTask.get(specId * table.names.length + taskId) ?? []).map((r) => {
    const item = read(r, `${keyPrefix}${r / ITEM_WIDTH}`);
    return { ...item, tokens: { ...item.tokens } };
  });
}

/** Each task's rows in a table (their first cells, in order), by its spec's and its task's name ids. */
export type TaskRowIndex = Map<number, number[]>;

/** A table's rows by task, in one pass: for a reader that asks about many tasks of one month (eod). */
export function taskRowIndex({ names, cells }: ItemTable): TaskRowIndex {
  const byTask: TaskRowIndex = new Map();
  const end = Math.floor(cells.length / ITEM_WIDTH) * ITEM_WIDTH;
  for (let r = 0; r < end; r += ITEM_WIDTH) {
    const spec = cells[r + SPEC_CELL]!;
    const task = cells[r + TASK_CELL]!;
    if (!(spec >= 0 && task >= 0)) continue;
    const key = spec * names.length + task;
    const rows = byTask.get(key);
    if (rows) rows.push(r);
    else byTask.set(key, [r]);
  }
  return byTask;
}

/** Whether a row (its first cell at `at`) is wanted, from its numbers alone. */
type RowFilter = (cells: ArrayLike<number>, at: number) => boolean;

/** Where a row keeps its spec's and its task's name (see packItems). */
const SPEC_CELL = 9;
const TASK_CELL = 10;

/**
 * Visits packed items one by one through one reused item (filled afresh for each row): a reader that
 * only sums them (the dashboard) makes no object per item. `visit` must not keep the item itself.
 * `rows`: visits only the rows it accepts (given the cells and the row's first cell).
 */
export function forEachPacked(
  table: ItemTable,
  keyPrefix: string,
  visit: (item: UsageItem) => void,
  rows?: RowFilter,
): void {
  const read = rowReader(table);
  const count = Math.floor(table.cells.length / ITEM_WIDTH);
  for (let n = 0, r = 0; n < count; n++, r += ITEM_WIDTH) {
    if (rows && !rows(table.cells, r)) continue;
    visit(read(r, `${keyPrefix}${n}`));
  }
}

/**
 * One item, filled afresh from a row of `table` at each call (given the row's first cell and the
 * item's key) and handed back: the caller must not keep it.
 */
export function rowReader({ names, cells }: ItemTable): (r: number, key: string) => UsageItem {
  const name = (id: number) => (!(id >= 0) ? null : (names[id] ?? null));
  const tokens = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
  const item: UsageItem = {
    kind: 'call',
    key: '',
    time: 0,
    first: 0,
    last: 0,
    calls: 0,
    longContext: false,
    speed: 'standard',
    model: '',
    cs: null,
    ws: null,
    spec: null,
    task: null,
    tokens,
    phase: null,
    branch: null,
    commit: null,
  };
  return (r, key) => {
    item.kind = ITEM_KINDS[cells[r]!]!;
    item.key = key;
    item.time = item.first = cells[r + 1]!;
    item.last = cells[r + 1]! + cells[r + 2]!;
    item.calls = cells[r + 3]!;
    item.longContext = cells[r + 4] === 1;
    item.speed = cells[r + 5] === 1 ? 'fast' : 'standard';
    item.model = name(cells[r + 6]!)!;
    item.cs = name(cells[r + 7]!);
    item.ws = name(cells[r + 8]!);
    item.spec = name(cells[r + SPEC_CELL]!);
    item.task = name(cells[r + TASK_CELL]!);
    tokens.input = cells[r + 11]!;
    tokens.output = cells[r + 12]!;
    tokens.cacheWrite5m = cells[r + 13]!;
    tokens.cacheWrite1h = cells[r + 14]!;
    tokens.cacheRead = cells[r + 15]!;
    item.phase = name(cells[r + 16]!) as Phase | null;
    item.branch = name(cells[r + 17]!);
    item.commit = name(cells[r + 18]!);
    return item;
  };
}
