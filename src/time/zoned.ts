import { isLocalZone } from './system-zone.js';

export { isLocalZone, systemTimeZone } from './system-zone.js';

/** Calendar keys in the user's time zone. Days follow the zone, not UTC. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function assertTimeZone(tz: string): string {
  // Neither needs time-zone data: the first Intl formatter loads it (~27 ms).
  if (tz === 'UTC' || isLocalZone(tz)) return tz;
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: tz });
    return tz;
  } catch {
    throw new Error(`unknown time zone "${tz}": use an IANA name such as Europe/Berlin or UTC`);
  }
}

const QUARTER_HOUR = 15 * 60_000;
const dayMemo = new Map<string, Map<number, string>>();

/**
 * YYYY-MM-DD of an instant in `tz`. Every UTC offset, and every moment one changes, is a multiple
 * of 15 minutes, so the day is the same for a whole 15-minute UTC slot: it is memoised per slot
 * (formatting a date is the slowest step of summing a year of usage by day).
 */
export function dayKey(time: number, tz: string): string {
  if (tz === 'UTC') return utcDay(time);
  let memo = dayMemo.get(tz);
  if (!memo) dayMemo.set(tz, (memo = new Map()));
  const slot = Math.floor(time / QUARTER_HOUR);
  let day = memo.get(slot);
  if (day === undefined) {
    if (isLocalZone(tz)) day = localDay(time);
    else {
      let format = dayFormats.get(tz);
      if (!format) {
        format = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
        dayFormats.set(tz, format);
      }
      day = format.format(time);
    }
    if (memo.size > 50_000) memo.clear();
    memo.set(slot, day);
  }
  return day;
}

/** YYYY-MM-DD of an instant in the zone of Date's local time (the same ICU zone Intl would use). */
export function localDay(time: number): string {
  const d = new Date(time);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const DAY_MS = 86_400_000;
const dayNames = new Map<number, string>();

/** YYYY-MM-DD of a day number (days since 1970-01-01), memoised (no Intl: UTC needs no time-zone data). */
export function dayOfNumber(n: number): string {
  let day = dayNames.get(n);
  if (day === undefined) {
    day = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (dayNames.size > 50_000) dayNames.clear();
    dayNames.set(n, day);
  }
  return day;
}

/** YYYY-MM-DD of an instant in UTC. */
const utcDay = (time: number): string => dayOfNumber(Math.floor(time / DAY_MS));

export function monthKey(day: string): string {
  return day.slice(0, 7);
}

/** The Monday (ISO week start) of the week holding `day`, as YYYY-MM-DD. */
export function weekKey(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const back = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - back);
  return date.toISOString().slice(0, 10);
}

export function assertDay(value: string, flag: string): string {
  // YYYYMMDD too: the form ccusage takes (`--since 20260101`), read as the same day.
  const day = /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : value;
  const time = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March 2nd: a real day must survive the round trip.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== day) {
    throw new Error(`${flag} expects a date as YYYY-MM-DD (or YYYYMMDD), got "${value}"`);
  }
  return day;
}

/** Days from `day` back `count - 1` days, oldest first. */
export function lastDays(day: string, count: number): string[] {
  const end = new Date(`${day}T00:00:00Z`).getTime();
  return Array.from({ length: count }, (_, i) =>
    new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}
