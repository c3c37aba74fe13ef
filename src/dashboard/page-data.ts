import path from 'node:path';
import type { LedgerView } from '../ledger/read-ledger.js';
import type { PriceBook } from '../pricing/price-call.js';
import { priceItem } from '../report/project-usage.js';
import { skippedNote } from '../report/skipped-note.js';
import type { DayRange } from '../time/day-range.js';
import { dayKey } from '../time/zoned.js';
import type { DailyRow, DashboardData, PageRow } from './client/page-data-types.js';

export type { DashboardData } from './client/page-data-types.js';

export interface PageMeta {
  projectDir: string;
  now: number;
  dailyBudget: number | null;
}

/**
 * The page's data: the usage of the range summed per day, work session, spec and task (and per
 * Claude session outside any work session), and per day, spec and model, each priced exactly as
 * the reports price it (per item, in pico-USD), so the page's sums equal `cost --json`'s.
 */
export function pageData(
  view: LedgerView,
  book: PriceBook,
  tz: string,
  range: DayRange,
  meta: PageMeta,
): DashboardData {
  const items = view.usageIn(range, tz);
  const names: string[] = [];
  const ids = new Map<string, number>();
  const newName = (s: string) => {
    ids.set(s, names.length);
    return names.push(s) - 1;
  };
  const name = (s: string | null) => (s === null ? -1 : (ids.get(s) ?? newName(s)));
  const days = [...new Set(items.map((i) => dayKey(i.time, tz)))].sort();
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const models = [...new Set(items.map((i) => i.model))].sort();
  const modelBit = new Map(models.map((m, i) => [m, i]));
  const baseMinute = Math.floor(items.reduce((min, i) => Math.min(min, i.first), meta.now) / 60_000);
  const minute = (t: number) => Math.floor(t / 60_000) - baseMinute;
  const unpriced = new Set<string>();
  const rows = new Map<string, PageRow>();
  const daily = new Map<string, DailyRow>();
  for (const item of items) {
    const pico = priceItem(item, book);
    if (pico === null) unpriced.add(item.model);
    const day = dayIndex.get(dayKey(item.time, tz))!;
    const cs = item.ws === null ? item.cs : null; // a Claude session is shown only for usage outside any work session
    const key = `${day}\u0000${item.ws}\u0000${item.spec}\u0000${item.task}\u0000${cs}\u0000${item.phase}\u0000${item.branch}`;
    const t = item.tokens;
    const total = t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
    let row = rows.get(key);
    if (!row) {
      const isDone = item.spec !== null && item.task !== null && view.taskDone(item.spec, item.task, item.ws);
      row = [
        day,
        name(item.ws),
        name(item.spec),
        name(item.task),
        name(cs),
        0,
        0,
        0,
        0,
        isDone ? 1 : 0,
        minute(item.first),
        minute(item.last),
        name(item.phase),
        item.kind === 'manual' ? -1 : name(item.branch ?? ''),
      ];
      rows.set(key, row);
    }
    row[5] += total;
    row[6] += item.calls;
    row[7] += Number(pico ?? 0n);
    row[8] |= 1 << modelBit.get(item.model)!;
    row[10] = Math.min(row[10], minute(item.first));
    row[11] = Math.max(row[11], minute(item.last));
    const dkey = `${day}\u0000${item.spec}\u0000${item.model}`;
    let d = daily.get(dkey);
    if (!d) daily.set(dkey, (d = [day, name(item.spec), name(item.model), 0, 0, 0, 0, 0, 0, 0]));
    d[3] += t.input;
    d[4] += t.output;
    d[5] += t.cacheWrite5m;
    d[6] += t.cacheWrite1h;
    d[7] += t.cacheRead;
    d[8] += item.calls;
    d[9] += Number(pico ?? 0n);
  }
  const sessions = [...view.sessions.values()]
    .filter(
      (s) =>
        (!range.until || dayKey(s.started, tz) <= range.until) &&
        (!range.since || s.ended === null || dayKey(s.ended, tz) >= range.since),
    )
    .sort((a, b) => a.started - b.started || a.name.localeCompare(b.name))
    .map((s): [number, number, number, number, number] => [
      name(s.name),
      name(s.spec),
      minute(s.started),
      s.ended === null ? -1 : minute(s.ended),
      s.claudeSessions.size,
    ]);
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
    skipped: skippedNote(view) ?? null,
    names,
    days,
    models: models.map((m) => name(m)),
    unpriced: [...unpriced].map((m) => name(m)),
    baseMinute,
    rows: [...rows.values()],
    daily: [...daily.values()],
    sessions,
  };
}
