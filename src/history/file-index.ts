import path from 'node:path';
import type { Cursor } from '../transcript/read-transcript.js';
import type { TokenCounts } from '../usage/tokens.js';
import { type Extra, namesOf, type Stored, StoredFiles, writeStored } from './stored-files.js';

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

/**
 * Every transcript file of a store, as an update sees it: what files.json holds, with the entries
 * this update sets over it. Entries are made only for the files an update asks about, and saving
 * rewrites only their places in files.json's arrays (a turn's update reads one file of thousands).
 */
export class FileIndex {
  private readonly made = new Map<string, FileEntry>();
  /** Paths set or deleted by this update. */
  private readonly edits = new Set<string>();
  private deleted = false;

  constructor(private readonly base?: StoredFiles) {}

  static of(record: Record<string, FileEntry>): FileIndex {
    const files = new FileIndex();
    for (const [file, entry] of Object.entries(record)) files.set(file, entry);
    return files;
  }

  get(file: string): FileEntry | undefined {
    let entry = this.made.get(file);
    if (entry || this.edits.has(file)) return entry;
    const i = this.base?.at.get(file);
    if (i === undefined) return undefined;
    this.made.set(file, (entry = this.base!.entry(i)));
    return entry;
  }

  set(file: string, entry: FileEntry): void {
    this.made.set(file, entry);
    this.edits.add(file);
  }

  delete(file: string): void {
    this.made.delete(file);
    this.edits.add(file);
    this.deleted = true;
  }

  /** Every path known, deleted ones left out. */
  paths(): string[] {
    const out = this.base ? [...this.base.at.keys()].filter((f) => !this.edits.has(f)) : [];
    for (const f of this.edits) if (this.made.has(f)) out.push(f);
    return out;
  }

  /**
   * The files that name one of `sessions`: in their lines (`sessions`) or as the session their
   * counts are of (`countSession`, or the path's). Others may come along; callers check.
   */
  *namingAny(sessions: Set<string>): Generator<FileEntry> {
    const base = this.base;
    if (base) {
      for (const i of base.positionsNaming(sessions)) {
        const file = base.path(i);
        if (!this.edits.has(file)) yield this.get(file)!;
      }
    }
    for (const file of this.edits) {
      const f = this.made.get(file);
      if (f && (sessions.has(f.countSession ?? f.sessionId) || f.sessions?.some((s) => sessions.has(s)))) yield f;
    }
  }

  /**
   * Writes files.json and its extras. `configDirs`: the dirs of the store; every file lives under
   * one of their `projects/` folders. Files.json's arrays as loaded are reused, and only the places
   * of the files this update set are written again.
   */
  save(dir: string, configDirs: string[]): void {
    const roots = configDirs
      .map((d) => path.join(path.resolve(d), 'projects') + path.sep)
      .sort((a, b) => b.length - a.length);
    const reuse = this.base && !this.deleted;
    const s: Omit<Stored, 'extras' | 'edits'> & { extras?: string } = reuse
      ? this.base!.s
      : { version: 7, roots: [], root: [], path: [], size: [], mtime: [], ino: [], offset: [], head: [], names: [] };
    // Extras set here go over the extras file as edits in files.json, while they are few.
    const edits: Record<string, string> = reuse ? { ...this.base!.s.edits } : {};
    const put = (file: string, entry: FileEntry) => {
      const { size, mtimeMs, ino, offset, head, project: _project, sessionId: _session, ...extra } = entry;
      let i = reuse ? this.base!.at.get(file) : undefined;
      if (i === undefined) {
        const root = roots.find((r) => file.startsWith(r));
        if (!root) return;
        let index = s.roots.indexOf(root);
        if (index < 0) index = s.roots.push(root) - 1;
        i = s.path.length;
        s.root.push(index);
        s.path.push(file.slice(root.length).split(path.sep).join('/'));
      }
      s.size[i] = size;
      s.mtime[i] = mtimeMs;
      s.ino[i] = ino;
      s.offset[i] = offset;
      s.head[i] = head;
      s.names[i] = namesOf(entry);
      edits[i] = Object.keys(extra).length ? JSON.stringify(extra satisfies Extra) : '';
    };
    const files = reuse ? this.edits : this.paths();
    for (const file of files) put(file, this.get(file)!);
    if (reuse && this.base!.editable(Object.keys(edits).length)) writeStored(dir, s, { edits });
    else {
      const extras = Array.from({ length: s.path.length }, (_, i) => edits[i] ?? (reuse ? this.base!.extraAt(i) : ''));
      writeStored(dir, s, { extras });
    }
  }
}

export function loadFileIndex(dir: string): FileIndex | undefined {
  const base = StoredFiles.load(dir);
  return base && new FileIndex(base);
}
