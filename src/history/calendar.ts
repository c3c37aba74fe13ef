import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replaceFile } from './call-store.js';
import { SLOT_MS, type HistorySummary, type SessionSummary } from './summary.js';
import { contributionOf, type Contribution, type SummaryStore } from './summary-store.js';

/**
 * Every session's usage summed per (slot, model, tier, Claude Code versions): what daily, weekly
 * and monthly reports print from, a fraction of the summary. Versions are kept as sets (usually a
 * handful), so a report over some days names exactly the versions of the sessions in them.
 */
export interface Calendar {
  models: string[];
  versionSets: string[][];
  /** Versions some session wrote a cost-state line with. */
  withCostState: string[];
  /** How many sessions did so, for each of `withCostState` (so an update can patch the list). */
  costStateSessions: number[];
  /** 10 numbers a row, sorted by slot: `slot, model, flags, version set, calls, in, out, 5m, 1h, read`. */
  rows: Float64Array;
}

export const CALENDAR_ROW = 10;

/**
 * calendar.bin: `SSCL`, the header's length (uint32), the header (JSON: all but the rows), padding
 * to 8 bytes, then the rows as float64 (exact to 2^53), in this machine's byte order. One file
 * replaced at once; read without parsing the rows.
 */
const FILE = 'calendar.bin';
const MAGIC = 'SSCL';
const VERSION = 3;
const ENDIAN = os.endianness();

export function calendarOf(summary: HistorySummary): Calendar {
  const sets = new Map<string, number>();
  const bySlot = new Map<number, number[][]>(); // slot → its rows (a few per slot)
  const costState = new Map<string, number>();
  const add = (
    slot: number,
    model: number,
    flags: number,
    set: number,
    calls: number,
    tokens: number[],
    from: number,
  ) => {
    let rows = bySlot.get(slot);
    if (!rows) bySlot.set(slot, (rows = []));
    let row = rows.find((r) => r[1] === model && r[2] === flags && r[3] === set);
    if (!row) rows.push((row = [slot, model, flags, set, 0, 0, 0, 0, 0, 0]));
    row[4]! += calls;
    for (let k = 0; k < 5; k++) row[5 + k]! += tokens[from + k]!;
  };
  for (const s of Object.values(summary.sessions)) {
    const versions = s.versions?.join('\n') ?? '';
    let set = sets.get(versions);
    if (set === undefined) sets.set(versions, (set = sets.size));
    if (s.costState) for (const v of s.versions ?? []) costState.set(v, (costState.get(v) ?? 0) + 1);
    for (const r of s.rows) add(r[0]!, r[1]!, r[2]!, set, r[3]!, r, 4);
    for (const g of s.gaps) add(Math.floor((g[0] ?? s.last) / SLOT_MS), g[1], 0, set, 1, g as number[], 2);
  }
  const rows = new Float64Array(CALENDAR_ROW * [...bySlot.values()].reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const slot of [...bySlot.keys()].sort((a, b) => a - b))
    for (const row of bySlot.get(slot)!) {
      rows.set(row, at);
      at += CALENDAR_ROW;
    }
  const versionSets = [...sets.keys()].map((v) => (v ? v.split('\n') : []));
  return { models: summary.models, versionSets, ...costStateLists(costState), rows };
}

function costStateLists(counts: Map<string, number>): Pick<Calendar, 'withCostState' | 'costStateSessions'> {
  const withCostState = [...counts.keys()].filter((v) => counts.get(v)! > 0).sort();
  return { withCostState, costStateSessions: withCostState.map((v) => counts.get(v)!) };
}

export function loadCalendar(dir: string): Calendar | undefined {
  try {
    const bytes = fs.readFileSync(path.join(dir, FILE));
    if (bytes.toString('latin1', 0, 4) !== MAGIC) return undefined;
    const length = bytes.readUInt32LE(4);
    const header = JSON.parse(bytes.toString('utf8', 8, 8 + length)) as Omit<Calendar, 'rows'> & {
      version: number;
      endian: string;
      rowCount: number;
    };
    if (header.version !== VERSION || header.endian !== ENDIAN) return undefined;
    const start = rowsStart(length);
    if (bytes.length !== start + header.rowCount * CALENDAR_ROW * 8) return undefined; // torn
    // Copied out: the rows must start at a multiple of 8 in memory, which a file's buffer may not.
    const rows = new Float64Array(header.rowCount * CALENDAR_ROW);
    new Uint8Array(rows.buffer).set(bytes.subarray(start));
    const { version: _v, endian: _e, rowCount: _n, ...rest } = header;
    return { ...rest, rows };
  } catch {
    return undefined; // missing, torn or older: rebuilt from the calls
  }
}

