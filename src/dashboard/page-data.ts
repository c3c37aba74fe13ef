import path from 'node:path';
import type { LedgerView } from '../ledger/read-ledger.js';
import type { PriceBook } from '../pricing/price-call.js';
import type { DayRange } from '../report/project-usage.js';
import { pricedUsage } from '../export/priced-usage.js';
import { dayKey } from '../time/zoned.js';
import { sessionSpans, taskSpans, type SessionSpan, type TaskSpan } from './timeline-spans.js';

/** One usage item as the page holds it: counts, ids, names and times only; `usd` null = unpriced. */
export interface PageItem {
  t: number;
  day: string;
  model: string;
  cs: string | null;
  ws: string | null;
  spec: string | null;
  task: string | null;
  kind: 'call' | 'gap' | 'manual';
  in: number;
  out: number;
  cw5: number;
  cw1h: number;
  cr: number;
  usd: number | null;
}

/** Everything the dashboard page shows, embedded in it as JSON: the page recomputes every figure from `items`. */
export interface DashboardData {
  project: string;
  generatedAt: number;
  today: string;
  timeZone: string;
  priceTable: string;
  priceLabel: string;
  since: string | null;
  until: string | null;
  dailyBudget: number | null;
  /** In ledger order: the page sums costs in this order, as the reports do, so its totals equal theirs exactly. */
  items: PageItem[];
  sessions: SessionSpan[];
  tasks: TaskSpan[];
}

export interface PageMeta {
  projectDir: string;
  now: number;
  dailyBudget: number | null;
}

export function pageData(view: LedgerView, book: PriceBook, tz: string, range: DayRange, meta: PageMeta): DashboardData {
  const items = pricedUsage(view, book, tz, range).map(({ item, cost }): PageItem => {
    const t = item.tokens;
    return { t: item.time, day: dayKey(item.time, tz), model: item.model, cs: item.cs, ws: item.ws, spec: item.spec, task: item.task, kind: item.kind, in: t.input, out: t.output, cw5: t.cacheWrite5m, cw1h: t.cacheWrite1h, cr: t.cacheRead, usd: cost };
  });
  return {
    project: path.basename(meta.projectDir),
    generatedAt: meta.now,
    today: dayKey(meta.now, tz),
    timeZone: tz,
    priceTable: book.table,
    priceLabel: `${book.label} as of ${book.asOf}`,
    since: range.since ?? null,
    until: range.until ?? null,
    dailyBudget: meta.dailyBudget,
    items,
    sessions: sessionSpans(view, tz),
    tasks: taskSpans(view, tz),
  };
}
