/**
 * A cursor over JSON text held in a byte buffer: skips whitespace, strings and values without
 * decoding them, so a transcript line's few needed fields are read without `JSON.parse` of the
 * whole line (an assistant line carries its content: often tens of KB). Every method returns
 * false (or NaN) when the bytes are not the JSON it expects; callers then parse the line whole.
 *
 * A JSON string can never hold the byte sequence `":` or `",` unescaped, so a key found by a byte
 * search (`"usage":`) is a real key of the structure, never text inside a string.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class JsonBytes {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;
  /** Bounds of the last string read, quotes excluded, and whether it is free of escapes. */
  a = 0;
  b = 0;
  plain = true;

  reset(buf: Buffer, pos: number, end: number): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    return this;
  }

  /** Skips whitespace; returns the byte there, or -1 at the end. */
  ws(): number {
    const { buf, end } = this;
    let p = this.pos;
    while (p < end) {
      const c = buf[p]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
      p++;
    }
    this.pos = p;
    return p < end ? buf[p]! : -1;
  }

  /** Consumes `byte` after optional whitespace. */
  take(byte: number): boolean {
    if (this.ws() !== byte) return false;
    this.pos++;
    return true;
  }

  /** Reads a string starting at the current (non-space) byte; sets a/b, and plain (no escape in it). */
  string(): boolean {
    const { buf, end } = this;
    let p = this.pos;
    if (buf[p] !== QUOTE) return false;
    this.a = ++p;
    let plain = true;
    while (p < end) {
      const c = buf[p]!;
      if (c === QUOTE) {
        this.b = p;
        this.pos = p + 1;
        this.plain = plain;
        return true;
      }
      if (c === BACKSLASH) {
        plain = false;
        p += 2;
      } else p++;
    }
    return false;
  }

  /** The last string read, decoded. */
  text(): string {
    return decodeString(this.buf, this.a, this.b, this.plain);
  }

  /** Whether the last string read equals `key` (ASCII bytes). */
  is(key: Uint8Array): boolean {
    const n = key.length;
    if (this.b - this.a !== n) return false;
    const { buf, a } = this;
    for (let i = 0; i < n; i++) if (buf[a + i] !== key[i]) return false;
    return true;
  }

  /** Reads `"key":` and leaves the cursor at the value. */
  key(): boolean {
    if (this.ws() !== QUOTE || !this.string()) return false;
    return this.take(0x3a);
  }

  /** A number value: NaN when the value is not a number. */
  number(): number {
    const { buf, end } = this;
    const start = this.pos;
    let p = start;
    let simple = true;
    let n = 0;
    while (p < end) {
      const c = buf[p]!;
      if (c >= 0x30 && c <= 0x39) n = n * 10 + (c - 0x30);
      else if (c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) simple = false;
      else break;
      p++;
    }
    if (p === start) return NaN;
    this.pos = p;
    if (simple && p - start < 16) return n;
    const parsed = Number(buf.toString('latin1', start, p));
    return Number.isNaN(parsed) ? NaN : parsed;
  }

  /** Whether the value here is a scalar (string, number, true, false, null), without consuming it. */
  atScalar(): boolean {
    const c = this.ws();
    return c !== 0x7b && c !== 0x5b && c !== -1;
  }

  /** `true` → 1, `false` → 0, `null` → -1 (consumed); anything else → -2 (not consumed). */
  literal(): number {
    const { buf, pos } = this;
    const c = buf[pos];
    if (c === 0x74 && buf[pos + 1] === 0x72 && buf[pos + 2] === 0x75 && buf[pos + 3] === 0x65) {
      this.pos += 4;
      return 1;
    }
    if (
      c === 0x66 &&
      buf[pos + 1] === 0x61 &&
      buf[pos + 2] === 0x6c &&
      buf[pos + 3] === 0x73 &&
      buf[pos + 4] === 0x65
    ) {
      this.pos += 5;
      return 0;
    }
    if (c === 0x6e && buf[pos + 1] === 0x75 && buf[pos + 2] === 0x6c && buf[pos + 3] === 0x6c) {
      this.pos += 4;
      return -1;
    }
    return -2;
  }

  /**
   * Skips the string at the current byte (a quote), whose text is not needed: past its first bytes
   * the closing quote is searched natively (a progress line skips KBs of copied messages this way).
   * A quote is the closing one unless an odd run of backslashes precedes it.
   */
  skipString(): boolean {
    const { buf, end } = this;
    let p = this.pos + 1;
    for (const stop = Math.min(end, p + 32); p < stop; p++) {
      const c = buf[p]!;
      if (c === QUOTE) {
        this.pos = p + 1;
        return true;
      }
      if (c === BACKSLASH) p++;
    }
    while (p < end) {
      const q = buf.indexOf(QUOTE, p);
      if (q < 0 || q >= end) return false;
      let k = q - 1;
      while (buf[k] === BACKSLASH) k--; // the opening quote ends the run at the latest
      if ((q - 1 - k) % 2 === 0) {
        this.pos = q + 1;
        return true;
      }
      p = q + 1;
    }
    return false;
  }

  /** Skips any value; strings inside it natively once long (see skipString), the rest byte by byte. */
  value(): boolean {
    const c = this.ws();
    if (c === QUOTE) return this.skipString();
    if (c === 0x7b || c === 0x5b) return this.container();
    if (c === 0x74 || c === 0x66 || c === 0x6e) return this.literal() !== -2;
    return !Number.isNaN(this.number());
  }

  private container(): boolean {
    const { buf, end } = this;
    let depth = 0;
    let p = this.pos;
    while (p < end) {
      const c = buf[p]!;
      if (c === QUOTE) {
        this.pos = p;
        if (!this.skipString()) return false;
        p = this.pos;
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) {
          this.pos = p + 1;
          return true;
        }
      }
      p++;
    }
    return false;
  }

  /** After a value inside an object: `,` → true (another member follows), `}` → false (closed, consumed). null on bad JSON. */
  next(): boolean | null {
    const c = this.ws();
    if (c === 0x2c || c === 0x7d) {
      this.pos++;
      return c === 0x2c;
    }
    return null;
  }
}

export const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/** The JSON string at `buf[a, b)` (quotes excluded): ASCII is read as is, escapes and UTF-8 properly. */
export function decodeString(buf: Buffer, a: number, b: number, plain: boolean): string {
  if (plain) {
    let ascii = true;
    for (let i = a; i < b; i++) {
      if (buf[i]! <= 0x7f) continue;
      ascii = false;
      break;
    }
    if (ascii) return buf.toString('latin1', a, b);
    return buf.toString('utf8', a, b);
  }
  return JSON.parse(buf.toString('utf8', a - 1, b + 1)) as string;
}
