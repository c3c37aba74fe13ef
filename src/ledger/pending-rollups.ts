/**
 * Rollups a pull added that a read at every turn leaves for later. A teammate's rollup of days this
 * machine never read changes the base, and making the base again at 10 developer-years takes most
 * of a second, in the statusline's turn. But what a turn asks is usage summed (a task's total,
 * today's cost, the budgets' days), and the pulled rollups count usage nothing here counts: their
 * rows, as items, are added to what the base and the live part answer. A question about workflow
 * events (work sessions, bindings, task events, commits, versions, hand-logged entries) is
 * answered by a read of every rollup instead, which makes the base of every rollup
 * (ledger-index.ts); the next read that is not a turn's makes it anyway.
 *
 * Only when nothing here counts what the added rollups count: the base has no rollup of the folders
 * they roll up (an entry there could outrank one it counted), the live part read none of their
 * files and holds no call they key (a copy counted twice otherwise) and no record of their Claude
 * sessions (their cost-state baselines would change its gaps), and no two of them roll up one folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dayKey } from '../time/zoned.js';
import type { LedgerLine } from './ledger-schema.js';
import { folderDay } from './ledger-files.js';
import { countsIn, type LedgerView } from './ledger-view.js';
import { KeyLookup, rollupsAdded, type LiveFile } from './index-live.js';
import { EventSink } from './packed-events.js';
import { decodeRollup, unpackRow } from './rollup-decode.js';
import { keyDay, SLOT_MS } from './rollup-format.js';
import { tokensOf } from '../usage/tokens.js';
import { rowItem } from './rolled-up.js';
import { sortByTime, type UsageItem } from './usage-item.js';
import { inRange, type DayRange } from '../time/day-range.js';
import { addStoredEvent } from './stored-events.js';

/** What the rollups added since the base hold. */
export interface PendingRollups {
  /** The base's zone. */
  tz: string;
  /** Their rows as usage items. */
  items: UsageItem[];
  /** Their workflow events, and their lines not read as records. */
  events: EventSink;
  malformed: number;
  /** Their hand-logged entries' days (in the base's zone), tasks (`spec \0 task`) and work sessions. */
  manual: { days: Set<string>; tasks: Set<string>; sessions: Set<string> };
  claudeSessions: Set<string>;
  /** The added rollups, and the UTC days whose calls they key (those of their call rows). */
  files: string[];
  keyDays: Set<string>;
}

const taskKey = (spec: string, task: string) => `${spec}\u0000${task}`;

/**
 * At most this much of added rollups is left for later: every turn reads them again until the next
 * command makes the base (a day of a team of ten is ~120 KB, read in ~10 ms). A pull of weeks of a
 * team's days makes the base at once, as before, rather than slowing every turn.
 */
export const PENDING_MAX_BYTES = 1 << 20;

/** The added rollups summed up for the questions, or undefined when they cannot be left for later. */
export function pendingRollups(
  ledgerDir: string,
  base: { id: string; tz: string; rollups: string[] },
  live: LiveFile,
  listing: { raw: string[]; rollups: string[] },
  maxBytes = PENDING_MAX_BYTES,
): PendingRollups | undefined {
  const added = rollupsAdded(base, live, listing);
  if (!added) return undefined;
  const listedRaw = new Set(listing.raw);
  if (Object.keys(live.raw).some((rel) => !listedRaw.has(rel))) return undefined; // a file read here rolled up
  const folders = new Set(base.rollups.map(folderDay));
  let bytes = 0;
  const p: PendingRollups = {
    tz: base.tz,
    items: [],
    events: new EventSink(),
    malformed: 0,
    manual: { days: new Set(), tasks: new Set(), sessions: new Set() },
    claudeSessions: new Set(),
    files: [],
    keyDays: new Set(),
  };
  for (const rel of added) {
    // (Defensive: an entry of a folder the base rolled up too may outrank one it counted, and two
    // rollups of one folder may hold one file twice. Such a folder is not left for later.)
    if (folders.has(folderDay(rel))) return undefined;
    folders.add(folderDay(rel));
    p.files.push(rel);
    let decoded: ReturnType<typeof decodeRollup>;
    try {
      const text = fs.readFileSync(path.join(ledgerDir, rel), 'utf8');
      if ((bytes += text.length) > maxBytes) return undefined;
      decoded = decodeRollup(text, { keys: false, rows: 'packed' });
    } catch {
      return undefined; // a problem a full read reports
    }
    for (const [i, entry] of decoded.entries.entries()) {
      if (folderDay(entry.src) !== folderDay(rel) || listedRaw.has(entry.src) || live.raw[entry.src]) return undefined;
      if (entry.cs !== null) p.claudeSessions.add(entry.cs); // cost-state gaps are a Claude session's
      const packed = entry.packed!;
      packed.rows.forEach((r, n) => {
        const row = unpackRow(r, packed);
        if (row.kind === 'call') p.keyDays.add(keyDay(row.slot * SLOT_MS));
        p.items.push(rowItem(row, entry.cs, `${entry.src}#${n}`, tokensOf(row.tokens)));
      });
      for (const stored of decoded.rawEvents[i]!)
        if (!addStoredEvent(p.events, stored, packed.base * SLOT_MS, packed.names)) p.malformed++;
    }
  }
  for (const m of p.events.manual) {
    p.manual.days.add(dayKey(Date.parse(m.t), base.tz));
    p.manual.tasks.add(taskKey(m.spec, m.task));
    if (m.ws !== null) p.manual.sessions.add(m.ws);
  }
  return p;
}

