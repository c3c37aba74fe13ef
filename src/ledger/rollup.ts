import fs from 'node:fs';
import path from 'node:path';
import { isLongContextPrompt } from '../pricing/price-call.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { faultPoint } from '../store/fault-point.js';
import { withFileLock } from '../store/lock.js';
import { maxTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { foldGaps, foldLedger, placeRawUsage, type FoldResult, type RawFile } from './fold.js';
import type { UsageItem } from './usage-item.js';
import { folderDay, isClosedFile, listLedger, writerOf, type LedgerFiles } from './ledger-files.js';
import type { LineOf } from './ledger-schema.js';
import { parseLedgerLines, readRollupFile } from './read-ledger.js';
import {
  addKeyRun,
  callKeyHash,
  contentHash,
  encodeRollup,
  keyDay,
  rollupFileName,
  SLOT_MS,
  type RollupEntry,
  type RollupRow,
} from './rollup-format.js';

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
  /** Closed raw files left raw: they hold lines that are not valid records (rolled up, those would be lost). */
  damaged: string[];
  /** What the new entries count. */
  calls: number;
  tokens: number;
}

export class RollupCheckError extends Error {}

/**
 * Rolls up the closed raw files of the ledger, one folder at a time, oldest first: memory stays
 * bounded by a day's records, whatever the history. Each folder ends with one rollup file holding
 * its earlier rollups' entries and the new ones; each rollup file is read back and must encode to
 * the same bytes before the raw files it replaces are deleted. A crash in between leaves records
 * both rolled up and raw, which the fold counts once, and the next run deletes the leftovers.
 */
export function rollUpLedger(ledgerDir: string, options: RollupOptions): RollupResult {
  const closing = (files: LedgerFiles) =>
    files.raw.filter(
      (rel) => (!options.before || folderDay(rel) < options.before) && isClosedFile(ledgerDir, rel, options.now),
    );
  const result: RollupResult = { rolled: [], written: [], rawBytes: 0, damaged: [], calls: 0, tokens: 0 };
  if (closing(listLedger(ledgerDir)).length === 0) return result; // nothing to do: no lock taken, nothing created
  return withFileLock(path.join(ledgerDir, '.rollup'), () => {
    const files = listLedger(ledgerDir);
    const candidates = closing(files);
    if (candidates.length === 0) return result;
    const context = new RollupContext(
      ledgerDir,
      files.rollups,
      files.raw.filter((rel) => !candidates.includes(rel)),
      candidates,
    );
    for (const day of [...new Set(candidates.map(folderDay))].sort())
      rollUpFolder(
        context,
        day,
        candidates.filter((rel) => folderDay(rel) === day),
        result,
      );
    return result;
  });
}

/**
 * What rolling up one folder needs to know of the rest of the ledger, kept across folders: the
 * call keys rollups already count (by UTC day), their cost-state gap baselines, and the raw files
 * that stay raw (an open file may hold the copy that attributes a call).
 */
class RollupContext {
  private readonly keys = new Map<string, Set<string>>();
  /** Per source file: its Claude session and the cumulative gaps its entry counted. */
  readonly gapsBySource = new Map<string, { cs: string | null; gaps: RollupEntry['gaps'] }>();
  private readonly parsed = new Map<string, RawFile & { size: number; sha: string; malformed: number }>();

  constructor(
    readonly ledgerDir: string,
    rollups: string[],
    /** Raw files this run leaves raw. */
    readonly staying: string[],
    /** Raw files this run rolls up, folder by folder. */
    readonly closing: string[],
  ) {
    for (const rel of rollups) this.learn(readRollupFile(path.join(ledgerDir, rel)).entries);
  }

  learn(entries: RollupEntry[]): void {
    for (const e of entries) {
      for (const [day, run] of Object.entries(e.keys)) {
        addKeyRun(this.keys.get(day) ?? this.keys.set(day, new Set()).get(day)!, run);
      }
      this.gapsBySource.set(e.src, { cs: e.cs, gaps: e.gaps });
    }
  }

  isRolled = (time: number, messageId: string): boolean =>
    this.keys.get(keyDay(time))?.has(callKeyHash(messageId)) ?? false;

