import { isSaneTime } from '../time/sane-time.js';

/**
 * Epoch ms of a transcript timestamp, NaN when it is not a date a report can show (outside
 * 2000–2200: `+275760-09-13T00:00:00.000Z` parses, but would break every calendar). Claude Code's
 * own form, `2026-11-25T06:53:31.030Z`, is read digit by digit (it is on every usage line); any
 * other form goes through Date.parse.
 */
export function parseTime(text: string): number {
  const time = text.length === 24 && text.charCodeAt(23) === 0x5a /* Z */ ? isoUtc(text) : NaN;
  const ms = Number.isNaN(time) ? Date.parse(text) : time;
  return isSaneTime(ms) ? ms : NaN;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ` → ms, NaN if any part is off (Date.parse then decides). */
function isoUtc(t: string): number {
  if (t.charCodeAt(4) !== 0x2d || t.charCodeAt(7) !== 0x2d || t.charCodeAt(10) !== 0x54 || t.charCodeAt(13) !== 0x3a || t.charCodeAt(16) !== 0x3a || t.charCodeAt(19) !== 0x2e) return NaN;
  const year = digits(t, 0, 4);
  const month = digits(t, 5, 2);
  const day = digits(t, 8, 2);
  const hour = digits(t, 11, 2);
  const minute = digits(t, 14, 2);
  const second = digits(t, 17, 2);
  const ms = digits(t, 20, 3);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

function digits(t: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = t.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}
