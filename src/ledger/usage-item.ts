/**
 * The unit every report counts: usage after folding, one API call, gap segment or manual entry,
 * or a rolled-up sum of many, with who it belongs to.
 */
import type { Speed } from '../pricing/types.js';
import type { TokenCounts } from '../usage/tokens.js';
import type { Attribution, Phase } from './records.js';

/** One unit of usage after folding: a deduplicated API call, a gap segment, a manual entry, or a rolled-up sum of many. */
export interface UsageItem extends Attribution {
  kind: 'call' | 'gap' | 'manual';
  key: string;
  /** When the usage happened: its first call's time (a rolled-up sum lies in one 15-minute UTC slot, so its day is exact in every zone). */
  time: number;
  first: number;
  last: number;
  /** API calls the item stands for: 1 for one call, more for a rolled-up sum. */
  calls: number;
  /** Priced at long-context rates (decided per call, before any summing). */
  longContext: boolean;
  model: string;
  cs: string | null;
  speed: Speed;
  tokens: TokenCounts;
  /** The spec's planning phase the usage went to (null: not planning). */
  phase: Phase | null;
  /** The branch checked out when it happened (null: not known, or a detached HEAD). */
  branch: string | null;
  /** The commit its Claude session made next after it (null: none yet). */
  commit: string | null;
}

/** A record's token counts (its `in`, `out`, `cw5`, `cw1h`, `cr` fields) as TokenCounts. */
export const recordTokens = (r: { in: number; out: number; cw5: number; cw1h: number; cr: number }): TokenCounts => ({
  input: r.in,
  output: r.out,
  cacheWrite5m: r.cw5,
  cacheWrite1h: r.cw1h,
  cacheRead: r.cr,
});

/** Adds an item's usage into a sum of items like it: its tokens and calls, and its span of time. */
export function addUsage(sum: UsageItem, item: UsageItem): void {
  const t = sum.tokens;
  const add = item.tokens;
  t.input += add.input;
  t.output += add.output;
  t.cacheWrite5m += add.cacheWrite5m;
  t.cacheWrite1h += add.cacheWrite1h;
  t.cacheRead += add.cacheRead;
  sum.calls += item.calls;
  if (item.first < sum.first) sum.first = sum.time = item.first;
  if (item.last > sum.last) sum.last = item.last;
}

/** Usage that belongs to no task, work session or planning phase: reports show it as unattributed. */
export function isUnattributed(item: Pick<UsageItem, 'spec' | 'task' | 'ws' | 'phase'>): boolean {
  return !(item.spec && item.task) && !item.ws && !item.phase;
}

/** Items in the order every view keeps them: by time, of two at the same time by key. Sorts in place. */
export function sortByTime(items: UsageItem[]): UsageItem[] {
  return items.sort(compareByTime);
}

/** The order sortByTime sorts in: by time, then by key. */
export const compareByTime = (a: UsageItem, b: UsageItem): number => a.time - b.time || (a.key < b.key ? -1 : 1);
