/**
 * The index base's usage: the summed items of every rollup (one table of rows) put in time order
 * and grouped by month, with the all-time sums the reads ask for instead of every month (per spec,
 * per task, of all usage, of the unattributed) and the months holding each work session's and
 * task's usage. index-base.ts assembles the base's files from these.
 */
import { dayKey } from '../time/zoned.js';
import { ITEM_KINDS, ITEM_WIDTH, rowReader, type ItemTable } from './packed-items.js';
import { addUsage, isUnattributed, type UsageItem } from './usage-item.js';

/** A task's months and sums, while the base is assembled. */
export interface TaskAcc {
  months: Set<string>;
  sums: Map<number, UsageItem>;
}

export interface BaseUsage {
  /** Each month's rows (their first cells), in time order. */
  byMonth: Map<string, number[]>;
  /** The months holding each work session's usage. */
  wsMonths: Map<string, Set<string>>;
  /** Per task (spec, then task id): the months holding its usage and its sums per model, tier and kind. */
  taskOf: Map<string, Map<string, TaskAcc>>;
  allSums: Map<number, UsageItem>;
  unattributedSums: Map<number, UsageItem>;
  specSums: Map<string, Map<number, UsageItem>>;
  /** Every model the usage names, sorted. */
  models: string[];
}

/** The rows of `table` (days in `tz`) by month, and their all-time sums. */
export function sumUsage(table: ItemTable, tz: string): BaseUsage {
  const { cells } = table;
  const byMonth = new Map<string, number[]>();
  const wsMonths = new Map<string, Set<string>>();
  const taskOf = new Map<string, Map<string, TaskAcc>>();
  const allSums = new Map<number, UsageItem>();
  const unattributedSums = new Map<number, UsageItem>();
  const specSums = new Map<string, Map<number, UsageItem>>();
  const modelIds = new Map<string, number>();
  let lastDay = '';
  let month = '';
  let monthList: number[] = [];
  const read = rowReader(table);
  // By time; of two at the same time, the first met first (as a stable sort of the items keeps them).
  const order = new Uint32Array(cells.length / ITEM_WIDTH).map((_, n) => n * ITEM_WIDTH);
  order.sort((a, b) => cells[a + 1]! - cells[b + 1]! || a - b);
  for (const r of order) {
    const item = read(r, '');
    const day = dayKey(item.time, tz);
    if (day !== lastDay) {
      lastDay = day;
      if (day.slice(0, 7) !== month) {
        month = day.slice(0, 7);
        monthList = byMonth.get(month) ?? byMonth.set(month, []).get(month)!;
      }
    }
    monthList.push(r);
    if (item.ws) (wsMonths.get(item.ws) ?? wsMonths.set(item.ws, new Set()).get(item.ws)!).add(month);
    let model = modelIds.get(item.model);
    if (model === undefined) modelIds.set(item.model, (model = modelIds.size));
    const sumKey =
      model * 16 + ITEM_KINDS.indexOf(item.kind) * 4 + (item.speed === 'fast' ? 2 : 0) + (item.longContext ? 1 : 0);
    addToSums(allSums, sumKey, item, 'none');
    if (isUnattributed(item)) addToSums(unattributedSums, sumKey, item, 'none');
    if (item.spec) {
      let ofSpec = specSums.get(item.spec);
      if (!ofSpec) specSums.set(item.spec, (ofSpec = new Map()));
      addToSums(ofSpec, sumKey, item, 'spec');
    }
    if (item.spec && item.task) {
      let ofSpec = taskOf.get(item.spec);
      if (!ofSpec) taskOf.set(item.spec, (ofSpec = new Map()));
      let task = ofSpec.get(item.task);
      if (!task) ofSpec.set(item.task, (task = { months: new Set(), sums: new Map() }));
      task.months.add(month);
      addToSums(task.sums, sumKey, item, 'task');
    }
  }
  return { byMonth, wsMonths, taskOf, allSums, unattributedSums, specSums, models: [...modelIds.keys()].sort() };
}

/**
 * Adds an item into the sum of its model, kind and tier (`key`): the first time a copy that keeps
 * only what all of the sum's items share (its spec and task, its spec, or nothing).
 */
function addToSums(sums: Map<number, UsageItem>, key: number, item: UsageItem, keep: 'task' | 'spec' | 'none'): void {
  const sum = sums.get(key);
  if (sum) addUsage(sum, item);
  else
    sums.set(key, {
      ...item,
      tokens: { ...item.tokens },
      spec: keep === 'none' ? null : item.spec,
      task: keep === 'task' ? item.task : null,
      cs: null,
      ws: null,
      phase: null,
      branch: null,
      commit: null,
    });
}
