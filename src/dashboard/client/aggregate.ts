import type { PageItem } from '../page-data.js';

export interface Filter {
  since: string | null;
  until: string | null;
  spec: string | null;
}

export interface ModelTally {
  total: number;
  cost: number;
  calls: number;
  priced: boolean;
}

export interface Tally {
  in: number;
  out: number;
  cw5: number;
  cw1h: number;
  cr: number;
  total: number;
  cost: number;
  calls: number;
  unpriced: Set<string>;
  models: Map<string, ModelTally>;
  first: number;
  last: number;
}

export interface TaskRow {
  spec: string;
  task: string;
  ws: string | null;
  tally: Tally;
}

export interface Summary {
  totals: Tally;
  days: Map<string, Tally>;
  specs: Map<string, Tally>;
  sessions: Map<string, Tally>;
  tasks: TaskRow[];
  /** Neither a task nor a work session: `unattributed` in `cost --json`, split by Claude session. */
  unattributed: Tally;
  unattributedBySession: Map<string, Tally>;
  /** In a work session but on no task: counted in its session's row only. */
  sessionOnly: Tally;
}

/**
 * The dashboard's arithmetic, run in the browser on the page's items. It splits usage exactly as
 * projectUsage (src/report/project-usage.ts) does and adds costs in item order as UsageTally does,
 * so each figure equals `cost --json` for the same range and spec to the last bit. The page holds
 * it as source text (Function#toString), so it is self-contained: nothing but types from outside.
 */
export function dashboardAggregate() {
  function newTally(): Tally {
    return { in: 0, out: 0, cw5: 0, cw1h: 0, cr: 0, total: 0, cost: 0, calls: 0, unpriced: new Set(), models: new Map(), first: Infinity, last: -Infinity };
  }

  function add(t: Tally, i: PageItem): void {
    const total = i.in + i.out + i.cw5 + i.cw1h + i.cr;
    t.in += i.in;
    t.out += i.out;
    t.cw5 += i.cw5;
    t.cw1h += i.cw1h;
    t.cr += i.cr;
    t.total += total;
    t.calls += 1;
    t.first = Math.min(t.first, i.t);
    t.last = Math.max(t.last, i.t);
    let m = t.models.get(i.model);
    if (!m) t.models.set(i.model, (m = { total: 0, cost: 0, calls: 0, priced: true }));
    m.total += total;
    m.calls += 1;
    if (i.usd === null) {
      t.unpriced.add(i.model);
      m.priced = false;
    } else {
      t.cost += i.usd;
      m.cost += i.usd;
    }
  }

  function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
    let t = map.get(key);
    if (!t) map.set(key, (t = newTally()));
    return t;
  }

  function pick(items: PageItem[], f: Filter): PageItem[] {
    return items.filter((i) => (!f.since || i.day >= f.since) && (!f.until || i.day <= f.until) && (!f.spec || i.spec === f.spec));
  }

  function summarize(items: PageItem[]): Summary {
    const s: Summary = { totals: newTally(), days: new Map(), specs: new Map(), sessions: new Map(), tasks: [], unattributed: newTally(), unattributedBySession: new Map(), sessionOnly: newTally() };
    const tasks = new Map<string, TaskRow>();
    for (const i of items) {
      add(s.totals, i);
      add(tallyOf(s.days, i.day), i);
      if (i.spec) add(tallyOf(s.specs, i.spec), i);
      if (i.ws) add(tallyOf(s.sessions, i.ws), i);
      if (i.spec && i.task) {
        const key = `${i.spec}\u0000${i.task}\u0000${i.ws ?? ''}`;
        let row = tasks.get(key);
        if (!row) tasks.set(key, (row = { spec: i.spec, task: i.task, ws: i.ws, tally: newTally() }));
        add(row.tally, i);
      } else if (!i.ws) {
        add(s.unattributed, i);
        add(tallyOf(s.unattributedBySession, i.cs ?? '(no Claude session)'), i);
      } else add(s.sessionOnly, i);
    }
    s.tasks = [...tasks.values()].sort((a, b) => a.tally.first - b.tally.first);
    return s;
  }

  /** As roundUsd in src/report/tally.ts: what `cost --json` prints. */
  function roundUsd(usd: number): number {
    return Math.round(usd * 1e9) / 1e9;
  }

  return { pick, summarize, roundUsd };
}

export type Aggregate = ReturnType<typeof dashboardAggregate>;
