import fs from 'node:fs';
import path from 'node:path';
import { readCachedJson, writeFileAtomic } from '../store/atomic-file.js';
import { LockTimeoutError, withFileLock } from '../store/lock.js';
import {
  folderDay,
  isListingMemo,
  listingMemo,
  listLedger,
  listLedgerRecent,
  type LedgerFiles,
  type ListingMemo,
} from './ledger-files.js';
import type { LedgerView } from './ledger-view.js';
import { buildBase, extendBase, type BuildState } from './base-from-rollups.js';
import { basePieces, pieceFile, readState, writeBase } from './index-pieces.js';
import { INDEX_VERSION, type BaseFile, type BuiltBase } from './index-base.js';
import { advanceRaw, KeyLookup, liveHoldsRollups, type LiveFile } from './index-live.js';
import { indexedView } from './indexed-view.js';
import type { BaseLoader } from './view-pieces.js';
import { deferredView, liveTouches, pendingRollups, type PendingRollups } from './pending-rollups.js';
import { collectGarbage } from '../store/full-gc.js';

/**
 * The machine-local index of the ledger (git-ignored, under .claude/spec-session/state/index/): a
 * cache of the fold, so a read folds only what is new since the last read, and loads only what it
 * asks for.
 *
 * - `base` (index-base.ts, built by base-from-rollups.ts): a small file naming the rollups it was
 *   built from, and pieces beside it: rolled-up usage summed by day in the index's time zone, a
 *   binary table per month; the folded work sessions and the latest bindings; per spec, its task
 *   events and its tasks' all-time sums; the all-time sums PROGRESS.md shows (their files:
 *   index-pieces.ts). Made again only when the set of rollup files changes (after /eod, compact, a
 *   start's rollup or a pull; extended when rollups were only added), and by a read at every turn
 *   only when the new rollups hold what the live part did not read and a question needs them
 *   (pending-rollups.ts).
 * - `live` (index-live.ts): raw files read from a cursor, so only bytes appended since the last
 *   read are parsed. Nothing depends on mtimes, which a clone or a checkout resets.
 * Deleting, truncating or corrupting any of it changes no figure: it is rebuilt from the ledger.
 */

export interface IndexedRead {
  view: LedgerView;
  /**
   * `rebuilt` (the base, from every rollup), `extended` (the base, from the one before and the
   * rollups added since), `updated` (new raw bytes folded in) or `fresh` (nothing new).
   */
  how: 'rebuilt' | 'extended' | 'updated' | 'fresh';
}

export interface ReadOptions {
  /** The time of the read (the project's clock): which day folders are long over. */
  now?: number;
  /**
   * A read at every turn (the Stop hook, the statusline): day folders long over are taken from the
   * last full listing (listLedgerRecent), so its cost does not grow with the days of history.
   */
  turn?: boolean;
  /**
   * Every day folder listed even by a read at every turn, and the listing remembered: for a process
   * that has just changed long-over folders itself (a start's rollup), whose turns must see it.
   */
  listAll?: boolean;
}

/** Where the index of a zone keeps its files: `<stem>.<piece>.json`. */
const indexStem = (indexDir: string, tz: string) => path.join(indexDir, `ledger-${tz.replace(/[^A-Za-z0-9_-]/g, '_')}`);

/**
 * Which state of the ledger the index of `tz` stands for, in a few bytes: its base and live files
 * are replaced whole (a new inode) whenever either changes. For a machine-local memo of a read
 * (see statusline); never a figure's source.
 */
export function indexVersion(indexDir: string, tz: string): string {
  return (['base', 'live'] as const)
    .map((piece) => {
      const stat = fs.statSync(pieceFile(indexStem(indexDir, tz), piece), { throwIfNoEntry: false });
      return stat ? `${stat.ino}:${stat.size}` : '-';
    })
    .join(' ');
}

/** The ledger's fold, from the index in `indexDir`, brought up to date (and saved) first. */
export function readIndexedLedger(
  ledgerDir: string,
  indexDir: string,
  tz: string,
  options: ReadOptions = {},
): IndexedRead {
  const stem = indexStem(indexDir, tz);
  fs.mkdirSync(indexDir, { recursive: true });
  const list = (save: boolean) => ledgerListing(ledgerDir, indexDir, options, save);
  // A turn's read may leave pulled rollups for later (pending-rollups.ts): a question they could
  // change is answered by a read of every rollup, made then.
  const later = options.turn
    ? () => readIndexedLedger(ledgerDir, indexDir, tz, { ...options, turn: false }).view
    : undefined;
  try {
    return withFileLock(`${stem}.base.json`, () => refresh(ledgerDir, stem, tz, list(true), true, later), {
      timeoutMs: 2000,
    });
  } catch (error) {
    if (!(error instanceof LockTimeoutError)) throw error;
    return refresh(ledgerDir, stem, tz, list(false), false, later); // another process is updating it: read without saving
  }
}

/**
 * The ledger's files: listed in full (and remembered for the reads at every turn), or for such a
 * read, its long-over folders as the last full listing found them.
 */
