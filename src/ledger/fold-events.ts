/**
 * Workflow records folded: work sessions, task events, bindings, manual entries (and their undoing),
 * commits Claude sessions made, and the Claude Code versions that wrote the transcripts.
 */
import type { LedgerLine, LineOf } from './ledger-schema.js';
import type { ManualEntry } from './ledger-view.js';
import type { Attribution } from './records.js';
import { recordTokens, type UsageItem } from './usage-item.js';
import { addVersionRecord, type SessionVersions } from './claude-versions.js';

/** A commit a Claude session made (from its reflog): the calls of that session since its previous commit went into it. */
export interface CommitEvent {
  sha: string;
  time: number;
  branch: string | null;
  cs: string;
}

export interface WorkSession {
  name: string;
  spec: string;
  started: number;
  ended: number | null;
  claudeSessions: Set<string>;
}

export interface TaskEvent {
  time: number;
  ws: string | null;
  spec: string;
  task: string;
  event: 'start' | 'done';
  source: string;
}

export interface Binding extends Attribution {
  time: number;
  cs: string;
  why: string;
}

/**
 * Work sessions, task events, bindings and manual entries. A session's name is never reused: a
 * later start of an ended session's name keeps the first session's spec and times (history is
 * never rewritten); only a restart on the same spec reopens it.
 */
export function foldEvents(events: LedgerLine[], sessions = new Map<string, WorkSession>()) {
  const by = <K extends LedgerLine['k']>(k: K) => events.filter((l): l is LineOf<K> => l.k === k);
  for (const s of by('session').sort((a, b) => a.t.localeCompare(b.t))) applySessionRecord(sessions, s);
  const tasks = dedupeBy(
    by('task').map((t) => ({
      time: Date.parse(t.t),
      ws: t.ws,
      spec: t.spec,
      task: t.task,
      event: t.event,
      source: t.source,
    })),
    taskEventKey,
  ).sort((a, b) => a.time - b.time);
  const bindings = dedupeBy(
    by('bind').map((b) => ({ time: Date.parse(b.t), cs: b.cs, ws: b.ws, spec: b.spec, task: b.task, why: b.why })),
    bindingKey,
  ).sort((a, b) => a.time - b.time);
  for (const b of bindings) if (b.ws) sessions.get(b.ws)?.claudeSessions.add(b.cs);
  const manualRecords = dedupeBy(by('manual'), (m) => m.id);
  const manual = manualRecords.map(manualEntry);
  const manualUsage = manualRecords.map(manualUsageItem);
  const commits = dedupeBy(
    by('git')
      .filter((g) => g.event === 'commit')
      .map((g): CommitEvent => ({ sha: g.sha, time: Date.parse(g.t), branch: g.branch, cs: g.cs })),
    commitKey,
  ).sort((a, b) => a.time - b.time);
  const versions: SessionVersions = new Map();
  for (const v of by('version')) addVersionRecord(versions, v);
  return {
    view: { sessions, tasks, bindings, manual, commits, sessionVersions: versions },
    manualUsage,
    plans: by('plan'),
  };
}

/** One session record applied to the folded sessions (records in time order). */
export function applySessionRecord(sessions: Map<string, WorkSession>, s: LineOf<'session'>): void {
  const time = Date.parse(s.t);
  const known = sessions.get(s.ws);
  if (s.event === 'start') {
    if (!known) sessions.set(s.ws, { name: s.ws, spec: s.spec, started: time, ended: null, claudeSessions: new Set() });
    else if (known.ended !== null && known.spec === s.spec) known.ended = null;
    if (s.cs && sessions.get(s.ws)!.spec === s.spec) sessions.get(s.ws)!.claudeSessions.add(s.cs);
  } else if (known && known.ended === null) known.ended = time;
}

/** What makes two copies of a task event, a binding or a commit the same: the fold keeps one. */
export const taskEventKey = (e: TaskEvent) => `${e.time}|${e.spec}|${e.task}|${e.event}|${e.ws}`;
export const bindingKey = (b: Binding) => `${b.time}|${b.cs}|${b.ws}|${b.spec}|${b.task}`;
export const commitKey = (c: CommitEvent) => `${c.sha}|${c.cs}`;

export function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (!seen.has(k)) seen.set(k, item);
  }
  return [...seen.values()];
}

/** The status of a manual entry that undoes another: its id is `undo:<that id>`, its counts that entry's, negated. */
export const UNDO = 'undo';

export function manualEntry(m: LineOf<'manual'>): ManualEntry {
  return {
    id: m.id,
    spec: m.spec,
    task: m.task,
    status: m.status,
    time: Date.parse(m.t),
    ws: m.ws,
    model: m.model,
    tokens: recordTokens(m),
  };
}

/** A manual entry's usage, at its time: one call's worth of work, or minus one for an entry that undoes another. */
export function manualUsageItem(m: LineOf<'manual'>): UsageItem {
  const time = Date.parse(m.t);
  return {
    kind: 'manual',
    key: m.id,
    time,
    first: time,
    last: time,
    calls: m.status === UNDO ? -1 : 1,
    longContext: false,
    model: m.model,
    cs: null,
    speed: 'standard',
    tokens: recordTokens(m),
    ws: m.ws,
    spec: m.spec,
    task: m.task,
    phase: null,
    branch: null,
    commit: null,
  };
}
