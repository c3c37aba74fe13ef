/**
 * A scan folded into the store, under its lock: the call buckets, the id index, the summary, the
 * calendar and the file index written, and the history handed back as a report reads it. A damaged
 * summary read later is made again from the buckets here too (the same fold, of no new bytes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { faultPoint } from '../store/fault-point.js';
import { withFileLock } from '../store/lock.js';
import { collectGarbage } from '../store/full-gc.js';
import { BUCKETS, IdIndex, loadBucket } from './call-store.js';
import { CallTable } from './call-table.js';
import { FileIndex, loadFileIndex } from './file-index.js';
import { isDirty, setDirty } from './history-store.js';
import { HistoryUpdate } from './history-update.js';
import { importLegacyHistory } from './legacy-history.js';
import type { ScanResult } from './scan-parallel.js';
import { calendarOf, loadCalendar, patchCalendar, saveCalendar } from './calendar.js';
import type { HistorySummary } from './summary.js';
import { DamagedSummaryError, SummaryStore } from './summary-store.js';
import type { HistoryView } from './update-history.js';

/**
 * New bytes that make an update big: it holds the young generation at its start size while it
 * reads and folds (see young-generation.ts), and collects its garbage at once after the fold.
 * Scanning hundreds of MB grows the young generation to 32 MB otherwise.
 */
export const BIG_UPDATE_BYTES = 32 << 20;

/**
 * `known`: the file index as loaded before the scan, when no other run has saved one since; `tz`:
 * the zone whose days the calendar keeps.
 */
export function merge(
  store: string,
  historyRoot: string,
  configDirs: string[],
  scan: ScanResult,
  known: FileIndex | undefined,
  tz?: string,
): HistoryView {
  let files = known ?? loadFileIndex(store);
  let summary = SummaryStore.load(store);
  const loaded = files !== undefined ? IdIndex.load(store) : undefined;
  // An update died halfway (`dirty`), or a file it needs is gone: rebuild from the call buckets.
  const repair = isDirty(store) || (files !== undefined && (summary === undefined || loaded === undefined));
  const index = (!repair && loaded) || IdIndex.empty();
  // A new store: nothing on disk to merge with (a first run that died leaves `dirty`: repair).
  const empty = !repair && files === undefined && !fs.existsSync(path.join(store, 'calls'));
  const legacy = files === undefined ? new CallTable() : undefined;
  if (legacy) {
    const gone = importLegacyHistory(historyRoot, configDirs, legacy);
    files = gone ? FileIndex.of(gone) : new FileIndex();
  }
  setDirty(store, true);
  if (repair || !summary) summary = SummaryStore.empty(store);
  const errors: string[] = [];
  const read: string[] = [];
  let bytesRead = 0;
  for (const file of scan.files) {
    if (!file.entry) {
      errors.push(`${file.path}: ${file.error}`);
      continue;
    }
    bytesRead += file.bytesRead;
    files!.set(file.path, file.entry);
    read.push(file.path);
  }
  // The calls are dropped once their buckets are written: the summary's JSON is made without them.
  const tables = [...scan.calls.splice(0), ...(legacy?.size ? [legacy] : [])];
  const big = repair || bytesRead >= BIG_UPDATE_BYTES;
  foldCalls(
    new HistoryUpdate(store, index, empty),
    repair,
    tables,
    summary,
    files!,
    repair ? files!.paths() : read,
    big,
  );
  if (big) collectGarbage(); // the calls, now in their buckets
  faultPoint('mid-history-save');
  const previous = repair ? undefined : loadCalendar(store);
  const calendar = previous ? patchCalendar(previous, summary, tz) : calendarOf(summary.all(), tz);
  summary.save();
  saveCalendar(store, calendar);
  files!.save(store, configDirs);
  setDirty(store, false);
  const done = summary;
  return {
    summary: summaryOr(store, historyRoot, configDirs, () => done.all()),
    calls: once(() => allCalls(store)),
    calendar: () => calendar,
    bytesRead,
    filesRead: scan.files.length,
    errors,
    foldedHere: true,
  };
}

/**
 * The summary as a report reads it, when first asked for: `read`, or, a shard being lost or damaged
 * on disk (the summary is a cache of the call buckets), made again from the buckets. A rebuild's
 * own summary is in memory whole, so it never comes back here.
 */
export function summaryOr(
  store: string,
  historyRoot: string,
  configDirs: string[],
  read: () => HistorySummary | undefined,
): () => HistorySummary {
  return once(() => {
    let summary: HistorySummary | undefined;
    try {
      summary = read();
    } catch (error) {
      if (!(error instanceof DamagedSummaryError)) throw error;
    }
    return summary ?? rebuilt(store, historyRoot, configDirs).summary();
  });
}

function rebuilt(store: string, historyRoot: string, configDirs: string[]): HistoryView {
  return withFileLock(
    path.join(store, 'store'),
    () => {
      setDirty(store, true);
      return merge(store, historyRoot, configDirs, { files: [], calls: [] }, undefined);
    },
    { timeoutMs: 120_000 },
  );
}

function foldCalls(
  update: HistoryUpdate,
  repair: boolean,
  tables: CallTable[],
  summary: SummaryStore,
  files: FileIndex,
  read: string[],
  big: boolean,
): void {
  if (repair) update.loadAll();
  while (tables.length) update.addTable(tables.shift()!);
  update.finish(summary, files, read);
  if (big) collectGarbage(); // what summing the sessions left, before the buckets are made
  update.save();
}

export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Every call bucket of the store, in one table. */
export function allCalls(store: string): CallTable {
  const table = new CallTable();
  for (let b = 0; b < BUCKETS; b++) loadBucket(store, b, table);
  return table;
}
