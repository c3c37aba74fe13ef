import { dayKey } from './zoned.js';

/** A date range in the user's zone, inclusive; open ends allowed. */
export interface DayRange {
  since?: string;
  until?: string;
}

export function inRange(item: { time: number }, range: DayRange, tz: string): boolean {
  if (!range.since && !range.until) return true;
  const day = dayKey(item.time, tz);
  return (!range.since || day >= range.since) && (!range.until || day <= range.until);
}

/** Whether any day of the month (YYYY-MM) lies in the range. */
export function monthInRange(month: string, range: DayRange): boolean {
  return (!range.since || `${month}-31` >= range.since) && (!range.until || `${month}-01` <= range.until);
}
