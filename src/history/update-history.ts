import fs from 'node:fs';
import path from 'node:path';
import { withFileLock } from '../store/lock.js';
import { forEachTranscript, placeOf, type TranscriptFile } from '../transcript/discover.js';
import { DirCache } from '../transcript/dir-cache.js';
import { DamagedBucketError, parseBucket } from './call-store.js';
import type { CallTable } from './call-table.js';
import { FileIndex, loadFileIndex } from './file-index.js';
import { StoredFiles } from './stored-files.js';
import { isDirty, openStore, setDirty, storeFor } from './history-store.js';
import { allCalls, BIG_UPDATE_BYTES, merge, once, summaryOr } from './history-merge.js';
import { withYoungGenerationHeld } from '../store/young-generation.js';
import { scanTranscripts } from './scan-parallel.js';
import { loadCalendar, type Calendar } from './calendar.js';
import type { HistorySummary } from './summary.js';
import { DamagedSummaryError, loadSummary } from './summary-store.js';

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
