/**
 * Rolled-up rows summed into items as the index's base keeps them (base-from-rollups.ts reads
 * the rollups, base-state.ts restores the sums a base was made from).
 */
import { StringTable } from '../history/string-table.js';
import { dayKey } from '../time/zoned.js';
import { ITEM_KINDS, ITEM_WIDTH, ItemRows, NAME_CELLS, type ItemTable } from './packed-items.js';
import { ROW_WIDTH, type FlatRows } from './rollup-bytes.js';
import { FLAG_FAST, FLAG_GAP, FLAG_LONG, keyDay, SLOT_MS } from './rollup-format.js';

/**
 * Rolled-up rows summed into items per day (in the index's time zone), Claude session,
 * attribution, model, pricing tier and kind, as rows of numbers (ItemRows). A row adds straight
 * into its item, found by a short key of numbers interned across entries: a team's years hold a
 * few hundred thousand rows.
 */
export class UsageSums {
  /** The items, in the order they were first met. */
  readonly items = new ItemRows();
  /** Per Claude session: its items' first cells by groupKey (day, attribution, model, flags). */
  private readonly byClaudeSession = new Map<string | null, Map<number | string, number>>();
  private readonly attributionIds = new StringTable();
  private readonly modelIds = new StringTable();
  private readonly dayIds = new StringTable();

  constructor(private readonly tz: string) {}

  /** How many items were restored (see restore): keyed only when an entry of their Claude session comes. */
  private restored = 0;

  /**
   * The sums of a base's month tables (in time order; hand-logged items left out, as assembleBase
   * adds them), to add more rows to. Summed in that order, they come out of sumUsage in the order
   * they were first met in (by time, of two at the same time the first met): the same base.
   */
  static restore(months: ItemTable[], tz: string): UsageSums {
    const sums = new UsageSums(tz);
    const items = sums.items;
    const manual = ITEM_KINDS.indexOf('manual');
    items.reserve(months.reduce((n, m) => n + m.cells.length / ITEM_WIDTH, 0));
    for (const { names, cells } of months) {
      const ids = names.map((name) => items.name(name));
      for (let r = 0; r < cells.length; r += ITEM_WIDTH) {
        if (cells[r] === manual) continue;
        const at = items.add();
        const c = items.cells;
        for (let k = 0; k < ITEM_WIDTH; k++) c[at + k] = cells[r + k]!;
        for (const k of NAME_CELLS) if (c[at + k]! >= 0) c[at + k] = ids[c[at + k]!]!;
      }
    }
    sums.restored = items.count;
    return sums;
  }

  /** The first cells of the restored items, by their Claude session's name id: made on first use, in one pass. */
  private restoredBySession: Map<number, number[]> | undefined;

  /** The keys of a Claude session's restored items (see addEntry). */
  private keysOf(cs: string | null): Map<number | string, number> {
    const byKey = new Map<number | string, number>();
    const c = this.items.cells;
    const names = this.items.table.names;
    const name = (id: number) => (id < 0 ? null : names[id]!);
    if (!this.restoredBySession) {
      const bySession = (this.restoredBySession = new Map());
      for (let at = 0; at < this.restored * ITEM_WIDTH; at += ITEM_WIDTH)
        (bySession.get(c[at + 7]!) ?? bySession.set(c[at + 7]!, []).get(c[at + 7]!)!).push(at);
    }
    for (const at of this.restoredBySession.get(this.items.name(cs)) ?? []) {
      const flags =
        (ITEM_KINDS[c[at]!] === 'gap' ? FLAG_GAP : 0) |
        (c[at + 4] === 1 ? FLAG_LONG : 0) |
        (c[at + 5] === 1 ? FLAG_FAST : 0);
      const attribution = [
        name(c[at + 8]!),
        name(c[at + 9]!),
        name(c[at + 10]!),
        name(c[at + 16]!),
        name(c[at + 17]!),
        name(c[at + 18]!),
      ];
      const key = groupKey(
        this.dayIds.id(dayKey(c[at + 1]!, this.tz)), // an item's rows are of one day: its first's
        this.attributionIds.id(JSON.stringify(attribution)),
        this.modelIds.id(name(c[at + 6]!)!),
        flags,
      );
      byKey.set(key, at);
    }
    return byKey;
  }

