import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';
import { LockTimeoutError, withFileLock } from '../store/lock.js';
import { dayKey } from '../time/zoned.js';
import { maxTokens } from '../usage/tokens.js';
import { foldLedger, gapBaselines, pickEntries, type FoldResult, type UsageItem } from './fold.js';
import { listLedger } from './ledger-files.js';
import type { LedgerLine, LineOf } from './ledger-schema.js';
import { packItems, unpackItems, type PackedItems } from './packed-items.js';
import { parseLedgerLine, readRollupFile } from './read-ledger.js';
import { callKeyHash, contentHash, decodeRollup, KEY_CHARS, type RollupEntry } from './rollup-format.js';

/**
 * The machine-local index of the ledger (git-ignored, under .claude/spec-session/state/index/): a
 * cache of the fold, so a read folds only what is new since the last read.
 *
 * - `base`: rolled-up usage summed by day in the index's time zone, with the rollups' workflow
 *   events. Rebuilt only when the set of rollup files changes (after /eod, compact or a pull).
 * - `live`: raw files read from a cursor, so only bytes appended since the last read are parsed.
 *   A cursor holds the offset and the bytes at the file's start and just before the offset, so a
 *   file rewritten or replaced (a checkout, a hand edit) is read again from the start. Nothing
 *   depends on mtimes, which a clone or a checkout resets.
 * Deleting, truncating or corrupting either file changes no figure: it is rebuilt from the ledger.
 */
const VERSION = 4;

interface RawCursor {
  offset: number;
  head: string;
  tail: string;
}

interface BaseFile {
  v: number;
  tz: string;
  /** Identifies this base: a live file built on another base is discarded. */
  id: string;
  rollups: string[];
  /** UTC day → rollup files holding call keys of that day (to tell a raw copy of a rolled-up call). */
  keyDays: Record<string, string[]>;
  items: PackedItems;
  events: LedgerLine[];
  baselines: Record<string, [number, number, number, number, number]>;
  malformed: number;
  problems: string[];
}

interface LiveFile {
  v: number;
  base: string;
  raw: Record<string, RawCursor>;
  /** Per raw file, its records; a call copy that adds nothing to one already kept is left out. */
  lines: Record<string, LedgerLine[]>;
  malformed: number;
}

export interface IndexedRead {
  view: FoldResult;
  /** `rebuilt` (the base, from the ledger), `updated` (new raw bytes folded in) or `fresh` (nothing new). */
  how: 'rebuilt' | 'updated' | 'fresh';
}

/** The ledger's fold, from the index in `indexDir`, brought up to date (and saved) first. */
export function readIndexedLedger(ledgerDir: string, indexDir: string, tz: string): IndexedRead {
  const stem = path.join(indexDir, `ledger-${tz.replace(/[^A-Za-z0-9_-]/g, '_')}`);
  fs.mkdirSync(indexDir, { recursive: true });
  try {
    return withFileLock(`${stem}.base.json`, () => refresh(ledgerDir, stem, tz, true), { timeoutMs: 2000 });
  } catch (error) {
    if (!(error instanceof LockTimeoutError)) throw error;
    return refresh(ledgerDir, stem, tz, false); // another process is updating it: read without saving
  }
}

function refresh(ledgerDir: string, stem: string, tz: string, save: boolean): IndexedRead {
  const listing = listLedger(ledgerDir);
  let how: IndexedRead['how'] = 'fresh';
  let base = readJson<BaseFile>(`${stem}.base.json`, (b) => b.v === VERSION && b.tz === tz && Array.isArray(b.rollups) && Array.isArray(b.events));
  if (!base || base.rollups.length !== listing.rollups.length || base.rollups.some((r, i) => r !== listing.rollups[i])) {
    base = buildBase(ledgerDir, listing.rollups, tz);
    if (save) writeFileAtomic(`${stem}.base.json`, JSON.stringify(base), { durable: false });
    how = 'rebuilt';
  }
  let live = readJson<LiveFile>(`${stem}.live.json`, (l) => l.v === VERSION && typeof l.raw === 'object' && typeof l.lines === 'object');
  if (!live || live.base !== base.id || Object.keys(live.raw).some((rel) => !listing.raw.includes(rel))) {
    live = { v: VERSION, base: base.id, raw: {}, lines: {}, malformed: 0 }; // a raw file was rolled up or removed: read the rest again
    how = 'rebuilt';
  }
  const keys = new KeyLookup(ledgerDir, base.keyDays);
  let advanced = false;
  for (const rel of listing.raw) advanced = advanceRaw(ledgerDir, rel, live, keys) || advanced;
  if (advanced && how === 'fresh') how = 'updated';
  if (save && how !== 'fresh') writeFileAtomic(`${stem}.live.json`, JSON.stringify(live), { durable: false });
  return { view: viewOf(base, live), how };
}

function readJson<T>(file: string, valid: (value: T) => boolean): T | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
    return value && valid(value) ? value : undefined;
  } catch {
    return undefined; // missing, torn or from another version: rebuilt from the ledger
  }
}

