/**
 * Rollup files read from their bytes, for the read that sums all of them: a fresh clone's index
 * (a team's ten years hold 30 MB of them, 160,000 rows). An entry line in the encoder's own layout
 * (rollup-format.ts encodeEntry) is read without JSON.parse of its rows, which go into one flat
 * table of numbers; its gaps and events, a small part of its bytes, are parsed as JSON; its call
 * keys (half its bytes) are not looked at, as decodeRollup without `keys` does not.
 *
 * Anything else (another layout, whitespace, a number that is not a plain count, a check of
 * rollup-decode.ts that fails) leaves the whole file to decodeRollup: the entries, and the errors,
 * are then exactly what it gives.
 */
import { ascii, decodeString, JsonBytes } from '../transcript/json-bytes.js';
import { entryEvents, entryGaps, ROLLUP_HEADER, rollupSources } from './rollup-decode.js';
import { SLOT_MS, type RowAttribution } from './rollup-format.js';
import { decodedEntries, ROW_WIDTH, type FlatEntry, type FlatRows } from './rollup-flat.js';

export { ROW_WIDTH, type FlatEntry, type FlatRows } from './rollup-flat.js';

/** Every entry of a rollup file (its bytes), its rows flat. Throws what decodeRollup throws. */
export function flatEntries(buf: Buffer): FlatEntry[] {
  const fast = canonicalEntries(buf);
  if (fast) return fast;
  return decodedEntries(buf.toString('utf8'));
}

/** The entries of a file in the encoder's own layout, read from its bytes; undefined for any other file. */
export function canonicalEntries(buf: Buffer): FlatEntry[] | undefined {
  return new EntryReader(buf).file();
}

/**
 * Each entry's source, size and hash (rollupSources of the file's text); read from bytes, how many
 * rows it holds too (a reader reserves room for their sums).
 */
export function sourcesOf(buf: Buffer): Array<{ src: string; bytes: number; sha: string; rows?: number }> {
  return new EntryReader(buf).sources() ?? rollupSources(buf.toString('utf8'));
}

const CLOSING = ascii(']}');
const KEYS = ascii(',"keys":{');
const SRC = ascii('{"src":');
const BYTES = ascii(',"bytes":');
const SHA = ascii(',"sha":');
const CS = ascii(',"cs":');
const NAMES = ascii(',"names":[');
const ATTRS = ascii(',"attrs":[');
const BASE = ascii(',"base":');
const ROWS = ascii(',"rows":[');
const GAPS = ascii(',"gaps":');
const EVENTS = ascii(',"events":');
const NULL = ascii('null');

/** Why a read stopped: the file is not in the encoder's layout, or holds what only decodeRollup may judge. */
class NotCanonical extends Error {}
const notCanonical = new NotCanonical();

/** The encoder's layout, read from bytes; every method throws `notCanonical` at anything else. */
class EntryReader {
  private readonly j = new JsonBytes();
  private pos = 0;
  private end = 0;
  private cells = new Float64Array(ROW_WIDTH * 64);

  constructor(private readonly buf: Buffer) {}

  /** The entries; undefined when decodeRollup must read the file. */
  file(): FlatEntry[] | undefined {
    const out: FlatEntry[] = [];
    return this.lines((s, e) => out.push(this.entry(s, e))) ? out : undefined;
  }

  /** The entries' sources; undefined when rollupSources must read the file. */
  sources(): Array<{ src: string; bytes: number; sha: string; rows: number }> | undefined {
    const out: Array<{ src: string; bytes: number; sha: string; rows: number }> = [];
    return this.lines((s, e) => {
      this.pos = s;
      this.end = e;
      const src = this.headString(SRC);
      const bytes = this.count(BYTES);
      const sha = this.headString(SHA);
      if (!/^[0-9a-f]+$/.test(sha)) throw notCanonical; // as rollupSources reads a header
      out.push({ src, bytes, sha, rows: this.rowCount(e) });
    })
      ? out
      : undefined;
  }

  /** Visits each entry line [s, e) (its trailing comma left out), as forEachEntryLine splits the text. */
  private lines(visit: (s: number, e: number) => void): boolean {
    const buf = this.buf;
    const first = buf.indexOf(10);
    if (first < 0 || !ROLLUP_HEADER.test(buf.toString('latin1', 0, Math.min(first, 64)))) return false;
    let last = buf.length;
    if (buf[last - 1] === 10) last--;
    const closing = buf.lastIndexOf(10, last - 1) + 1;
    if (closing <= first || last - closing !== 2 || buf.compare(CLOSING, 0, 2, closing, last) !== 0) return false;
    try {
      for (let s = first + 1; s < closing; ) {
        const nl = buf.indexOf(10, s);
        visit(s, buf[nl - 1] === 0x2c ? nl - 1 : nl);
        s = nl + 1;
      }
    } catch (error) {
      if (error === notCanonical) return false;
      throw error;
    }
    return true;
  }

  private entry(s: number, e: number): FlatEntry {
    this.pos = s;
    this.end = e;
    const src = this.headString(SRC);
    const bytes = this.count(BYTES);
    const sha = this.headString(SHA);
    this.expect(CS);
    let cs: string | null = null;
    if (this.at(NULL)) this.pos += NULL.length;
    else cs = this.string();
    this.expect(NAMES);
    const names: string[] = [];
    if (this.buf[this.pos] === 0x5d) this.pos++;
    else
      for (;;) {
        names.push(this.string());
        if (this.separator(0x5d)) break;
      }
    const attributions = this.attrs(names);
    this.expect(BASE);
    const base = this.integer(true);
    const rows = this.rows(base, attributions, names);
    const gaps = this.json(GAPS, EVENTS);
    const events = this.json(EVENTS, KEYS);
    if (this.buf.lastIndexOf(KEYS, e) !== this.pos) throw notCanonical; // decodeRollup cuts at the last one
    if (!Array.isArray(events)) throw notCanonical;
    try {
      return {
        src,
        bytes,
        sha,
        cs,
        gaps: entryGaps(gaps, () => notCanonical),
        rows,
        events: entryEvents(events, base, names),
      };
    } catch {
      throw notCanonical; // decodeRollup words the error
    }
  }