function ledgerListing(
  ledgerDir: string,
  indexDir: string,
  { now = Date.now(), turn, listAll }: ReadOptions,
  save: boolean,
) {
  const file = path.join(indexDir, 'ledger-listing.json');
  const memo = turn && !listAll ? readCachedJson<ListingMemo>(file, isListingMemo) : undefined;
  if (memo) return listLedgerRecent(ledgerDir, memo, now);
  const listing = listLedger(ledgerDir);
  if (save) writeFileAtomic(file, JSON.stringify(listingMemo(listing, now)), { durable: false });
  return listing;
}

function refresh(
  ledgerDir: string,
  stem: string,
  tz: string,
  listing: LedgerFiles,
  save: boolean,
  /** A read at every turn: how to read every rollup when a question needs the ones it left for later. */
  later?: () => LedgerView,
): IndexedRead {
  const turn = later !== undefined;
  let how: IndexedRead['how'] = 'fresh';
  const rebuild = (): BuiltBase => {
    const built = kept(buildBase(ledgerDir, listing.rollups, tz, { keepState: save }));
    // A rebuild reads every rollup: their rows and what the base was assembled from are garbage
    // now, and freed sooner by a full collection than by the reads that follow (see full-gc.ts).
    collectGarbage();
    return built;
  };
  /**
   * The base when rollups were only added after those of `from` (a start's or /eod's rollup of the
   * last closed day, a pull of a teammate's): summed on top of what `from`'s summed to. Built from
   * every rollup when that cannot be (see extendBase).
   */
  const extend = (from: BaseFile | undefined): BuiltBase => {
    const added = listing.rollups.length - (from?.rollups.length ?? 0);
    const pieces = from && { base: from, state: () => readState(stem), ...piecesOf(from.id) };
    const extended = pieces && extendBase(ledgerDir, listing.rollups, added, tz, pieces);
    if (!extended) return rebuild();
    how = 'extended';
    return kept(extended);
  };
  /** A base built, its files written when this read saves. */
  const kept = (built: BuiltBase & { state?: BuildState }): BuiltBase => {
    if (save) writeBase(stem, built);
    return built;
  };
  const piecesOf = (id: string) => basePieces(stem, id);
  let built: BuiltBase | undefined;
  let base = readCachedJson<BaseFile>(
    pieceFile(stem, 'base'),
    (b) =>
      b.v === INDEX_VERSION &&
      b.tz === tz &&
      Array.isArray(b.rollups) &&
      Array.isArray(b.taskSpecs) &&
      Array.isArray(b.taskSumSpecs),
  );
  const readLive = () =>
    readCachedJson<LiveFile>(
      pieceFile(stem, 'live'),
      (l) => l.v === INDEX_VERSION && typeof l.raw === 'object' && typeof l.lines === 'object',
    );
  let live: LiveFile | undefined;
  // Raw files the live part read whole that are rolled up since (by /eod, `compact` or a start in
  // another window, or a teammate's rollup of files pulled before): a read at every turn goes on
  // from the base and the live part as they are, which count exactly what the new rollups do. The
  // next full read builds the base again.
  let rolledUp: Set<string> | undefined;
  let pending: PendingRollups | undefined;
  if (
    !base ||
    base.rollups.length !== listing.rollups.length ||
    base.rollups.some((r, i) => r !== listing.rollups[i])
  ) {
    if (turn && base) {
      live = readLive();
      rolledUp = live && liveHoldsRollups(ledgerDir, base, live, listing);
      if (!rolledUp && live) pending = pendingRollups(ledgerDir, base, live, listing);
    }
    if ((!rolledUp && !pending) || !base) {
      how = 'rebuilt';
      built = extend(base);
      base = built.base;
    }
  }
  if (!rolledUp) live ??= readLive(); // read once: a rebuild does not write the live part
  const listed = new Set(listing.raw);
  if (!live || live.base !== base.id || Object.keys(live.raw).some((rel) => !listed.has(rel) && !rolledUp?.has(rel))) {
    live = { v: INDEX_VERSION, base: base.id, raw: {}, lines: {}, malformed: 0 }; // a raw file was rolled up or removed: read the rest again
    if (how === 'fresh') how = 'updated';
  }
  const keys = new KeyLookup(ledgerDir, base.keyDays);
  let advanced = false;
  // A turn's read leaves the raw files of long-over folders where the last full read left them:
  // only git or a hand changes those, and a ledger never compacted keeps a year of them.
  const remembered = (rel: string) =>
    listing.rememberedBefore !== undefined && folderDay(rel) < listing.rememberedBefore && live!.raw[rel] !== undefined;
  for (const rel of listing.raw) if (!remembered(rel)) advanced = advanceRaw(ledgerDir, rel, live, keys) || advanced;
  // What the live part holds now may be what the pending rollups count: then every rollup is read now.
  if (pending && liveTouches(ledgerDir, pending, live)) return refresh(ledgerDir, stem, tz, listing, save);
  if (advanced && how === 'fresh') how = 'updated';
  if (save && how !== 'fresh') writeFileAtomic(pieceFile(stem, 'live'), JSON.stringify(live), { durable: false });
  const loader: BaseLoader = { ...piecesOf(base.id), rebuild };
  const view = indexedView(base, live, loader, built);
  return { view: pending && later ? deferredView(view, pending, later) : view, how };
}
