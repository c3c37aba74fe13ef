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

/** files.json: one array per field (JSON of plain arrays parses fast and makes no object per file). */
interface Stored {
  version: 5;
  /** The file holding the extras of this very version (files-extra-<id>.json). */
  extras: string;
  /** The `projects/` folders the paths are relative to. */
  roots: string[];
  root: number[];
  path: string[];
  size: number[];
  mtime: number[];
  ino: number[];
  offset: number[];
  head: string[];
}
/** files-extra-<id>.json: what else is known of some files (by position in files.json), read only by updates. */
type Extras = Record<number, Extra>;
type Extra = Omit<FileEntry, keyof Cursor | 'size' | 'mtimeMs' | 'project' | 'sessionId'>;

/**
 * `files.json`: every transcript file ever read for this store (deleted ones too: their counts still
 * matter). Loaded on every run, so cheap to load: paths relative to their `projects/` folder, the
 * project and session a path names derived again when needed, and FileEntry objects made only
 * when an update needs them — a run with nothing new only compares sizes, mtimes and inodes.
 */
export class StoredFiles {
  private readonly at = new Map<string, number>();

  private constructor(
    private readonly s: Stored,
    private readonly dir: string,
    /** files.json's size, mtime and inode when loaded. */
    private readonly version: string,
  ) {
    for (let i = 0; i < s.path.length; i++) this.at.set(fullPath(s, i), i);
  }

  static load(dir: string): StoredFiles | undefined {
    let stored: Stored;
    let version: string;
    try {
      const fd = fs.openSync(path.join(dir, 'files.json'), 'r');
      try {
        version = fileVersion(fs.fstatSync(fd));
        stored = JSON.parse(fs.readFileSync(fd, 'utf8')) as Stored;
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return undefined; // missing or torn: the caller starts the index again
    }
    return stored?.version === 5 ? new StoredFiles(stored, dir, version) : undefined;
  }

  /** Whether files.json is still the one loaded (no other run has saved since). */
  current(): boolean {
    try {
      return fileVersion(fs.statSync(path.join(this.dir, 'files.json'))) === this.version;
    } catch {
      return false; // removed meanwhile: not the one loaded
    }
  }

  /** Whether a file on disk differs from what was read of it (or was never read). */
  changed(file: string, size: number, mtimeMs: number, ino: number): boolean {
    const i = this.at.get(file);
    return i === undefined || this.s.size[i] !== size || this.s.mtime[i] !== mtimeMs || this.s.ino[i] !== ino;
  }

  entries(): FileIndex {
    const s = this.s;
    let extra: Extras = {};
    try {
      extra = JSON.parse(fs.readFileSync(path.join(this.dir, this.s.extras), 'utf8')) as Extras;
    } catch {
      // none yet
    }
    const files: FileIndex = {};
    for (let i = 0; i < s.path.length; i++) {
      const { project, sessionId } = placeOf(s.path[i]!.split('/'));
      const entry: FileEntry = {
        offset: s.offset[i]!,
        ino: s.ino[i]!,
        head: s.head[i]!,
        size: s.size[i]!,
        mtimeMs: s.mtime[i]!,
        project,
        sessionId,
      };
      const x = extra[i];
      if (x) Object.assign(entry, x);
      files[fullPath(s, i)] = entry;
    }
    return files;
  }
}

const fileVersion = (st: fs.Stats) => `${st.size}:${st.mtimeMs}:${st.ino}`;

const fullPath = (s: Stored, i: number) =>
  s.roots[s.root[i]!] + (path.sep === '/' ? s.path[i]! : s.path[i]!.split('/').join(path.sep));

export function loadFileIndex(dir: string): FileIndex | undefined {
  return StoredFiles.load(dir)?.entries();
}

/** `configDirs`: the dirs of the store; every file lives under one of their `projects/` folders. */
export function saveFileIndex(dir: string, files: FileIndex, configDirs: string[]): void {
  const roots = configDirs
    .map((d) => path.join(path.resolve(d), 'projects') + path.sep)
    .sort((a, b) => b.length - a.length);
  const extrasFile = `files-extra-${Date.now().toString(36)}-${process.pid}.json`;
  const s: Stored = {
    version: 5,
    extras: extrasFile,
    roots: [],
    root: [],
    path: [],
    size: [],
    mtime: [],
    ino: [],
    offset: [],
    head: [],
  };
  const extras: Extras = {};
  for (const [
    file,
    { size, mtimeMs, ino, offset, head, project: _project, sessionId: _session, ...extra },
  ] of Object.entries(files)) {
    const root = roots.find((r) => file.startsWith(r));
    if (!root) continue;
    let index = s.roots.indexOf(root);
    if (index < 0) index = s.roots.push(root) - 1;
    if (Object.keys(extra).length) extras[s.path.length] = extra;
    s.root.push(index);
    s.path.push(file.slice(root.length).split(path.sep).join('/'));
    s.size.push(size);
    s.mtime.push(mtimeMs);
    s.ino.push(ino);
    s.offset.push(offset);
    s.head.push(head);
  }
  // Extras under a new name first, then files.json (which names them) replaces the old one at once.
  replaceFile(path.join(dir, extrasFile), JSON.stringify(extras));
  replaceFile(path.join(dir, 'files.json'), JSON.stringify(s));
  for (const old of fs.readdirSync(dir))
    if (old.startsWith('files-extra-') && old !== extrasFile) fs.rmSync(path.join(dir, old), { force: true });
}