/** Whether the live part holds a call the added rollups key, or a record of one of their Claude sessions. */
export function liveTouches(ledgerDir: string, p: PendingRollups, live: LiveFile): boolean {
  // Their keys (most of a rollup's bytes) are read only for a day the live part has a call of.
  const keys = new KeyLookup(ledgerDir, Object.fromEntries([...p.keyDays].map((day) => [day, p.files])));
  try {
    for (const lines of Object.values(live.lines))
      for (const line of lines as LedgerLine[]) {
        if ('cs' in line && typeof line.cs === 'string' && p.claudeSessions.has(line.cs)) return true;
        if (line.k === 'call' && keys.has(Date.parse(line.t), line.msg)) return true;
      }
  } catch {
    return true; // keys that do not read: a full read decides
  }
  return false;
}

/**
 * The view of the base as it is, with the added rollups' usage added to its answers; `full()`, a
 * read of every rollup, for a question about their workflow events or hand-logged entries.
 */
export function deferredView(view: LedgerView, p: PendingRollups, full: () => LedgerView): LedgerView {
  const e = p.events;
  const m = p.manual;
  const specTasks = new Set(e.tasks.map((t) => t[2]));
  const manualIn = (range: DayRange) =>
    [...m.days].some((d) => (!range.since || d >= range.since) && (!range.until || d <= range.until));
  // Once made, the full read answers every question: the index's pieces are of its new base now
  // (a piece the base as it was then misses is made again, from every rollup: the same answers, slower).
  let whole: LedgerView | undefined;
  const pick = (changed: boolean | number): LedgerView | undefined => whole ?? (changed ? (whole = full()) : undefined);
  /** The view's answer (a copy: it may be an array the view keeps) with the added rows that `keep`s. */
  const plus = (answer: UsageItem[], keep: (i: UsageItem) => boolean) => {
    const items = [...answer];
    for (const i of p.items) if (keep(i)) items.push(i);
    return items;
  };
  const ofTask = (spec: string, task: string) => (i: UsageItem) => i.spec === spec && i.task === task;
  // Items of a day in the base's zone: in another, the base's items are of its days (a read in another zone reads all).
  const elsewhere = (tz: string) => tz !== p.tz && p.items.length > 0;
  return {
    get sessions() {
      return (pick(e.sessions.length + e.bindings.length) ?? view).sessions;
    },
    get manual() {
      return (pick(e.manual.length) ?? view).manual;
    },
    get malformed() {
      return (pick(p.malformed) ?? view).malformed;
    },
    get problems() {
      return (whole ?? view).problems;
    },
    get usage() {
      return pick(e.manual.length)?.usage ?? plus(view.usage, () => true);
    },
    usageIn: (range, tz) =>
      pick(manualIn(range) || elsewhere(tz))?.usageIn(range, tz) ??
      plus(view.usageIn(range, tz), (i) => inRange(i, range, tz)),
    forEachItemIn(range, tz, visit) {
      const answer = pick(manualIn(range) || elsewhere(tz));
      if (answer) return answer.forEachItemIn(range, tz, visit);
      view.forEachItemIn(range, tz, visit);
      for (const i of p.items) if (inRange(i, range, tz)) visit(i);
    },
    usageBatches(range, tz) {
      return [this.usageIn(range, tz)];
    },
    usageOfTask: (spec, task) =>
      pick(m.tasks.has(taskKey(spec, task)))?.usageOfTask(spec, task) ??
      sortByTime(plus(view.usageOfTask(spec, task), ofTask(spec, task))),
    taskTotal: (spec, task) =>
      pick(m.tasks.has(taskKey(spec, task)))?.taskTotal(spec, task) ??
      plus(view.taskTotal(spec, task), ofTask(spec, task)),
    allTimeSums: (of) => pick(e.manual.length)?.allTimeSums(of) ?? plus(view.allTimeSums(of), countsIn(of)),
    usageOfSessions: (names) => {
      const wanted = new Set(names);
      return (
        pick([...wanted].some((ws) => m.sessions.has(ws)))?.usageOfSessions(wanted) ??
        plus(view.usageOfSessions(wanted), (i) => i.ws !== null && wanted.has(i.ws))
      );
    },
    taskDone: (spec, task, ws) => (pick(specTasks.has(spec)) ?? view).taskDone(spec, task, ws),
    forEachTaskEventOf: (spec, visit) => (pick(specTasks.has(spec)) ?? view).forEachTaskEventOf(spec, visit),
    forEachTaskEvent: (visit) => (pick(e.tasks.length) ?? view).forEachTaskEvent(visit),
    lastBinding: (of) =>
      (pick(e.bindings.some((b) => ('cs' in of ? b[1] === of.cs : b[2] === of.ws))) ?? view).lastBinding(of),
    get models() {
      return pick(e.manual.length)?.models ?? [...new Set([...view.models, ...p.items.map((i) => i.model)])].sort();
    },
    get commits() {
      return (pick(e.commits.length) ?? view).commits;
    },
    get claudeCode() {
      return (pick(e.versions.size) ?? view).claudeCode;
    },
  };
}
