import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';
import type { Cursor } from '../transcript/read-transcript.js';
import type { TokenCounts } from '../usage/tokens.js';

/** A cost-state snapshot: where to place what it adds (`at`: its compaction's time, null for the
 * latest one) and which calls it covers (those up to `cut`, the last call before it in its file). */
export interface CountSnapshot {
  at: number | null;
  cut: number;
  models: Record<string, TokenCounts>;
}

/** What the history knows of one transcript file: where reading stopped, and what it said. */
export interface FileEntry extends Cursor {
  size: number;
  mtimeMs: number;
  project: string;
  /** The session its path names (a fallback for lines without a sessionId). */
  sessionId: string;
  /** The sessions its calls' lines name (usually one). */
  sessions?: string[];
  /** Claude Code versions of its lines with calls. */
  versions?: string[];
  /** It holds cost-state lines (Claude Code's own count: side calls no line shows are in it). */
  costState?: boolean;
  /**
   * A main transcript's cost-state snapshots (2.1.331+): each one that follows a compaction, with
   * that compaction's time, and the latest one; and the session they count (the lines' sessionId).
   */
  counts?: CountSnapshot[];
  countSession?: string;
  /** A compaction read after the last cost-state: the next snapshot's time. */
  pendingCompactAt?: number;
  /** The latest call time read from this file so far. */
  lastCallAt?: number;
}

export type FileIndex = Record<string, FileEntry>;

interface Stored {
  version: 2;
  files: Record<string, [size: number, mtimeMs: number, ino: number, offset: number, head: string, project: string, sessionId: string, extra?: Extra]>;
}
type Extra = Omit<FileEntry, keyof Cursor | 'size' | 'mtimeMs' | 'project' | 'sessionId'>;

/** `files.json`: every transcript file ever read for this store (deleted ones too: their counts still matter). */
export function loadFileIndex(dir: string): FileIndex | undefined {
  let stored: Stored;
  try {
    stored = JSON.parse(fs.readFileSync(path.join(dir, 'files.json'), 'utf8')) as Stored;
  } catch {
    return undefined;
  }
  if (stored?.version !== 2) return undefined;
  const files: FileIndex = {};
  for (const [file, [size, mtimeMs, ino, offset, head, project, sessionId, extra]] of Object.entries(stored.files)) {
    files[file] = { size, mtimeMs, ino, offset, head, project, sessionId, ...extra };
  }
  return files;
}

export function saveFileIndex(dir: string, files: FileIndex): void {
  const stored: Stored = { version: 2, files: {} };
  for (const [file, { size, mtimeMs, ino, offset, head, project, sessionId, ...extra }] of Object.entries(files)) {
    stored.files[file] = Object.keys(extra).length ? [size, mtimeMs, ino, offset, head, project, sessionId, extra] : [size, mtimeMs, ino, offset, head, project, sessionId];
  }
  writeFileAtomic(path.join(dir, 'files.json'), JSON.stringify(stored), { durable: false });
}