  /** A raw file, read once. */
  raw(rel: string): (RawFile & { size: number; sha: string; malformed: number }) | undefined {
    let file = this.parsed.get(rel);
    if (!file) {
      let buf: Buffer;
      try {
        buf = fs.readFileSync(path.join(this.ledgerDir, rel));
      } catch {
        return undefined; // removed meanwhile
      }
      const parsed = parseLedgerLines(buf.toString('utf8'));
      file = { rel, lines: parsed.lines, malformed: parsed.malformed, size: buf.length, sha: contentHash(buf) };
      this.parsed.set(rel, file);
    }
    return file;
  }

  forget(rel: string): void {
    this.parsed.delete(rel);
  }
}

function rollUpFolder(context: RollupContext, day: string, closingFiles: string[], result: RollupResult): void {
  const { ledgerDir } = context;
  // A file with lines that are not valid records stays raw: rolled up, those lines would be gone.
  const closing = closingFiles.filter((rel) => (context.raw(rel)?.malformed ?? 0) === 0);
  result.damaged.push(...closingFiles.filter((rel) => !closing.includes(rel)));
  const ownRollups = listLedger(ledgerDir).rollups.filter((rel) => folderDay(rel) === day);
  const own = ownRollups.flatMap((rel) => readRollupFile(path.join(ledgerDir, rel)).entries);
  const leftovers = closing.filter((rel) => {
    const done = own.find((e) => e.src === rel);
    return done !== undefined && done.bytes >= (context.raw(rel)?.size ?? 0); // rolled up before a crash
  });
  const toRoll = closing.filter((rel) => !leftovers.includes(rel));
  // Besides the closing files: the other raw files of their writers (a call's later, larger copy
  // may be in the writer's next file) and every open file (a fork's parent may still be open,
  // and its copy is the one that attributes the call).
  const writers = new Set(toRoll.map(writerOf));
  const sameWriters = context.closing.filter(
    (rel) => !toRoll.includes(rel) && folderDay(rel) > day && writers.has(writerOf(rel)),
  );
  const inputs = [...toRoll, ...sameWriters, ...context.staying]
    .map((rel) => context.raw(rel))
    .filter((f) => f !== undefined);
  const fold = foldLedger({ raw: inputs, isRolled: context.isRolled });
  // A call goes to the closing file of the copy that attributes it, else to the first closing file holding one.
  const owner = new Map<string, string>();
  for (const [msg, call] of fold.rawCalls) {
    const home = toRoll.includes(call.bestFile) ? call.bestFile : toRoll.find((rel) => call.files.has(rel));
    if (home) owner.set(msg, home);
  }
  const placed = new Map(fold.usage.filter((i) => i.kind === 'call').map((i) => [i.key, i]));
  const fresh = toRoll.map((rel) => entryFor(context.raw(rel)!, fold, placed, owner, context));
  if (fresh.length) {
    const entries = [...own.filter((e) => !toRoll.includes(e.src)), ...fresh];
    const text = encodeRollup({ day, entries });
    const name = `${day}/${rollupFileName(text)}`;
    writeFileAtomic(path.join(ledgerDir, name), text);
    const back = readRollupFile(path.join(ledgerDir, name));
    if (back.malformed > 0 || encodeRollup({ day, entries: back.entries }) !== text)
      throw new RollupCheckError(`${name} does not read back as written: nothing was deleted`);
    result.written.push(name);
    faultPoint('after-rollup-write');
    for (const old of ownRollups) if (old !== name) fs.rmSync(path.join(ledgerDir, old), { force: true });
    context.learn(fresh);
    for (const e of fresh) {
      for (const row of e.rows) {
        result.calls += row.calls;
        result.tokens += row.tokens.reduce((a, b) => a + b, 0);
      }
    }
  }
  for (const rel of closing) {
    result.rawBytes += context.raw(rel)?.size ?? 0;
    fs.rmSync(path.join(ledgerDir, rel), { force: true });
    context.forget(rel);
    result.rolled.push(rel);
  }
}

