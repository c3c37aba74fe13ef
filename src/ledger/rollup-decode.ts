/**
 * Reading rollup files back (the format is in rollup-format.ts): rows checked by hand, events
 * returned raw for the caller to validate, and a quick scan of each entry's source for readers that
 * pick entries before parsing them.
 */
import { decodeEvent } from './rollup-events.js';
import {
  FLAG_FAST,
  FLAG_GAP,
  FLAG_LONG,
  KEY_CHARS,
  SLOT_MS,
  type PackedRows,
  type RollupEntry,
  type RollupFile,
  type RollupRow,
  type RowAttribution,
} from './rollup-format.js';

export class RollupFormatError extends Error {}

/**
 * Decodes a rollup file. Rows are checked by hand (a year of a team's rollups holds a few hundred
 * thousand of them); events are returned raw, for the caller to validate like any ledger line.
 * Without `keys`, entries are parsed up to their call keys only (most of a rollup's bytes). With
 * `rows: 'packed'`, rows and events are handed back as stored (rows checked), for a reader that
 * sums them without an object each.
 */
export function decodeRollup(
  text: string,
  { keys = true, rows = 'objects' }: { keys?: boolean; rows?: 'objects' | 'packed' } = {},
): RollupFile & { rawEvents: unknown[][] } {
  const entries: RollupEntry[] = [];
  const rawEvents: unknown[][] = [];
  const day = forEachEntryLine(text, (line) => {
    const cut = keys ? -1 : line.lastIndexOf(',"keys":{');
    let decoded: ReturnType<typeof decodeEntry>;
    try {
      decoded = decodeEntry(parseJson(cut < 0 ? line : `${line.slice(0, cut)}}`), rows);
    } catch (error) {
      if (cut < 0) throw error;
      decoded = decodeEntry(parseJson(line), rows); // `keys` was not last: read the whole entry
    }
    entries.push(decoded.entry);
    rawEvents.push(decoded.events);
  });
  return { day, entries, rawEvents };
}

/** Each entry's source, size and hash, without parsing the entries. */
export function rollupSources(text: string): Array<{ src: string; bytes: number; sha: string }> {
  const out: Array<{ src: string; bytes: number; sha: string }> = [];
  forEachEntryLine(text, (line) => {
    const m = /^\{"src":("(?:[^"\\]|\\.)*"),"bytes":(\d+),"sha":("[0-9a-f]+")/.exec(line);
    if (!m) throw new RollupFormatError('bad entry header');
    // Parsed, not cut out: a piece of the line would keep the whole file's text alive while the
    // source is remembered (a team's years of rollups, 30 MB, held through a fresh clone's rebuild).
    out.push({ src: JSON.parse(m[1]!) as string, bytes: Number(m[2]), sha: JSON.parse(m[3]!) as string });
  });
  return out;
}

/** The first line of a rollup file as its encoder writes it (its day captured). */
export const ROLLUP_HEADER = /^\{"v":1,"day":"(\d{4}-\d{2}-\d{2})","entries":\[$/;

/**
 * The file as its encoder writes it: a header line, one entry per line, a closing line. A file in
 * any other shape (edited by hand, say) is parsed whole and its entries re-serialised.
 */
function forEachEntryLine(text: string, visit: (line: string) => void): string {
  const lines = text.split('\n');
  const header = ROLLUP_HEADER.exec(lines[0] ?? '');
  const closing = lines.at(-1) === '' ? lines.at(-2) : lines.at(-1);
  if (header && closing === ']}') {
    const last = lines.lastIndexOf(']}');
    for (let i = 1; i < last; i++) {
      const line = lines[i]!;
      visit(line.endsWith(',') ? line.slice(0, -1) : line);
    }
    return header[1]!;
  }
  const file = parseJson(text) as { v?: unknown; day?: unknown; entries?: unknown };
  if (
    typeof file !== 'object' ||
    file === null ||
    file.v !== 1 ||
    typeof file.day !== 'string' ||
    !Array.isArray(file.entries)
  )
    throw new RollupFormatError('not a version 1 rollup');
  for (const entry of file.entries as Array<Record<string, unknown>>) {
    const { keys, ...rest } = entry;
    visit(JSON.stringify({ ...rest, keys })); // keys last, as the encoder writes them
  }
  return file.day;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RollupFormatError(`not JSON: ${(error as Error).message}`);
  }
}

const validDate = (ms: number) => Math.abs(ms) <= 8.64e15;

/** A whole number a rollup may hold as a count (tokens, calls, offsets). */
export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** A stored row (checked by decodeEntry) as the row it stands for. */
export function unpackRow(r: number[], { base, attributions, names }: Omit<PackedRows, 'rows'>): RollupRow {
  const [offset, attr, model, flags, calls, i, o, w5, w1, c, first, last = first] = r;
  const slot = base + offset!;
  return {
    slot,
    group: attr! * 1_000_000 + model! * 16 + flags!,
    attribution: attributions[attr!]!,
    model: names[model!]!,
    fast: (flags! & FLAG_FAST) !== 0,
    longContext: (flags! & FLAG_LONG) !== 0,
    kind: flags! & FLAG_GAP ? 'gap' : 'call',
    calls: calls!,
    tokens: [i!, o!, w5!, w1!, c!],
    first: slot * SLOT_MS + first!,
    last: slot * SLOT_MS + last!,
  };
}

/** An entry's `gaps` checked (`bad` makes the error). */
export function entryGaps(raw: unknown, bad: () => Error): RollupEntry['gaps'] {
  const gaps: RollupEntry['gaps'] = {};
  for (const [model, t] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(t) || t.length !== 5 || !t.every(isCount)) throw bad();
    gaps[model] = t as RollupEntry['gaps'][string];
  }
  return gaps;
}

