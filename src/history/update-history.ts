import fs from 'node:fs';
import path from 'node:path';
import { faultPoint } from '../store/fault-point.js';
import { withFileLock } from '../store/lock.js';
import { forEachTranscript, placeOf, type TranscriptFile } from '../transcript/discover.js';
import { DirCache } from '../transcript/dir-cache.js';
import { BUCKETS, DamagedBucketError, IdIndex, loadBucket, parseBucket } from './call-store.js';
import { CallTable } from './call-table.js';
import { FileIndex, loadFileIndex } from './file-index.js';
import { StoredFiles } from './stored-files.js';
import { isDirty, openStore, setDirty, storeFor } from './history-store.js';
import { HistoryUpdate } from './history-update.js';
import { withYoungGenerationHeld } from '../store/young-generation.js';
import { collectGarbage } from '../store/full-gc.js';
import { importLegacyHistory } from './legacy-history.js';
import { scanTranscripts, type ScanResult } from './scan-parallel.js';
import { calendarOf, loadCalendar, patchCalendar, saveCalendar, type Calendar } from './calendar.js';
import type { HistorySummary } from './summary.js';
import { DamagedSummaryError, loadSummary, SummaryStore } from './summary-store.js';

/**
 * New bytes that make an update big: it holds the young generation at its start size while it
 * reads and folds (see young-generation.ts). Scanning hundreds of MB grows it to 32 MB otherwise.
 */
const BIG_UPDATE_BYTES = 32 << 20;

export interface UpdateOptions {
  configDirs: string[];
  /** The history folder (historyDir()); each set of config dirs has its own store inside. */
  storeDir: string;
  /** Called with (bytesDone, bytesTotal) while new bytes are read. */
  onProgress?: (done: number, total: number) => void;
  /** The zone the report will ask days in: the calendar keeps its rows summed by day in it. */
  tz?: string;
  /**
   * Every call will be asked for (`report blocks`): the buckets are read within the update, so a
   * damaged one is set aside and rebuilt as for any update, not met afterwards.
   */
  calls?: boolean;
}

export interface HistoryView {
  /** Per-session usage (what `report session` prints from); loaded when first asked for. */
  summary(): HistorySummary;
  /** Every distinct call, from the call buckets, each at its own time (what `report blocks` groups); read when first asked for. */
  calls(): CallTable;
  /** Usage per slot over all sessions (what daily, weekly and monthly reports print from). */
  calendar(): Calendar;
  /** Bytes read in this run: 0 on a warm run with nothing new. */
  bytesRead: number;
  filesRead: number;
  errors: string[];
  /** New bytes were folded by this run (not a run with nothing new). */
  foldedHere: boolean;
}

/**
 * Brings the history of `configDirs` up to date with every transcript on disk and returns it.
 * Only new bytes are read; with nothing new, only files.json and calendar.bin are loaded (and the
 * summary's shards if a session report asks).
 * Files Claude Code has since deleted keep their usage.
 */
export async function updateHistory(options: UpdateOptions): Promise<HistoryView> {
  const attempt = async () => {
    const view = await updateOnce(options);
    // Kept (calls() reads them once); held, as a big update is: the whole history in one table.
    if (options.calls) await withYoungGenerationHeld(async () => view.calls());
    return view;
  };
  try {
    return await attempt();
  } catch (error) {
    // A damaged summary shard is met while folding, after the update wrote its `dirty` marker: the
    // retry finds it and rebuilds the summary from the buckets (as after an update that died).
    if (error instanceof DamagedBucketError)
      setAside(storeFor(options.storeDir, options.configDirs), options.configDirs);
    else if (!(error instanceof DamagedSummaryError)) throw error;
    return attempt();
  }
}

/**
 * Damaged buckets: keep them aside for a person to look at, and read every transcript still on
 * disk again (their calls rebuild the buckets). Only calls of deleted transcripts in them are lost.
 */
