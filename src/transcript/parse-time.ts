import { isSaneTime } from '../time/sane-time.js';

/**
 * Epoch ms of a transcript timestamp, NaN when it is not a date a report can show (outside
 * 2000–2200: `+275760-09-13T00:00:00.000Z` parses, but would break every calendar). Claude Code's
 * own form, `2026-11-25T06:53:31.030Z`, is read digit by digit (it is on every usage line); any
 * other form goes through Date.parse.
 */
export function parseTime(text: string): number {
  let time = NaN;
  if (text.length === 24) {
    for (let i = 0; i < 24; i++) DIGITS[i] = text.charCodeAt(i);
    time = isoDigits();
  }
  const ms = Number.isNaN(time) ? Date.parse(text) : time;
  return isSaneTime(ms) ? ms : NaN;
}

/** The same for a timestamp's bytes, `buf[a, b)`: NaN unless it is in Claude Code's own form (then parseTime decides). */
export function isoTime(buf: Buffer, a: number, b: number): number {
  if (b - a !== 24) return NaN;
  for (let i = 0; i < 24; i++) DIGITS[i] = buf[a + i]!;
  const ms = isoDigits();
  return isSaneTime(ms) ? ms : NaN;
}

const DIGITS = new Uint8Array(24);

/** `YYYY-MM-DDTHH:MM:SS.sssZ` in DIGITS → ms, as Date.UTC computes it; NaN if any part is off. */
function isoDigits(): number {
  const t = DIGITS;
  if (
    t[4] !== 0x2d ||
    t[7] !== 0x2d ||
    t[10] !== 0x54 ||
    t[13] !== 0x3a ||
    t[16] !== 0x3a ||
    t[19] !== 0x2e ||
    t[23] !== 0x5a
  )
    return NaN;
  const year = digits(0, 4);
  const month = digits(5, 2);
  const day = digits(8, 2);
  const hour = digits(11, 2);
  const minute = digits(14, 2);
  const second = digits(17, 2);
  const ms = digits(20, 3);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0))
    return NaN;
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

function digits(from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = DIGITS[i]! - 0x30;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; day 31 of a 30-day month rolls over as in Date.UTC). */
function daysFromCivil(y: number, m: number, d: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