  /** The rows of an entry of Claude session `claudeSession`; `onKeyDay` hears of each UTC day whose calls the entry keys. */
  addEntry(claudeSession: string | null, rows: FlatRows, onKeyDay: (day: string) => void): void {
    const { base, cells: r, count, attributions, names } = rows;
    const { items } = this;
    let sums = this.byClaudeSession.get(claudeSession);
    if (!sums) this.byClaudeSession.set(claudeSession, (sums = this.restored ? this.keysOf(claudeSession) : new Map()));
    const attributionIds = attributions.map((a) => this.attributionIds.id(JSON.stringify(a)));
    const cs = items.name(claudeSession);
    const modelIds = new Map<number, number>();
    let lastUtcDay = -1;
    let lastSlot = Number.NaN;
    let day = 0;
    for (let row = 0; row < count * ROW_WIDTH; row += ROW_WIDTH) {
      const slot = base + r[row]!;
      const flags = r[row + 3]! & (FLAG_FAST | FLAG_LONG | FLAG_GAP);
      const first = slot * SLOT_MS + r[row + 10]!;
      const last = slot * SLOT_MS + r[row + 11]!;
      if (slot !== lastSlot) {
        day = this.dayIds.id(dayKey(slot * SLOT_MS, this.tz)); // a zone's day is the same for a whole 15-minute slot
        lastSlot = slot;
      }
      const utc = Math.floor(slot / SLOTS_PER_DAY);
      if ((flags & FLAG_GAP) === 0 && utc !== lastUtcDay) onKeyDay(keyDay((lastUtcDay = utc) * 86_400_000));
      let model = modelIds.get(r[row + 2]!);
      if (model === undefined) modelIds.set(r[row + 2]!, (model = this.modelIds.id(names[r[row + 2]!]!)));
      const key = groupKey(day, attributionIds[r[row + 1]!]!, model, flags);
      let at = sums.get(key);
      if (at === undefined) {
        const [ws, spec, task, phase, branch, commit] = attributions[r[row + 1]!]!;
        at = items.add();
        const c = items.cells;
        c[at] = ITEM_KINDS.indexOf(flags & FLAG_GAP ? 'gap' : 'call');
        c[at + 1] = first;
        c[at + 2] = last - first;
        c[at + 4] = flags & FLAG_LONG ? 1 : 0;
        c[at + 5] = flags & FLAG_FAST ? 1 : 0;
        c[at + 6] = items.name(names[r[row + 2]!]!);
        c[at + 7] = cs;
        c[at + 8] = items.name(ws);
        c[at + 9] = items.name(spec);
        c[at + 10] = items.name(task);
        c[at + 16] = items.name(phase);
        c[at + 17] = items.name(branch);
        c[at + 18] = items.name(commit);
        sums.set(key, at);
      }
      const c = items.cells;
      c[at + 11] = c[at + 11]! + r[row + 5]!;
      c[at + 12] = c[at + 12]! + r[row + 6]!;
      c[at + 13] = c[at + 13]! + r[row + 7]!;
      c[at + 14] = c[at + 14]! + r[row + 8]!;
      c[at + 15] = c[at + 15]! + r[row + 9]!;
      c[at + 3] = c[at + 3]! + r[row + 4]!;
      const was = c[at + 1]!;
      const end = Math.max(was + c[at + 2]!, last);
      if (first < was) c[at + 1] = first;
      c[at + 2] = end - c[at + 1]!;
    }
  }
}

const SLOTS_PER_DAY = 86_400_000 / SLOT_MS;

/**
 * A group's key: its day, attribution, model and flags as one number (53 bits: 16, 24, 10, 3), so
 * a row finds its item without a string made and hashed per row. Past those ranges, a string.
 */
function groupKey(day: number, attribution: number, model: number, flags: number): number | string {
  if (day >= 2 ** 16 || attribution >= 2 ** 24 || model >= 2 ** 10) return `${day}|${attribution}|${model}|${flags}`;
  return ((day * 2 ** 24 + attribution) * 2 ** 10 + model) * 8 + flags;
}
