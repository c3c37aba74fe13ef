import fs from 'node:fs';
import path from 'node:path';
import { faultPoint } from '../store/fault-point.js';
import { withFileLock } from '../store/lock.js';
import { discoverTranscripts, type TranscriptFile } from '../transcript/discover.js';
import type { TranscriptRead } from '../transcript/read-transcript.js';
import { DamagedBucketError, IdIndex } from './call-store.js';
import { locateCounts } from './count-snapshots.js';
import { loadFileIndex, saveFileIndex, type FileEntry, type FileIndex } from './file-index.js';
import { isDirty, openStore, setDirty, storeFor } from './history-store.js';
import { HistoryUpdate } from './history-update.js';
import { importLegacyHistory } from './legacy-history.js';
import { scanTranscripts, type ScanOutcome } from './scan-parallel.js';
import { emptySummary, loadSummary, saveSummary, type HistorySummary } from './summary.js';

export interface UpdateOptions {
  configDirs: string[];
  /** The history folder (historyDir()); each set of config dirs has its own store inside. */
  storeDir: string;
  /** Called with (bytesDone, bytesTotal) while new bytes are read. */
  onProgress?: (done: number, total: number) => void;
}

export interface HistoryView {
  summary: HistorySummary;
  files: FileIndex;
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
    setAside(storeFor(options.storeDir, options.configDirs));
    return updateOnce(options);
  }
}

/**
 * Damaged buckets: keep them aside for a person to look at, and read every transcript still on
 * disk again (their calls rebuild the buckets). Only calls of deleted transcripts in them are lost.
 */
function setAside(store: string): void {
  withFileLock(path.join(store, 'store'), () => {
    const dir = path.join(store, 'calls');
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      try {
        JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      } catch {
        fs.renameSync(path.join(dir, name), path.join(dir, `${name}.damaged-${Date.now()}`));
      }
    }
    const files = loadFileIndex(store) ?? {};
    for (const file of Object.keys(files)) if (fs.existsSync(file)) delete files[file];
    saveFileIndex(store, files);
    setDirty(store, true);
  });
}

async function updateOnce({ configDirs, storeDir, onProgress }: UpdateOptions): Promise<HistoryView> {
  const store = storeFor(storeDir, configDirs);
  openStore(store, configDirs);
  const files = discoverTranscripts(configDirs);
  const peek = loadFileIndex(store);
  const changed = files.filter((f) => isChanged(peek?.[f.path], f));
  if (changed.length === 0 && peek && !isDirty(store)) {
    const summary = loadSummary(store);
    if (summary) return { summary, files: peek, bytesRead: 0, filesRead: 0, errors: [] };
  }
  // Scan outside the lock (the slow part), then merge under it; a concurrent run that merged first
  // only means some copies are folded twice, which changes nothing.
  const total = changed.reduce((s, f) => s + f.size - (peek?.[f.path]?.offset ?? 0), 0);
  let done = 0;
  const outcomes = await scanTranscripts(
    changed.map((f) => ({ path: f.path, cursor: peek?.[f.path], size: f.size })),
    (bytes) => onProgress?.((done += bytes), total),
  );
  return withFileLock(path.join(store, 'store'), () => merge(store, storeDir, configDirs, changed, outcomes, peek ?? {}), { timeoutMs: 120_000 });
}

function merge(store: string, historyRoot: string, configDirs: string[], changed: TranscriptFile[], outcomes: ScanOutcome[], peek: FileIndex): HistoryView {
  let files = loadFileIndex(store);
  let summary = loadSummary(store);
  const repair = isDirty(store) || (files !== undefined && summary === undefined);
  const index = (!repair && IdIndex.load(store)) || IdIndex.empty();
  const update = new HistoryUpdate(store, index);
  setDirty(store, true);
  if (repair) {
    summary = undefined;
    update.loadAll();
  }
  summary ??= emptySummary();
  if (files === undefined) files = importLegacyHistory(historyRoot, configDirs, update) ?? {};

  index.prepare(outcomes.reduce((n, o) => n + (o.read ? o.read.calls.length + o.read.embeddedCalls.length : 0), 0));
  const errors: string[] = [];
  const read: string[] = [];
  let bytesRead = 0;
  const byPath = new Map(changed.map((f) => [f.path, f]));
  for (const outcome of outcomes) {
    const file = byPath.get(outcome.path)!;
    if (!outcome.read) {
      errors.push(`${outcome.path}: ${outcome.error}`);
      continue;
    }
    bytesRead += outcome.read.bytesRead;
    for (const call of outcome.read.calls) update.add(call, call.sessionId ?? file.sessionId, file.project);
    // Copies inside progress lines: counted when the subagent's own file is gone (same ids otherwise).
    for (const call of outcome.read.embeddedCalls) update.add(call, call.sessionId ?? file.sessionId, file.project);
    files[file.path] = fileEntry(file, outcome.read, outcome.read.restarted ? undefined : peek[file.path]);
    read.push(file.path);
  }
  update.finish(summary, files, repair ? Object.keys(files) : read);
  faultPoint('mid-history-save');
  saveSummary(store, summary);
  saveFileIndex(store, files);
  setDirty(store, false);
  return { summary, files, bytesRead, filesRead: outcomes.length, errors };
}

function fileEntry(file: TranscriptFile, read: TranscriptRead, previous: FileEntry | undefined): FileEntry {
  const sessions = new Set(previous?.sessions);
  for (const c of read.calls) sessions.add(c.sessionId ?? file.sessionId);
  for (const c of read.embeddedCalls) sessions.add(c.sessionId ?? file.sessionId);
  const versions = new Set([...(previous?.versions ?? []), ...read.versions]);
  const located = isSubagentFile(file.path) ? undefined : locateCounts(read, previous);
  const countSession = read.costStates.at(-1)?.sessionId ?? previous?.countSession;
  return {
    ...read.cursor,
    size: file.size,
    mtimeMs: file.mtimeMs,
    project: file.project,
    sessionId: file.sessionId,
    ...(sessions.size ? { sessions: [...sessions] } : {}),
    ...(versions.size ? { versions: [...versions] } : {}),
    ...(previous?.costState || read.costStates.length ? { costState: true } : {}),
    ...(located?.counts.length ? { counts: located.counts } : {}),
    ...(countSession && countSession !== file.sessionId ? { countSession } : {}),
    ...(located?.pendingCompactAt !== undefined ? { pendingCompactAt: located.pendingCompactAt } : {}),
    ...(located?.lastCallAt ? { lastCallAt: located.lastCallAt } : {}),
  };
}

function isChanged(known: FileEntry | undefined, file: TranscriptFile): boolean {
  return !known || known.ino !== file.ino || known.size !== file.size || known.mtimeMs !== file.mtimeMs;
}

function isSubagentFile(file: string): boolean {
  return /[\\/]subagents[\\/]/.test(file) || /[\\/]agent-[^\\/]*\.jsonl$/.test(file);
}

