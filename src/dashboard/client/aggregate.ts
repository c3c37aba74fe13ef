import { DAILY, DONE, MANUAL, ROW, type DailyRow, type DashboardData, type PageRow } from './page-data-types.js';

export interface Filter {
  since: string | null;
  until: string | null;
  spec: string | null;
}

export interface Tally {
  total: number;
  calls: number;
  /** Exact, in pico-USD; `cost` is it in USD. */
  pico: bigint;
  cost: number;
  /** Names of the models used. */
  models: Set<string>;
  unpriced: Set<string>;
  /** First and last activity, epoch ms (minute precision). */
  first: number;
  last: number;
  done: boolean;
  /** Some of its tokens were logged by hand (/log-task). */
  manual: boolean;
}

export interface TaskRow {
  spec: string;
  task: string;
  tally: Tally;
  /** The task's usage per work session it spanned (null: outside any), in order of first activity. */
  sessions: Array<{ ws: string | null; tally: Tally }>;
}

export interface DayTally {
  cost: number;
  pico: bigint;
  models: Map<string, number>;
}

export interface Summary {
  totals: Tally;
  kinds: { in: number; out: number; cw5: number; cw1h: number; cr: number };
  days: Map<string, DayTally>;
  specs: Map<string, Tally>;
  sessions: Map<string, Tally>;
  tasks: TaskRow[];
  /** Neither a task nor a work session: `unattributed` in `cost --json`, split by Claude session. */
  unattributed: Tally;
  unattributedBySession: Map<string, Tally>;
  /** In a work session but on no task: counted in its session's row only. */
  sessionOnly: Tally;
  /** Per branch checked out at the time ('' when not known). */
  branches: Map<string, Tally>;
  /** Per spec: planning (a turn with no task writing its documents) next to building it. */
  planning: Map<string, { planning: Tally; building: Tally }>;
}

/**
 * The dashboard's arithmetic, run in the browser on the page's sums. It splits usage exactly as
 * projectUsage (src/report/project-usage.ts) does and adds costs as exact pico-USD, so each figure
 * equals `cost --json` for the same range and spec to the last bit.
 */
export function dashboardAggregate(data: DashboardData) {
  const name = (i: number) => (i < 0 ? null : data.names[i]!);
  const modelNames = data.models.map((m) => data.names[m]!);
  const unpriced = new Set(data.unpriced.map((m) => data.names[m]!));
  const minuteMs = (m: number) => (data.baseMinute + m) * 60_000;

  function newTally(): Tally {
    return {
      total: 0,
      calls: 0,
      pico: 0n,
      cost: 0,
      models: new Set(),
      unpriced: new Set(),
      first: Infinity,
      last: -Infinity,
      done: false,
      manual: false,
    };
  }

  function add(t: Tally, r: PageRow): void {
    t.total += r[ROW.tokens];
    t.calls += r[ROW.calls];
    t.pico += BigInt(r[ROW.pico]);
    t.cost = Number(t.pico) / 1e12;
    for (let bit = 0; bit < modelNames.length; bit++) {
      if ((r[ROW.models] & (1 << bit)) === 0) continue;
      t.models.add(modelNames[bit]!);
      if (unpriced.has(modelNames[bit]!)) t.unpriced.add(modelNames[bit]!);
    }
    t.first = Math.min(t.first, minuteMs(r[ROW.first]));
    t.last = Math.max(t.last, minuteMs(r[ROW.last]));
    t.done = t.done || (r[ROW.flags] & DONE) !== 0;
    t.manual = t.manual || (r[ROW.flags] & MANUAL) !== 0;
  }

  function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
    let t = map.get(key);
    if (!t) map.set(key, (t = newTally()));
    return t;
  }

  function keep(f: Filter): (r: PageRow | DailyRow, day: number, spec: number) => boolean {
    return (_r, day, spec) => {
      const d = data.days[day]!;
      return (!f.since || d >= f.since) && (!f.until || d <= f.until) && (!f.spec || name(spec) === f.spec);
    };
  }

  function pick(f: Filter): { rows: PageRow[]; daily: DailyRow[] } {
    const ok = keep(f);
    return {
      rows: data.rows.filter((r) => ok(r, r[ROW.day], r[ROW.spec])),
      daily: data.daily.filter((r) => ok(r, r[DAILY.day], r[DAILY.spec])),
    };
  }

  function summarize({ rows, daily }: { rows: PageRow[]; daily: DailyRow[] }): Summary {
    const s: Summary = {
      totals: newTally(),
      kinds: { in: 0, out: 0, cw5: 0, cw1h: 0, cr: 0 },
      days: new Map(),
      specs: new Map(),
      sessions: new Map(),
      tasks: [],
      unattributed: newTally(),
      unattributedBySession: new Map(),
      sessionOnly: newTally(),
      branches: new Map(),
      planning: new Map(),
    };
    const tasks = new Map<string, TaskRow & { bySession: Map<string, { ws: string | null; tally: Tally }> }>();
    for (const r of rows) {
      const [ws, spec, task, phase] = [name(r[ROW.ws]), name(r[ROW.spec]), name(r[ROW.task]), name(r[ROW.phase])];
      add(s.totals, r);
      if (spec) add(tallyOf(s.specs, spec), r);
      if (r[ROW.branch] >= 0) add(tallyOf(s.branches, name(r[ROW.branch])!), r);
      if (spec && (phase || task || ws)) {
        let p = s.planning.get(spec);
        if (!p) s.planning.set(spec, (p = { planning: newTally(), building: newTally() }));
        add(phase ? p.planning : p.building, r);
      }
      if (ws) add(tallyOf(s.sessions, ws), r);
      if (spec && task) {
        const key = `${spec}\u0000${task}`;
        let row = tasks.get(key);
        if (!row) tasks.set(key, (row = { spec, task, tally: newTally(), sessions: [], bySession: new Map() }));
        add(row.tally, r);
        let part = row.bySession.get(ws ?? '');
        if (!part) row.bySession.set(ws ?? '', (part = { ws, tally: newTally() }));
        add(part.tally, r);
      } else if (!ws && !phase) {
        add(s.unattributed, r);
        add(tallyOf(s.unattributedBySession, name(r[ROW.cs]) ?? '(no Claude session)'), r);
      } else if (ws) add(s.sessionOnly, r);
    }
    for (const d of daily) {
      s.kinds.in += d[DAILY.in];
      s.kinds.out += d[DAILY.out];
      s.kinds.cw5 += d[DAILY.cw5];
      s.kinds.cw1h += d[DAILY.cw1h];
      s.kinds.cr += d[DAILY.cr];
      const day = data.days[d[DAILY.day]]!;
      let t = s.days.get(day);
      if (!t) s.days.set(day, (t = { cost: 0, pico: 0n, models: new Map() }));
      t.pico += BigInt(d[DAILY.pico]);
      t.cost = Number(t.pico) / 1e12;
      const model = name(d[DAILY.model])!;
      t.models.set(model, (t.models.get(model) ?? 0) + d[DAILY.pico] / 1e12);
    }
    s.tasks = [...tasks.values()]
      .map(({ bySession, ...row }) => ({
        ...row,
        sessions: [...bySession.values()].sort((a, b) => a.tally.first - b.tally.first),
      }))
      .sort((a, b) => a.tally.first - b.tally.first);
    return s;
  }

  /** As roundUsd in src/report/tally.ts: what `cost --json` prints. */
  function roundUsd(usd: number): number {
    return Math.round(usd * 1e9) / 1e9;
  }

  return { pick, summarize, roundUsd, name, minuteMs };
}

export type Aggregate = ReturnType<typeof dashboardAggregate>;
