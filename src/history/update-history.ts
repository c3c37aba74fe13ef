import fs from 'node:fs';
import path from 'node:path';
import { faultPoint } from '../store/fault-point.js';
import { withFileLock } from '../store/lock.js';
import { forEachTranscript, placeOf, type TranscriptFile } from '../transcript/discover.js';
import { DamagedBucketError, IdIndex } from './call-store.js';
import { CallTable } from './call-table.js';
import { loadFileIndex, saveFileIndex, StoredFiles, type FileIndex } from './file-index.js';
import { isDirty, openStore, setDirty, storeFor } from './history-store.js';
import { HistoryUpdate } from './history-update.js';
import { updateInWorker, workerScript } from './history-worker.js';
import { importLegacyHistory } from './legacy-history.js';
import { scanTranscripts, type ScanResult } from './scan-parallel.js';
import {
  calendarOf,
  contributions,
  emptySummary,
  loadCalendar,
  loadSummary,
  patchCalendar,
  saveCalendar,
  saveSummary,
  type Calendar,
  type HistorySummary,
} from './summary.js';

/** New bytes worth a worker thread of their own (see history-worker.ts). */
const WORKER_MIN_BYTES = 32 << 20;

export interface UpdateOptions {
  configDirs: string[];
  /** The history folder (historyDir()); each set of config dirs has its own store inside. */
  storeDir: string;
  /** Called with (bytesDone, bytesTotal) while new bytes are read. */
  onProgress?: (done: number, total: number) => void;
}

export interface HistoryView {
  /** Per-session usage (what `report session` prints from); loaded when first asked for. */
  summary(): HistorySummary;
  /** Usage per slot over all sessions (what daily, weekly and monthly reports print from). */
  calendar(): Calendar;
  /** Bytes read in this run: 0 on a warm run with nothing new. */
  bytesRead: number;
  filesRead: number;
  errors: string[];
}

/**
 * Brings the history of `configDirs` up to date with every transcript on disk and returns it.
 * Only new bytes are read; with nothing new, only files.json and summary.json are loaded.
 * Files Claude Code has since deleted keep their usage.
 */
export async function updateHistory(options: UpdateOptions): Promise<HistoryView> {
  try {
    return await updateOnce(options);
  } catch (error) {
    if (!(error instanceof DamagedBucketError)) throw error;
    setAside(storeFor(options.storeDir, options.configDirs), options.configDirs);
    return updateOnce(options);
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
      try {
        JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      } catch {
        // a bucket that does not parse is set aside (never deleted) and its calls read again
        fs.renameSync(path.join(dir, name), path.join(dir, `${name}.damaged-${Date.now()}`));
      }
    }
    const files = loadFileIndex(store) ?? {};
    for (const file of Object.keys(files)) if (fs.existsSync(file)) delete files[file];
    saveFileIndex(store, files, configDirs);
    setDirty(store, true);
  });
}

async function updateOnce({ configDirs, storeDir, onProgress }: UpdateOptions): Promise<HistoryView> {
  const store = storeFor(storeDir, configDirs);
  openStore(store, configDirs);
  const stored = StoredFiles.load(store);
  // A first run over many projects reads a lot: straight to the worker, before this thread makes
  // garbage (its young generation, once grown, stays). Only a guess; the worker decides nothing.
  const first = !stored && projectCount(configDirs) >= 8 ? workerScript() : undefined;
  if (first) return inWorker(first, store, { configDirs, storeDir, ...(onProgress ? { onProgress } : {}) });
  const changed: TranscriptFile[] = [];
  forEachTranscript(configDirs, (file, size, mtimeMs, ino, parts) => {
    if (!stored || stored.changed(file, size, mtimeMs, ino))
      changed.push({ path: file, size, mtimeMs, ino, ...placeOf(parts) });
  });
  changed.sort((a, b) => (a.path < b.path ? -1 : 1));
  if (changed.length === 0 && stored && !isDirty(store) && fs.existsSync(path.join(store, 'calendar.json'))) {
    const summary = once(() => loadSummary(store) ?? emptySummary());
    const calendar = once(() => loadCalendar(store) ?? calendarOf(summary()));
    return { summary, calendar, bytesRead: 0, filesRead: 0, errors: [] };
  }
  const peek = stored?.entries();
  const total = changed.reduce((s, f) => s + f.size - (peek?.[f.path]?.offset ?? 0), 0);
  const script = total >= WORKER_MIN_BYTES ? workerScript() : undefined;
  if (script) return inWorker(script, store, { configDirs, storeDir, ...(onProgress ? { onProgress } : {}) });
  // Scan outside the lock (the slow part), then merge under it; a concurrent run that merged first
  // only means some copies are folded twice, which changes nothing.
  let done = 0;
  const jobs = changed.map((f) => ({
    path: f.path,
    size: f.size,
    mtimeMs: f.mtimeMs,
    project: f.project,
    sessionId: f.sessionId,
    previous: peek?.[f.path],
  }));
  const scan = await scanTranscripts(jobs, (bytes) => onProgress?.((done += bytes), total));
  return withFileLock(
    path.join(store, 'store'),
    () => merge(store, storeDir, configDirs, scan, stored?.current() ? peek : undefined),
    { timeoutMs: 120_000 },
  );
}

