import fs from 'node:fs';
import path from 'node:path';
import { isLongContextPrompt } from '../pricing/price-call.js';
import { replaceFile } from './call-store.js';
import type { TokenCounts } from '../usage/tokens.js';
import type { CallTable } from './call-table.js';

/**
 * What `report` prints from, per Claude session, small enough to load on every run: usage summed
 * per (15-minute UTC slot, model, speed, long context) — every real time-zone offset is a multiple
 * of 15 minutes, so days, weeks and months in any zone are exact, and the pricing tier of each call
 * is kept, so prices are applied at read time — plus the session's span, its cost-state gaps, and
 * what is known of its Claude Code versions.
 */
export const SLOT_MS = 15 * 60 * 1000;

/** `[slot (ms / SLOT_MS), model (index in models), flags (1 fast, 2 long context), calls, in, out, 5m, 1h, read]` */
export type SummaryRow = number[];
/** Usage a cost-state line counts that no line shows: `[at (null: the session's last activity), model, in, out, 5m, 1h, read]` */
export type GapRow = [
  at: number | null,
  model: number,
  input: number,
  output: number,
  cacheWrite5m: number,
  cacheWrite1h: number,
  cacheRead: number,
];

export const FAST = 1;
export const LONG = 2;

export interface SessionSummary {
  project: string;
  /** First and last call of the session (its representative copies). */
  first: number;
  last: number;
  rows: SummaryRow[];
  gaps: GapRow[];
  /** Sessions whose calls this one holds copies of (it was forked from them). */
  parents?: string[];
  versions?: string[];
  costState?: boolean;
}

export interface HistorySummary {
  models: string[];
  sessions: Record<string, SessionSummary>;
}

export function emptySummary(): HistorySummary {
  return { models: [], sessions: {} };
}

export function loadSummary(dir: string): HistorySummary | undefined {
  try {
    const stored = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as HistorySummary & {
      version?: number;
    };
    return stored.version === 2 ? { models: stored.models, sessions: stored.sessions } : undefined;
  } catch {
    return undefined; // missing, torn or older: rebuilt from the calls
  }
}

export function saveSummary(dir: string, summary: HistorySummary): void {
  replaceFile(
    path.join(dir, 'summary.json'),
    JSON.stringify({ version: 2, models: summary.models, sessions: summary.sessions }),
  );
}

export function modelIndex(summary: HistorySummary, model: string): number {
  const at = summary.models.indexOf(model);
  return at >= 0 ? at : summary.models.push(model) - 1;
}

/** A session's rows and span from its calls (those it represents in `table`). */
export function summarizeSession(
  table: CallTable,
  calls: number[],
  summary: HistorySummary,
  previous: SessionSummary | undefined,
): SessionSummary {
  const rows = new Map<number, SummaryRow>();
  let first = Infinity;
  let last = -Infinity;
  let project = previous?.project ?? '';
  const models = new Map<string, number>();
  for (const i of calls) {
    const time = table.time(i);
    const tokens = table.tokens(i);
    const model = table.model(i);
    let m = models.get(model);
    if (m === undefined) models.set(model, (m = modelIndex(summary, model)));
    const flags = (table.fast(i) ? FAST : 0) | (isLongContextPrompt(tokens) ? LONG : 0);
    const slot = Math.floor(time / SLOT_MS);
    const key = (slot * 4096 + m) * 4 + flags;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = [slot, m, flags, 0, 0, 0, 0, 0, 0]));
    row[3]!++;
    row[4]! += tokens.input;
    row[5]! += tokens.output;
    row[6]! += tokens.cacheWrite5m;
    row[7]! += tokens.cacheWrite1h;
    row[8]! += tokens.cacheRead;
    if (time < first) {
      first = time;
      project = table.project(i);
    }
    last = Math.max(last, time);
  }
  const sorted = [...rows.values()].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!);
  return {
    ...previous,
    project,
    first: calls.length ? first : (previous?.first ?? 0),
    last: calls.length ? last : (previous?.last ?? 0),
    rows: sorted,
    gaps: previous?.gaps ?? [],
  };
}

export function gapRow(at: number | null, model: number, t: TokenCounts): GapRow {
  return [at, model, t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead];
}

/**
 * Every session's usage summed per (slot, model, tier, Claude Code versions): what daily, weekly
 * and monthly reports print from, a fraction of summary.json. Versions are kept as sets (usually a
 * handful), so a report over some days names exactly the versions of the sessions in them.
 */
export interface Calendar {
  models: string[];
  versionSets: string[][];
  /** Versions some session wrote a cost-state line with. */
  withCostState: string[];
  /** One flat array, 10 numbers a row: `slot, model, flags, version set, calls, in, out, 5m, 1h, read` (parses fast). */
  rows: number[];
}

export const CALENDAR_ROW = 10;

export function calendarOf(summary: HistorySummary): Calendar {
  const sets = new Map<string, number>();
  const bySlot = new Map<number, number[][]>(); // slot → its rows (a few per slot)
  const withCostState = new Set<string>();
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
    if (s.costState) for (const v of s.versions ?? []) withCostState.add(v);
    for (const r of s.rows) add(r[0]!, r[1]!, r[2]!, set, r[3]!, r, 4);
    for (const g of s.gaps) add(Math.floor((g[0] ?? s.last) / SLOT_MS), g[1], 0, set, 1, g as number[], 2);
  }
  const rows: number[] = [];
  for (const slot of [...bySlot.keys()].sort((a, b) => a - b)) for (const row of bySlot.get(slot)!) rows.push(...row);
  const versionSets = [...sets.keys()].map((v) => (v ? v.split('\n') : []));
  return { models: summary.models, versionSets, withCostState: [...withCostState].sort(), rows };
}

