import fs from 'node:fs';
import path from 'node:path';
import { replaceFile } from './call-store.js';
import { placeOf } from '../transcript/discover.js';
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
  version: 3;
  /** The `projects/` folders the paths are relative to. */
  roots: string[];
  files: Array<[root: number, path: string, size: number, mtimeMs: number, ino: number, offset: number, head: string, extra?: Extra]>;
}
type Extra = Omit<FileEntry, keyof Cursor | 'size' | 'mtimeMs' | 'project' | 'sessionId'>;

/**
 * `files.json`: every transcript file ever read for this store (deleted ones too: their counts still
 * matter). Loaded on every run, so kept small: paths relative to their `projects/` folder, the
 * project and session a path names derived again on load.
 */
export function loadFileIndex(dir: string): FileIndex | undefined {
  let stored: Stored;
  try {
    stored = JSON.parse(fs.readFileSync(path.join(dir, 'files.json'), 'utf8')) as Stored;
  } catch {
    return undefined;
  }
  if (stored?.version !== 3) return undefined;
  const files: FileIndex = {};
  for (const [root, relative, size, mtimeMs, ino, offset, head, extra] of stored.files) {
    files[path.join(stored.roots[root]!, relative)] = { size, mtimeMs, ino, offset, head, ...placeOf(relative.split('/')), ...extra };
  }
  return files;
}

/** `configDirs`: the dirs of the store; every file lives under one of their `projects/` folders. */
export function saveFileIndex(dir: string, files: FileIndex, configDirs: string[]): void {
  const roots = configDirs.map((d) => path.join(path.resolve(d), 'projects') + path.sep).sort((a, b) => b.length - a.length);
  const stored: Stored = { version: 3, roots: [], files: [] };
  for (const [file, { size, mtimeMs, ino, offset, head, project: _project, sessionId: _session, ...extra }] of Object.entries(files)) {
    const root = roots.find((r) => file.startsWith(r));
    if (!root) continue;
    let index = stored.roots.indexOf(root);
    if (index < 0) index = stored.roots.push(root) - 1;
    const relative = file.slice(root.length).split(path.sep).join('/');
    stored.files.push(Object.keys(extra).length ? [index, relative, size, mtimeMs, ino, offset, head, extra] : [index, relative, size, mtimeMs, ino, offset, head]);
  }
  replaceFile(path.join(dir, 'files.json'), JSON.stringify(stored));
}
