import fs from 'node:fs';
import path from 'node:path';
import { dayKey } from '../time/zoned.js';
import { applySessionRecord, dedupeBy, manualUsageItem, type WorkSession } from './fold-events.js';
import { addUsage, type UsageItem } from './usage-item.js';
import { checkRecord, type LedgerLine, type LineOf } from './ledger-schema.js';
import type { Phase } from './records.js';
import { packItems, type PackedItems } from './packed-items.js';
import { outranks } from './rolled-up.js';
import { decodeRollup, rollupSources } from './rollup-decode.js';
import { contentHash, rowFlags, SLOT_MS, type RollupEntry } from './rollup-format.js';
import { addVersionRecord, type ClaudeCodeSeen, claudeCodeSeen, type SessionVersions } from './claude-versions.js';

/** Bumped whenever what the index stores changes: an index of another version is rebuilt. */
export const INDEX_VERSION = 7;

/** Rolled-up usage as the index keeps it: what the hot reads need, in one small file. */
export interface BaseFile {
  v: number;
  tz: string;
  /** Identifies this base: the other files and a live file built on another base are discarded. */
  id: string;
  rollups: string[];
  /** UTC day → rollup files holding call keys of that day (to tell a raw copy of a rolled-up call). */
  keyDays: Record<string, string[]>;
  malformed: number;
  problems: string[];
  /** Months (YYYY-MM, in `tz`) with usage, each in a file of its own. */
  months: string[];
  models: string[];
  /** Which months hold a task's usage ("spec\u0000task"), and its sums over all time (per model and tier). */
  taskMonths: Record<string, string[]>;
  taskSums: Record<string, PackedItems>;
  /** The Claude Code versions the rolled-up records name (a few strings: every report may show them). */
  claudeCode: ClaudeCodeSeen;
}

/** Work sessions and what reads of them need: a file of its own (a team's year has thousands). */
export interface SessionsFile {
  id: string;
  /** Folded work sessions: [name, spec, started, ended, Claude sessions]. */
  sessions: Array<[string, string, number, number | null, string[]]>;
  /** The latest binding of each (work session, Claude session) pair. */
  lastBinds: PackedBinding[];
  /** Which months hold a work session's usage. */
  wsMonths: Record<string, string[]>;
  manual: LineOf<'manual'>[];
}

/** Per (Claude session, model): the cumulative cost-state gap rollups already count. */
export interface GapsFile {
  id: string;
  baselines: Record<string, [number, number, number, number, number]>;
}

/** [time, cs, ws, spec, task, why] */
export type PackedBinding = [number, string, string | null, string | null, string | null, string];
/** [time, ws, spec, task, done, source] */
export type PackedTaskEvent = [number, string | null, string, string, 0 | 1, string];

/** Task events and the whole binding history: only a few reads need them, so they have their own file. */
export interface EventsFile {
  id: string;
  tasks: PackedTaskEvent[];
  bindings: PackedBinding[];
  /** Commits Claude sessions made: [time, cs, sha, branch]. */
  commits: Array<[number, string, string, string | null]>;
}

/** The index's base, built from the rollup files: every piece, each written to a file of its own. */
export interface BuiltBase {
  base: BaseFile;
  sessions: SessionsFile;
  gaps: GapsFile;
  events: EventsFile;
  months: Map<string, PackedItems>;
}

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
    sums: new Map<string, UsageItem>(),
    keyDays: {} as BaseFile['keyDays'],
    baselines: {} as GapsFile['baselines'],
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
      sumRows(
        entry,
        tz,
        parts.sums,
        (day) => (parts.keyDays[day] ??= []).includes(rel) || parts.keyDays[day]!.push(rel),
      );
      for (const [model, t] of Object.entries(entry.gaps)) {
        const key = `${entry.cs}|${model}`;
        parts.baselines[key] = (parts.baselines[key] ?? [0, 0, 0, 0, 0]).map((v, k) =>
          Math.max(v, t[k]!),
        ) as GapsFile['baselines'][string];
      }
      for (const raw of decoded.rawEvents[i]!) {
        const record =
          typeof raw === 'object' && raw !== null ? checkRecord(raw as Record<string, unknown>) : undefined;
        if (record) parts.events.add(record);
        else parts.malformed++;
      }
    });
  }
  return assemble({
    tz,
    rollups,
    keyDays: parts.keyDays,
    baselines: parts.baselines,
    malformed: parts.malformed,
    problems: [...problems.values()],
    items: [...parts.sums.values()],
    events: parts.events,
  });
}