function setAside(store: string, configDirs: string[]): void {
  withFileLock(path.join(store, 'store'), () => {
    const dir = path.join(store, 'calls');
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      // a bucket that does not read is set aside (never deleted) and its calls read again
      if (!parseBucket(fs.readFileSync(path.join(dir, name), 'utf8')))
        fs.renameSync(path.join(dir, name), path.join(dir, `${name}.damaged-${Date.now()}`));
    }
    const files = loadFileIndex(store) ?? new FileIndex();
    for (const file of files.paths()) if (fs.existsSync(file)) files.delete(file);
    files.save(store, configDirs);
    setDirty(store, true);
  });
}

async function updateOnce(options: UpdateOptions): Promise<HistoryView> {
  const store = storeFor(options.storeDir, options.configDirs);
  openStore(store, options.configDirs);
  const stored = StoredFiles.load(store);
  // A first run reads every transcript: held from the walk on (a young generation, once grown, stays).
  if (!stored) return withYoungGenerationHeld(() => update(store, options, stored));
  return update(store, options, stored);
}

async function update(store: string, options: UpdateOptions, stored: StoredFiles | undefined): Promise<HistoryView> {
  const { configDirs, storeDir } = options;
  const changed = changedTranscripts(store, configDirs, stored);
  // Nothing new: the calendar answers (one of another version means a store to rebuild, below).
  const calendar = changed.length === 0 && stored && !isDirty(store) ? loadCalendar(store) : undefined;
  if (calendar) {
    const summary = summaryOr(store, storeDir, configDirs, () => loadSummary(store));
    return {
      summary,
      calls: once(() => allCalls(store)),
      calendar: () => calendar,
      bytesRead: 0,
      filesRead: 0,
      errors: [],
      foldedHere: false,
    };
  }
  const peek = stored && new FileIndex(stored);
  const total = changed.reduce((s, f) => s + f.size - (peek?.get(f.path)?.offset ?? 0), 0);
  const fold = () => scanAndMerge(store, options, stored, changed, peek, total);
  return stored && total >= BIG_UPDATE_BYTES ? withYoungGenerationHeld(fold) : fold();
}

async function scanAndMerge(
  store: string,
  { configDirs, storeDir, onProgress, tz }: UpdateOptions,
  stored: StoredFiles | undefined,
  changed: TranscriptFile[],
  peek: FileIndex | undefined,
  total: number,
): Promise<HistoryView> {
  // Scan outside the lock (the slow part), then merge under it; a concurrent run that merged first
  // only means some copies are folded twice, which changes nothing.
  let done = 0;
  const jobs = changed.map((f) => ({
    path: f.path,
    size: f.size,
    mtimeMs: f.mtimeMs,
    project: f.project,
    sessionId: f.sessionId,
    previous: peek?.get(f.path),
  }));
  const scan = await scanTranscripts(jobs, (bytes) => onProgress?.((done += bytes), total));
  return withFileLock(
    path.join(store, 'store'),
    () => merge(store, storeDir, configDirs, scan, stored?.current() ? peek : undefined, tz),
    { timeoutMs: 120_000 },
  );
}

/**
 * The transcripts new or grown since `stored`, by path. The folders' listings kept from the last
 * walk live only here: a scan that follows does not hold them.
 */
function changedTranscripts(store: string, configDirs: string[], stored: StoredFiles | undefined): TranscriptFile[] {
  const changed: TranscriptFile[] = [];
  const dirs = DirCache.load(path.join(store, 'listings.json'), path.join(configDirs[0] ?? '', 'projects'));
  forEachTranscript(
    configDirs,
    (file, size, mtimeMs, ino, parts) => {
      if (!stored || stored.changed(file, size, mtimeMs, ino))
        changed.push({ path: file, size, mtimeMs, ino, ...placeOf(parts) });
    },
    dirs,
  );
  dirs.save();
  return changed.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * `known`: the file index as loaded before the scan, when no other run has saved one since; `tz`:
 * the zone whose days the calendar keeps.
 */
function merge(
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
function summaryOr(
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

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Every call bucket of the store, in one table. */
function allCalls(store: string): CallTable {
  const table = new CallTable();
  for (let b = 0; b < BUCKETS; b++) loadBucket(store, b, table);
  return table;
}
