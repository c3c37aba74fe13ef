import { inRange, monthInRange, type DayRange } from '../time/day-range.js';
import { applySessionRecord, dedupeBy, foldLedger, type Binding, type TaskEvent, type UsageItem, type WorkSession } from './fold.js';
import type { BaseFile, EventsFile, PackedBinding } from './index-base.js';
import type { IndexFiles, LiveFile } from './ledger-index.js';
import { readJson } from './ledger-index.js';
import type { LineOf } from './ledger-schema.js';
import { lastOf, type LedgerView, type ManualEntry } from './ledger-view.js';
import { unpackItems, type PackedItems } from './packed-items.js';

/**
 * The ledger as the index holds it: the base (rolled-up usage by month, folded sessions) and the
 * live raw records, folded on read. A read loads only the months it asks for; the task events and
 * the whole binding history only when asked for.
 */
export interface BaseData {
  months: Map<string, PackedItems>;
  events: EventsFile;
}

/** `rebuild` builds the base again from the ledger: called when one of its files is missing or damaged. */
export function indexedView(base: BaseFile, live: LiveFile, files: IndexFiles, preloaded: BaseData | undefined, rebuild: () => BaseData): LedgerView {
  const baselines = new Map(Object.entries(base.baselines).map(([key, [input, output, cacheWrite5m, cacheWrite1h, cacheRead]]) => [key, { input, output, cacheWrite5m, cacheWrite1h, cacheRead }]));
  const baseManual = new Set(base.manual.map((m) => m.id));
  // Live records: a manual entry or a workflow event the base already holds (a rollup written
  // just before a crash, its raw file not yet deleted) is the same record, counted once.
  const lines = Object.values(live.lines).flat().filter((l) => l.k !== 'manual' || !baseManual.has(l.id));
  const liveFold = foldLedger({ raw: [{ rel: 'live', lines }], base: { items: [], events: [], baselines }, isRolled: () => false });
  const liveUsage = liveFold.usage;
  const liveBindings = liveFold.bindings;

  const sessions = new Map<string, WorkSession>(base.sessions.map(([name, spec, started, ended, cs]) => [name, { name, spec, started, ended, claudeSessions: new Set(cs) }]));
  for (const s of lines.filter((l): l is LineOf<'session'> => l.k === 'session').sort((a, b) => a.t.localeCompare(b.t))) applySessionRecord(sessions, s);
  for (const b of liveBindings) if (b.ws) sessions.get(b.ws)?.claudeSessions.add(b.cs);

  const months = new Map<string, UsageItem[]>();
  const monthItems = (month: string): UsageItem[] => {
    let items = months.get(month);
    if (!items) {
      let packed = preloaded?.months.get(month) ?? readJson<PackedItems>(files.month(month), (p) => Array.isArray(p.rows) && Array.isArray(p.names));
      if (!packed) packed = (preloaded = rebuild()).months.get(month) ?? { names: [], rows: [] }; // a damaged index: built again
      items = unpackItems(packed, `${month}#`);
      months.set(month, items);
    }
    return items;
  };
  const fromMonths = (wanted: string[], keep: (i: UsageItem) => boolean) => sortByTime([...wanted.flatMap((m) => monthItems(m).filter(keep)), ...liveUsage.filter(keep)]);

  let events: EventsFile | undefined = preloaded?.events;
  const loadEvents = (): EventsFile => (events ??= readJson<EventsFile>(files.events(), (e) => Array.isArray(e.tasks) && Array.isArray(e.bindings)) ?? (preloaded = rebuild()).events);
  let tasks: TaskEvent[] | undefined;
  let bindings: Binding[] | undefined;
  let all: UsageItem[] | undefined;
  const lastBinds = base.lastBinds.map(unpackBinding);

  return {
    sessions,
    manual: [...base.manual.map((m): ManualEntry => ({ id: m.id, spec: m.spec, task: m.task, status: m.status, time: Date.parse(m.t) })), ...liveFold.manual],
    malformed: base.malformed + live.malformed,
    problems: base.problems,
    get usage() {
      return (all ??= fromMonths(base.months, () => true));
    },
    usageIn(range: DayRange, tz: string) {
      if (!range.since && !range.until) return this.usage;
      if (tz !== base.tz) return this.usage.filter((i) => inRange(i, range, tz));
      return fromMonths(base.months.filter((m) => monthInRange(m, range)), (i) => inRange(i, range, tz));
    },
    usageOfTask(spec: string, task: string) {
      return fromMonths(base.taskMonths[`${spec}\u0000${task}`] ?? [], (i) => i.spec === spec && i.task === task);
    },
    usageOfSessions(names: Iterable<string>) {
      const wanted = new Set(names);
      const ofThem = [...new Set([...wanted].flatMap((ws) => base.wsMonths[ws] ?? []))].sort();
      return fromMonths(ofThem, (i) => i.ws !== null && wanted.has(i.ws));
    },
    get tasks() {
      if (!tasks) {
        const stored = loadEvents().tasks.map(([time, ws, spec, task, done, source]): TaskEvent => ({ time, ws, spec, task, event: done ? 'done' : 'start', source }));
        tasks = dedupeBy([...stored, ...liveFold.tasks], (e) => `${e.time}|${e.spec}|${e.task}|${e.event}|${e.ws}`).sort((a, b) => a.time - b.time);
      }
      return tasks;
    },
    get bindings() {
      return (bindings ??= dedupeBy([...loadEvents().bindings.map(unpackBinding), ...liveBindings], (b) => `${b.time}|${b.cs}|${b.ws}|${b.spec}|${b.task}`).sort((a, b) => a.time - b.time));
    },
    lastBinding(of) {
      const stored = lastOf(lastBinds, of);
      const fresh = lastOf(liveBindings, of);
      return !stored || (fresh && fresh.time >= stored.time) ? fresh : stored;
    },
    get models() {
      return [...new Set([...base.models, ...liveUsage.map((i) => i.model)])].sort();
    },
  };
}

function unpackBinding([time, cs, ws, spec, task, why]: PackedBinding): Binding {
  return { time, cs, ws, spec, task, why };
}

function sortByTime(items: UsageItem[]): UsageItem[] {
  return items.sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : 1));
}