function buildBase(ledgerDir: string, rollups: string[], tz: string): BaseFile {
  const entries: RollupEntry[] = [];
  const keyDays: Record<string, string[]> = {};
  const problems: string[] = [];
  let malformed = 0;
  for (const rel of rollups) {
    try {
      const read = readRollupFile(path.join(ledgerDir, rel));
      malformed += read.malformed;
      for (const entry of read.entries) {
        for (const day of Object.keys(entry.keys)) if (!(keyDays[day] ??= []).includes(rel)) keyDays[day]!.push(rel);
        entry.keys = {}; // looked up in the file when a raw copy needs it, not kept in memory
        entries.push(entry);
      }
    } catch (error) {
      problems.push(`${rel}: ${(error as Error).message}`);
    }
  }
  const picked = [...pickEntries(entries).values()];
  const baselines: BaseFile['baselines'] = {};
  for (const [key, t] of gapBaselines(picked)) baselines[key] = [t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead];
  return { v: VERSION, tz, id: contentHash(rollups.join('\n')), rollups, keyDays, items: packItems(sumByDay(picked, tz)), events: picked.flatMap((e) => e.events), baselines, malformed, problems };
}

/** Rolled-up rows summed per day (in `tz`), Claude session, attribution, model, pricing tier and kind. */
function sumByDay(entries: RollupEntry[], tz: string): UsageItem[] {
  const sums = new Map<string, UsageItem>();
  for (const entry of entries) {
    for (const row of entry.rows) {
      const [ws, spec, task] = row.attribution;
      const id = JSON.stringify([dayKey(row.first, tz), row.kind, entry.cs, ws, spec, task, row.model, row.fast, row.longContext]);
      let item = sums.get(id);
      if (!item) {
        item = { kind: row.kind, key: id, time: row.first, first: row.first, last: row.last, calls: 0, longContext: row.longContext, model: row.model, cs: entry.cs, speed: row.fast ? 'fast' : 'standard', tokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }, ws, spec, task };
        sums.set(id, item);
      }
      const t = item.tokens;
      t.input += row.tokens[0];
      t.output += row.tokens[1];
      t.cacheWrite5m += row.tokens[2];
      t.cacheWrite1h += row.tokens[3];
      t.cacheRead += row.tokens[4];
      item.calls += row.calls;
      item.first = item.time = Math.min(item.first, row.first);
      item.last = Math.max(item.last, row.last);
    }
  }
  return [...sums.values()];
}

/** Reads what a raw file gained since its cursor; returns whether anything was read. */
function advanceRaw(ledgerDir: string, rel: string, live: LiveFile, keys: KeyLookup): boolean {
  let fd: number;
  try {
    fd = fs.openSync(path.join(ledgerDir, rel), 'r');
  } catch {
    return false; // removed meanwhile: the next read starts the live part again
  }
  try {
    const size = fs.fstatSync(fd).size;
    let cursor = live.raw[rel];
    if (cursor && (size < cursor.offset || edge(fd, 0, Math.min(256, cursor.offset)) !== cursor.head || edge(fd, Math.max(0, cursor.offset - 64), cursor.offset) !== cursor.tail)) {
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
    live.raw[rel] = { offset, head: edge(fd, 0, Math.min(256, offset)), tail: edge(fd, Math.max(0, offset - 64), offset) };
    return true;
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
    const tokens = maxTokens(asTokens(k), asTokens(c));
    const sameTokens = tokens.input === k.in && tokens.output === k.out && tokens.cacheWrite5m === k.cw5 && tokens.cacheWrite1h === k.cw1h && tokens.cacheRead === k.cr;
    const asGood = (k.ws !== null || c.ws === null) && k.t <= c.t && k.cs === c.cs && k.model === c.model && k.fast === c.fast;
    if (sameTokens && asGood) return;
  }
  lines.push(c);
}

const asTokens = (r: LineOf<'call'>) => ({ input: r.in, output: r.out, cacheWrite5m: r.cw5, cacheWrite1h: r.cw1h, cacheRead: r.cr });

function edge(fd: number, start: number, end: number): string {
  if (end <= start) return '';
  const buf = Buffer.alloc(end - start);
  fs.readSync(fd, buf, 0, buf.length, start);
  return buf.toString('base64');
}

/** Rolled-up call keys of one UTC day, read from the rollup files that hold them when first needed. */
class KeyLookup {
  private readonly sets = new Map<string, Set<string>>();
  constructor(
    private readonly ledgerDir: string,
    private readonly keyDays: Record<string, string[]>,
  ) {}

  has(time: number, messageId: string): boolean {
    const day = new Date(time).toISOString().slice(0, 10);
    const files = this.keyDays[day];
    if (!files) return false;
    let set = this.sets.get(day);
    if (!set) {
      set = new Set();
      for (const rel of files) {
        for (const entry of decodeRollup(fs.readFileSync(path.join(this.ledgerDir, rel), 'utf8')).entries) {
          const run = entry.keys[day] ?? '';
          for (let i = 0; i < run.length; i += KEY_CHARS) set.add(run.slice(i, i + KEY_CHARS));
        }
      }
      this.sets.set(day, set);
    }
    return set.has(callKeyHash(messageId));
  }
}

function viewOf(base: BaseFile, live: LiveFile): FoldResult {
  const baselines = new Map(Object.entries(base.baselines).map(([key, [input, output, cacheWrite5m, cacheWrite1h, cacheRead]]) => [key, { input, output, cacheWrite5m, cacheWrite1h, cacheRead }]));
  return foldLedger({
    base: { items: unpackItems(base.items), events: base.events, baselines },
    raw: Object.entries(live.lines).map(([rel, lines]) => ({ rel, lines })),
    isRolled: () => false, // raw copies of rolled-up calls were left out when read
    malformed: base.malformed + live.malformed,
    problems: base.problems,
  });
}
