import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';
import { faultPoint } from '../store/fault-point.js';
import { withFileLock } from '../store/lock.js';
import { entryFor, holdsOtherSessions } from './rollup-entry.js';
import { planFolder, RollupContext } from './rollup-plan.js';
import { RollupKeyCache } from './rollup-key-cache.js';
import { closedRawFiles, folderDay, listLedger, rollupsOfDay, type LedgerFiles } from './ledger-files.js';
import { readRollupFile } from './read-ledger.js';
import { encodeRollup, rollupFileName } from './rollup-format.js';

export interface RollupOptions {
  now: number;
  /** Roll up only folders before this day (YYYY-MM-DD); all folders when absent. */
  before?: string;
  /**
   * Write the rollups but delete nothing: the raw files they replace and the rollups they supersede
   * are listed in `superseded`, for the caller to check the whole fold first (finishRollup deletes them).
   */
  deferDeletes?: boolean;
  /**
   * Roll up only the oldest this many folders that have files to roll up (the rest wait for a
   * later run): what a run may take is bounded, however long the ledger went without one.
   */
  maxFolders?: number;
  /**
   * Start no folder after this many ms (the folders a run takes still end as a whole run writes
   * them: only how many it takes varies): a hook's rollup stays short, whatever a folder holds.
   */
  budgetMs?: number;
  /** The clock the budget is read on (Date.now unless a test gives another). */
  clock?: () => number;
  /** How long to wait for another run's lock (the lock's default when absent). */
  lockTimeoutMs?: number;
  /** A machine-local file keeping what runs learnt of each rollup file (rollup-key-cache.ts); none: every rollup is read. */
  keyCache?: string;
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
  const closing = (files: LedgerFiles) => closedRawFiles(ledgerDir, files.raw, options.now, options.before);
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
  return withFileLock(
    path.join(ledgerDir, '.rollup'),
    () => {
      const files = listLedger(ledgerDir);
      const candidates = closing(files);
      if (candidates.length === 0) return result;
      const closingSet = new Set(candidates);
      const context = new RollupContext(
        ledgerDir,
        files.rollups,
        files.raw.filter((rel) => !closingSet.has(rel)),
        candidates,
        options.keyCache ? RollupKeyCache.load(options.keyCache) : undefined,
      );
      // A bounded run takes the oldest folders; the later ones' files stay candidates to what it
      // plans (a call's attributing copy may be in one), so each folder rolls up as in a whole run.
      const clock = options.clock ?? Date.now;
      const started = clock();
      for (const day of [...new Set(candidates.map(folderDay))].sort().slice(0, options.maxFolders)) {
        if (options.budgetMs !== undefined && clock() - started > options.budgetMs) break;
        rollUpFolder(
          context,
          day,
          candidates.filter((rel) => folderDay(rel) === day),
          result,
          options.deferDeletes ? (rel) => result.superseded.push(rel) : (rel) => removeFile(ledgerDir, rel),
        );
      }
      context.saveCache(
        [...files.rollups, ...result.written].filter((rel) => fs.existsSync(path.join(ledgerDir, rel))),
      );
      return result;
    },
    options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs },
  );
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
  const own = ownRollups.flatMap((rel) => {
    const { entries } = readRollupFile(path.join(ledgerDir, rel));
    context.remember(rel, entries); // replaced below: its keys are learnt while it is there to read
    return entries;
  });
  const leftovers = closing.filter((rel) => {
    const done = own.find((e) => e.src === rel);
    return done !== undefined && done.bytes >= (context.raw(rel)?.size ?? 0); // rolled up before a crash
  });
  let toRoll = closing.filter((rel) => !leftovers.includes(rel));
  const held = closingFiles.filter((rel) => !closing.includes(rel)); // left raw, and still counted
  for (const rel of held) context.heldThisRun.add(rel);
  // A file rolled up before at a smaller size (its longer copy back from a merge, say) is rolled up
  // again whole: its new entry replaces the old one, so the calls the old one counted count in it.
  const replaced = () => new Set(own.filter((e) => toRoll.includes(e.src)).map((e) => e.src));
  let plan = planFolder(context, day, toRoll, held, replaced());
  // A file holding a copy of a call whose attributing copy stays raw in another Claude session's
  // file (an open fork's parent): rolled up now, the call would change session. It waits, raw.
  while (plan.waiting.length) {
    result.waiting.push(...plan.waiting);
    held.push(...plan.waiting);
    for (const rel of plan.waiting) context.heldThisRun.add(rel);
    toRoll = toRoll.filter((rel) => !plan.waiting.includes(rel));
    plan = planFolder(context, day, toRoll, held, replaced());
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
    context.wrote(name, entries, fresh);
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
