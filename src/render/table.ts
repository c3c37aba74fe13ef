/**
 * The plain tables of `/cost` and `report`: no side borders, one space of padding, columns joined
 * by '│', a rule of '─' (with '┼' where columns meet) under the head, section rows spanning every
 * column. The same text cli-table3 draws for these options (a property test holds the two to each
 * other), drawn here because cli-table3 merges its options into every cell and measures every
 * string through a regular expression: ~18 ms of a warm `/cost`, ~40 ms of `report`'s daily table.
 */
export type Align = 'left' | 'right';
/** A cell: its text, or a section title across `colSpan` columns. */
export type Cell = string | { colSpan: number; content: string };

export interface Table {
  push(...rows: Cell[][]): number;
  toString(): string;
}

export function makeTable(head: string[], align: Align[]): Table {
  const rows: Cell[][] = [];
  return {
    push: (...more) => rows.push(...more),
    toString: () => drawTable(head, align, rows),
  };
}

const PAD = 1;

interface Placed {
  x: number;
  span: number;
  text: string;
  width: number;
}

function drawTable(head: string[], align: Align[], body: Cell[][]): string {
  const columns = head.length;
  const rows = [head, ...body].map((row) => place(row, columns));
  // Each column as wide as its widest cell; a section wider than its columns widens them, from the
  // last section to the first, the extra shared from the left (as cli-table3 does).
  const widths = new Array<number>(columns).fill(1);
  for (const row of rows)
    for (const c of row) if (c.span === 1) widths[c.x] = Math.max(widths[c.x]!, c.width + 2 * PAD);
  const spanners = rows.flatMap((row) => row.filter((c) => c.span > 1));
  for (let k = spanners.length - 1; k >= 0; k--) {
    const c = spanners[k]!;
    const desired = c.width + 2 * PAD;
    let existing = spanWidth(widths, c);
    let editable = c.span;
    for (let i = 0; editable > 0 && desired > existing; i++) {
      const dif = Math.round((desired - existing) / editable);
      existing += dif;
      widths[c.x + i]! += dif;
      editable--;
    }
  }
  const lines = rows.map((row) =>
    row.map((c) => (c.x > 0 ? '│' : '') + aligned(c, spanWidth(widths, c), align[c.x] ?? 'left')).join(''),
  );
  // The rule under the head follows the first row's cells: '┼' between cells, none inside a section.
  if (rows.length > 1)
    lines.splice(1, 0, rows[1]!.map((c) => '─'.repeat(spanWidth(widths, c) - (c.span - 1))).join('┼'));
  return lines.join('\n');
}

/** A row's cells at their columns; cells missing at the end of a row are blank. */
function place(row: Cell[], columns: number): Placed[] {
  const out: Placed[] = [];
  let x = 0;
  for (const cell of row) {
    if (x >= columns) break;
    const span = typeof cell === 'string' ? 1 : Math.max(1, Math.min(cell.colSpan, columns - x));
    const text = oneLine(typeof cell === 'string' ? cell : cell.content);
    out.push({ x, span, text, width: displayWidth(text) });
    x += span;
  }
  for (; x < columns; x++) out.push({ x, span: 1, text: '', width: 0 });
  return out;
}

const spanWidth = (widths: number[], c: Placed) => {
  let w = widths[c.x]!;
  for (let i = 1; i < c.span; i++) w += 1 + widths[c.x + i]!;
  return w;
};

function aligned(c: Placed, width: number, align: Align): string {
  const room = ' '.repeat(Math.max(0, width - 2 * PAD - c.width));
  return ' '.repeat(PAD) + (align === 'right' ? room + c.text : c.text + room) + ' '.repeat(PAD);
}

/** A cell's text on one line (names are the user's: a line break must not break the table). */
const oneLine = (text: string) => (text.includes('\n') ? text.replace(/\r?\n/g, ' ') : text);

/** Printable ASCII and the few symbols these tables draw with: one column each. */
const NARROW = /^[\x20-\x7e└…·─│]*$/;

/** Columns a string takes in a terminal: string-width's count (wide CJK and emoji are two). */
export function displayWidth(text: string): number {
  if (NARROW.test(text)) return text.length;
  return (require('string-width') as (s: string) => number)(text); // loaded only for such text
}

/**
 * `text` in at most `width` columns: whole, or its start (two thirds) and end (a third) around '…',
 * by whole characters and display width. The start reads as the name; the end is kept because
 * names often differ there: `billing-api`, `billing-ui`.
 */
export function shortenMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const chars = [...text];
  let headRoom = Math.ceil(((width - 1) * 2) / 3);
  let tailRoom = width - 1 - headRoom;
  let head = '';
  let tail = '';
  for (let i = 0; i < chars.length; i++) {
    const w = displayWidth(chars[i]!);
    if (w > headRoom) break;
    head += chars[i];
    headRoom -= w;
  }
  tailRoom += headRoom; // what a wide character left over at the start
  for (let i = chars.length - 1; i >= 0; i--) {
    const w = displayWidth(chars[i]!);
    if (w > tailRoom) break;
    tail = chars[i] + tail;
    tailRoom -= w;
  }
  return `${head}…${tail}`;
}

/** A first-column label: its text, or made for the column's width (a long name shortened to fit). */
export type Label = string | ((column: number) => string);

/**
 * The labels of a column whose long names are shortened only past the room the others make: the
 * column is as wide as its widest label, each made-to-fit label at its narrowest (made for 0 columns,
 * its floor); then each is made for that width.
 */
export function fitLabels(labels: Label[]): string[] {
  let column = 0;
  for (const l of labels) column = Math.max(column, displayWidth(typeof l === 'string' ? l : l(0)));
  return labels.map((l) => (typeof l === 'string' ? l : l(column)));
}