function entryFor(
  file: RawFile & { size: number; sha: string },
  fold: FoldResult,
  placed: Map<string, UsageItem>,
  owner: Map<string, string>,
  context: RollupContext,
): RollupEntry {
  const cs = writerOf(file.rel).startsWith('cli-') ? null : writerOf(file.rel);
  const rows = new Map<string, RollupRow>();
  const keys: Record<string, string[]> = {};
  const add = (row: Omit<RollupRow, 'calls' | 'tokens' | 'first' | 'last'>, tokens: TokenCounts, time: number) => {
    const id = `${row.slot}|${JSON.stringify(row.attribution)}|${row.model}|${row.fast}|${row.longContext}|${row.kind}`;
    const r =
      rows.get(id) ?? rows.set(id, { ...row, calls: 0, tokens: [0, 0, 0, 0, 0], first: time, last: time }).get(id)!;
    r.calls += 1;
    const t = [tokens.input, tokens.output, tokens.cacheWrite5m, tokens.cacheWrite1h, tokens.cacheRead];
    for (let i = 0; i < 5; i++) r.tokens[i]! += t[i]!;
    r.first = Math.min(r.first, time);
    r.last = Math.max(r.last, time);
  };
  const mine = new Set<string>();
  for (const line of file.lines) {
    if (line.k !== 'call' || mine.has(line.msg) || owner.get(line.msg) !== file.rel) continue; // another entry, or an earlier rollup, counts it
    const call = fold.rawCalls.get(line.msg)!;
    const item = placed.get(line.msg)!; // the call as the fold places it: planning phase, branch, commit
    mine.add(line.msg);
    const time = call.entry.first.time;
    add(
      {
        slot: Math.floor(time / SLOT_MS),
        attribution: [item.ws, item.spec, item.task, item.phase, item.branch, item.commit],
        model: call.entry.first.model,
        fast: call.entry.first.speed === 'fast',
        longContext: isLongContextPrompt(call.entry.tokens),
        kind: 'call',
      },
      call.entry.tokens,
      time,
    );
    (keys[keyDay(time)] ??= []).push(callKeyHash(line.msg));
  }
  // Gap records are cumulative per (Claude session, model): what this file adds above the session's earlier rollups.
  const gapLines = file.lines.filter((l): l is LineOf<'gap'> => l.k === 'gap');
  const cumulative: Record<string, TokenCounts> = {};
  for (const [src, earlier] of context.gapsBySource) {
    if (earlier.cs !== cs || src === file.rel) continue;
    for (const [model, [input, output, cacheWrite5m, cacheWrite1h, cacheRead]] of Object.entries(earlier.gaps))
      cumulative[model] = maxTokens(cumulative[model] ?? zeroTokens(), {
        input,
        output,
        cacheWrite5m,
        cacheWrite1h,
        cacheRead,
      });
  }
  const baselines = new Map(Object.entries(cumulative).map(([model, t]) => [`${cs}|${model}`, t]));
  const gapItems = foldGaps(gapLines, baselines);
  placeRawUsage(gapItems, fold.plans, fold.commits);
  for (const item of gapItems)
    add(
      {
        slot: Math.floor(item.time / SLOT_MS),
        attribution: [item.ws, item.spec, item.task, item.phase, item.branch, item.commit],
        model: item.model,
        fast: false,
        longContext: false,
        kind: 'gap',
      },
      item.tokens,
      item.time,
    );
  for (const g of gapLines)
    cumulative[g.model] = maxTokens(cumulative[g.model] ?? zeroTokens(), {
      input: g.in,
      output: g.out,
      cacheWrite5m: g.cw5,
      cacheWrite1h: g.cw1h,
      cacheRead: g.cr,
    });
  return {
    src: file.rel,
    bytes: file.size,
    sha: file.sha,
    cs,
    rows: [...rows.values()],
    keys: Object.fromEntries(Object.entries(keys).map(([day, list]) => [day, [...new Set(list)].sort().join('')])),
    gaps: Object.fromEntries(
      Object.entries(cumulative).map(([model, t]) => [
        model,
        [t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead],
      ]),
    ),
    events: file.lines.filter((l) => l.k !== 'call' && l.k !== 'gap'),
  };
}
