import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';
import { faultPoint } from '../store/fault-point.js';
import { withFileLock } from '../store/lock.js';
import { foldLedger, type RawCall, type RawFile } from './fold.js';
import { entryFor, holdsOtherSessions, sessionOfFile } from './rollup-entry.js';
import { folderDay, isClosedFile, listLedger, rollupsOfDay, writerOf, type LedgerFiles } from './ledger-files.js';
import { parseLedgerLines, readRollupFile } from './read-ledger.js';
import {
  addKeyRun,
  callKeyHash,
  contentHash,
  encodeRollup,
  keyDay,
  rollupFileName,
  type RollupEntry,
} from './rollup-format.js';

export interface RollupOptions {
  now: number;
  /** Roll up only folders before this day (YYYY-MM-DD); all folders when absent. */
  before?: string;
  /**
   * Write the rollups but delete nothing: the raw files they replace and the rollups they supersede
   * are listed in `superseded`, for the caller to check the whole fold first (finishRollup deletes them).
   */
  deferDeletes?: boolean;
}

export interface RollupResult {
  /** Raw files now rolled up (relative to the ledger folder). */
  rolled: string[];
  /** Rollup files written. */
  written: string[];
  rawBytes: number;
  /** Closed raw files left raw: they hold lines that are not valid records (rolled up, those would be lost). */
  damaged: string[];
  /**
   * Closed raw files left raw: they hold calls or gaps of another Claude session than the file's
   * own (written by hand, or by an older version), and an entry keeps one Claude session per file.
   */
  foreign: string[];
  /** Closed raw files left raw this time: a call in them is attributed by a copy in another Claude session's file that stays raw. */
  waiting: string[];
  /** With `deferDeletes`: what the new rollups replace, still on disk (ledger-relative). */
  superseded: string[];
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
  const result: RollupResult = {
    rolled: [],
    written: [],
    rawBytes: 0,
    damaged: [],
    foreign: [],
    waiting: [],
    superseded: [],
    calls: 0,
    tokens: 0,
  };
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
        options.deferDeletes ? (rel) => result.superseded.push(rel) : (rel) => removeFile(ledgerDir, rel),
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
  /** Closed files this run leaves raw (waiting, damaged, holding another session's usage): nothing waits on them. */
  readonly heldThisRun = new Set<string>();
  /** Per source file: its Claude session and the cumulative gaps its entry counted. */
  readonly gapsBySource = new Map<string, { cs: string | null; gaps: RollupEntry['gaps'] }>();
  private readonly parsed = new Map<string, RawFile & { size: number; sha: string; malformed: number }>();

