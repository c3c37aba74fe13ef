/**
 * Rows of numbers with the names their ids stand for (a month's items, a spec's task events, the
 * done tasks), and the binary form the index keeps them in.
 */
import { StringTable } from '../history/string-table.js';

/**
 * Rows of numbers laid end to end, with the names their ids stand for: a month's items (ITEM_WIDTH
 * a row), a spec's task events (packed-events.ts).
 */
export interface Table {
  names: string[];
  cells: ArrayLike<number>;
}

/** Rows made of names and numbers as a table: `cellsOf` gives a row's cells, a name by its `id` (null: -1). */
export function namedTable<T>(
  rows: T[],
  width: number,
  cellsOf: (row: T, id: (name: string | null) => number) => number[],
): Table {
  const names = new StringTable();
  const id = (name: string | null) => (name === null ? -1 : names.id(name));
  const cells = new Float64Array(rows.length * width);
  rows.forEach((row, n) => {
    cells.set(cellsOf(row, id), n * width);
  });
  return { names: names.list, cells };
}

const TABLE_MAGIC = 'SSI1';

/**
 * Rows of `width` numbers as the index keeps them on disk: `SSI1`, the header's length (u32), the
 * header (JSON: the base's id, the names the rows' ids stand for, the count), padding to 8 bytes,
 * then the rows as float64 cells (every number an integer under 2^53).
 */
export function encodeTable(id: string, { names, cells }: Table, width: number): Buffer {
  const count = Math.floor(cells.length / width);
  const header = Buffer.from(JSON.stringify({ id, names, count }));
  const at = align8(8 + header.length);
  const out = Buffer.alloc(at + count * width * 8);
  out.write(TABLE_MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  new Float64Array(out.buffer, out.byteOffset + at, count * width).set(cells);
  return out;
}

/** A table encodeTable wrote, or undefined when it is torn, of another width, or of another base than `id`. */
export function decodeTable(bytes: Buffer, id: string, width: number): Table | undefined {
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== TABLE_MAGIC) return undefined;
  const headerLength = bytes.readUInt32LE(4);
  if (8 + headerLength > bytes.length) return undefined;
  let header: { id?: unknown; names?: unknown; count?: unknown };
  try {
    header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)) as typeof header;
  } catch {
    return undefined;
  }
  const { names, count } = header;
  if (header.id !== id || !Array.isArray(names) || !Number.isSafeInteger(count) || (count as number) < 0)
    return undefined;
  const at = align8(8 + headerLength);
  const length = (count as number) * width;
  if (bytes.length !== at + length * 8) return undefined;
  // A buffer's own offset need not be a multiple of 8: copy the cells out then.
  const start = bytes.byteOffset + at;
  const cells =
    start % 8 === 0
      ? new Float64Array(bytes.buffer, start, length)
      : new Float64Array(bytes.buffer.slice(start, start + length * 8));
  return { names: names as string[], cells };
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;
