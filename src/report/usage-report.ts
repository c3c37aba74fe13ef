import type { PriceBook } from '../pricing/price-call.js';
import { CALENDAR_ROW, type Calendar } from '../history/calendar.js';
import { FAST, LONG, SLOT_MS, type HistorySummary } from '../history/summary.js';
import { dayOfNumber, lastDays, monthKey, weekKey } from '../time/zoned.js';
import { SlotDays } from '../time/slot-days.js';
import { UsageTally, modelBreakdowns, tallyFields, withTallyFields } from './tally.js';
import { byVersion } from '../ledger/claude-versions.js';

export type Period = 'daily' | 'weekly' | 'monthly' | 'session';

export interface ReportOptions {
  period: Period;
  tz: string;
  since?: string;
  until?: string;
  book: PriceBook;
  /** Only the sessions of this project: its folder under `projects/` (see inProject). */
  project?: string;
}

export interface SessionSpan {
  project: string;
  first: number;
  last: number;
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
  /** Claude Code versions that wrote the calls shown. */
  versions: string[];
  /** Of those, the versions no session ever wrote a cost-state line with: their side calls are in no transcript. */
  versionsWithoutCostState: string[];
}

/** What a report is built from: the history's per-session summary (session reports) or its calendar. */
export interface UsageSources {
  summary(): HistorySummary;
  calendar(): Calendar;
}

/**
 * Groups the history's usage by day, week, month (in `tz`) or session, priced now (prices are
 * applied at read time, so a price change needs no re-reading). Usage is summed per (group, model,
 * tier) before pricing: costs are exact integer sums (costAtRates), so that is the same figure.
 */
export function buildUsageReport(history: UsageSources, opts: ReportOptions): UsageReport {
  const days = new SlotDays(opts.tz);
  const sums = new Map<string, { session: string; sums: Map<number, number[]> }>();
  const versions = new Set<string>();
  let models: string[];
  let withCostState: Set<string>;
  const versionSets = new Set<string[]>();
  // Rows come sorted by slot (calendar) or by session: the group of the last one is kept.
  let lastTime = Number.NaN;
  let lastSession = '';
  type Group = { session: string; sums: Map<number, number[]> };
  /** The group of the last row groupAt was asked about. */
  let group: Group | undefined;
  /** The group of a day (and session), undefined when the day is out of range. */
  const groupOf = (day: string, session: string): Group | undefined => {
    if ((opts.since && day < opts.since) || (opts.until && day > opts.until)) return undefined;
    const key =
      opts.period === 'daily'
        ? day
        : opts.period === 'weekly'
          ? weekKey(day)
          : opts.period === 'monthly'
            ? monthKey(day)
            : session;
    return sums.get(key) ?? sums.set(key, { session, sums: new Map() }).get(key)!;
  };
  /** The group of a row at `time`: the last row's, when it was the same time and session. */
  const groupAt = (session: string, time: number): Group | undefined => {
    if (time !== lastTime || session !== lastSession) {
      lastTime = time;
      lastSession = session;
      group = groupOf(days.day(time), session);
    }
    return group;
  };
  const add = (
    group: Group,
    model: number,
    flags: number,
    calls: number,
    tokens: ArrayLike<number>,
    from: number,
    seen: string[] | undefined,
  ) => {
    const tier = model * 4 + flags;
    const sum = group.sums.get(tier) ?? group.sums.set(tier, [0, 0, 0, 0, 0, 0]).get(tier)!;
    sum[0]! += calls;
    for (let k = 0; k < 5; k++) sum[k + 1]! += tokens[from + k]!;
    if (seen) versionSets.add(seen);
  };
  let summary: HistorySummary | undefined;
  // A project's usage comes from its sessions' rows; the calendar holds every project's together.
  if (opts.period === 'session' || opts.project !== undefined) {
    summary = history.summary();
    models = summary.models;
    withCostState = new Set();
    const wanted = opts.project === undefined ? undefined : inProject(opts.project);
    for (const [session, s] of Object.entries(summary.sessions)) {
      if (wanted && !wanted(s.project)) continue;
      if (s.costState) for (const v of s.versions ?? []) withCostState.add(v);
      for (const row of s.rows) {
        const g = groupAt(session, row[0]! * SLOT_MS);
        if (g) add(g, row[1]!, row[2]!, row[3]!, row, 4, s.versions);
      }
      for (const gap of s.gaps) {
        const g = groupAt(session, gap[0] ?? s.last);
        if (g) add(g, gap[1], 0, 1, gap as number[], 2, s.versions);
      }
    }
  } else {
    const calendar = history.calendar();
    models = calendar.models;
    withCostState = new Set(calendar.withCostState);
    if (calendar.days?.tz === opts.tz) {
      // Its rows summed by day in this zone, kept with them: ~1,500 rows at 1.6 GiB, not ~14,000.
      const r = calendar.days.rows;
      let day = Number.NaN;
      let g: Group | undefined;
      for (let i = 0; i < r.length; i += CALENDAR_ROW) {
        if (r[i] !== day) g = groupOf(dayOfNumber((day = r[i]!)), '');
        if (g) add(g, r[i + 1]!, r[i + 2]!, r[i + 4]!, r, i + 5, calendar.versionSets[r[i + 3]!]);
      }
    } else {
      const r = calendar.rows;
      for (let i = 0; i < r.length; i += CALENDAR_ROW) {
        const g = groupAt('', r[i]! * SLOT_MS);
        if (g) add(g, r[i + 1]!, r[i + 2]!, r[i + 4]!, r, i + 5, calendar.versionSets[r[i + 3]!]);
      }
    }
  }

  const totals = new UsageTally(opts.book);
  const groups: ReportGroup[] = [];
  for (const [key, { session, sums: tiers }] of sums) {
    const tally = new UsageTally(opts.book);
    for (const [tier, sum] of tiers) {
      const tokens = {
        input: sum[1]!,
        output: sum[2]!,
        cacheWrite5m: sum[3]!,
        cacheWrite1h: sum[4]!,
        cacheRead: sum[5]!,
      };
      tally.add(models[tier >> 2]!, tokens, tier & FAST ? 'fast' : 'standard', (tier & LONG) !== 0, sum[0]!);
    }
    totals.merge(tally);
    const span = opts.period === 'session' ? summary?.sessions[session] : undefined;
    groups.push({
      key,
      tally,
      ...(span?.rows.length
        ? { session: { sessionId: session, project: span.project || 'unknown', first: span.first, last: span.last } }
        : {}),
    });
  }
  groups.sort((a, b) =>
    opts.period === 'session' ? (a.session?.last ?? 0) - (b.session?.last ?? 0) : a.key < b.key ? -1 : 1,
  );
  for (const set of versionSets) for (const v of set) versions.add(v);
  const shown = [...versions].sort(byVersion);
  return {
    period: opts.period,
    groups,
    totals,
    tz: opts.tz,
    priceTable: opts.book.table,
    versions: shown,
    versionsWithoutCostState: shown.filter((v) => !withCostState.has(v)),
  };
}