  constructor(
    readonly ledgerDir: string,
    rollups: string[],
    /** Raw files this run leaves raw (open ones; then any closed one a folder leaves raw). */
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

/** Whether the copy that attributes a call also holds every token any copy of it holds. */
function carriesAll(call: RawCall): boolean {
  const t = call.entry.tokens;
  const b = call.best;
  return (
    b.in === t.input &&
    b.out === t.output &&
    b.cw5 === t.cacheWrite5m &&
    b.cw1h === t.cacheWrite1h &&
    b.cr === t.cacheRead
  );
}

/** A raw file no rollup will take: it holds an unreadable line, or another Claude session's usage. */
function stuck(context: RollupContext, rel: string): boolean {
  const file = context.raw(rel);
  return !file || file.malformed > 0 || holdsOtherSessions(file);
}

/** Deletes what a rollup run with `deferDeletes` left for its caller to delete, once the caller has checked it. */
export function finishRollup(ledgerDir: string, result: RollupResult): void {
  for (const rel of result.superseded) removeFile(ledgerDir, rel);
}

const removeFile = (ledgerDir: string, rel: string) => fs.rmSync(path.join(ledgerDir, rel), { force: true });

function rollUpFolder(
  context: RollupContext,
  day: string,
  closingFiles: string[],
  result: RollupResult,
  remove: (rel: string) => void,
): void {
  const { ledgerDir } = context;
  // A file with lines that are not valid records stays raw: rolled up, those lines would be gone.
  const readable = closingFiles.filter((rel) => (context.raw(rel)?.malformed ?? 0) === 0);
  result.damaged.push(...closingFiles.filter((rel) => !readable.includes(rel)));
  // So does one holding another Claude session's usage: its entry would give that usage the file's session.
  const closing = readable.filter((rel) => !holdsOtherSessions(context.raw(rel)!));
  result.foreign.push(...readable.filter((rel) => !closing.includes(rel)));
  const ownRollups = rollupsOfDay(ledgerDir, day);
  const own = ownRollups.flatMap((rel) => readRollupFile(path.join(ledgerDir, rel)).entries);
  const leftovers = closing.filter((rel) => {
    const done = own.find((e) => e.src === rel);
    return done !== undefined && done.bytes >= (context.raw(rel)?.size ?? 0); // rolled up before a crash
  });
  let toRoll = closing.filter((rel) => !leftovers.includes(rel));
  const held = closingFiles.filter((rel) => !closing.includes(rel)); // left raw, and still counted
  for (const rel of held) context.heldThisRun.add(rel);
  let plan = planFolder(context, day, toRoll, held);
  // A file holding a copy of a call whose attributing copy stays raw in another Claude session's
  // file (an open fork's parent): rolled up now, the call would change session. It waits, raw.
  while (plan.waiting.length) {
    result.waiting.push(...plan.waiting);
    held.push(...plan.waiting);
    for (const rel of plan.waiting) context.heldThisRun.add(rel);
    toRoll = toRoll.filter((rel) => !plan.waiting.includes(rel));
    plan = planFolder(context, day, toRoll, held);
  }
  const { fold, owner } = plan;
  const placed = new Map(fold.usage.filter((i) => i.kind === 'call').map((i) => [i.key, i]));
  const fresh = toRoll.map((rel) => entryFor(context.raw(rel)!, fold, placed, owner, context.gapsBySource));
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
    for (const old of ownRollups) if (old !== name) remove(old);
    context.learn(fresh);
    for (const e of fresh) {
      for (const row of e.rows) {
        result.calls += row.calls;
        result.tokens += row.tokens.reduce((a, b) => a + b, 0);
      }
    }
  }
  // What this folder leaves raw still counts, and may attribute a later folder's calls.
  context.staying.push(...held);
  for (const rel of closing.filter((rel) => !held.includes(rel))) {
    result.rawBytes += context.raw(rel)?.size ?? 0;
    remove(rel);
    context.forget(rel);
    result.rolled.push(rel);
  }
}

/**
 * Days after a folder whose closing files (of any writer) its fold also reads: a fork made the
 * next day copies its parent's calls into a file of a later folder, and its copy may be the one
 * that attributes them. (Rolled up in one run, the earlier folder goes first; further apart, the
 * parent was rolled up before the fork began, and the fork's copies count as rolled.)
 */
const SHARED_CALL_DAYS = 2;

const nextDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The fold a folder's rollup is made from: the files to roll up, the other raw files of their
 * writers (a call's later, larger copy may be in the writer's next file), the closing files of
 * the next SHARED_CALL_DAYS folders that hold a copy of one of their calls, every file staying raw
 * (a fork's parent may still be open, and its copy is the one that attributes the call) and those
 * held back. Each call goes to the closing file of the copy that attributes it, else to the first
 * closing file holding one; `waiting` names the closing files that cannot take theirs yet.
 */
function planFolder(context: RollupContext, day: string, toRoll: string[], held: string[]) {
  const writers = new Set(toRoll.map(writerOf));
  const soon = nextDay(day, SHARED_CALL_DAYS);
  const msgs = new Set<string>();
  for (const rel of toRoll) for (const l of context.raw(rel)?.lines ?? []) if (l.k === 'call') msgs.add(l.msg);
  const shares = (rel: string) => context.raw(rel)?.lines.some((l) => l.k === 'call' && msgs.has(l.msg)) ?? false;
  const later = context.closing.filter(
    (rel) =>
      !toRoll.includes(rel) &&
      !held.includes(rel) &&
      folderDay(rel) > day &&
      (writers.has(writerOf(rel)) || (folderDay(rel) <= soon && shares(rel))),
  );
  const inputs = [...toRoll, ...later, ...context.staying, ...held]
    .map((rel) => context.raw(rel))
    .filter((f) => f !== undefined);
  const fold = foldLedger({ raw: inputs, isRolled: context.isRolled });
  const owner = new Map<string, string>();
  const waiting = new Set<string>();
  for (const [msg, call] of fold.rawCalls) {
    const home = toRoll.includes(call.bestFile) ? call.bestFile : toRoll.find((rel) => call.files.has(rel));
    if (!home) continue;
    const blocker = call.bestFile;
    // Waiting is for a file that will roll up: never on one left raw this run or for good (no cycles).
    if (
      sessionOfFile(blocker) !== sessionOfFile(home) &&
      !context.heldThisRun.has(blocker) &&
      !stuck(context, blocker)
    ) {
      // A later folder's file this run rolls up, whose copy alone says all the call says: the call is left to it.
      if (later.includes(blocker) && carriesAll(call)) continue;
      waiting.add(home);
    }
    owner.set(msg, home);
  }
  return { fold, owner, waiting: [...waiting] };
}
