import { StringTable } from '../history/string-table.js';
import path from 'node:path';
import type { LedgerView } from '../ledger/read-ledger.js';
import type { PriceBook } from '../pricing/price-call.js';
import { priceItem } from '../report/project-usage.js';
import { skippedNote } from '../report/skipped-note.js';
import type { DayRange } from '../time/day-range.js';
import { dayKey } from '../time/zoned.js';
import { DONE, MANUAL, ROW, type DailyRow, type DashboardData, type PageRow } from './client/page-data-types.js';

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
  const names = new StringTable();
  const name = (s: string | null) => (s === null ? -1 : names.id(s));
  // One pass over the usage, a month at a time, nothing kept but the sums: days and models get
  // their places in sorted order, and minutes their base, once every item has been seen.
  const dayIds = new StringTable();
  const modelIds = new StringTable();
  let firstMinute = Math.floor(meta.now / 60_000);
  const unpriced = new Set<string>();
  const rows = new Map<string, PageRow>();
  const daily = new Map<string, DailyRow>();
  view.forEachItemIn(range, tz, (item) => {
    const pico = priceItem(item, book);
    if (pico === null) unpriced.add(item.model);
    const day = dayIds.id(dayKey(item.time, tz));
    const first = Math.floor(item.first / 60_000);
    const last = Math.floor(item.last / 60_000);
    firstMinute = Math.min(firstMinute, first);
    const cs = item.ws === null ? item.cs : null; // a Claude session is shown only for usage outside any work session
    // Names by their number (null is -1): a short key per item, not one spelling out every name.
    const key = `${day},${name(item.ws)},${name(item.spec)},${name(item.task)},${name(cs)},${name(item.phase)},${name(item.branch)}`;
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
        isDone ? DONE : 0,
        first,
        last,
        name(item.phase),
        item.kind === 'manual' ? -1 : name(item.branch ?? ''),
      ];
      rows.set(key, row);
    }
    if (item.kind === 'manual') row[ROW.flags] |= MANUAL;
    row[ROW.tokens] += total;
    row[ROW.calls] += item.calls;
    row[ROW.pico] += Number(pico ?? 0);
    row[ROW.models] |= 1 << modelIds.id(item.model);
    row[ROW.first] = Math.min(row[ROW.first], first);
    row[ROW.last] = Math.max(row[ROW.last], last);
    const dkey = `${day},${name(item.spec)},${name(item.model)}`;
    let d = daily.get(dkey);
    if (!d) daily.set(dkey, (d = [day, name(item.spec), name(item.model), 0, 0, 0, 0, 0, 0, 0]));
    d[3] += t.input;
    d[4] += t.output;
    d[5] += t.cacheWrite5m;
    d[6] += t.cacheWrite1h;
    d[7] += t.cacheRead;
    d[8] += item.calls;
    d[9] += Number(pico ?? 0);
  });
  const days = [...dayIds.list].sort();
  const dayAt = placesIn(dayIds, days);
  const models = [...modelIds.list].sort();
  const modelAt = placesIn(modelIds, models);
  const baseMinute = firstMinute;
  const minute = (t: number) => Math.floor(t / 60_000) - baseMinute;
  for (const row of rows.values()) {
    row[ROW.day] = dayAt[row[ROW.day]]!;
    let bits = 0;
    for (let b = 0; b < modelAt.length; b++) if (row[ROW.models] & (1 << b)) bits |= 1 << modelAt[b]!;
    row[ROW.models] = bits;
    row[ROW.first] -= baseMinute;
    row[ROW.last] -= baseMinute;
  }
  for (const d of daily.values()) d[0] = dayAt[d[0]]!;
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
    names: names.list,
    days,
    models: models.map((m) => name(m)),
    unpriced: [...unpriced].map((m) => name(m)),
    baseMinute,
    rows: [...rows.values()],
    daily: [...daily.values()],
    sessions,
  };
}

/** For each id given in order of first sight, its place in `sorted`. */
function placesIn(ids: StringTable, sorted: string[]): number[] {
  const at: number[] = [];
  sorted.forEach((key, place) => {
    at[ids.id(key)] = place;
  });
  return at;
}
