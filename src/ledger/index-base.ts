import fs from 'node:fs';
import path from 'node:path';
import { dayKey } from '../time/zoned.js';
import { applySessionRecord, dedupeBy, type UsageItem, type WorkSession } from './fold.js';
import { LedgerLineSchema, type LedgerLine, type LineOf } from './ledger-schema.js';
import { packItems, type PackedItems } from './packed-items.js';
import { contentHash, decodeRollup, rollupSources, SLOT_MS, type RollupEntry } from './rollup-format.js';

/** Bumped whenever what the index stores changes: an index of another version is rebuilt. */
export const INDEX_VERSION = 5;

/** Rolled-up usage as the index keeps it: what most reads need, in one small file. */
export interface BaseFile {
  v: number;
  tz: string;
  /** Identifies this base: a live file built on another base is discarded. */
  id: string;
  rollups: string[];
  /** UTC day → rollup files holding call keys of that day (to tell a raw copy of a rolled-up call). */
  keyDays: Record<string, string[]>;
  baselines: Record<string, [number, number, number, number, number]>;
  malformed: number;
  problems: string[];
  /** Months (YYYY-MM, in `tz`) with usage, each in a file of its own. */
  months: string[];
  /** Folded work sessions: [name, spec, started, ended, Claude sessions]. */
  sessions: Array<[string, string, number, number | null, string[]]>;
  /** The latest binding of each (work session, Claude session) pair: [time, cs, ws, spec, task, why]. */
  lastBinds: PackedBinding[];
  manual: LineOf<'manual'>[];
  models: string[];
  /** Which months hold a work session's, or a task's ("spec\u0000task"), usage. */
  wsMonths: Record<string, string[]>;
  taskMonths: Record<string, string[]>;
}

export type PackedBinding = [number, string, string | null, string | null, string | null, string];
export type PackedTaskEvent = [number, string | null, string, string, 0 | 1, string];

/** Task events and the whole binding history: only a few reads need them, so they have their own file. */
export interface EventsFile {
  tasks: PackedTaskEvent[];
  bindings: PackedBinding[];
}

/**
 * Reads every rollup file once and sums it: rows into items per day (in `tz`), Claude session,
 * attribution, model, pricing tier and kind, grouped by month; workflow events folded. Of two
 * entries for the same source file (two clones rolled it up at different sizes), the larger is
 * used, as the full fold does.
 */
export function buildBase(ledgerDir: string, rollups: string[], tz: string): { base: BaseFile; months: Map<string, PackedItems>; events: EventsFile } {
  const problems: string[] = [];
  const texts = new Map<string, string>();
  const chosen = new Map<string, { bytes: number; sha: string }>();
  for (const rel of rollups) {
    try {
      const text = fs.readFileSync(path.join(ledgerDir, rel), 'utf8');
      for (const s of rollupSources(text)) {
        const seen = chosen.get(s.src);
        if (!seen || s.bytes > seen.bytes || (s.bytes === seen.bytes && s.sha < seen.sha)) chosen.set(s.src, s);
      }
      texts.set(rel, text);
    } catch (error) {
      problems.push(`${rel}: ${(error as Error).message}`);
    }
  }
  const sums = new Map<string, UsageItem>();
  const keyDays: Record<string, string[]> = {};
  const baselines: BaseFile['baselines'] = {};
  const events: LedgerLine[] = [];
  let malformed = 0;
  for (const [rel, text] of texts) {
    let decoded;
    try {
      decoded = decodeRollup(text, { keys: false });
    } catch (error) {
      problems.push(`${rel}: ${(error as Error).message}`);
      continue;
    }
    texts.delete(rel); // read once: the text is no longer needed
    decoded.entries.forEach((entry, i) => {
      const pick = chosen.get(entry.src);
      if (pick?.bytes !== entry.bytes || pick.sha !== entry.sha) return;
      chosen.delete(entry.src); // the same entry in a second file counts once
      sumRows(entry, tz, sums, (day) => (keyDays[day] ??= []).includes(rel) || keyDays[day]!.push(rel));
      for (const [model, t] of Object.entries(entry.gaps)) {
        const key = `${entry.cs}|${model}`;
        baselines[key] = (baselines[key] ?? [0, 0, 0, 0, 0]).map((v, k) => Math.max(v, t[k]!)) as BaseFile['baselines'][string];
      }
      for (const raw of decoded.rawEvents[i]!) {
        const parsed = LedgerLineSchema.safeParse(raw);
        if (parsed.success) events.push(parsed.data);
        else malformed++;
      }
    });
  }
  return assemble({ tz, rollups, keyDays, baselines, malformed, problems, items: [...sums.values()], events });
}