const PERIOD_FIELD = { daily: 'date', weekly: 'week', monthly: 'month' } as const;
const LIST_FIELD = { daily: 'daily', weekly: 'weekly', monthly: 'monthly', session: 'sessions' } as const;

/** The JSON shape of ccusage's reports (same field names), plus spec-session's additions. */
export function usageReportJson(report: UsageReport) {
  // Each row made field by field (a session report has one per session: thousands, no spreads).
  const list = report.groups.map((g) => {
    const row: Record<string, unknown> =
      report.period === 'session'
        ? {
            sessionId: g.key,
            projectPath: g.session?.project ?? 'unknown',
            firstActivity: g.session ? new Date(g.session.first).toISOString() : null,
            lastActivity: g.session ? new Date(g.session.last).toISOString() : null,
          }
        : { [PERIOD_FIELD[report.period]]: g.key };
    withTallyFields(row, g.tally);
    row.modelsUsed = [...g.tally.modelNames].sort();
    row.modelBreakdowns = modelBreakdowns(g.tally);
    row.unpricedModels = [...g.tally.unpriced].sort();
    return row;
  });
  return {
    [LIST_FIELD[report.period]]: list,
    totals: tallyFields(report.totals),
    unpricedModels: [...report.totals.unpriced].sort(),
    priceTable: report.priceTable,
    timeZone: report.tz,
    claudeCodeVersions: report.versions,
    versionsWithoutCostState: report.versionsWithoutCostState,
  };
}

/** The projects (folders under `projects/`) with sessions in the history, sorted. */
export function reportProjects(history: UsageSources): string[] {
  return [...new Set(Object.values(history.summary().sessions).map((s) => s.project))].sort();
}

/**
 * `report --instances --json`, as ccusage writes it: the rows of each project under `projects`
 * (keyed by its folder under `projects/`), then the whole history's totals and the usual fields.
 */
export function usageReportByProjectJson(all: UsageReport, projects: Array<{ name: string; report: UsageReport }>) {
  const field = LIST_FIELD[all.period];
  const { [field]: _rows, ...rest } = usageReportJson(all);
  return {
    projects: Object.fromEntries(projects.map((p) => [p.name, usageReportJson(p.report)[field]])),
    ...rest,
  };
}

/**
 * A test of whether a folder under `projects/` is the project asked for: its name as ccusage takes it
 * (`-home-me-shop`), without the leading dash (`home-me-shop`, which a shell does not take for an
 * option), or the project's path (`/home/me/shop`: Claude Code names the folder after it, every
 * character but letters and digits made a dash).
 */
export function inProject(asked: string): (folder: string) => boolean {
  const munged = asked.replace(/[^a-zA-Z0-9]/g, '-');
  return (folder) => folder === asked || folder === munged || folder === `-${munged}`;
}

/**
 * `--last N`: the first day of the N most recent periods, this one included (1 is today, this
 * week or this month), as ccusage counts them.
 */
export function firstDayOfLast(period: Exclude<Period, 'session'>, today: string, n: number): string {
  if (period === 'daily') return lastDays(today, n)[0]!;
  if (period === 'weekly') return lastDays(weekKey(today), 7 * (n - 1) + 1)[0]!;
  const [year, month] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - 1 - (n - 1), 1));
  return first.toISOString().slice(0, 10);
}
