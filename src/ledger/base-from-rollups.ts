/**
 * The index's base built from the rollup files: each file read once, the entry kept for each
 * source file chosen first, rows summed into items per day in the index's time zone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StringTable } from '../history/string-table.js';
import { dayKey } from '../time/zoned.js';
import { tokensOf, tupleOf, type TokenCounts } from '../usage/tokens.js';
import {
  assembleBase,
  baseId,
  type BaseFile,
  type BuiltBase,
  type SessionsFile,
  type SpecTasksFile,
} from './index-base.js';
import type { LineOf } from './ledger-schema.js';
import { EventSink, forEachTaskRow, type PackedBinding, type PackedCommit } from './packed-events.js';
import { ITEM_KINDS, ITEM_WIDTH, ItemRows, NAME_CELLS, type ItemTable } from './packed-items.js';
import { addGapBaselines, outranks } from './rolled-up.js';
import { decodeRollup, rollupSources } from './rollup-decode.js';
import { FLAG_FAST, FLAG_GAP, FLAG_LONG, keyDay, SLOT_MS, type RollupEntry } from './rollup-format.js';
import { addStoredEvent } from './stored-events.js';

/**
 * What the rollups sum to before the base's files are assembled from it (assembleBase): the items,
 * the events, and what tells an entry to count. Kept beside the base (buildState/restoreState), so
 * rollups that are only added (a start's or /eod's rollup of the last closed day, a pull) are
 * summed on top of it, not all of them again.
 */
interface Parts {
  sums: UsageSums;
  keyDays: BaseFile['keyDays'];
  baselines: Map<string, TokenCounts>;
  events: EventSink;
  malformed: number;
  problems: Map<string, string>;
  /** The entry counted for each source file: its size and hash. */
  counted: Map<string, { bytes: number; sha: string }>;
}

/**
 * Reads every rollup file once and sums it: rows into items per day (in `tz`), Claude session,
 * attribution, model, pricing tier and kind, grouped by month; workflow events folded. Of two
 * entries for the same source file (two clones rolled it up at different sizes), the larger is
 * used, as the full fold does. With `keepState`, the sums before assembly come back too (as the
 * index keeps them: see extendBase).
 */
export function buildBase(
  ledgerDir: string,
  rollups: string[],
  tz: string,
  { keepState = false }: { keepState?: boolean } = {},
): BuiltBase & { state?: BuildState } {
  const parts: Parts = {
    sums: new UsageSums(tz),
    keyDays: {},
    baselines: new Map(),
    events: new EventSink(),
    malformed: 0,
    problems: new Map(),
    counted: new Map(),
  };
  sumRollups(ledgerDir, rollups, parts, new Map());
  const state = keepState ? buildState(baseId(tz, rollups), parts) : undefined;
  return { ...assemble(tz, rollups, parts), ...(state ? { state } : {}) };
}

/** The pieces of the base an extension starts from, as the index reads them back (each checked to be of `base`). */
export interface BasePieces {
  base: BaseFile;
  month(month: string): ItemTable | undefined;
  sessions(): SessionsFile | undefined;
  specTasks(spec: string): SpecTasksFile | undefined;
}

/**
 * The base of `rollups`, from the base of all of them but the last `added` (`from`, with the state
 * kept beside it): the added files summed on top, as buildBase sums them after the others.
 * Undefined when that would not be what buildBase builds (an added entry outranks one counted, an
 * added file does not read) or a piece is missing.
 */
export function extendBase(
  ledgerDir: string,
  rollups: string[],
  added: number,
  tz: string,
  state: BuildState,
  from: BasePieces,
): (BuiltBase & { state: BuildState }) | undefined {
  if (added <= 0 || added >= rollups.length) return undefined;
  if (from.base.id !== baseId(tz, rollups.slice(0, rollups.length - added))) return undefined;
  const parts = restoreState(state, from, tz);
  if (!parts) return undefined;
  const problems = parts.problems.size;
  if (!sumRollups(ledgerDir, rollups.slice(rollups.length - added), parts, parts.counted)) return undefined;
  if (parts.problems.size !== problems) return undefined; // problems are listed in the order a full build meets them
  const next = buildState(baseId(tz, rollups), parts); // before assembly: it sorts the events in place
  return { ...assemble(tz, rollups, parts), state: next };
}