/** Rows summed into items per day (in `tz`); `keyDay` hears of each UTC day whose calls the entry keys. */
function sumRows(entry: RollupEntry, tz: string, sums: Map<string, UsageItem>, keyDay: (day: string) => void): void {
  for (const row of entry.rows) {
    if (row.kind === 'call') keyDay(new Date(row.slot * SLOT_MS).toISOString().slice(0, 10));
    const [ws, spec, task] = row.attribution;
    const day = dayKey(row.first, tz);
    const id = `${day}\u0000${row.kind}\u0000${entry.cs}\u0000${ws}\u0000${spec}\u0000${task}\u0000${row.model}\u0000${row.fast}\u0000${row.longContext}`;
    let item = sums.get(id);
    if (!item) {
      item = { kind: row.kind, key: id, time: row.first, first: row.first, last: row.last, calls: 0, longContext: row.longContext, model: row.model, cs: entry.cs, speed: row.fast ? 'fast' : 'standard', tokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }, ws, spec, task };
      sums.set(id, item);
    }
    const t = item.tokens;
    t.input += row.tokens[0];
    t.output += row.tokens[1];
    t.cacheWrite5m += row.tokens[2];
    t.cacheWrite1h += row.tokens[3];
    t.cacheRead += row.tokens[4];
    item.calls += row.calls;
    if (row.first < item.first) item.first = item.time = row.first;
    if (row.last > item.last) item.last = row.last;
  }
}

function assemble(parts: { tz: string; rollups: string[]; keyDays: BaseFile['keyDays']; baselines: BaseFile['baselines']; malformed: number; problems: string[]; items: UsageItem[]; events: LedgerLine[] }) {
  const by = <K extends LedgerLine['k']>(k: K) => parts.events.filter((l): l is LineOf<K> => l.k === k);
  const manual = dedupeBy(by('manual'), (m) => m.id);
  for (const m of manual) {
    const time = Date.parse(m.t);
    parts.items.push({ kind: 'manual', key: m.id, time, first: time, last: time, calls: 1, longContext: false, model: m.model, cs: null, speed: 'standard', tokens: { input: m.in, output: m.out, cacheWrite5m: m.cw5, cacheWrite1h: m.cw1h, cacheRead: m.cr }, ws: m.ws, spec: m.spec, task: m.task });
  }
  const byMonth = new Map<string, UsageItem[]>();
  const wsMonths: Record<string, Set<string>> = {};
  const taskMonths: Record<string, Set<string>> = {};
  const models = new Set<string>();
  for (const item of parts.items.sort((a, b) => a.time - b.time)) {
    const month = dayKey(item.time, parts.tz).slice(0, 7);
    (byMonth.get(month) ?? byMonth.set(month, []).get(month)!).push(item);
    if (item.ws) (wsMonths[item.ws] ??= new Set()).add(month);
    if (item.spec && item.task) (taskMonths[`${item.spec}\u0000${item.task}`] ??= new Set()).add(month);
    models.add(item.model);
  }
  const sessions = new Map<string, WorkSession>();
  for (const s of by('session').sort((a, b) => a.t.localeCompare(b.t))) applySessionRecord(sessions, s);
  const bindings = dedupeBy(
    by('bind').map((b): PackedBinding => [Date.parse(b.t), b.cs, b.ws, b.spec, b.task, b.why]),
    (b) => b.slice(0, 5).join('\u0000'),
  ).sort((a, b) => a[0] - b[0]);
  const last = new Map<string, PackedBinding>();
  for (const b of bindings) {
    last.set(`${b[2]}\u0000${b[1]}`, b);
    if (b[2]) sessions.get(b[2])?.claudeSessions.add(b[1]);
  }
  const tasks = dedupeBy(
    by('task').map((t): PackedTaskEvent => [Date.parse(t.t), t.ws, t.spec, t.task, t.event === 'done' ? 1 : 0, t.source]),
    (e) => e.slice(0, 5).join('\u0000'),
  ).sort((a, b) => a[0] - b[0]);
  const months = new Map([...byMonth].map(([month, items]) => [month, packItems(items)]));
  const sorted = (o: Record<string, Set<string>>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [...v].sort()]));
  const base: BaseFile = {
    v: INDEX_VERSION,
    tz: parts.tz,
    id: contentHash(`${INDEX_VERSION}\n${parts.tz}\n${parts.rollups.join('\n')}`),
    rollups: parts.rollups,
    keyDays: parts.keyDays,
    baselines: parts.baselines,
    malformed: parts.malformed,
    problems: parts.problems,
    months: [...months.keys()].sort(),
    sessions: [...sessions.values()].map((s) => [s.name, s.spec, s.started, s.ended, [...s.claudeSessions].sort()]),
    lastBinds: [...last.values()].sort((a, b) => a[0] - b[0]),
    manual,
    models: [...models].sort(),
    wsMonths: sorted(wsMonths),
    taskMonths: sorted(taskMonths),
  };
  return { base, months, events: { tasks, bindings } };
}
