/**
 * Rollups a pull added that a read at every turn leaves for later. A teammate's rollup of days this
 * machine never read changes the base, and making the base again at 10 developer-years takes most
 * of a second, in the statusline's turn. But the statusline asks for one task's total and today's
 * usage: a pulled day of other tasks changes neither. So a turn reads on from the base as it is, and
 * each question the added rollups could change an answer to (their days, tasks, work sessions,
 * events) is answered by a full read instead, which makes the base of every rollup (ledger-index.ts).
 * The next read that is not a turn's makes it anyway.
 *
 * Only when the base and the live part count nothing the added rollups count: the base has no
 * rollup of the folders they roll up (an entry there could outrank one the base counted), the live
 * part read none of their files and holds no call they key (a copy counted twice otherwise) and no
 * record of their Claude sessions (their cost-state baselines would change its gaps).
 */
import fs from 'node:fs';
import path from 'node:path';
import { dayKey } from '../time/zoned.js';
import type { LedgerLine } from './ledger-schema.js';
import { folderDay } from './ledger-files.js';
import type { LedgerView } from './ledger-view.js';
import type { LiveFile } from './index-live.js';
import { EventSink } from './packed-events.js';
import { decodeRollup } from './rollup-decode.js';
import { addKeyRun, callKeyHash, FLAG_GAP, keyDay, SLOT_MS } from './rollup-format.js';
import { addStoredEvent } from './stored-events.js';

/** What the rollups added since the base hold, as far as a question could be changed by it. */
export interface PendingRollups {
  /** The base's zone, and the days in it with rows. */
  tz: string;
  days: Set<string>;
  /** `spec \0 task` of rows. */
  tasks: Set<string>;
  specs: Set<string>;
  sessions: Set<string>;
  rows: boolean;
  events: EventSink;
  malformed: number;
  claudeSessions: Set<string>;
  /** The added rollups, and the UTC days whose calls they key (those of their call rows). */
  files: string[];
  keyDays: Set<string>;
}

const taskKey = (spec: string, task: string) => `${spec}\u0000${task}`;

/** The added rollups summed up for the questions, or undefined when they cannot be left for later. */
export function pendingRollups(
  ledgerDir: string,
  base: { id: string; tz: string; rollups: string[] },
  live: LiveFile,
  listing: { raw: string[]; rollups: string[] },
): PendingRollups | undefined {
  if (live.base !== base.id) return undefined;
  const listedRollups = new Set(listing.rollups);
  if (base.rollups.some((rel) => !listedRollups.has(rel))) return undefined; // one gone or replaced
  const listedRaw = new Set(listing.raw);
  if (Object.keys(live.raw).some((rel) => !listedRaw.has(rel))) return undefined; // a file read here rolled up
  const had = new Set(base.rollups);
  const baseFolders = new Set(base.rollups.map(folderDay));
  const p: PendingRollups = {
    tz: base.tz,
    days: new Set(),
    tasks: new Set(),
    specs: new Set(),
    sessions: new Set(),
    rows: false,
    events: new EventSink(),
    malformed: 0,
    claudeSessions: new Set(),
    files: [],
    keyDays: new Set(),
  };
  for (const rel of listing.rollups) {
    if (had.has(rel)) continue;
    // (Defensive: an entry of a folder the base rolled up too may outrank one it counted. A pulled
    // rollup's rows cover the days and tasks of the file they count, so the questions are read in
    // full anyway; a base of the folder is simply not left for later.)
    if (baseFolders.has(folderDay(rel))) return undefined;
    p.files.push(rel);
    let decoded: ReturnType<typeof decodeRollup>;
    try {
      decoded = decodeRollup(fs.readFileSync(path.join(ledgerDir, rel), 'utf8'), { keys: false, rows: 'packed' });
    } catch {
      return undefined; // a problem a full read reports
    }
    for (const [i, entry] of decoded.entries.entries()) {
      if (baseFolders.has(folderDay(entry.src)) || listedRaw.has(entry.src) || live.raw[entry.src]) return undefined;
      if (entry.cs !== null) p.claudeSessions.add(entry.cs); // cost-state gaps are a Claude session's
      const { base: slotBase, rows, attributions, names } = entry.packed!;
      let lastSlot = Number.NaN;
      for (const r of rows) {
        p.rows = true;
        const slot = slotBase + r[0]!;
        if (slot !== lastSlot) p.days.add(dayKey((lastSlot = slot) * SLOT_MS, base.tz));
        if ((r[3]! & FLAG_GAP) === 0) p.keyDays.add(keyDay(slot * SLOT_MS));
        const [ws, spec, task] = attributions[r[1]!]!;
        if (ws !== null) p.sessions.add(ws);
        if (spec !== null) p.specs.add(spec);
        if (spec !== null && task !== null) p.tasks.add(taskKey(spec, task));
      }
      for (const stored of decoded.rawEvents[i]!)
        if (!addStoredEvent(p.events, stored, slotBase * SLOT_MS, names)) p.malformed++;
    }
  }
  // Hand-logged entries are usage too (the base makes them items): of their day, task and session.
  for (const m of p.events.manual) {
    p.rows = true;
    p.days.add(dayKey(Date.parse(m.t), base.tz));
    p.tasks.add(taskKey(m.spec, m.task));
    p.specs.add(m.spec);
    if (m.ws !== null) p.sessions.add(m.ws);
  }
  return p;
}

