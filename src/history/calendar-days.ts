import { SlotDays } from '../time/slot-days.js';
import { CALENDAR_ROW } from './calendar-rows.js';
import { SLOT_MS } from './summary.js';

/**
 * The calendar's rows summed by local day in one zone: what daily, weekly and monthly reports in
 * that zone print from. At 1.6 GiB a report reads ~1,500 of them instead of ~14,000 slot rows, in
 * a process too short for V8 to compile the loop (~10 ms of a one-turn report). The same layout as
 * the rows, sorted by day: `day, model, flags, version set, calls, in, out, 5m, 1h, read`, where a
 * day is a day number (the local date's midnight UTC / 86,400,000).
 */
export interface CalendarDays {
  tz: string;
  rows: Float64Array;
}

/** The calendar's rows summed by day in `tz`. */
export function daysOf(rows: Float64Array, tz: string): CalendarDays {
  const days = dayNumbers(tz);
  const byKey = new Map<string, number[]>();
  let slot = Number.NaN;
  let day = 0;
  for (let at = 0; at < rows.length; at += CALENDAR_ROW) {
    if (rows[at] !== slot) day = days((slot = rows[at]!));
    const key = `${day},${rows[at + 1]},${rows[at + 2]},${rows[at + 3]}`;
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = [day, rows[at + 1]!, rows[at + 2]!, rows[at + 3]!, 0, 0, 0, 0, 0, 0]));
    for (let k = 4; k < CALENDAR_ROW; k++) row[k]! += rows[at + k]!;
  }
  // By day (the order Patch finds rows in); within a day, in the slot rows' order.
  const sorted = [...byKey.values()].sort((a, b) => a[0]! - b[0]!);
  const out = new Float64Array(sorted.length * CALENDAR_ROW);
  for (const [i, row] of sorted.entries()) out.set(row, i * CALENDAR_ROW);
  return { tz, rows: out };
}

/** The day number of a slot in `tz` (memoised: a patch asks it of the same few slots again and again). */
export function dayNumbers(tz: string): (slot: number) => number {
  const days = new SlotDays(tz);
  const memo = new Map<number, number>();
  return (slot) => {
    let day = memo.get(slot);
    if (day === undefined) memo.set(slot, (day = days.dayNumber(slot * SLOT_MS)));
    return day;
  };
}
