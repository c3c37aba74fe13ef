import type { LedgerView } from '../ledger/read-ledger.js';

export interface TaskTimes {
  started: number | null;
  done: number | null;
}

/** When each task of a spec was started (/do-task) and finished ([x] noticed, or /log-task done). */
export function taskTimes(view: LedgerView, spec: string, ws?: string | null): Map<string, TaskTimes> {
  const times = new Map<string, TaskTimes>();
  for (const e of view.tasks) {
    if (e.spec !== spec || (ws !== undefined && e.ws !== ws)) continue;
    const t = times.get(e.task) ?? { started: null, done: null };
    if (e.event === 'start') t.started = t.started ?? e.time;
    if (e.event === 'done') t.done = Math.max(t.done ?? 0, e.time);
    times.set(e.task, t);
  }
  return times;
}