/** Whether the live part holds a call the added rollups key, or a record of one of their Claude sessions. */
export function liveTouches(ledgerDir: string, p: PendingRollups, live: LiveFile): boolean {
  const calls: Array<{ day: string; msg: string }> = [];
  for (const lines of Object.values(live.lines))
    for (const line of lines as LedgerLine[]) {
      if ('cs' in line && typeof line.cs === 'string' && p.claudeSessions.has(line.cs)) return true;
      if (line.k !== 'call') continue;
      const day = keyDay(Date.parse(line.t));
      if (p.keyDays.has(day)) calls.push({ day, msg: line.msg });
    }
  if (calls.length === 0) return false;
  // Calls of the days the rollups key: their keys are read (most of a rollup's bytes) only now.
  const keys = new Map<string, Set<string>>();
  try {
    for (const rel of p.files)
      for (const entry of decodeRollup(fs.readFileSync(path.join(ledgerDir, rel), 'utf8')).entries)
        for (const [day, run] of Object.entries(entry.keys))
          addKeyRun(keys.get(day) ?? keys.set(day, new Set()).get(day)!, run);
  } catch {
    return true; // a full read decides
  }
  return calls.some(({ day, msg }) => keys.get(day)?.has(callKeyHash(msg)));
}

/**
 * The view of the base as it is, where no added rollup could change the answer; `full()`, a read
 * of every rollup, where one could.
 */
export function deferredView(view: LedgerView, p: PendingRollups, full: () => LedgerView): LedgerView {
  const e = p.events;
  const specTasks = new Set(e.tasks.map((t) => t[2]));
  const inRange = (range: { since?: string; until?: string }, tz: string) =>
    p.rows &&
    (tz !== p.tz || [...p.days].some((d) => (!range.since || d >= range.since) && (!range.until || d <= range.until)));
  // Once made, the full read answers every question: the index's pieces are of its new base now
  // (a piece the base as it was then misses is made again, from every rollup: the same answers, slower).
  let whole: LedgerView | undefined;
  const pick = (changed: boolean | number): LedgerView => whole ?? (changed ? (whole = full()) : view);
  const ofTask = (spec: string, task: string) => pick(p.tasks.has(taskKey(spec, task)));
  return {
    get sessions() {
      return pick(e.sessions.length + e.bindings.length).sessions;
    },
    get manual() {
      return pick(e.manual.length).manual;
    },
    get malformed() {
      return pick(p.malformed).malformed;
    },
    get problems() {
      return pick(false).problems;
    },
    get usage() {
      return pick(p.rows).usage;
    },
    usageIn: (range, tz) => pick(inRange(range, tz)).usageIn(range, tz),
    forEachItemIn: (range, tz, visit) => pick(inRange(range, tz)).forEachItemIn(range, tz, visit),
    usageOfTask: (spec, task) => ofTask(spec, task).usageOfTask(spec, task),
    taskTotal: (spec, task) => ofTask(spec, task).taskTotal(spec, task),
    allTimeSums: (of) => pick(p.rows).allTimeSums(of),
    usageOfSessions: (names) => {
      const list = [...names];
      return pick(list.some((ws) => p.sessions.has(ws))).usageOfSessions(list);
    },
    taskDone: (spec, task, ws) => pick(specTasks.has(spec)).taskDone(spec, task, ws),
    forEachTaskEventOf: (spec, visit) => pick(specTasks.has(spec)).forEachTaskEventOf(spec, visit),
    forEachTaskEvent: (visit) => pick(e.tasks.length).forEachTaskEvent(visit),
    lastBinding: (of) => pick(e.bindings.some((b) => ('cs' in of ? b[1] === of.cs : b[2] === of.ws))).lastBinding(of),
    get models() {
      return pick(p.rows).models;
    },
    get commits() {
      return pick(e.commits.length).commits;
    },
    get claudeCode() {
      return pick(e.versions.size).claudeCode;
    },
  };
}