/** Packed events sorted by time, a record written twice kept once (equal in its first five fields). */
function uniqueSorted<T extends readonly unknown[]>(events: T[]): T[] {
  const sorted = events.sort(
    (a, b) =>
      (a[0] as number) - (b[0] as number) ||
      String(a[1]).localeCompare(String(b[1])) ||
      String(a[2]).localeCompare(String(b[2])) ||
      String(a[3]).localeCompare(String(b[3])) ||
      String(a[4]).localeCompare(String(b[4])),
  );
  return sorted.filter((e, i) => i === 0 || [0, 1, 2, 3, 4].some((k) => e[k] !== sorted[i - 1]![k]));
}

/** Workflow events as they are read, kept packed (a team's year holds a hundred thousand). */
class EventSink {
  sessions: LineOf<'session'>[] = [];
  manual: LineOf<'manual'>[] = [];
  bindings: PackedBinding[] = [];
  tasks: PackedTaskEvent[] = [];
  commits: EventsFile['commits'] = [];
  versions: SessionVersions = new Map();
  add(e: LedgerLine): void {
    if (e.k === 'version') addVersionRecord(this.versions, e);
    if (e.k === 'git' && e.event === 'commit') this.commits.push([Date.parse(e.t), e.cs, e.sha, e.branch]);
    if (e.k === 'session') this.sessions.push(e);
    else if (e.k === 'manual') this.manual.push(e);
    else if (e.k === 'bind') this.bindings.push([Date.parse(e.t), e.cs, e.ws, e.spec, e.task, e.why]);
    else if (e.k === 'task')
      this.tasks.push([Date.parse(e.t), e.ws, e.spec, e.task, e.event === 'done' ? 1 : 0, e.source]);
  }
}

/**
 * An entry's rows summed into items per day (in `tz`): first within the entry, keyed by the stored
 * row's own small numbers (no object per row), then into `sums` across entries. `keyDay` hears of
 * each UTC day whose calls the entry keys.
 */
function sumRows(entry: RollupEntry, tz: string, sums: Map<string, UsageItem>, keyDay: (day: string) => void): void {
  const { base, rows, attributions, names } = entry.packed!;
  const local = new Map<string, UsageItem>();
  let lastUtcDay = -1;
  for (const r of rows) {
    const slot = base + r[0]!;
    const flags = r[3]!;
    const first = slot * SLOT_MS + r[10]!;
    const last = slot * SLOT_MS + (r.length === 12 ? r[11]! : r[10]!);
    const utc = Math.floor(slot / SLOTS_PER_DAY);
    if ((flags & 4) === 0 && utc !== lastUtcDay)
      keyDay(new Date((lastUtcDay = utc) * 86_400_000).toISOString().slice(0, 10));
    const id = `${dayKey(first, tz)}|${r[1]}|${r[2]}|${flags}`;
    let item = local.get(id);
    if (!item) {
      const [ws, spec, task, phase, branch, commit] = attributions[r[1]!]!;
      const { fast, longContext, kind } = rowFlags(flags);
      item = {
        kind,
        key: '',
        time: first,
        first,
        last,
        calls: 0,
        longContext,
        model: names[r[2]!]!,
        cs: entry.cs,
        speed: fast ? 'fast' : 'standard',
        tokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
        ws,
        spec,
        task,
        phase: phase as Phase | null,
        branch,
        commit,
      };
      local.set(id, item);
    }
    const t = item.tokens;
    t.input += r[5]!;
    t.output += r[6]!;
    t.cacheWrite5m += r[7]!;
    t.cacheWrite1h += r[8]!;
    t.cacheRead += r[9]!;
    item.calls += r[4]!;
    if (first < item.first) item.first = item.time = first;
    if (last > item.last) item.last = last;
  }
  for (const [id, item] of local) {
    const key = `${id.slice(0, 10)}\u0000${item.kind}\u0000${item.cs}\u0000${item.ws}\u0000${item.spec}\u0000${item.task}\u0000${item.phase}\u0000${item.branch}\u0000${item.commit}\u0000${item.model}\u0000${item.speed}\u0000${item.longContext}`;
    const sum = sums.get(key);
    if (!sum) sums.set(key, Object.assign(item, { key }));
    else addUsage(sum, item);
  }
}

