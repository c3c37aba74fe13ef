import type { ProjectUsage } from './project-usage.js';
import type { CommitEvent } from '../ledger/fold-events.js';
import { modelBreakdowns, tallyFields, UsageTally, withTallyFields } from './tally.js';
import { LazyRows } from '../render/json-chunks.js';

/**
 * `spec-session cost --json`: the machine-readable answer (fields are only ever added). `tasks` has
 * a row per (spec, task, work session); `taskTotals` one per (spec, task) over every session it spanned.
 * The long lists are LazyRows: made row by row as they are written.
 */
export function costJson(
  usage: ProjectUsage,
  meta: { priceTable: string; timeZone: string; since: string | null; until: string | null },
  commits: CommitEvent[] = [],
) {
  const zero = new UsageTally(usage.totals.book);
  const commitOf = new Map(commits.map((c) => [c.sha, c]));
  return {
    tasks: new LazyRows(usage.tasks, (t) => withTaskFigures({ spec: t.spec, taskId: t.taskId, session: t.session }, t)),
    taskTotals: new LazyRows(usage.taskTotals, (t) =>
      withTaskFigures({ spec: t.spec, taskId: t.taskId, sessions: t.sessions.map((s) => s.session) }, t),
    ),
    sessions: new LazyRows(usage.sessions, (s) =>
      Object.assign(withTallyFields({ name: s.name, spec: s.spec }, s.tally), {
        firstActivity: s.first === null ? null : new Date(s.first).toISOString(),
        lastActivity: s.last === null ? null : new Date(s.last).toISOString(),
        modelBreakdowns: modelBreakdowns(s.tally),
      }),
    ),
    specs: [...usage.specs.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([spec, tally]) => {
        const plan = usage.planning.get(spec);
        return {
          spec,
          ...tallyFields(tally),
          planning: {
            requirements: tallyFields(plan?.requirements ?? zero),
            design: tallyFields(plan?.design ?? zero),
            tasks: tallyFields(plan?.tasks ?? zero),
          },
          implementation: tallyFields(usage.implementation.get(spec) ?? zero),
        };
      }),
    branches: [...usage.branches.entries()]
      .sort((a, b) => b[1].tally.cost - a[1].tally.cost || a[0].localeCompare(b[0]))
      .map(([branch, b]) => ({
        branch: branch || null,
        ...tallyFields(b.tally),
        sessions: [...b.sessions].sort(),
        tasks: [...b.tasks].sort(),
      })),
    commits: [...usage.commits.entries()]
      .map(([sha, c]) => ({
        sha,
        branch: commitOf.get(sha)?.branch ?? null,
        time: commitOf.has(sha) ? new Date(commitOf.get(sha)!.time).toISOString() : null,
        ...tallyFields(c.tally),
        tasks: [...c.tasks].sort(),
      }))
      .sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '') || a.sha.localeCompare(b.sha)),
    days: new LazyRows(
      [...usage.days.entries()].sort((a, b) => a[0].localeCompare(b[0])),
      ([date, tally]) => Object.assign(withTallyFields({ date }, tally), { modelBreakdowns: modelBreakdowns(tally) }),
    ),
    unattributed: tallyFields(usage.unattributed),
    totals: { ...tallyFields(usage.totals), calls: usage.totals.calls },
    models: modelBreakdowns(usage.totals),
    unpricedModels: [...usage.totals.unpriced].sort(),
    ...meta,
  };
}

/** What a task row shows, per session or over all of them, after its names: its tokens, cost, hand-logged part, span and models. */
function withTaskFigures<R extends object>(
  row: R,
  t: { tally: UsageTally; manualTokens: number; first: number; last: number },
) {
  return Object.assign(withTallyFields(row, t.tally), {
    manual: t.manualTokens > 0,
    manualTokens: t.manualTokens,
    firstActivity: new Date(t.first).toISOString(),
    lastActivity: new Date(t.last).toISOString(),
    modelBreakdowns: modelBreakdowns(t.tally),
  });
}
