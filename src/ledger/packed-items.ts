import { StringTable } from '../history/string-table.js';
import type { UsageItem } from './usage-item.js';
import type { Phase } from './records.js';

/**
 * Usage items as the index stores them: one array of numbers per item, names in one dictionary.
 * A year of a team's rolled-up usage is tens of thousands of items; this keeps the index a few
 * MB and quick to parse.
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
  const rows = items.map((i) => {
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
  });
  return { names: names.list, rows };
}

export function unpackItems(packed: PackedItems, keyPrefix = 'r'): UsageItem[] {
  const items: UsageItem[] = [];
  forEachPacked(packed, keyPrefix, (item) => items.push({ ...item, tokens: { ...item.tokens } }));
  return items;
}

/**
 * Visits packed items one by one through one reused item (filled afresh for each row): a reader that
 * only sums them (the dashboard) makes no object per item. `visit` must not keep the item itself.
 */
export function forEachPacked({ names, rows }: PackedItems, keyPrefix: string, visit: (item: UsageItem) => void): void {
  const name = (id: number | undefined) => (id === undefined || id < 0 ? null : names[id]!);
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
  for (let n = 0; n < rows.length; n++) {
    const r = rows[n]!;
    item.kind = ITEM_KINDS[r[0]!]!;
    item.key = `${keyPrefix}${n}`;
    item.time = item.first = r[1]!;
    item.last = r[1]! + r[2]!;
    item.calls = r[3]!;
    item.longContext = r[4] === 1;
    item.speed = r[5] === 1 ? 'fast' : 'standard';
    item.model = name(r[6])!;
    item.cs = name(r[7]);
    item.ws = name(r[8]);
    item.spec = name(r[9]);
    item.task = name(r[10]);
    tokens.input = r[11]!;
    tokens.output = r[12]!;
    tokens.cacheWrite5m = r[13]!;
    tokens.cacheWrite1h = r[14]!;
    tokens.cacheRead = r[15]!;
    item.phase = name(r[16]) as Phase | null;
    item.branch = name(r[17]);
    item.commit = name(r[18]);
    visit(item);
  }
}
