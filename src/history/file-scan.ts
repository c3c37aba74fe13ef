import { readTranscriptFrom } from '../transcript/read-transcript.js';
import type { ApiCall } from '../usage/api-call.js';
import type { CallTable } from './call-table.js';
import { locateCounts } from './count-snapshots.js';
import type { FileEntry } from './file-index.js';

/** One transcript to read from its cursor, and what the history already knows of it. */
export interface ScanJob {
  path: string;
  size: number;
  mtimeMs: number;
  project: string;
  /** The session its path names: the fallback for lines without a sessionId. */
  sessionId: string;
  previous: FileEntry | undefined;
}

export interface FileScan {
  path: string;
  /** The file's new history entry; missing when it could not be read (see `error`). */
  entry?: FileEntry;
  bytesRead: number;
  error?: string;
}

/**
 * Reads the new bytes of one transcript, folds its calls (and the copies inside its progress lines:
 * a subagent call whose own file is gone lives only there) into `calls`, and returns the file's new
 * entry. Nothing per copy outlives the file.
 */
export function scanFile(job: ScanJob, calls: CallTable): FileScan {
  const sessions = new Set<string>();
  const times = new CallTimeList();
  const take = (call: ApiCall, embedded: boolean, offset: number) => {
    const session = call.sessionId ?? job.sessionId;
    sessions.add(session);
    calls.addCopy(call, session, job.project);
    if (!embedded) times.push(call.time, offset);
  };
  let read: ReturnType<typeof readTranscriptFrom>;
  try {
    read = readTranscriptFrom(job.path, job.previous, { taskCommands: false, onCall: take });
  } catch (error) {
    return { path: job.path, bytesRead: 0, error: (error as Error).message };
  }
  for (const [i, call] of read.calls.entries()) take(call, false, read.callOffsets[i]!); // a line too long to hold whole
  const previous = read.restarted ? undefined : job.previous;
  for (const s of previous?.sessions ?? []) sessions.add(s);
  const versions = new Set([...(previous?.versions ?? []), ...read.versions]);
  const located = isSubagentFile(job.path) ? undefined : locateCounts(times, read, previous);
  const countSession = read.costStates.at(-1)?.sessionId ?? previous?.countSession;
  const entry: FileEntry = {
    ...read.cursor,
    size: job.size,
    mtimeMs: job.mtimeMs,
    project: job.project,
    sessionId: job.sessionId,
    ...(sessions.size ? { sessions: [...sessions] } : {}),
    ...(versions.size ? { versions: [...versions] } : {}),
    ...(previous?.costState || read.costStates.length ? { costState: true } : {}),
    ...(located?.counts.length ? { counts: located.counts } : {}),
    ...(countSession && countSession !== job.sessionId ? { countSession } : {}),
    ...(located?.pendingCompactAt !== undefined ? { pendingCompactAt: located.pendingCompactAt } : {}),
    ...(located?.lastCallAt ? { lastCallAt: located.lastCallAt } : {}),
  };
  return { path: job.path, entry, bytesRead: read.bytesRead };
}

function isSubagentFile(file: string): boolean {
  return /[\\/]subagents[\\/]/.test(file) || /[\\/]agent-[^\\/]*\.jsonl$/.test(file);
}

/** (time, offset) of each call read, in two growable typed arrays. */
class CallTimeList {
  length = 0;
  times = new Float64Array(64);
  offsets = new Float64Array(64);

  push(time: number, offset: number): void {
    if (this.length === this.times.length) {
      const times = new Float64Array(this.length * 2);
      times.set(this.times);
      this.times = times;
      const offsets = new Float64Array(this.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.times[this.length] = time;
    this.offsets[this.length++] = offset;
  }
}
