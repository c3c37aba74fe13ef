/**
 * What a rollup run knows across the folders it rolls up (RollupContext), and how it plans one
 * folder: the fold its rollup is made from, the file each call goes to, and which files wait.
 */
import fs from 'node:fs';
import path from 'node:path';
import { foldLedger, type RawCall, type RawFile } from './fold.js';
import { folderDay, writerOf } from './ledger-files.js';
import { parseLedgerLines } from './read-ledger.js';
import { holdsOtherSessions, sessionOfFile } from './rollup-entry.js';
import { decodeRollup } from './rollup-decode.js';
import { addKeyRun, callKeyHash, contentHash, keyDay, type RollupEntry } from './rollup-format.js';
import type { RollupKeyCache } from './rollup-key-cache.js';

/**
 * What rolling up one folder needs to know of the rest of the ledger, kept across folders: the
 * call keys rollups already count (by UTC day), their cost-state gap baselines, and the raw files
 * that stay raw (an open file may hold the copy that attributes a call).
 */
export class RollupContext {
  /**
   * Per UTC day: the runs of call keys rollups hold, each with the source file whose entry holds
   * it, and the set made of them when a call of that day is first asked about.
   */
  private readonly keyRuns = new Map<string, Array<{ src: string; run: string }>>();
  private readonly keys = new Map<string, Set<string>>();
  /** Per UTC day: rollup files with keys of that day not read yet (their summary came from the cache). */
  private readonly unread = new Map<string, string[]>();
  /** Rollup files whose keys are learnt. */
  private readonly learnt = new Set<string>();
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
    /** What this machine knows of rollup files by name: those in it are read only when a call of their days is asked about. */
    private readonly cache?: RollupKeyCache,
  ) {
    // Only their keys and gaps are learnt: rows stay as stored and events unchecked. Gaps are
    // learnt in the files' order (of two entries of one source, the later one's stand).
    for (const rel of rollups) {
      const known = cache?.get(rel);
      if (known) {
        for (const day of known.days) (this.unread.get(day) ?? this.unread.set(day, []).get(day)!).push(rel);
        for (const [src, cs, gaps] of known.entries) this.gapsBySource.set(src, { cs, gaps });
        continue;
      }
      const entries = this.readRollup(rel);
      cache?.set(rel, entries);
      this.learnt.add(rel);
      this.learn(entries);
    }
  }

  /** Learns the keys and gaps of entries a run wrote (or a test gives). */
  learn(entries: RollupEntry[]): void {
    this.learnKeys(entries);
    for (const e of entries) this.gapsBySource.set(e.src, { cs: e.cs, gaps: e.gaps });
  }

  /**
   * A rollup file this run wrote, with its entries (those it kept and its new ones): the new
   * ones are learnt, and the cache knows the file from now on.
   */
  wrote(rel: string, entries: RollupEntry[], fresh: RollupEntry[]): void {
    this.learn(fresh);
    this.learnt.add(rel);
    this.cache?.set(rel, entries);
  }

  /** A rollup file read by the run itself (its folder's, about to be replaced): its keys, if not learnt yet. */
  remember(rel: string, entries: RollupEntry[]): void {
    if (this.learnt.has(rel)) return;
    this.learnt.add(rel);
    this.learnKeys(entries);
  }

  /** Saves what the cache learnt, for the rollups the ledger holds now. */
  saveCache(rollups: string[]): void {
    this.cache?.save(new Set(rollups));
  }

  private learnKeys(entries: RollupEntry[]): void {
    for (const e of entries) {
      for (const [day, run] of Object.entries(e.keys)) {
        (this.keyRuns.get(day) ?? this.keyRuns.set(day, []).get(day)!).push({ src: e.src, run });
        const set = this.keys.get(day);
        if (set) addKeyRun(set, run);
      }
    }
  }

  private readRollup(rel: string): RollupEntry[] {
    return decodeRollup(fs.readFileSync(path.join(this.ledgerDir, rel), 'utf8'), { rows: 'packed' }).entries;
  }

  /** Reads the keys of the rollup files of `day` not read yet: before a set of that day's keys is made. */
  private readDay(day: string): void {
    const rels = this.unread.get(day);
    if (!rels) return;
    this.unread.delete(day);
    for (const rel of rels) {
      if (this.learnt.has(rel)) continue;
      this.learnt.add(rel);
      this.learnKeys(this.readRollup(rel));
    }
  }

  /**
   * Whether a rollup counts this call. A day's keys become a set only when one of its calls is
   * asked about: a team's years hold millions of keys, and a run asks about a few days.
   */
  isRolled = (time: number, messageId: string): boolean => this.rolledIn(this.keys, undefined, time, messageId);

  /**
   * Whether a rollup counts this call, leaving out the entries of `replaced` (source files whose
   * entry a folder's run writes again, from the file as it is now): their calls are counted by the
   * new entry, unless another entry holds them too.
   */
  rolledExcept(replaced: ReadonlySet<string>): (time: number, messageId: string) => boolean {
    if (replaced.size === 0) return this.isRolled;
    const keys = new Map<string, Set<string>>();
    return (time, messageId) => this.rolledIn(keys, replaced, time, messageId);
  }

  private rolledIn(
    keys: Map<string, Set<string>>,
    replaced: ReadonlySet<string> | undefined,
    time: number,
    messageId: string,
  ): boolean {
    const day = keyDay(time);
    let set = keys.get(day);
    if (!set) {
      this.readDay(day);
      const runs = this.keyRuns.get(day);
      if (!runs) return false;
      set = new Set();
      for (const { src, run } of runs) if (!replaced?.has(src)) addKeyRun(set, run);
      keys.set(day, set);
    }
    return set.has(callKeyHash(messageId));
  }

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
export function planFolder(
  context: RollupContext,
  day: string,
  toRoll: string[],
  held: string[],
  replaced: ReadonlySet<string> = new Set(),
) {
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
  const fold = foldLedger({ raw: inputs, isRolled: context.rolledExcept(replaced) });
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
