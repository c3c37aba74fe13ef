import type { LedgerView } from '../ledger/read-ledger.js';
import { dayKey } from '../time/zoned.js';

interface Span {
  start: number;
  end: number;
  startDay: string;
  endDay: string;
}

/** A work session from its start to its end (or, while open, to its last activity). */
export interface SessionSpan extends Span {
  name: string;
  spec: string;
  open: boolean;
  claudeSessions: string[];
}

/** A stretch of work on one task in one work session: from /do-task to done, widened to cover its usage. */
export interface TaskSpan extends Span {
  ws: string | null;
  spec: string;
  task: string;
  done: boolean;
}

export function sessionSpans(view: LedgerView, tz: string): SessionSpan[] {
  const last = new Map<string, number>();
  const seen = (ws: string | null, time: number) => ws !== null && last.set(ws, Math.max(last.get(ws) ?? time, time));
  for (const item of view.usage) seen(item.ws, item.time);
  for (const event of view.tasks) seen(event.ws, event.time);
  return [...view.sessions.values()]
    .map((s) => {
      const end = s.ended ?? Math.max(last.get(s.name) ?? s.started, s.started);
      return { name: s.name, spec: s.spec, open: s.ended === null, claudeSessions: [...s.claudeSessions].sort(), ...days(s.started, end, tz) };
    })
    .sort((a, b) => a.start - b.start || a.name.localeCompare(b.name));
}

export function taskSpans(view: LedgerView, tz: string): TaskSpan[] {
  type Open = Omit<TaskSpan, 'startDay' | 'endDay'>;
  const spans: Open[] = [];
  const byKey = new Map<string, Open[]>();
  const open = new Map<string, Open>();
  const keyOf = (ws: string | null, spec: string, task: string) => `${ws ?? ''}\u0000${spec}\u0000${task}`;
  for (const e of view.tasks) {
    const key = keyOf(e.ws, e.spec, e.task);
    const current = open.get(key);
    if (e.event === 'start' && !current) {
      const span = { ws: e.ws, spec: e.spec, task: e.task, start: e.time, end: e.time, done: false };
      spans.push(span);
      byKey.set(key, [...(byKey.get(key) ?? []), span]);
      open.set(key, span);
    } else if (e.event === 'done' && current) {
      current.end = Math.max(current.end, e.time);
      current.done = true;
      open.delete(key);
    }
  }
  for (const item of view.usage) {
    if (!item.spec || !item.task) continue;
    const key = keyOf(item.ws, item.spec, item.task);
    const mine = byKey.get(key) ?? [];
    let span = mine.filter((s) => s.start <= item.time).at(-1) ?? mine[0];
    if (!span) {
      span = { ws: item.ws, spec: item.spec, task: item.task, start: item.time, end: item.time, done: false };
      spans.push(span);
      byKey.set(key, [span]);
    }
    span.start = Math.min(span.start, item.time);
    span.end = Math.max(span.end, item.time);
  }
  return spans.map((s) => ({ ...s, ...days(s.start, s.end, tz) })).sort((a, b) => a.start - b.start);
}

function days(start: number, end: number, tz: string): Span {
  return { start, end, startDay: dayKey(start, tz), endDay: dayKey(end, tz) };
}
