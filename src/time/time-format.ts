import { isLocalZone, localDay, pad } from './zoned.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-25 10:30" in the user's zone. */
export function clock(time: number, tz: string): string {
  if (tz === 'UTC') return new Date(time).toISOString().slice(0, 16).replace('T', ' '); // no Intl: no time-zone data to load
  if (isLocalZone(tz)) {
    const d = new Date(time);
    return `${localDay(time)} ${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}`;
  }
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(tz, f);
  }
  return f.format(time);
}

export function hourMinute(time: number, tz: string): string {
  return clock(time, tz).slice(11);
}
