import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CalendarDays, dayNumbers, daysOf } from './calendar-days.js';
import { CALENDAR_ROW, Patch } from './calendar-rows.js';
import { replaceFile } from './call-store.js';
import { SLOT_MS, type HistorySummary, type SessionSummary } from './summary.js';
import { contributionOf, type Contribution, type SummaryStore } from './summary-store.js';

export { CALENDAR_ROW } from './calendar-rows.js';

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
  /** The rows summed by day in the zone reports last asked for (kept with the rows, patched with them). */
  days?: CalendarDays;
}

/**
 * calendar.bin: `SSCL`, the header's length (uint32), the header (JSON: all but the rows), padding
 * to 8 bytes, then the rows as float64 (exact to 2^53), in this machine's byte order. One file
 * replaced at once; read without parsing the rows.
 */
const FILE = 'calendar.bin';
const MAGIC = 'SSCL';
const VERSION = 3;
const ENDIAN = os.endianness();

/** The calendar of a whole summary; with `tz`, its rows summed by day in that zone too. */
export function calendarOf(summary: HistorySummary, tz?: string): Calendar {
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
  return {
    models: summary.models,
    versionSets,
    ...costStateLists(costState),
    rows,
    ...(tz ? { days: daysOf(rows, tz) } : {}),
  };
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
    const header = JSON.parse(bytes.toString('utf8', 8, 8 + length)) as Omit<Calendar, 'rows' | 'days'> & {
      version: number;
      endian: string;
      rowCount: number;
      daysTz?: unknown;
      dayCount?: number;
    };
    if (header.version !== VERSION || header.endian !== ENDIAN) return undefined;
    const start = rowsStart(length);
    // Day rows follow the slot rows (an earlier build writes none, and no daysTz).
    const dayCount = typeof header.daysTz === 'string' && Number.isSafeInteger(header.dayCount) ? header.dayCount! : 0;
    const end = start + header.rowCount * CALENDAR_ROW * 8;
    if (bytes.length !== end + dayCount * CALENDAR_ROW * 8) return undefined; // torn
    // Copied out: the rows must start at a multiple of 8 in memory, which a file's buffer may not.
    const rows = new Float64Array(header.rowCount * CALENDAR_ROW);
    new Uint8Array(rows.buffer).set(bytes.subarray(start, end));
    const { version: _v, endian: _e, rowCount: _n, daysTz, dayCount: _d, ...rest } = header;
    if (daysTz === undefined || typeof daysTz !== 'string') return { ...rest, rows };
    const days = new Float64Array(dayCount * CALENDAR_ROW);
    new Uint8Array(days.buffer).set(bytes.subarray(end));
    return { ...rest, rows, days: { tz: daysTz, rows: days } };
  } catch {
    return undefined; // missing, torn or older: rebuilt from the calls
  }
}

export function saveCalendar(dir: string, calendar: Calendar): void {
  const { rows, days, ...rest } = calendar;
  const header = Buffer.from(
    JSON.stringify({
      version: VERSION,
      endian: ENDIAN,
      rowCount: rows.length / CALENDAR_ROW,
      ...rest,
      ...(days ? { daysTz: days.tz, dayCount: days.rows.length / CALENDAR_ROW } : {}),
    }),
  );
  const start = rowsStart(header.length);
  const out = Buffer.alloc(start + rows.byteLength + (days?.rows.byteLength ?? 0));
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  out.set(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength), start);
  if (days)
    out.set(new Uint8Array(days.rows.buffer, days.rows.byteOffset, days.rows.byteLength), start + rows.byteLength);
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
export function patchCalendar(calendar: Calendar, summary: SummaryStore, tz?: string): Calendar {
  const sets = new Map(calendar.versionSets.map((v, i) => [v.join('\n'), i]));
  const setOf = (versions: string[] | undefined) => {
    const key = versions?.join('\n') ?? '';
    let set = sets.get(key);
    if (set === undefined) sets.set(key, (set = calendar.versionSets.push(versions ?? []) - 1));
    return set;
  };
  const costState = new Map(calendar.withCostState.map((v, i) => [v, calendar.costStateSessions[i]!]));
  const slots = new Patch(calendar.rows);
  // Day rows kept in this zone are patched alongside (the same changes, at each slot's day); in
  // another zone they are summed afresh from the patched rows.
  const days = tz !== undefined && calendar.days?.tz === tz ? new Patch(calendar.days.rows) : undefined;
  const dayOf = days && dayNumbers(tz!);
  const apply = (c: Contribution, sign: number) => {
    const set = setOf(c.versions);
    if (c.costState) for (const v of c.versions ?? []) costState.set(v, (costState.get(v) ?? 0) + sign);
    const put = (slot: number, model: number, flags: number, calls: number, tokens: number[], from: number) => {
      slots.add(slot, model, flags, set, sign, calls, tokens, from);
      days?.add(dayOf!(slot), model, flags, set, sign, calls, tokens, from);
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
  const rows = slots.result();
  return {
    models: summary.models,
    versionSets: calendar.versionSets,
    ...costStateLists(costState),
    rows,
    ...(tz === undefined ? {} : { days: days ? { tz, rows: days.result() } : daysOf(rows, tz) }),
  };
}

const unchanged = (now: SessionSummary, old: Contribution) =>
  now.rows === old.rows &&
  now.gaps === old.gaps &&
  now.versions === old.versions &&
  now.last === old.last &&
  (now.costState === true) === old.costState;
