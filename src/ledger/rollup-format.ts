import { createHash } from 'node:crypto';
import type { LedgerLine } from './ledger-schema.js';
import { decodeEvent, encodeEvent } from './rollup-events.js';

/**
 * A rollup file, `<day>/rollup-<hash>.json`: the closed raw files of one ledger folder, summed.
 * One entry per raw file it replaces, so two clones that rolled up different files of the same
 * day merge without double counting (the fold keeps one entry per source file).
 *
 * An entry holds what every report needs and what keeps the fold exact:
 * - `rows`: token sums by 15-minute UTC slot (every real time zone's day boundary is a multiple
 *   of 15 minutes, so days are exact in any zone), attribution, model, speed, long-context and
 *   kind; each row also keeps its first and last call time to the millisecond;
 * - `keys`: a 48-bit hash of the message id of every call it counts, by UTC day, so a copy of
 *   one of those calls captured again later (state lost, a transcript re-read) counts once;
 * - `gaps`: per model, the largest cumulative cost-state gap of its Claude session seen so far;
 * - `events`: the file's workflow records (sessions, tasks, bindings, manual entries) as written.
 *
 * The bytes are a pure function of the content (sorted everything, no timestamps of the run), and
 * the file is named after a hash of them: two clones that roll up the same files write the same
 * file, and git merges them without a conflict.
 */
export const SLOT_MS = 15 * 60_000;

/** Who a row's usage belongs to: [work session, spec, task, planning phase, branch, commit]. */
export type RowAttribution = [string | null, string | null, string | null, string | null, string | null, string | null];

export type RowKind = 'call' | 'gap';

export interface RollupRow {
  slot: number;
  /** Rows of one entry with the same attribution, model, tier and kind share it (set when read back). */
  group?: number;
  attribution: RowAttribution;
  model: string;
  fast: boolean;
  longContext: boolean;
  kind: RowKind;
  calls: number;
  tokens: [number, number, number, number, number];
  first: number;
  last: number;
}

export interface RollupEntry {
  /** The raw file this entry replaces, relative to the ledger folder. */
  src: string;
  /** Its size and content hash when rolled up: of two entries for one file, the larger wins. */
  bytes: number;
  sha: string;
  /** The Claude session that wrote it (null for a CLI writer). */
  cs: string | null;
  rows: RollupRow[];
  /** Call key hashes by UTC day, each a run of 8-character hashes, sorted. */
  keys: Record<string, string>;
  gaps: Record<string, [number, number, number, number, number]>;
  events: LedgerLine[];
  /** When read with `rows: 'packed'`: the rows as stored (checked), for a reader that sums them without an object per row. */
  packed?: PackedRows;
}

/** Stored rows: [slot offset, attribution, model, flags, calls, 5 token counts, first, last?] with `base` and the names. */
export interface PackedRows {
  base: number;
  rows: number[][];
  attributions: RowAttribution[];
  names: string[];
}

/** What the flags of a stored row say. */
export function rowFlags(flags: number): { fast: boolean; longContext: boolean; kind: RowKind } {
  return {
    fast: (flags & FLAG_FAST) !== 0,
    longContext: (flags & FLAG_LONG) !== 0,
    kind: flags & FLAG_GAP ? 'gap' : 'call',
  };
}

export interface RollupFile {
  day: string;
  entries: RollupEntry[];
}

export const KEY_CHARS = 8;

/** The 48-bit hash of a call's message id, as stored in `keys`. */
export function callKeyHash(messageId: string): string {
  return createHash('sha256').update(messageId).digest('base64url').slice(0, KEY_CHARS);
}

export function contentHash(bytes: Buffer | string, length = 16): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, length);
}

const FLAG_FAST = 1;
const FLAG_LONG = 2;
const FLAG_GAP = 4;

/** Encodes a rollup file: compact, one entry per line, and the same bytes for the same content. */
export function encodeRollup(file: RollupFile): string {
  const entries = [...file.entries].sort((a, b) => (a.src < b.src ? -1 : 1)).map(encodeEntry);
  return `{"v":1,"day":${JSON.stringify(file.day)},"entries":[\n${entries.join(',\n')}\n]}\n`;
}

export function rollupFileName(text: string): string {
  return `rollup-${contentHash(text, 12)}.json`;
}

