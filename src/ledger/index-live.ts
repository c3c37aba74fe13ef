/**
 * The ledger index's live part (ledger-index.ts): the raw files not rolled up, each read from a
 * cursor, so a read parses only the bytes appended since the last one. A cursor holds the offset
 * and hashes of the bytes at the file's start and just before the offset: a file rewritten or
 * replaced (a checkout, a hand edit) is read again from the start. Nothing depends on mtimes, which
 * a clone or a checkout resets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { maxTokens } from '../usage/tokens.js';
import type { LedgerLine, LineOf } from './ledger-schema.js';
import { parseLedgerLine } from './read-ledger.js';
import { decodeRollup, rollupSources } from './rollup-decode.js';
import { addKeyRun, callKeyHash, contentHash, keyDay } from './rollup-format.js';
import { recordTokens } from './usage-item.js';

interface RawCursor {
  offset: number;
  head: string;
  tail: string;
}

export interface LiveFile {
  v: number;
  base: string;
  raw: Record<string, RawCursor>;
  /** Per raw file, its records; a call copy that adds nothing to one already kept is left out. */
  lines: Record<string, LedgerLine[]>;
  malformed: number;
}

/** Reads what a raw file gained since its cursor; returns whether anything was read. */
export function advanceRaw(ledgerDir: string, rel: string, live: LiveFile, keys: KeyLookup): boolean {
  let fd: number;
  try {
    fd = fs.openSync(path.join(ledgerDir, rel), 'r');
  } catch {
    return false; // removed meanwhile: the next read starts the live part again
  }
  try {
    const size = fs.fstatSync(fd).size;
    let cursor = live.raw[rel];
    if (
      cursor &&
      (size < cursor.offset ||
        edge(fd, 0, Math.min(256, cursor.offset)) !== cursor.head ||
        edge(fd, Math.max(0, cursor.offset - 64), cursor.offset) !== cursor.tail)
    ) {
      cursor = undefined; // rewritten: read again from the start
      delete live.lines[rel];
    }
    const from = cursor?.offset ?? 0;
    if (cursor && size === from) return false;
    const buf = Buffer.alloc(size - from);
    fs.readSync(fd, buf, 0, buf.length, from);
    const end = buf.lastIndexOf(10) + 1; // an unterminated last line is being written: left for later
    const lines = (live.lines[rel] ??= []);
    for (const text of buf.toString('utf8', 0, end).split('\n')) {
      if (!text.trim()) continue;
      const record = parseLedgerLine(text);
      if (!record) live.malformed++;
      else if (record.k !== 'call') lines.push(record);
      else if (!keys.has(Date.parse(record.t), record.msg)) keepCall(lines, record);
    }
    const offset = from + end;
    live.raw[rel] = {
      offset,
      head: edge(fd, 0, Math.min(256, offset)),
      tail: edge(fd, Math.max(0, offset - 64), offset),
    };
    return end > 0 || !cursor;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Keeps a call copy unless a kept copy of the same call (message and request id) already says
 * everything it says: at least its tokens, an attribution as good, and a time as early. Hooks and
 * catch-ups write a call again when its usage grows, so this keeps the live file near one record per call.
 */
function keepCall(lines: LedgerLine[], c: LineOf<'call'>): void {
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - 64); i--) {
    const k = lines[i]!;
    if (k.k !== 'call' || k.msg !== c.msg || k.req !== c.req) continue;
    const tokens = maxTokens(recordTokens(k), recordTokens(c));
    const sameTokens =
      tokens.input === k.in &&
      tokens.output === k.out &&
      tokens.cacheWrite5m === k.cw5 &&
      tokens.cacheWrite1h === k.cw1h &&
      tokens.cacheRead === k.cr;
    const asGood =
      (k.ws !== null || c.ws === null) && k.t <= c.t && k.cs === c.cs && k.model === c.model && k.fast === c.fast;
    if (sameTokens && asGood) return;
  }
  lines.push(c);
}

function edge(fd: number, start: number, end: number): string {
  if (end <= start) return '';
  const buf = Buffer.alloc(end - start);
  fs.readSync(fd, buf, 0, buf.length, start);
  return contentHash(buf);
}

/** Rolled-up call keys of one UTC day, read from the rollup files that hold them when first needed. */
export class KeyLookup {
  private readonly sets = new Map<string, Set<string>>();
  constructor(
    private readonly ledgerDir: string,
    private readonly keyDays: Record<string, string[]>,
  ) {}

  has(time: number, messageId: string): boolean {
    const day = keyDay(time);
    const files = this.keyDays[day];
    if (!files) return false;
    let set = this.sets.get(day);
    if (!set) {
      set = new Set();
      for (const rel of files) {
        for (const entry of decodeRollup(fs.readFileSync(path.join(this.ledgerDir, rel), 'utf8')).entries) {
          addKeyRun(set, entry.keys[day] ?? '');
        }
      }
      this.sets.set(day, set);
    }
    return set.has(callKeyHash(messageId));
  }
}

/**
 * The raw files that rollups added since `base` replaced, when the live part read each of them
 * whole (its cursor at the size the rollup's entry records) and nothing else changed: no rollup of
 * the base gone, no raw file gone that a new rollup does not hold. Then the base and the live part
 * count exactly what the new rollups count (a rollup keeps every figure of what it rolls up), and a
 * read can go on from them. Undefined otherwise (a rollup pulled from a teammate holds what this
 * live part never read): the base is built again.
 */
export function liveHoldsRollups(
  ledgerDir: string,
  base: { id: string; rollups: string[] },
  live: LiveFile,
  listing: { raw: string[]; rollups: string[] },
): Set<string> | undefined {
  const added = rollupsAdded(base, live, listing);
  if (!added) return undefined;
  const listedRaw = new Set(listing.raw);
  const held = new Set<string>();
  for (const rel of added) {
    let sources: ReturnType<typeof rollupSources>;
    try {
      sources = rollupSources(fs.readFileSync(path.join(ledgerDir, rel), 'utf8'));
    } catch {
      return undefined; // unreadable or of another shape: the rebuild decides
    }
    for (const { src, bytes } of sources) {
      if (live.raw[src]?.offset !== bytes || listedRaw.has(src)) return undefined;
      held.add(src);
    }
  }
  for (const rel of Object.keys(live.raw)) if (!listedRaw.has(rel) && !held.has(rel)) return undefined;
  return held;
}

/**
 * The rollups listed besides `base`'s, in the listing's order, when the live part is of `base` and
 * every rollup of it is still listed (none gone or replaced); undefined otherwise.
 */
export function rollupsAdded(
  base: { id: string; rollups: string[] },
  live: LiveFile,
  listing: { rollups: string[] },
): string[] | undefined {
  if (live.base !== base.id) return undefined;
  const listed = new Set(listing.rollups);
  if (base.rollups.some((rel) => !listed.has(rel))) return undefined;
  const had = new Set(base.rollups);
  return listing.rollups.filter((rel) => !had.has(rel));
}
