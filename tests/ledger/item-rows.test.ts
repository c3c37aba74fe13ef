/**
 * A fresh clone's index sums its rolled-up rows into one table of numbers (ItemRows) and cuts each
 * month's table out of it (tableOfRows). A month's file must hold what packing that month's items
 * always gave (the index files of a rebuild are byte for byte those of the build before), and read
 * back, every item with every one of its names: a name id left unrenumbered reads as another name.
 */
import { describe, expect, it } from 'vitest';
import { ITEM_WIDTH, ItemRows, itemTable, packItems, tableOfRows, unpackItems } from '../../src/ledger/packed-items.js';
import type { UsageItem } from '../../src/ledger/usage-item.js';

const item = (n: number, over: Partial<UsageItem> = {}): UsageItem => ({
  kind: 'call',
  key: '',
  time: 1_780_000_000_000 + n * 60_000,
  first: 1_780_000_000_000 + n * 60_000,
  last: 1_780_000_000_000 + n * 60_000 + 5_000,
  calls: n + 1,
  longContext: n % 2 === 1,
  speed: n === 2 ? 'fast' : 'standard',
  model: `model-${n % 2}`,
  cs: `cs-${n}`,
  ws: `ws-${n}`,
  spec: `spec-${n}`,
  task: `${n}.1`,
  tokens: { input: 10 + n, output: 20 + n, cacheWrite5m: 30 + n, cacheWrite1h: 40 + n, cacheRead: 2 ** 40 + n },
  phase: 'design',
  branch: `branch-${n}`,
  commit: `c0ffee${n}`,
  ...over,
});

describe('month tables cut from the rows of a whole rebuild', () => {
  const items = [
    item(0),
    item(1, { phase: null, branch: null, commit: null, kind: 'gap' }),
    item(2, { ws: null, spec: null, task: null, cs: null }),
    item(3, { kind: 'manual', commit: 'c0ffee0' }),
  ];
  const rows = new ItemRows();
  for (const i of items) rows.push(i);

  it('hold what packing those items gives, with their names numbered afresh', () => {
    const month = tableOfRows(rows.table, [3 * ITEM_WIDTH, 1 * ITEM_WIDTH, 2 * ITEM_WIDTH]);
    const packed = itemTable(packItems([items[3]!, items[1]!, items[2]!]));
    expect(month.names).toEqual(packed.names);
    expect(Array.from(month.cells)).toEqual(Array.from(packed.cells));
    expect(month.names).not.toContain('cs-0'); // only the names its own rows use
  });

  it('read back as the items, every name in its place', () => {
    const month = tableOfRows(rows.table, [2 * ITEM_WIDTH, 0, 3 * ITEM_WIDTH]);
    const back = unpackItems(month, 'm#').map(({ key, ...rest }) => rest);
    expect(back).toEqual([items[2]!, items[0]!, items[3]!].map(({ key, ...rest }) => rest));
  });

  it('grow past their first size without losing a row', () => {
    const many = new ItemRows();
    const made = Array.from({ length: 3000 }, (_, n) => item(n));
    for (const i of made) many.push(i);
    expect(many.count).toBe(3000);
    expect(unpackItems(many.table, 'r').map((i) => i.calls)).toEqual(made.map((i) => i.calls));
  });
});