  /** The rows of the entry line ending at `e`, counted by their opening brackets (0 when not found). */
  private rowCount(e: number): number {
    const buf = this.buf;
    const from = buf.indexOf(ROWS, this.pos);
    const to = from < 0 ? -1 : buf.indexOf(GAPS, from);
    if (from < 0 || to < 0 || to > e) return 0;
    let n = 0;
    for (let p = from + ROWS.length; p < to; p++) if (buf[p] === 0x5b) n++;
    return n;
  }

  private attrs(names: string[]): RowAttribution[] {
    this.expect(ATTRS);
    const out: RowAttribution[] = [];
    if (this.buf[this.pos] === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.byte(0x5b);
      const a: Array<string | null> = [];
      for (let k = 0; k < 6; k++) {
        if (k) this.byte(0x2c);
        const i = this.integer(true);
        if (i === -1) a.push(null);
        else if (i >= 0 && i < names.length) a.push(names[i]!);
        else throw notCanonical;
      }
      this.byte(0x5d);
      out.push(a as RowAttribution);
      if (this.separator(0x5d)) return out;
    }
  }

  private rows(base: number, attributions: RowAttribution[], names: string[]): FlatRows {
    this.expect(ROWS);
    let n = 0;
    if (this.buf[this.pos] === 0x5d) this.pos++;
    else
      for (;;) {
        if ((n + 1) * ROW_WIDTH > this.cells.length) {
          const grown = new Float64Array(this.cells.length * 2);
          grown.set(this.cells);
          this.cells = grown;
        }
        const at = n * ROW_WIDTH;
        const c = this.cells;
        this.byte(0x5b);
        let k = 0;
        for (;;) {
          if (k === ROW_WIDTH) throw notCanonical;
          c[at + k++] = this.integer(false);
          if (this.separator(0x5d)) break;
        }
        if (k < ROW_WIDTH - 1) throw notCanonical;
        if (k === ROW_WIDTH - 1) c[at + ROW_WIDTH - 1] = c[at + ROW_WIDTH - 2]!;
        // As decodeEntry checks a row (its model must name a non-empty string).
        if (c[at + 1]! >= attributions.length || !names[c[at + 2]!]) throw notCanonical;
        if (c[at + 10]! >= SLOT_MS || c[at + 11]! >= SLOT_MS) throw notCanonical;
        n++;
        if (this.separator(0x5d)) break;
      }
    return { base, attributions, names, cells: this.cells.slice(0, n * ROW_WIDTH), count: n };
  }

  /** The JSON value between the key `from` and the bytes `to` (which stay unread), parsed. */
  private json(from: Uint8Array, to: Uint8Array): unknown {
    this.expect(from);
    const j = this.j.reset(this.buf, this.pos, this.end);
    if (!j.value() || !this.atBytes(j.pos, to)) throw notCanonical;
    const text = this.buf.toString('utf8', this.pos, j.pos);
    this.pos = j.pos;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw notCanonical;
    }
  }

  private headString(mark: Uint8Array): string {
    this.expect(mark);
    return this.string();
  }

  private count(mark: Uint8Array): number {
    this.expect(mark);
    return this.integer(false);
  }

  private string(): string {
    const j = this.j.reset(this.buf, this.pos, this.end);
    if (!j.string()) throw notCanonical;
    for (let p = j.a; p < j.b; p++) if (this.buf[p]! < 0x20) throw notCanonical; // JSON.parse refuses it
    this.pos = j.pos;
    return decodeString(this.buf, j.a, j.b, j.plain);
  }

  /** A plain integer (a count, or with `signed` one that may be negative): anything else is for decodeRollup. */
  private integer(signed: boolean): number {
    const buf = this.buf;
    let p = this.pos;
    const negative = signed && buf[p] === 0x2d;
    if (negative) p++;
    const start = p;
    let n = 0;
    while (p < this.end) {
      const d = buf[p]! - 0x30;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      p++;
    }
    // No digits, a leading zero, or up to where a double stops being exact.
    if (p === start || p - start > 15 || (buf[start] === 0x30 && p - start > 1)) throw notCanonical;
    this.pos = p;
    return negative ? -n : n;
  }

  /** After an array element: `,` → false (another follows), `close` → true (consumed either way). */
  private separator(close: number): boolean {
    const c = this.buf[this.pos++];
    if (c === 0x2c) return false;
    if (c === close) return true;
    throw notCanonical;
  }

  private byte(b: number): void {
    if (this.buf[this.pos] !== b) throw notCanonical;
    this.pos++;
  }

  private expect(bytes: Uint8Array): void {
    if (!this.atBytes(this.pos, bytes)) throw notCanonical;
    this.pos += bytes.length;
  }

  private at(bytes: Uint8Array): boolean {
    return this.atBytes(this.pos, bytes);
  }

  private atBytes(p: number, bytes: Uint8Array): boolean {
    if (p + bytes.length > this.end) return false;
    for (let i = 0; i < bytes.length; i++) if (this.buf[p + i] !== bytes[i]) return false;
    return true;
  }
}