function encodeEntry(e: RollupEntry): string {
  const strings = new Set<string>();
  for (const r of e.rows) {
    strings.add(r.model);
    for (const a of r.attribution) if (a !== null) strings.add(a);
  }
  for (const ev of e.events)
    for (const [f, v] of Object.entries(ev)) if (typeof v === 'string' && f !== 'k' && f !== 't') strings.add(v);
  const names = [...strings].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const ref = (v: string | null) => (v === null ? -1 : index.get(v)!);
  const attrKey = (a: RowAttribution) => a.map(ref).join(',');
  const attrs = [...new Set(e.rows.map((r) => attrKey(r.attribution)))].sort();
  const attrIndex = new Map(attrs.map((a, i) => [a, i]));
  const eventSlots = e.events.map((ev) => Math.floor(Date.parse(ev.t) / SLOT_MS)).filter(Number.isFinite);
  const base = e.rows.length ? Math.min(...e.rows.map((r) => r.slot)) : eventSlots.length ? Math.min(...eventSlots) : 0;
  const rows = e.rows
    .map((r) => {
      const row = [
        r.slot - base,
        attrIndex.get(attrKey(r.attribution))!,
        ref(r.model),
        (r.fast ? FLAG_FAST : 0) | (r.longContext ? FLAG_LONG : 0) | (r.kind === 'gap' ? FLAG_GAP : 0),
        r.calls,
        ...r.tokens,
        r.first - r.slot * SLOT_MS,
      ];
      if (r.last !== r.first) row.push(r.last - r.slot * SLOT_MS);
      return row;
    })
    .sort(compareArrays);
  const events = e.events.map((ev) => JSON.stringify(encodeEvent(ev, base * SLOT_MS, ref))).sort();
  const gaps = Object.fromEntries(Object.entries(e.gaps).sort(([a], [b]) => (a < b ? -1 : 1)));
  const keys = Object.fromEntries(Object.entries(e.keys).sort(([a], [b]) => (a < b ? -1 : 1)));
  // `keys` last: a reader that needs only the sums cuts the line there and parses less.
  return `{"src":${JSON.stringify(e.src)},"bytes":${e.bytes},"sha":${JSON.stringify(e.sha)},"cs":${JSON.stringify(e.cs)},"names":${JSON.stringify(names)},"attrs":[${attrs.map((a) => `[${a}]`).join(',')}],"base":${base},"rows":${JSON.stringify(rows)},"gaps":${JSON.stringify(gaps)},"events":[${events.join(',')}],"keys":${JSON.stringify(keys)}}`;
}

function compareArrays(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export class RollupFormatError extends Error {}

/**
 * Decodes a rollup file. Rows are checked by hand (a year of a team's rollups holds a few hundred
 * thousand of them); events are returned raw, for the caller to validate like any ledger line.
 * Without `keys`, entries are parsed up to their call keys only (most of a rollup's bytes).
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
    const m = /^\{"src":("(?:[^"\\]|\\.)*"),"bytes":(\d+),"sha":"([0-9a-f]+)"/.exec(line);
    if (!m) throw new RollupFormatError('bad entry header');
    out.push({ src: JSON.parse(m[1]!) as string, bytes: Number(m[2]), sha: m[3]! });
  });
  return out;
}

/**
 * The file as its encoder writes it: a header line, one entry per line, a closing line. A file in
 * any other shape (edited by hand, say) is parsed whole and its entries re-serialised.
 */
function forEachEntryLine(text: string, visit: (line: string) => void): string {
  const lines = text.split('\n');
  const header = /^\{"v":1,"day":"(\d{4}-\d{2}-\d{2})","entries":\[$/.exec(lines[0] ?? '');
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

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

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
    const [offset, attr, model, flags, calls, i, o, w5, w1, c, first, last = first] = r as number[];
    const modelName = name(model);
    if (attr! >= attributions.length || !modelName || first! >= SLOT_MS || last! >= SLOT_MS)
      throw bad('row out of range');
    if (as === 'packed') continue;
    const slot = base + offset!;
    rows.push({
      slot,
      group: attr! * 1_000_000 + model! * 16 + flags!,
      attribution: attributions[attr!]!,
      model: modelName,
      fast: (flags! & FLAG_FAST) !== 0,
      longContext: (flags! & FLAG_LONG) !== 0,
      kind: flags! & FLAG_GAP ? 'gap' : 'call',
      calls: calls!,
      tokens: [i!, o!, w5!, w1!, c!],
      first: slot * SLOT_MS + first!,
      last: slot * SLOT_MS + last!,
    });
  }
  const gaps: RollupEntry['gaps'] = {};
  for (const [model, t] of Object.entries((e.gaps ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(t) || t.length !== 5 || !t.every(isCount)) throw bad('bad gaps');
    gaps[model] = t as RollupEntry['gaps'][string];
  }
  const keys: Record<string, string> = {};
  for (const [day, run] of Object.entries((e.keys ?? {}) as Record<string, unknown>)) {
    if (typeof run !== 'string' || run.length % KEY_CHARS !== 0) throw bad('bad keys');
    keys[day] = run;
  }
  if (!Array.isArray(e.events)) throw bad('bad events');
  const events = (e.events as unknown[]).map((ev) => decodeEvent(ev, base * SLOT_MS, names as string[]));
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
