/**
 * The index's base built from the rollup files: each file read once, the entry kept for each
 * source file chosen first, rows summed into items per day in the index's time zone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StringTable } from '../history/string-table.js';
import { dayKey } from '../time/zoned.js';
import { tupleOf, type TokenCounts } from '../usage/tokens.js';
import { assembleBase, type BaseFile, type BuiltBase } from './index-base.js';
import { EventSink } from './packed-events.js';
import { ITEM_KINDS, ItemRows } from './packed-items.js';
import { addGapBaselines, outranks } from './rolled-up.js';
import { decodeRollup, rollupSources } from './rollup-decode.js';
import { FLAG_FAST, FLAG_GAP, FLAG_LONG, keyDay, SLOT_MS, type RollupEntry } from './rollup-format.js';
import { addStoredEvent } from './stored-events.js';

/**
 * Reads every rollup file once and sums it: rows into items per day (in `tz`), Claude session,
 * attribution, model, pricing tier and kind, grouped by month; workflow events folded. Of two
 * entries for the same source file (two clones rolled it up at different sizes), the larger is
 * used, as the full fold does.
 */
export function buildBase(ledgerDir: string, rollups: string[], tz: string): BuiltBase {
  const problems = new Map<string, string>();
  const read = (rel: string) => fs.readFileSync(path.join(ledgerDir, rel), 'utf8');
  // First the sources each file holds (a quick scan), so a file read once after is summed at once.
  const chosen = new Map<string, { bytes: number; sha: string }>();
  for (const rel of rollups) {
    try {
      for (const s of rollupSources(read(rel))) if (outranks(s, chosen.get(s.src))) chosen.set(s.src, s);
    } catch (error) {
      problems.set(rel, `${rel}: ${(error as Error).message}`);
    }
  }
  const parts = {
    sums: new UsageSums(tz),
    keyDays: {} as BaseFile['keyDays'],
    baselines: new Map<string, TokenCounts>(),
    events: new EventSink(),
    malformed: 0,
  };
  for (const rel of rollups) {
    if (problems.has(rel)) continue;
    let decoded: ReturnType<typeof decodeRollup>;
    try {
      decoded = decodeRollup(read(rel), { keys: false, rows: 'packed' });
    } catch (error) {
      problems.set(rel, `${rel}: ${(error as Error).message}`);
      continue;
    }
    decoded.entries.forEach((entry, i) => {
      const pick = chosen.get(entry.src);
      if (pick?.bytes !== entry.bytes || pick.sha !== entry.sha) return;
      chosen.delete(entry.src); // the same entry in a second file counts once
      parts.sums.addEntry(entry, (day) => (parts.keyDays[day] ??= []).includes(rel) || parts.keyDays[day]!.push(rel));
      addGapBaselines(parts.baselines, entry);
      const { base, names } = entry.packed!;
      for (const stored of decoded.rawEvents[i]!)
        if (!addStoredEvent(parts.events, stored, base * SLOT_MS, names)) parts.malformed++;
    });
  }
  return assembleBase({
    tz,
    rollups,
    keyDays: parts.keyDays,
    baselines: Object.fromEntries([...parts.baselines].map(([key, t]) => [key, tupleOf(t)])),
    malformed: parts.malformed,
    problems: [...problems.values()],
    items: parts.sums.items,
    events: parts.events,
  });
}

/**
 * Rolled-up rows summed into items per day (in the index's time zone), Claude session,
 * attribution, model, pricing tier and kind, as rows of numbers (ItemRows). A row adds straight
 * into its item, found by a short key of numbers interned across entries: a team's years hold a
 * few hundred thousand rows.
 */
class UsageSums {
  /** The items, in the order they were first met. */
  readonly items = new ItemRows();
  /** Per Claude session: its items' first cells by groupKey (day, attribution, model, flags). */
  private readonly byClaudeSession = new Map<string | null, Map<number | string, number>>();
  private readonly attributionIds = new StringTable();
  private readonly modelIds = new StringTable();
  private readonly dayIds = new StringTable();

  constructor(private readonly tz: string) {}

  /** An entry's rows; `onKeyDay` hears of each UTC day whose calls the entry keys. */
  addEntry(entry: RollupEntry, onKeyDay: (day: string) => void): void {
    const { base, rows, attributions, names } = entry.packed!;
    const { items } = this;
    let sums = this.byClaudeSession.get(entry.cs);
    if (!sums) this.byClaudeSession.set(entry.cs, (sums = new Map()));
    const attributionIds = attributions.map((a) => this.attributionIds.id(JSON.stringify(a)));
    const cs = items.name(entry.cs);
    const modelIds = new Map<number, number>();
    let lastUtcDay = -1;
    let lastSlot = Number.NaN;
    let day = 0;
    for (const r of rows) {
      const slot = base + r[0]!;
      const flags = r[3]! & (FLAG_FAST | FLAG_LONG | FLAG_GAP);
      const first = slot * SLOT_MS + r[10]!;
      const last = slot * SLOT_MS + (r.length === 12 ? r[11]! : r[10]!);
      if (slot !== lastSlot) {
        day = this.dayIds.id(dayKey(slot * SLOT_MS, this.tz)); // a zone's day is the same for a whole 15-minute slot
        lastSlot = slot;
      }
      const utc = Math.floor(slot / SLOTS_PER_DAY);
      if ((flags & FLAG_GAP) === 0 && utc !== lastUtcDay) onKeyDay(keyDay((lastUtcDay = utc) * 86_400_000));
      let model = modelIds.get(r[2]!);
      if (model === undefined) modelIds.set(r[2]!, (model = this.modelIds.id(names[r[2]!]!)));
      const key = groupKey(day, attributionIds[r[1]!]!, model, flags);
      let at = sums.get(key);
      if (at === undefined) {
        const [ws, spec, task, phase, branch, commit] = attributions[r[1]!]!;
        at = items.add();
        const c = items.cells;
        c[at] = ITEM_KINDS.indexOf(flags & FLAG_GAP ? 'gap' : 'call');
        c[at + 1] = first;
        c[at + 2] = last - first;
        c[at + 4] = flags & FLAG_LONG ? 1 : 0;
        c[at + 5] = flags & FLAG_FAST ? 1 : 0;
        c[at + 6] = items.name(names[r[2]!]!);
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
      c[at + 11] = c[at + 11]! + r[5]!;
      c[at + 12] = c[at + 12]! + r[6]!;
      c[at + 13] = c[at + 13]! + r[7]!;
      c[at + 14] = c[at + 14]! + r[8]!;
      c[at + 15] = c[at + 15]! + r[9]!;
      c[at + 3] = c[at + 3]! + r[4]!;
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