/**
 * Sums `rollups` into `parts`. First the sources each file holds (a quick scan), so a file read
 * once after is summed at once. False when an entry outranks one of `counted` (counted before these
 * files): the sums would have to lose it.
 */
function sumRollups(
  ledgerDir: string,
  rollups: string[],
  parts: Parts,
  counted: ReadonlyMap<string, { bytes: number; sha: string }>,
): boolean {
  const read = (rel: string) => fs.readFileSync(path.join(ledgerDir, rel), 'utf8');
  const chosen = new Map<string, { bytes: number; sha: string }>();
  const failed = new Set<string>();
  for (const rel of rollups) {
    try {
      for (const s of rollupSources(read(rel))) {
        const earlier = counted.get(s.src);
        if (earlier) {
          if (outranks(s, earlier)) return false;
          continue;
        }
        if (outranks(s, chosen.get(s.src))) chosen.set(s.src, s);
      }
    } catch (error) {
      parts.problems.set(rel, `${rel}: ${(error as Error).message}`);
      failed.add(rel);
    }
  }
  for (const rel of rollups) {
    if (failed.has(rel)) continue;
    let decoded: ReturnType<typeof decodeRollup>;
    try {
      decoded = decodeRollup(read(rel), { keys: false, rows: 'packed' });
    } catch (error) {
      parts.problems.set(rel, `${rel}: ${(error as Error).message}`);
      continue;
    }
    decoded.entries.forEach((entry, i) => {
      const pick = chosen.get(entry.src);
      if (pick?.bytes !== entry.bytes || pick.sha !== entry.sha) return;
      chosen.delete(entry.src); // the same entry in a second file counts once
      parts.counted.set(entry.src, pick);
      parts.sums.addEntry(entry, (day) => (parts.keyDays[day] ??= []).includes(rel) || parts.keyDays[day]!.push(rel));
      addGapBaselines(parts.baselines, entry);
      const { base, names } = entry.packed!;
      for (const stored of decoded.rawEvents[i]!)
        if (!addStoredEvent(parts.events, stored, base * SLOT_MS, names)) parts.malformed++;
    });
  }
  return true;
}

function assemble(tz: string, rollups: string[], parts: Parts): BuiltBase {
  return assembleBase({
    tz,
    rollups,
    keyDays: parts.keyDays,
    baselines: Object.fromEntries([...parts.baselines].map(([key, t]) => [key, tupleOf(t)])),
    malformed: parts.malformed,
    problems: [...parts.problems.values()],
    items: parts.sums.items,
    events: parts.events,
  });
}

/**
 * What the rollups summed to, kept beside the base so rollups added later sum on top of it: JSON of
 * what its other pieces do not hold. The items are read back from its month tables, the latest
 * bindings from its sessions piece, the task events from its spec tables (assembleBase keeps only
 * the latest binding of each pair of sessions, and every task event once: what it makes of them
 * is the same).
 */
export interface BuildState {
  text: string;
}

interface StateJson {
  id: string;
  keyDays: BaseFile['keyDays'];
  baselines: Array<[string, number[]]>;
  malformed: number;
  problems: Array<[string, string]>;
  counted: Array<[string, number, string]>;
  sessions: LineOf<'session'>[];
  manual: LineOf<'manual'>[];
  commits: PackedCommit[];
  versions: Array<[string, string[], boolean]>;
}