export function saveCalendar(dir: string, calendar: Calendar): void {
  const { rows, ...rest } = calendar;
  const header = Buffer.from(
    JSON.stringify({ version: VERSION, endian: ENDIAN, rowCount: rows.length / CALENDAR_ROW, ...rest }),
  );
  const start = rowsStart(header.length);
  const out = Buffer.alloc(start + rows.byteLength);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  out.set(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength), start);
  replaceFile(path.join(dir, FILE), out);
  fs.rmSync(path.join(dir, 'calendar.json'), { force: true }); // an earlier version's, now stale
}

const rowsStart = (headerLength: number) => Math.ceil((8 + headerLength) / 8) * 8;

/**
 * The calendar after an update, from the one before it: the sessions whose rows, gaps, versions,
 * cost-state or last activity changed are taken out as they were when their shard was loaded and
 * put back as they are (rows are sorted by slot, so each is found by binary search). The same sums
 * as calendarOf, for a few sessions' work: only the shards an update loaded are looked at.
 */
export function patchCalendar(calendar: Calendar, summary: SummaryStore): Calendar {
  const sets = new Map(calendar.versionSets.map((v, i) => [v.join('\n'), i]));
  const setOf = (versions: string[] | undefined) => {
    const key = versions?.join('\n') ?? '';
    let set = sets.get(key);
    if (set === undefined) sets.set(key, (set = calendar.versionSets.push(versions ?? []) - 1));
    return set;
  };
  const costState = new Map(calendar.withCostState.map((v, i) => [v, calendar.costStateSessions[i]!]));
  const rows = calendar.rows;
  const inserts: number[][] = [];
  const apply = (c: Contribution, sign: number) => {
    const set = setOf(c.versions);
    if (c.costState) for (const v of c.versions ?? []) costState.set(v, (costState.get(v) ?? 0) + sign);
    const put = (slot: number, model: number, flags: number, calls: number, tokens: number[], from: number) => {
      let at = lowerBound(rows, slot);
      for (; at < rows.length && rows[at] === slot; at += CALENDAR_ROW)
        if (rows[at + 1] === model && rows[at + 2] === flags && rows[at + 3] === set) break;
      let row: Float64Array | number[] | undefined;
      if (at < rows.length && rows[at] === slot) row = rows;
      else {
        const found = inserts.find((r) => r[0] === slot && r[1] === model && r[2] === flags && r[3] === set);
        if (found) row = found;
        else inserts.push((row = [slot, model, flags, set, 0, 0, 0, 0, 0, 0]));
        at = 0;
      }
      row[at + 4]! += sign * calls;
      for (let k = 0; k < 5; k++) row[at + 5 + k]! += sign * tokens[from + k]!;
    };
    for (const r of c.rows) put(r[0]!, r[1]!, r[2]!, r[3]!, r, 4);
    for (const g of c.gaps) put(Math.floor((g[0] ?? c.last) / SLOT_MS), g[1], 0, 1, g as number[], 2);
  };
  for (const [s, old] of summary.before) {
    const now = summary.get(s);
    if (now && unchanged(now, old)) continue;
    apply(old, -1);
    if (now) apply(contributionOf(now), 1);
  }
  summary.eachLoaded((s, now) => {
    if (!summary.before.has(s)) apply(contributionOf(now), 1);
  });
  return {
    models: summary.models,
    versionSets: calendar.versionSets,
    ...costStateLists(costState),
    rows: withRows(
      rows,
      inserts.filter((r) => r[4] !== 0),
    ),
  };
}

const unchanged = (now: SessionSummary, old: Contribution) =>
  now.rows === old.rows &&
  now.gaps === old.gaps &&
  now.versions === old.versions &&
  now.last === old.last &&
  (now.costState === true) === old.costState;

/** `rows` without those that came to nothing, with `added` in place (by slot). */
function withRows(rows: Float64Array, added: number[][]): Float64Array {
  let emptied = 0;
  for (let at = 0; at < rows.length; at += CALENDAR_ROW) if (rows[at + 4] === 0) emptied++;
  if (emptied === 0 && added.length === 0) return rows;
  const sorted = added.sort((a, b) => a[0]! - b[0]!);
  const out = new Float64Array(rows.length + (added.length - emptied) * CALENDAR_ROW);
  let o = 0;
  let n = 0;
  for (let at = 0; at <= rows.length; at += CALENDAR_ROW) {
    const slot = at < rows.length ? rows[at]! : Infinity;
    for (; n < sorted.length && sorted[n]![0]! <= slot; o += CALENDAR_ROW) out.set(sorted[n++]!, o);
    if (at < rows.length && rows[at + 4] !== 0) {
      out.set(rows.subarray(at, at + CALENDAR_ROW), o);
      o += CALENDAR_ROW;
    }
  }
  return out;
}

/** The position of the first row with `slot` or a later one. */
function lowerBound(rows: Float64Array, slot: number): number {
  let lo = 0;
  let hi = rows.length / CALENDAR_ROW;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid * CALENDAR_ROW]! < slot) lo = mid + 1;
    else hi = mid;
  }
  return lo * CALENDAR_ROW;
}