/** `known`: the file index as loaded before the scan, when no other run has saved one since. */
function merge(
  store: string,
  historyRoot: string,
  configDirs: string[],
  scan: ScanResult,
  known: FileIndex | undefined,
): HistoryView {
  let files = known ?? loadFileIndex(store);
  let summary = loadSummary(store);
  const loaded = files !== undefined ? IdIndex.load(store) : undefined;
  // An update died halfway (`dirty`), or a file it needs is gone: rebuild from the call buckets.
  const repair = isDirty(store) || (files !== undefined && (summary === undefined || loaded === undefined));
  const index = (!repair && loaded) || IdIndex.empty();
  // A new store: nothing on disk to merge with (a first run that died leaves `dirty`: repair).
  const empty = !repair && files === undefined && !fs.existsSync(path.join(store, 'calls'));
  const legacy = files === undefined ? new CallTable() : undefined;
  if (legacy) files = importLegacyHistory(historyRoot, configDirs, legacy) ?? {};
  setDirty(store, true);
  if (repair) summary = undefined;
  summary ??= emptySummary();
  const errors: string[] = [];
  const read: string[] = [];
  let bytesRead = 0;
  for (const file of scan.files) {
    if (!file.entry) {
      errors.push(`${file.path}: ${file.error}`);
      continue;
    }
    bytesRead += file.bytesRead;
    files![file.path] = file.entry;
    read.push(file.path);
  }
  // The calls are dropped once their buckets are written: the summary's JSON is made without them.
  const tables = [...scan.calls.splice(0), ...(legacy?.size ? [legacy] : [])];
  const before = contributions(summary);
  foldCalls(
    new HistoryUpdate(store, index, empty),
    repair,
    tables,
    summary,
    files!,
    repair ? Object.keys(files!) : read,
  );
  faultPoint('mid-history-save');
  const previous = repair ? undefined : loadCalendar(store);
  const calendar = previous ? patchCalendar(previous, before, summary) : calendarOf(summary);
  saveSummary(store, summary);
  saveCalendar(store, calendar);
  saveFileIndex(store, files!, configDirs);
  setDirty(store, false);
  const done = summary;
  return { summary: () => done, calendar: () => calendar, bytesRead, filesRead: scan.files.length, errors };
}

function foldCalls(
  update: HistoryUpdate,
  repair: boolean,
  tables: CallTable[],
  summary: HistorySummary,
  files: FileIndex,
  read: string[],
): void {
  if (repair) update.loadAll();
  while (tables.length) update.addTable(tables.shift()!);
  update.finish(summary, files, read);
}

function projectCount(configDirs: string[]): number {
  let n = 0;
  for (const dir of configDirs) {
    try {
      n += fs.readdirSync(path.join(dir, 'projects')).length;
    } catch {
      // no projects/ there
    }
  }
  return n;
}

async function inWorker(script: string, store: string, options: UpdateOptions): Promise<HistoryView> {
  const counts = await updateInWorker(script, options);
  const summary = once(() => loadSummary(store) ?? emptySummary());
  return { summary, calendar: once(() => loadCalendar(store) ?? calendarOf(summary())), ...counts };
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
