import { dayKey, dayOfNumber, isLocalZone } from './zoned.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The local day (YYYY-MM-DD in `tz`) of many instants, with a handful of Intl calls instead of one
 * per instant: a zone's offset is looked up at both ends of each UTC day and, when they agree (every
 * day but a DST change), holds for the whole day. Same answers as dayKey, which it falls back to
 * around an offset change.
 */
export class SlotDays {
  private readonly offsets = new Map<number, number | null>();
  private readonly parts: Intl.DateTimeFormat | 'local' | undefined;

  constructor(private readonly tz: string) {
    this.parts =
      tz === 'UTC'
        ? undefined
        : isLocalZone(tz)
          ? 'local' // Date's own offsets: no formatter, no time-zone data to load
          : new Intl.DateTimeFormat('en-US', {
              timeZone: tz,
              hourCycle: 'h23',
              year: 'numeric',
              month: 'numeric',
              day: 'numeric',
              hour: 'numeric',
              minute: 'numeric',
              second: 'numeric',
            });
  }

  day(time: number): string {
    const offset = this.offsetOn(time);
    return offset === null ? dayKey(time, this.tz) : dayOfNumber(Math.floor((time + offset) / DAY_MS));
  }

  /** The local day as a day number (the local date's midnight UTC / 86,400,000), without its text. */
  dayNumber(time: number): number {
    const offset = this.offsetOn(time);
    return offset === null
      ? Date.parse(`${dayKey(time, this.tz)}T00:00:00Z`) / DAY_MS
      : Math.floor((time + offset) / DAY_MS);
  }

  /** The zone's offset for the whole UTC day of `time`; null on a day it changes. */
  private offsetOn(time: number): number | null {
    if (!this.parts) return 0;
    const utcDayStart = Math.floor(time / DAY_MS) * DAY_MS;
    let offset = this.offsets.get(utcDayStart);
    if (offset === undefined) {
      const start = this.offsetAt(utcDayStart);
      offset =
        start === this.offsetAt(utcDayStart + DAY_MS - HOUR_MS) && start === this.offsetAt(utcDayStart + DAY_MS)
          ? start
          : null;
      this.offsets.set(utcDayStart, offset);
    }
    return offset;
  }

  /** Local wall time minus UTC at `time`, in ms (a whole number of minutes). */
  private offsetAt(time: number): number {
    if (this.parts === 'local') return Math.round(-new Date(time).getTimezoneOffset()) * 60_000;
    const p: Record<string, number> = {};
    for (const part of (this.parts as Intl.DateTimeFormat).formatToParts(time))
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    return Math.round((wall - Math.floor(time / 1000) * 1000) / 60_000) * 60_000;
  }
}