export function loadCalendar(dir: string): Calendar | undefined {
  try {
    const stored = JSON.parse(fs.readFileSync(path.join(dir, 'calendar.json'), 'utf8')) as Calendar & {
      version?: number;
    };
    return stored.version === 2 ? stored : undefined;
  } catch {
    return undefined; // missing, torn or older: rebuilt from the calls
  }
}

export function saveCalendar(dir: string, calendar: Calendar): void {
  replaceFile(path.join(dir, 'calendar.json'), JSON.stringify({ version: 2, ...calendar }));
}

/** What a session adds to the calendar (references: an update replaces these, never edits them). */
export type Contribution = Pick<SessionSummary, 'rows' | 'gaps' | 'versions' | 'last'>;

export function contributions(summary: HistorySummary): Map<string, Contribution> {
  return new Map(
    Object.entries(summary.sessions).map(([s, e]) => [
      s,
      { rows: e.rows, gaps: e.gaps, versions: e.versions, last: e.last },
    ]),
  );
}

/**
 * The calendar after an update, from the one before it: the sessions whose rows, gaps, versions or
 * last activity changed are taken out as they were and put back as they are (rows are sorted by
 * slot, so each is found by binary search). The same result as calendarOf, for a few sessions' work.
 */
export function patchCalendar(
  calendar: Calendar,
  before: Map<string, Contribution>,
  summary: HistorySummary,
): Calendar {
  const sets = new Map(calendar.versionSets.map((v, i) => [v.join('\n'), i]));
  const setOf = (versions: string[] | undefined) => {
    const key = versions?.join('\n') ?? '';
    let set = sets.get(key);
    if (set === undefined) sets.set(key, (set = calendar.versionSets.push(versions ?? []) - 1));
    return set;
  };
  const rows = calendar.rows;
  const inserts: number[][] = [];
  const apply = (c: Contribution, sign: number) => {
    const set = setOf(c.versions);
    const put = (slot: number, model: number, flags: number, calls: number, tokens: number[], from: number) => {
      let at = lowerBound(rows, slot);
      for (; at < rows.length && rows[at] === slot; at += CALENDAR_ROW)
        if (rows[at + 1] === model && rows[at + 2] === flags && rows[at + 3] === set) break;
      if (at < rows.length && rows[at] === slot) {
        rows[at + 4]! += sign * calls;
        for (let k = 0; k < 5; k++) rows[at + 5 + k]! += sign * tokens[from + k]!;
        return;
      }
      const row = inserts.find((r) => r[0] === slot && r[1] === model && r[2] === flags && r[3] === set);
      if (row) {
        row[4]! += sign * calls;
        for (let k = 0; k < 5; k++) row[5 + k]! += sign * tokens[from + k]!;
      } else
        inserts.push([slot, model, flags, set, sign * calls, ...[0, 1, 2, 3, 4].map((k) => sign * tokens[from + k]!)]);
    };
    for (const r of c.rows) put(r[0]!, r[1]!, r[2]!, r[3]!, r, 4);
    for (const g of c.gaps) put(Math.floor((g[0] ?? c.last) / SLOT_MS), g[1], 0, 1, g as number[], 2);
  };
  for (const [s, old] of before) {
    const now = summary.sessions[s];
    if (now && now.rows === old.rows && now.gaps === old.gaps && now.versions === old.versions && now.last === old.last)
      continue;
    apply(old, -1);
    if (now) apply(now, 1);
  }
  for (const [s, now] of Object.entries(summary.sessions)) if (!before.has(s)) apply(now, 1);
  // Rebuild: drop rows that came to nothing, merge in the new ones (sorted by slot).
  const added = inserts.filter((r) => r[4] !== 0).sort((a, b) => a[0]! - b[0]!);
  const out: number[] = [];
  let n = 0;
  for (let at = 0; at <= rows.length; at += CALENDAR_ROW) {
    const slot = at < rows.length ? rows[at]! : Infinity;
    while (n < added.length && added[n]![0]! <= slot) out.push(...added[n++]!);
    if (at < rows.length && rows[at + 4] !== 0) for (let k = 0; k < CALENDAR_ROW; k++) out.push(rows[at + k]!);
  }
  const withCostState = new Set<string>();
  for (const e of Object.values(summary.sessions))
    if (e.costState) for (const v of e.versions ?? []) withCostState.add(v);
  return {
    models: summary.models,
    versionSets: calendar.versionSets,
    withCostState: [...withCostState].sort(),
    rows: out,
  };
}

/** The position of the first row with `slot` or a later one. */
function lowerBound(rows: number[], slot: number): number {
  let lo = 0;
  let hi = rows.length / CALENDAR_ROW;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid * CALENDAR_ROW]! < slot) lo = mid + 1;
    else hi = mid;
  }
  return lo * CALENDAR_ROW;
}
