import { createHash } from 'node:crypto';
import { dayKey } from '../time/zoned.js';
import type { LedgerLine } from './ledger-schema.js';
import { encodeEvent } from './rollup-events.js';

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
 *
 * This module defines the format and encodes it; rollup-decode.ts reads it back.
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

/** The call keys of a rolled-up UTC day, as its entries store them (one run of KEY_CHARS-long keys), added to `set`. */
export function addKeyRun(set: Set<string>, run: string): void {
  for (let i = 0; i < run.length; i += KEY_CHARS) set.add(run.slice(i, i + KEY_CHARS));
}

/** The UTC day a call's key is filed under. */
export const keyDay = (time: number): string => dayKey(time, 'UTC');

export function contentHash(bytes: Buffer | string, length = 16): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, length);
}

/** A stored row's flag bits: fast mode, long-context rates, a cost-state gap (else an API call). */
export const FLAG_FAST = 1;
export const FLAG_LONG = 2;
export const FLAG_GAP = 4;

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
