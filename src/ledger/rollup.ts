import fs from 'node:fs';
import path from 'node:path';
import { isLongContextPrompt } from '../pricing/price-call.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { faultPoint } from '../store/fault-point.js';
import { withFileLock } from '../store/lock.js';
import { maxTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { foldGaps, foldLedger, type RawFile } from './fold.js';
import { folderDay, isClosedFile, listLedger, writerOf } from './ledger-files.js';
import type { LineOf } from './ledger-schema.js';
import { parseLedgerLines, readRollupFile } from './read-ledger.js';
import { callKeyHash, contentHash, encodeRollup, rollupFileName, SLOT_MS, type RollupEntry, type RollupRow } from './rollup-format.js';

export interface RollupOptions {
  now: number;
  /** Roll up only folders before this day (YYYY-MM-DD); all folders when absent. */
  before?: string;
}

export interface RollupResult {
  /** Raw files now rolled up (relative to the ledger folder). */
  rolled: string[];
  /** Rollup files written. */
  written: string[];
  rawBytes: number;
}

/**
 * Rolls up the closed raw files of the ledger, one folder at a time, oldest first, so memory
 * stays bounded by a day's records. Each folder ends with one rollup file holding its earlier
 * rollups' entries and the new ones; then the raw files it replaces are deleted. The new rollup is
 * written before anything is deleted: a crash in between leaves records both rolled up and raw,
 * which the fold counts once, and the next run only deletes the leftovers.
 */
export function rollUpLedger(ledgerDir: string, options: RollupOptions): RollupResult {
  return withFileLock(path.join(ledgerDir, '.rollup'), () => {
    const files = listLedger(ledgerDir);
    const candidates = files.raw.filter((rel) => (!options.before || folderDay(rel) < options.before) && isClosedFile(ledgerDir, rel, options.now));
    const result: RollupResult = { rolled: [], written: [], rawBytes: 0 };
    const folders = [...new Set(candidates.map(folderDay))].sort();
    for (const day of folders) rollUpFolder(ledgerDir, day, candidates.filter((rel) => folderDay(rel) === day), files.raw, options.now, result);
    return result;
  });
}

function rollUpFolder(ledgerDir: string, day: string, closing: string[], allRaw: string[], now: number, result: RollupResult): void {
  const { rollups } = listLedger(ledgerDir);
  const earlier: RollupEntry[] = [];
  for (const rel of rollups) earlier.push(...readRollupFile(path.join(ledgerDir, rel)).entries);
  const own = earlier.filter((e) => folderDay(e.src) === day);
  const ownRollups = rollups.filter((rel) => folderDay(rel) === day);
  // Besides the closing files: every other raw file of their writers (a call's later, larger copy
  // may be in the writer's next file) and every open file (a fork's parent may still be open,
  // and its copy is the one that attributes the call).
  const writers = new Set(closing.map(writerOf));
  const inputs = allRaw.filter((rel) => fs.existsSync(path.join(ledgerDir, rel)) && (closing.includes(rel) || writers.has(writerOf(rel)) || !isClosedFile(ledgerDir, rel, now)));
  const raw: RawFile[] = [];
  const bytes = new Map<string, { size: number; sha: string }>();
  for (const rel of inputs) {
    const buf = fs.readFileSync(path.join(ledgerDir, rel));
    raw.push({ rel, lines: parseLedgerLines(buf.toString('utf8')).lines });
    bytes.set(rel, { size: buf.length, sha: contentHash(buf) });
  }
  const fresh: RollupEntry[] = [];
  const leftovers: string[] = [];
  for (const rel of closing) {
    const done = own.find((e) => e.src === rel);
    if (done && done.bytes >= bytes.get(rel)!.size) leftovers.push(rel); // rolled up before a crash
  }
  const toRoll = closing.filter((rel) => !leftovers.includes(rel));
  // Keys other rollups count are skipped; each remaining call goes to the first closing file that holds a copy.
  const fold = foldLedger({ entries: earlier.filter((e) => !toRoll.includes(e.src)), raw });
  // A call goes to the closing file of the copy that attributes it, else to the first closing file holding one.
  const owner = new Map<string, string>();
  for (const [msg, call] of fold.rawCalls) {
    const home = toRoll.includes(call.bestFile) ? call.bestFile : toRoll.find((rel) => call.files.has(rel));
    if (home) owner.set(msg, home);
  }
  for (const rel of toRoll) {
    const file = raw.find((f) => f.rel === rel)!;
    fresh.push(entryFor(file, bytes.get(rel)!, fold, owner, earlier));
  }
  const kept = own.filter((e) => !toRoll.includes(e.src));
  if (fresh.length) {
    const text = encodeRollup({ day, entries: [...kept, ...fresh] });
    const name = `${day}/${rollupFileName(text)}`;
    writeFileAtomic(path.join(ledgerDir, name), text);
    result.written.push(name);
    faultPoint('after-rollup-write');
    for (const old of ownRollups) if (old !== name) fs.rmSync(path.join(ledgerDir, old), { force: true });
  }
  for (const rel of [...toRoll, ...leftovers]) {
    result.rawBytes += bytes.get(rel)!.size;
    fs.rmSync(path.join(ledgerDir, rel), { force: true });
    result.rolled.push(rel);
  }
}

function entryFor(file: RawFile, source: { size: number; sha: string }, fold: ReturnType<typeof foldLedger>, owner: Map<string, string>, earlier: RollupEntry[]): RollupEntry {
  const cs = isClaudeSession(file) ? writerOf(file.rel) : null;
  const rows = new Map<string, RollupRow>();
  const keys: Record<string, string[]> = {};
  const add = (row: Omit<RollupRow, 'calls' | 'tokens' | 'first' | 'last'>, tokens: TokenCounts, time: number, calls: number) => {
    const id = JSON.stringify([row.slot, row.attribution, row.model, row.fast, row.longContext, row.kind]);
    const r = rows.get(id) ?? rows.set(id, { ...row, calls: 0, tokens: [0, 0, 0, 0, 0], first: time, last: time }).get(id)!;
    r.calls += calls;
    const t = [tokens.input, tokens.output, tokens.cacheWrite5m, tokens.cacheWrite1h, tokens.cacheRead];
    for (let i = 0; i < 5; i++) r.tokens[i]! += t[i]!;
    r.first = Math.min(r.first, time);
    r.last = Math.max(r.last, time);
  };
  const mine = new Set<string>();
  for (const line of file.lines) {
    if (line.k !== 'call' || mine.has(line.msg) || owner.get(line.msg) !== file.rel) continue; // another entry, or an earlier rollup, counts it
    const call = fold.rawCalls.get(line.msg)!;
    mine.add(line.msg);
    const time = call.entry.first.time;
    const slot = Math.floor(time / SLOT_MS);
    add({ slot, attribution: [call.best.ws, call.best.spec, call.best.task, null, null, null], model: call.entry.first.model, fast: call.entry.first.speed === 'fast', longContext: isLongContextPrompt(call.entry.tokens), kind: 'call' }, call.entry.tokens, time, 1);
    const day = new Date(time).toISOString().slice(0, 10);
    (keys[day] ??= []).push(callKeyHash(line.msg));
  }
  const gapLines = file.lines.filter((l): l is LineOf<'gap'> => l.k === 'gap');
  const baselines = new Map<string, TokenCounts>();
  const cumulative: Record<string, TokenCounts> = {};
  for (const e of earlier) {
    if (e.cs !== cs || e.src === file.rel) continue;
    for (const [model, [input, output, cacheWrite5m, cacheWrite1h, cacheRead]] of Object.entries(e.gaps)) {
      const t = { input, output, cacheWrite5m, cacheWrite1h, cacheRead };
      baselines.set(`${cs}|${model}`, maxTokens(baselines.get(`${cs}|${model}`) ?? zeroTokens(), t));
      cumulative[model] = maxTokens(cumulative[model] ?? zeroTokens(), t);
    }
  }
  for (const item of foldGaps(gapLines, baselines)) {
    add({ slot: Math.floor(item.time / SLOT_MS), attribution: [item.ws, item.spec, item.task, null, null, null], model: item.model, fast: false, longContext: false, kind: 'gap' }, item.tokens, item.time, 1);
  }
  for (const g of gapLines) cumulative[g.model] = maxTokens(cumulative[g.model] ?? zeroTokens(), { input: g.in, output: g.out, cacheWrite5m: g.cw5, cacheWrite1h: g.cw1h, cacheRead: g.cr });
  const gaps: RollupEntry['gaps'] = {};
  for (const [model, t] of Object.entries(cumulative)) gaps[model] = [t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead];
  return {
    src: file.rel,
    bytes: source.size,
    sha: source.sha,
    cs,
    rows: [...rows.values()],
    keys: Object.fromEntries(Object.entries(keys).map(([day, list]) => [day, [...new Set(list)].sort().join('')])),
    gaps,
    events: file.lines.filter((l) => l.k !== 'call' && l.k !== 'gap'),
  };
}

/** Claude session writers are named by their session id; the CLI's are `cli-<machine>`. */
function isClaudeSession(file: RawFile): boolean {
  return !writerOf(file.rel).startsWith('cli-');
}