/** Made before assembleBase, which adds the hand-logged items and sorts the events in place. */
function buildState(id: string, parts: Parts): BuildState {
  const e = parts.events;
  const json: StateJson = {
    id,
    keyDays: parts.keyDays,
    baselines: [...parts.baselines].map(([key, t]) => [key, tupleOf(t)]),
    malformed: parts.malformed,
    problems: [...parts.problems],
    counted: [...parts.counted].map(([src, c]) => [src, c.bytes, c.sha]),
    sessions: e.sessions,
    manual: e.manual,
    commits: e.commits,
    versions: [...e.versions].map(([cs, v]) => [cs, [...v.versions], v.costState]),
  };
  return { text: JSON.stringify(json) };
}

/** Whether kept sums have every field in its shape (a cache: anything else is built again). */
function wholeState(j: StateJson): boolean {
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const arrays = [j.baselines, j.problems, j.counted, j.sessions, j.manual, j.commits, j.versions];
  return (
    isObject(j.keyDays) &&
    Number.isSafeInteger(j.malformed) &&
    arrays.every(Array.isArray) &&
    j.baselines.every((b) => Array.isArray(b) && typeof b[0] === 'string' && Array.isArray(b[1])) &&
    j.counted.every((c) => Array.isArray(c) && typeof c[0] === 'string' && typeof c[1] === 'number') &&
    j.sessions.every((r) => isObject(r) && typeof r.t === 'string' && typeof r.ws === 'string') &&
    j.versions.every((v) => Array.isArray(v) && Array.isArray(v[1]))
  );
}

/** The parts the base `from` was assembled from (its items in time order); undefined when a piece is missing or of another base. */
function restoreState(state: BuildState, from: BasePieces, tz: string): Parts | undefined {
  let j: StateJson;
  try {
    j = JSON.parse(state.text) as StateJson;
  } catch {
    return undefined;
  }
  const sessions = from.sessions();
  if (j?.id !== from.base.id || sessions?.id !== from.base.id || !wholeState(j)) return undefined;
  const months: ItemTable[] = [];
  for (const month of from.base.months) {
    const table = from.month(month);
    if (!table) return undefined;
    months.push(table);
  }
  const events = new EventSink();
  events.sessions = j.sessions;
  events.manual = j.manual;
  events.commits = j.commits;
  for (const [cs, versions, costState] of j.versions)
    events.versions.set(cs, { versions: new Set(versions), costState });
  events.bindings = sessions.lastBinds.map((b) => [...b] as PackedBinding);
  for (const spec of from.base.taskSpecs) {
    const file = from.specTasks(spec);
    if (!file) return undefined;
    forEachTaskRow(file.events, (time, ws, task, done, source) =>
      events.tasks.push([time, ws, spec, task, done ? 1 : 0, source]),
    );
  }
  return {
    sums: UsageSums.restore(months, tz),
    keyDays: j.keyDays,
    baselines: new Map(j.baselines.map(([key, t]) => [key, tokensOf(t)])),
    events,
    malformed: j.malformed,
    problems: new Map(j.problems),
    counted: new Map(j.counted.map(([src, bytes, sha]) => [src, { bytes, sha }])),
  };
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

  /** The keys of a Claude session's restored items (see addEntry). */
  private keysOf(cs: string | null): Map<number | string, number> {
    const byKey = new Map<number | string, number>();
    const c = this.items.cells;
    const names = this.items.table.names;
    const name = (id: number) => (id < 0 ? null : names[id]!);
    const id = this.items.name(cs);
    for (let at = 0; at < this.restored * ITEM_WIDTH; at += ITEM_WIDTH) {
      if (c[at + 7] !== id) continue;
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

  /** An entry's rows; `onKeyDay` hears of each UTC day whose calls the entry keys. */
  addEntry(entry: RollupEntry, onKeyDay: (day: string) => void): void {
    const { base, rows, attributions, names } = entry.packed!;
    const { items } = this;
    let sums = this.byClaudeSession.get(entry.cs);
    if (!sums) this.byClaudeSession.set(entry.cs, (sums = this.restored ? this.keysOf(entry.cs) : new Map()));
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
