import type { ProjectUsage } from './project-usage.js';
import { modelBreakdowns, tallyFields } from './tally.js';

/**
 * `spec-session cost --json`: the machine-readable answer (fields are only ever added). `tasks` has
 * a row per (spec, task, work session); `taskTotals` one per (spec, task) over every session it spanned.
 */
export function costJson(usage: ProjectUsage, meta: { priceTable: string; timeZone: string; since: string | null; until: string | null }) {
  return {
    tasks: usage.tasks.map((t) => ({
      spec: t.spec,
      taskId: t.taskId,
      session: t.session,
      ...tallyFields(t.tally),
      manual: t.manualTokens > 0,
      manualTokens: t.manualTokens,
      firstActivity: new Date(t.first).toISOString(),
      lastActivity: new Date(t.last).toISOString(),
      modelBreakdowns: modelBreakdowns(t.tally),
    })),
    taskTotals: usage.taskTotals.map((t) => ({
      spec: t.spec,
      taskId: t.taskId,
      sessions: t.sessions.map((s) => s.session),
      ...tallyFields(t.tally),
      manual: t.manualTokens > 0,
      manualTokens: t.manualTokens,
      firstActivity: new Date(t.first).toISOString(),
      lastActivity: new Date(t.last).toISOString(),
      modelBreakdowns: modelBreakdowns(t.tally),
    })),
    sessions: usage.sessions.map((s) => ({
      name: s.name,
      spec: s.spec,
      ...tallyFields(s.tally),
      firstActivity: s.first === null ? null : new Date(s.first).toISOString(),
      lastActivity: s.last === null ? null : new Date(s.last).toISOString(),
      modelBreakdowns: modelBreakdowns(s.tally),
    })),
    specs: [...usage.specs.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([spec, tally]) => ({ spec, ...tallyFields(tally) })),
    days: [...usage.days.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([date, tally]) => ({ date, ...tallyFields(tally), modelBreakdowns: modelBreakdowns(tally) })),
    unattributed: tallyFields(usage.unattributed),
    totals: { ...tallyFields(usage.totals), calls: usage.totals.calls },
    models: modelBreakdowns(usage.totals),
    unpricedModels: [...usage.totals.unpriced].sort(),
    ...meta,
  };
}
