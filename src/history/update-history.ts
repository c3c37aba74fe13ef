import fs from 'node:fs';
import path from 'node:path';
import { withFileLock } from '../store/lock.js';
import { discoverTranscripts, type TranscriptFile } from '../transcript/discover.js';
import { CallSet } from '../usage/call-set.js';
import { TOKEN_KINDS, type TokenCounts } from '../usage/tokens.js';
import { appendCalls, loadCalls, loadState, saveState, type CountSnapshot, type FileEntry, type HistoryState, type StoredCall } from './history-store.js';
import { scanTranscripts } from './scan-parallel.js';
import type { TranscriptRead } from '../transcript/read-transcript.js';
import { summarizeCalls } from './usage-rows.js';
import { costStateGaps, type CallOrigin, type SessionCount } from './cost-state-gaps.js';

export interface UpdateOptions {
  configDirs: string[];
  storeDir: string;
  /** Called with (bytesDone, bytesTotal) while new bytes are read. */
  onProgress?: (done: number, total: number) => void;
}

export interface HistoryView extends HistoryState {
  /** Bytes read in this run: 0 on a warm run with nothing new. */
  bytesRead: number;
  filesRead: number;
  errors: string[];
}

/**
 * Brings the machine-local history up to date with every transcript on disk and returns it.
 * Only new bytes are read; files Claude Code has since deleted keep their usage.
 */
export async function updateHistory({ configDirs, storeDir, onProgress }: UpdateOptions): Promise<HistoryView> {
  fs.mkdirSync(storeDir, { recursive: true });
  const files = discoverTranscripts(configDirs);
  const peek = loadState(storeDir);
  const changed = files.filter((f) => isChanged(peek, f));
  if (changed.length === 0) return { ...peek, bytesRead: 0, filesRead: 0, errors: [] };
  // Scan outside the lock (the slow part), then merge under it; a concurrent run that merged first
  // only means some copies are seen twice, which the call set absorbs.
  const total = changed.reduce((s, f) => s + f.size - (peek.files[f.path]?.offset ?? 0), 0);
  let done = 0;
  const outcomes = await scanTranscripts(
    changed.map((f) => ({ path: f.path, cursor: peek.files[f.path], size: f.size })),
    (bytes) => onProgress?.((done += bytes), total),
  );
  return withFileLock(path.join(storeDir, 'state.json'), () => {
    const state = loadState(storeDir);
    const calls = new CallSet();
    const origins = new Map<string, CallOrigin>();
    const noteOrigin = (call: StoredCall): boolean => {
      const origin = origins.get(call.messageId);
      if (!origin) origins.set(call.messageId, { project: call.project, sessions: [call.sessionId ?? 'unknown'] });
      else if (!origin.sessions.includes(call.sessionId ?? 'unknown')) origin.sessions.push(call.sessionId ?? 'unknown');
      else return false;
      return true;
    };
    for (const call of loadCalls(storeDir, state.callsBytes)) {
      calls.add(call);
      noteOrigin(call);
    }
    const fresh: StoredCall[] = [];
    const errors: string[] = [];
    let bytesRead = 0;
    const byPath = new Map(changed.map((f) => [f.path, f]));
    for (const outcome of outcomes) {
      const file = byPath.get(outcome.path)!;
      if (!outcome.read) {
        errors.push(`${outcome.path}: ${outcome.error}`);
        continue;
      }
      bytesRead += outcome.read.bytesRead;
      state.malformed += outcome.read.malformed;
      for (const call of outcome.read.calls) {
        const stored: StoredCall = { ...call, sessionId: call.sessionId ?? file.sessionId, project: file.project };
        const { entry, before } = calls.add(stored);
        const newOrigin = noteOrigin(stored);
        if (newOrigin || before === null || !sameTokens(before, entry.tokens) || entry.first === stored) fresh.push(stored);
      }
      const previous = outcome.read.restarted ? undefined : state.files[file.path];
      const located = isSubagentFile(file.path) ? { counts: [], pendingCompactAt: undefined, lastCallAt: undefined } : locateCounts(outcome.read, previous);
      state.files[file.path] = {
        ...outcome.read.cursor,
        size: file.size,
        mtimeMs: file.mtimeMs,
        project: file.project,
        sessionId: file.sessionId,
        ...(located.counts.length ? { counts: located.counts } : {}),
        ...(located.pendingCompactAt !== undefined ? { pendingCompactAt: located.pendingCompactAt } : {}),
        ...(located.lastCallAt ? { lastCallAt: located.lastCallAt } : {}),
      };
    }
    state.callsBytes = appendCalls(storeDir, fresh);
    const summary = summarizeCalls(calls, (id) => origins.get(id)?.project ?? 'unknown');
    const counts: SessionCount[] = Object.values(state.files).flatMap((f) => (f.counts?.length ? [{ sessionId: f.sessionId, project: f.project, snapshots: f.counts }] : []));
    const gaps = costStateGaps(calls, origins, counts, (s) => summary.sessions[s]?.last);
    state.rows = [...summary.rows, ...gaps];
    state.sessions = summary.sessions;
    saveState(storeDir, state);
    return { ...state, bytesRead, filesRead: outcomes.length, errors };
  });
}

function isChanged(state: HistoryState, file: TranscriptFile): boolean {
  const known = state.files[file.path];
  return !known || known.ino !== file.ino || known.size !== file.size || known.mtimeMs !== file.mtimeMs;
}

function isSubagentFile(file: string): boolean {
  return /[\\/]subagents[\\/]/.test(file) || /[\\/]agent-[^\\/]*\.jsonl$/.test(file);
}

function sameTokens(a: TokenCounts, b: TokenCounts): boolean {
  return TOKEN_KINDS.every((k) => a[k] === b[k]);
}

/**
 * Keeps the cost-state snapshots that can be placed in time: each that follows a compaction (the
 * call no line shows happened then), plus the latest. Snapshots in between add nothing: counts
 * are cumulative, so whatever they held is in the next kept one.
 */
function locateCounts(read: TranscriptRead, previous: FileEntry | undefined): Pick<FileEntry, 'pendingCompactAt' | 'lastCallAt'> & { counts: CountSnapshot[] } {
  const kept = (previous?.counts ?? []).filter((c) => c.at !== null);
  const latest = previous?.counts?.at(-1);
  let last = latest && latest.at === null ? latest : undefined;
  let pending = previous?.pendingCompactAt;
  let lastCallAt = previous?.lastCallAt ?? 0;
  type Event = { offset: number; kind: 'call' | 'compact' | 'count'; time: number; models?: CountSnapshot['models'] };
  const events: Event[] = [
    ...read.calls.map((c, i) => ({ offset: read.callOffsets[i]!, kind: 'call' as const, time: c.time })),
    ...read.compactions.map((time, i) => ({ offset: read.compactionOffsets[i]!, kind: 'compact' as const, time })),
    ...read.costStates.map((c, i) => ({ offset: read.costStateOffsets[i]!, kind: 'count' as const, time: 0, models: c.models })),
  ].sort((a, b) => a.offset - b.offset);
  for (const e of events) {
    if (e.kind === 'call') lastCallAt = Math.max(lastCallAt, e.time);
    else if (e.kind === 'compact') pending = e.time;
    else if (pending !== undefined) {
      kept.push({ at: pending, cut: Math.max(lastCallAt, pending), models: e.models! });
      pending = undefined;
      last = undefined;
    } else last = { at: null, cut: lastCallAt, models: e.models! };
  }
  return { counts: last ? [...kept, last] : kept, ...(pending !== undefined ? { pendingCompactAt: pending } : {}), lastCallAt };
}
