import type { LedgerView } from '../ledger/read-ledger.js';

export interface TaskTimes {
  started: number | null;
  done: number | null;
}

/** When each task of a spec was started (/do-task) and finished ([x] noticed, or /log-task done). */
export function taskTimes(view: LedgerView, spec: string, ws?: string | null): Map<string, TaskTimes> {
  const times = new Map<string, TaskTimes>();
  // The first start and the last done: the same whatever the order, and if a record comes twice.
  view.forEachTaskEventOf(spec, (e) => {
    if (ws !== undefined && e.ws !== ws) return;
    const t = times.get(e.task) ?? { started: null, done: null };
    if (e.event === 'start') t.started = Math.min(t.started ?? e.time, e.time);
    if (e.event === 'done') t.done = Math.max(t.done ?? 0, e.time);
    times.set(e.task, t);
  });
  return times;
}
