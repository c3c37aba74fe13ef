/**
 * A rollup entry as the read that sums every rollup takes it (base-from-rollups.ts): its rows as one
 * flat table of numbers, however the file was read (rollup-bytes.ts from its bytes, or decodeRollup).
 */
import { decodeRollup } from './rollup-decode.js';
import type { PackedRows, RollupEntry, RowAttribution } from './rollup-format.js';

/** Cells of a row in FlatRows: [slot offset, attribution, model, flags, calls, 5 token counts, first, last]. */
export const ROW_WIDTH = 12;

/** An entry's rows as one table of numbers (`last` filled in with `first` where a row leaves it out). */
export interface FlatRows {
  base: number;
  attributions: RowAttribution[];
  names: string[];
  cells: Float64Array;
  count: number;
}

/** An entry as the summing read needs it; `events` as stored, mapped as decodeRollup maps packed ones. */
export interface FlatEntry {
  src: string;
  bytes: number;
  sha: string;
  cs: string | null;
  gaps: RollupEntry['gaps'];
  rows: FlatRows;
  events: unknown[];
}

/** Rows as decodeRollup packs them, flat. */
export function flatRows({ base, rows, attributions, names }: PackedRows): FlatRows {
  const cells = new Float64Array(rows.length * ROW_WIDTH);
  rows.forEach((r, i) => {
    cells.set(r, i * ROW_WIDTH);
    if (r.length === ROW_WIDTH - 1) cells[i * ROW_WIDTH + ROW_WIDTH - 1] = r[ROW_WIDTH - 2]!;
  });
  return { base, attributions, names, cells, count: rows.length };
}

/** The entries of a rollup file's text as decodeRollup reads them (without keys), flat. */
export function decodedEntries(text: string): FlatEntry[] {
  const decoded = decodeRollup(text, { keys: false, rows: 'packed' });
  return decoded.entries.map((entry, i) => ({
    src: entry.src,
    bytes: entry.bytes,
    sha: entry.sha,
    cs: entry.cs,
    gaps: entry.gaps,
    rows: flatRows(entry.packed!),
    events: decoded.rawEvents[i]!,
  }));
}
