import type { PriceBook } from '../pricing/price-call.js';
import type { SessionSpan, UsageRow } from '../history/usage-rows.js';
import { dayKey, monthKey, weekKey } from '../time/zoned.js';
import { UsageTally, modelBreakdowns, tallyFields } from './tally.js';

export type Period = 'daily' | 'weekly' | 'monthly' | 'session';

export interface ReportOptions {
  period: Period;
  tz: string;
  since?: string;
  until?: string;
  book: PriceBook;
}

export interface ReportGroup {
  key: string;
  tally: UsageTally;
  session?: SessionSpan & { sessionId: string };
}

export interface UsageReport {
  period: Period;
  groups: ReportGroup[];
  totals: UsageTally;
  tz: string;
  priceTable: string;
}

/** Groups deduplicated usage rows by day, week, month (in `tz`) or session, priced. */
export function buildUsageReport(rows: UsageRow[], sessions: Record<string, SessionSpan>, opts: ReportOptions): UsageReport {
  const groups = new Map<string, ReportGroup>();
  const totals = new UsageTally(opts.book);
  for (const row of rows) {
    const day = dayKey(row.slot, opts.tz);
    if ((opts.since && day < opts.since) || (opts.until && day > opts.until)) continue;
    const key = opts.period === 'daily' ? day : opts.period === 'weekly' ? weekKey(day) : opts.period === 'monthly' ? monthKey(day) : row.sessionId;
    let group = groups.get(key);
    if (!group) {
      group = { key, tally: new UsageTally(opts.book) };
      const span = sessions[row.sessionId];
      if (opts.period === 'session' && span) group.session = { sessionId: row.sessionId, ...span };
      groups.set(key, group);
    }
    group.tally.add(row.model, row.tokens, row.speed, row.longContext, row.calls);
    totals.add(row.model, row.tokens, row.speed, row.longContext, row.calls);
  }
  const ordered = [...groups.values()].sort((a, b) =>
    opts.period === 'session' ? (a.session?.last ?? 0) - (b.session?.last ?? 0) : a.key < b.key ? -1 : 1,
  );
  return { period: opts.period, groups: ordered, totals, tz: opts.tz, priceTable: opts.book.table };
}

const PERIOD_FIELD = { daily: 'date', weekly: 'week', monthly: 'month' } as const;
const LIST_FIELD = { daily: 'daily', weekly: 'weekly', monthly: 'monthly', session: 'sessions' } as const;

/** The JSON shape of ccusage's reports (same field names), plus spec-session's additions. */
export function usageReportJson(report: UsageReport) {
  const list = report.groups.map((g) => {
    const head =
      report.period === 'session'
        ? {
            sessionId: g.key,
            projectPath: g.session?.project ?? 'unknown',
            firstActivity: g.session ? new Date(g.session.first).toISOString() : null,
            lastActivity: g.session ? new Date(g.session.last).toISOString() : null,
          }
        : { [PERIOD_FIELD[report.period]]: g.key };
    return {
      ...head,
      ...tallyFields(g.tally),
      modelsUsed: [...g.tally.models.keys()].sort(),
      modelBreakdowns: modelBreakdowns(g.tally),
      unpricedModels: [...g.tally.unpriced].sort(),
    };
  });
  return {
    [LIST_FIELD[report.period]]: list,
    totals: tallyFields(report.totals),
    unpricedModels: [...report.totals.unpriced].sort(),
    priceTable: report.priceTable,
    timeZone: report.tz,
  };
}
