/**
 * The calendar's tables: 10 numbers a row, `first, model, flags, version set, calls, in, out, 5m,
 * 1h, read`, sorted by the first (a 15-minute slot, or a day), as float64 (exact to 2^53).
 */
export const CALENDAR_ROW = 10;

/**
 * Signed changes to a table of rows sorted by their first number (a slot, or a day): each row is
 * found by binary search and changed in place; rows not there yet are added at the end (result()).
 */
export class Patch {
  private readonly inserts: number[][] = [];

  constructor(private readonly rows: Float64Array) {}

  add(
    first: number,
    model: number,
    flags: number,
    set: number,
    sign: number,
    calls: number,
    tokens: number[],
    from: number,
  ): void {
    const rows = this.rows;
    let at = lowerBound(rows, first);
    for (; at < rows.length && rows[at] === first; at += CALENDAR_ROW)
      if (rows[at + 1] === model && rows[at + 2] === flags && rows[at + 3] === set) break;
    let row: Float64Array | number[] | undefined;
    if (at < rows.length && rows[at] === first) row = rows;
    else {
      const found = this.inserts.find((r) => r[0] === first && r[1] === model && r[2] === flags && r[3] === set);
      if (found) row = found;
      else this.inserts.push((row = [first, model, flags, set, 0, 0, 0, 0, 0, 0]));
      at = 0;
    }
    row[at + 4]! += sign * calls;
    for (let k = 0; k < 5; k++) row[at + 5 + k]! += sign * tokens[from + k]!;
  }

  /** The rows without those that came to nothing, with the new ones in place. */
  result(): Float64Array {
    return withRows(
      this.rows,
      this.inserts.filter((r) => r[4] !== 0),
    );
  }
}

/** `rows` without those that came to nothing, with `added` in place (by slot). */
function withRows(rows: Float64Array, added: number[][]): Float64Array {
  let emptied = 0;
  for (let at = 0; at < rows.length; at += CALENDAR_ROW) if (rows[at + 4] === 0) emptied++;
  if (emptied === 0 && added.length === 0) return rows;
  const sorted = added.sort((a, b) => a[0]! - b[0]!);
  const out = new Float64Array(rows.length + (added.length - emptied) * CALENDAR_ROW);
  let o = 0;
  let n = 0;
  for (let at = 0; at <= rows.length; at += CALENDAR_ROW) {
    const slot = at < rows.length ? rows[at]! : Infinity;
    for (; n < sorted.length && sorted[n]![0]! <= slot; o += CALENDAR_ROW) out.set(sorted[n++]!, o);
    if (at < rows.length && rows[at + 4] !== 0) {
      out.set(rows.subarray(at, at + CALENDAR_ROW), o);
      o += CALENDAR_ROW;
    }
  }
  return out;
}

/** The position of the first row with `slot` or a later one. */
function lowerBound(rows: Float64Array, slot: number): number {
  let lo = 0;
  let hi = rows.length / CALENDAR_ROW;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid * CALENDAR_ROW]! < slot) lo = mid + 1;
    else hi = mid;
  }
  return lo * CALENDAR_ROW;
}