const SLOTS_PER_DAY = 86_400_000 / SLOT_MS;

function assemble(parts: {
  tz: string;
  rollups: string[];
  keyDays: BaseFile['keyDays'];
  baselines: GapsFile['baselines'];
  malformed: number;
  problems: string[];
  items: UsageItem[];
  events: EventSink;
}): BuiltBase {
  const id = contentHash(`${INDEX_VERSION}\n${parts.tz}\n${parts.rollups.join('\n')}`);
  const manual = dedupeBy(parts.events.manual, (m) => m.id);
  for (const m of manual) parts.items.push(manualUsageItem(m));
  const byMonth = new Map<string, UsageItem[]>();
  const wsMonths: Record<string, Set<string>> = {};
  const taskMonths: Record<string, Set<string>> = {};
  const taskSums = new Map<string, Map<string, UsageItem>>();
  const models = new Set<string>();
  for (const item of parts.items.sort((a, b) => a.time - b.time)) {
    const month = dayKey(item.time, parts.tz).slice(0, 7);
    (byMonth.get(month) ?? byMonth.set(month, []).get(month)!).push(item);
    if (item.ws) (wsMonths[item.ws] ??= new Set()).add(month);
    if (item.spec && item.task) {
      const task = `${item.spec}\u0000${item.task}`;
      (taskMonths[task] ??= new Set()).add(month);
      const sums = taskSums.get(task) ?? taskSums.set(task, new Map()).get(task)!;
      const key = `${item.kind}|${item.model}|${item.speed}|${item.longContext}`;
      const sum = sums.get(key);
      if (!sum)
        sums.set(key, {
          ...item,
          key,
          tokens: { ...item.tokens },
          cs: null,
          ws: null,
          phase: null,
          branch: null,
          commit: null,
        });
      else addUsage(sum, item);
    }
    models.add(item.model);
  }
  const sessions = new Map<string, WorkSession>();
  for (const s of parts.events.sessions.sort((a, b) => a.t.localeCompare(b.t))) applySessionRecord(sessions, s);
  const bindings = uniqueSorted(parts.events.bindings);
  const last = new Map<string, PackedBinding>();
  for (const b of bindings) {
    last.set(`${b[2]}\u0000${b[1]}`, b);
    if (b[2]) sessions.get(b[2])?.claudeSessions.add(b[1]);
  }
  const sorted = (o: Record<string, Set<string>>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [...v].sort()]));
  const months = new Map([...byMonth].map(([month, items]) => [month, packItems(items)]));
  return {
    base: {
      v: INDEX_VERSION,
      tz: parts.tz,
      id,
      rollups: parts.rollups,
      keyDays: parts.keyDays,
      malformed: parts.malformed,
      problems: parts.problems,
      months: [...months.keys()].sort(),
      models: [...models].sort(),
      taskMonths: sorted(taskMonths),
      taskSums: Object.fromEntries([...taskSums].map(([task, sums]) => [task, packItems([...sums.values()])])),
      claudeCode: claudeCodeSeen([parts.events.versions]),
    },
    sessions: {
      id,
      sessions: [...sessions.values()].map((s) => [s.name, s.spec, s.started, s.ended, [...s.claudeSessions].sort()]),
      lastBinds: [...last.values()].sort((a, b) => a[0] - b[0]),
      wsMonths: sorted(wsMonths),
      manual,
    },
    gaps: { id, baselines: parts.baselines },
    events: {
      id,
      tasks: uniqueSorted(parts.events.tasks),
      bindings,
      commits: uniqueSorted(parts.events.commits.map(([t, cs, sha, branch]) => [t, cs, sha, branch, ''] as const)).map(
        ([t, cs, sha, branch]) => [t, cs, sha, branch],
      ),
    },
    months,
  };
}
