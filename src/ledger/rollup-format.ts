import { createHash } from 'node:crypto';
import type { LedgerLine } from './ledger-schema.js';

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
  const models = [...new Set(e.rows.map((r) => r.model))].sort();
  const attrKey = (a: RowAttribution) => JSON.stringify(a);
  const attrs = [...new Set(e.rows.map((r) => attrKey(r.attribution)))].sort();
  const modelIndex = new Map(models.map((m, i) => [m, i]));
  const attrIndex = new Map(attrs.map((a, i) => [a, i]));
  const base = e.rows.length ? Math.min(...e.rows.map((r) => r.slot)) : 0;
  const rows = e.rows
    .map((r) => [
      r.slot - base,
      attrIndex.get(attrKey(r.attribution))!,
      modelIndex.get(r.model)!,
      (r.fast ? FLAG_FAST : 0) | (r.longContext ? FLAG_LONG : 0) | (r.kind === 'gap' ? FLAG_GAP : 0),
      r.calls,
      ...r.tokens,
      r.first - r.slot * SLOT_MS,
      r.last - r.slot * SLOT_MS,
    ])
    .sort(compareArrays);
  const gaps = Object.fromEntries(Object.entries(e.gaps).sort(([a], [b]) => (a < b ? -1 : 1)));
  const keys = Object.fromEntries(Object.entries(e.keys).sort(([a], [b]) => (a < b ? -1 : 1)));
  const events = e.events.map((ev) => JSON.stringify(ev)).sort();
  return `{"src":${JSON.stringify(e.src)},"bytes":${e.bytes},"sha":${JSON.stringify(e.sha)},"cs":${JSON.stringify(e.cs)},"models":${JSON.stringify(models)},"attrs":[${attrs.join(',')}],"base":${base},"rows":${JSON.stringify(rows)},"gaps":${JSON.stringify(gaps)},"keys":${JSON.stringify(keys)},"events":[${events.join(',')}]}`;
}

function compareArrays(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export class RollupFormatError extends Error {}

/**
 * Decodes a rollup file. Rows are checked by hand (a year of a team's rollups holds a few hundred
 * thousand of them); events are returned raw, for the caller to validate like any ledger line.
 */
export function decodeRollup(text: string): RollupFile & { rawEvents: unknown[][] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RollupFormatError(`not JSON: ${(error as Error).message}`);
  }
  const file = raw as { v?: unknown; day?: unknown; entries?: unknown };
  if (typeof file !== 'object' || file === null || file.v !== 1 || typeof file.day !== 'string' || !Array.isArray(file.entries)) {
    throw new RollupFormatError('not a version 1 rollup');
  }
  const entries: RollupEntry[] = [];
  const rawEvents: unknown[][] = [];
  for (const e of file.entries as unknown[]) {
    const { entry, events } = decodeEntry(e);
    entries.push(entry);
    rawEvents.push(events);
  }
  return { day: file.day, entries, rawEvents };
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isName = (v: unknown): v is string | null => v === null || typeof v === 'string';

function decodeEntry(raw: unknown): { entry: RollupEntry; events: unknown[] } {
  const e = raw as Record<string, unknown>;
  const bad = (what: string) => new RollupFormatError(`entry ${typeof e?.src === 'string' ? e.src : '?'}: ${what}`);
  if (typeof e !== 'object' || e === null || typeof e.src !== 'string' || !isCount(e.bytes) || typeof e.sha !== 'string' || !isName(e.cs)) throw bad('bad header');
  const models = e.models;
  const attrs = e.attrs;
  if (!Array.isArray(models) || !models.every((m) => typeof m === 'string')) throw bad('bad models');
  if (!Array.isArray(attrs) || !attrs.every((a) => Array.isArray(a) && a.length === 6 && a.every(isName))) throw bad('bad attrs');
  if (!isCount(e.base) || !Array.isArray(e.rows)) throw bad('bad rows');
  const base = e.base;
  const rows: RollupRow[] = [];
  for (const r of e.rows as unknown[]) {
    if (!Array.isArray(r) || r.length !== 12 || !r.every(isCount)) throw bad('bad row');
    const [offset, attr, model, flags, calls, i, o, w5, w1, c, first, last] = r as number[];
    if (attr! >= attrs.length || model! >= models.length || first! >= SLOT_MS || last! >= SLOT_MS) throw bad('row out of range');
    const slot = base + offset!;
    rows.push({
      slot,
      attribution: attrs[attr!] as RowAttribution,
      model: models[model!] as string,
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
  return { entry: { src: e.src, bytes: e.bytes, sha: e.sha, cs: e.cs, rows, keys, gaps, events: [] }, events: e.events as unknown[] };
}