/**
 * An entry's events (an array) for a reader that packs them without a record each: as stored,
 * but those whose kind or fields the packed form cannot hold decoded. A time no date can hold
 * fails here, in both forms, failing the file.
 */
export function entryEvents(raw: unknown[], base: number, names: string[]): unknown[] {
  return raw.map((ev) =>
    Array.isArray(ev) && typeof ev[1] === 'number' && !validDate(base * SLOT_MS + ev[1])
      ? decodeEvent(ev, base * SLOT_MS, names)
      : ev,
  );
}

function decodeEntry(raw: unknown, as: 'objects' | 'packed' = 'objects'): { entry: RollupEntry; events: unknown[] } {
  const e = raw as Record<string, unknown>;
  const bad = (what: string) => new RollupFormatError(`entry ${typeof e?.src === 'string' ? e.src : '?'}: ${what}`);
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e.src !== 'string' ||
    !isCount(e.bytes) ||
    typeof e.sha !== 'string' ||
    !(e.cs === null || typeof e.cs === 'string')
  )
    throw bad('bad header');
  const names = e.names;
  const attrs = e.attrs;
  if (!Array.isArray(names) || !names.every((m) => typeof m === 'string')) throw bad('bad names');
  const name = (i: unknown) =>
    i === -1
      ? null
      : typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < names.length
        ? (names[i] as string)
        : undefined;
  if (
    !Array.isArray(attrs) ||
    !attrs.every((a) => Array.isArray(a) && a.length === 6 && a.every((i) => name(i) !== undefined))
  )
    throw bad('bad attrs');
  const attributions = (attrs as number[][]).map((a) => a.map(name) as RowAttribution);
  if (typeof e.base !== 'number' || !Number.isSafeInteger(e.base) || !Array.isArray(e.rows)) throw bad('bad rows');
  const base = e.base;
  const rows: RollupRow[] = [];
  for (const r of e.rows as unknown[]) {
    if (!Array.isArray(r) || (r.length !== 11 && r.length !== 12) || !r.every(isCount)) throw bad('bad row');
    const [, attr, model, , , , , , , , first, last = first] = r as number[];
    const modelName = name(model);
    if (attr! >= attributions.length || !modelName || first! >= SLOT_MS || last! >= SLOT_MS)
      throw bad('row out of range');
    if (as === 'packed') continue;
    rows.push(unpackRow(r as number[], { base, attributions, names: names as string[] }));
  }
  const gaps = entryGaps(e.gaps, () => bad('bad gaps'));
  const keys: Record<string, string> = {};
  for (const [day, run] of Object.entries((e.keys ?? {}) as Record<string, unknown>)) {
    if (typeof run !== 'string' || run.length % KEY_CHARS !== 0) throw bad('bad keys');
    keys[day] = run;
  }
  if (!Array.isArray(e.events)) throw bad('bad events');
  const events =
    as === 'packed'
      ? entryEvents(e.events, base, names as string[])
      : e.events.map((ev) => decodeEvent(ev, base * SLOT_MS, names as string[]));
  const packed =
    as === 'packed' ? { packed: { base, rows: e.rows as number[][], attributions, names: names as string[] } } : {};
  return {
    entry: {
      src: e.src,
      bytes: e.bytes,
      sha: e.sha,
      cs: e.cs as string | null,
      rows,
      keys,
      gaps,
      events: [],
      ...packed,
    },
    events,
  };
}
