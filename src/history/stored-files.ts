import fs from 'node:fs';
import path from 'node:path';
import { placeAt, sessionOfPlace } from '../transcript/discover.js';
import type { Cursor } from '../transcript/read-transcript.js';
import { replaceFile } from './call-store.js';
import type { FileEntry } from './file-index.js';

/** files.json: one array per field (JSON of plain arrays parses fast and makes no object per file). */
export interface Stored {
  version: 7;
  /** The file holding the extras (files-extra-<id>.jsonl), as of its writing: `edits` go over it. */
  extras: string;
  /**
   * Extras set since the extras file was written, by position: a turn's update changes one or two
   * files' extras, and rewriting the whole file (~700 KB at 1.6 GiB) for them cost ~7 ms a turn.
   */
  edits?: Record<string, string>;
  /** The `projects/` folders the paths are relative to. */
  roots: string[];
  root: number[];
  path: string[];
  size: number[];
  mtime: number[];
  ino: number[];
  offset: number[];
  head: string[];
  /** The sessions a file names (see namesOf): null none, '' its path's, else a comma list. */
  names: (string | null)[];
}

/**
 * files-extra-<id>.jsonl: what else is known of each file, a line per position in files.json, as
 * JSON text ('' for nothing): read only by updates, and only the lines an update asks about are
 * parsed.
 */
type Extras = string[];
export type Extra = Omit<FileEntry, keyof Cursor | 'size' | 'mtimeMs' | 'project' | 'sessionId'>;

/** How many edits files.json carries before the extras file is written again, whole. */
const MAX_EDITS = 256;

/** files.json v6 (earlier builds of 0.2.0): extras as one JSON array of texts, no edits. */
interface StoredV6 extends Omit<Stored, 'version' | 'edits'> {
  version: 6;
}

/** files.json v5 (earlier builds of 0.2.0): extras as one object by position, no names. */
interface StoredV5 extends Omit<Stored, 'version' | 'names' | 'edits'> {
  version: 5;
}

/**
 * `files.json`: every transcript file ever read for this store (deleted ones too: their counts still
 * matter). Loaded on every run, so cheap to load: paths relative to their `projects/` folder, the
 * project and session a path names derived again when needed, and FileEntry objects made only
 * when an update needs them — a run with nothing new only compares sizes, mtimes and inodes.
 */
export class StoredFiles {
  readonly at = new Map<string, number>();
  /** The extras file's lines (read when first asked for), or an earlier version's extras, converted. */
  private lines: Extras | undefined;
  /** Loaded from an earlier version: the next save writes the extras file whole. */
  readonly converted: boolean;

  private constructor(
    readonly s: Stored,
    private readonly dir: string,
    /** files.json's size, mtime and inode when loaded. */
    private readonly version: string,
    converted?: Extras,
  ) {
    for (let i = 0; i < s.path.length; i++) this.at.set(fullPath(s, i), i);
    this.lines = converted;
    this.converted = converted !== undefined;
  }

  static load(dir: string): StoredFiles | undefined {
    let stored: Stored | StoredV6 | StoredV5;
    let version: string;
    try {
      const fd = fs.openSync(path.join(dir, 'files.json'), 'r');
      try {
        version = fileVersion(fs.fstatSync(fd));
        stored = JSON.parse(fs.readFileSync(fd, 'utf8')) as Stored | StoredV6 | StoredV5;
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return undefined; // missing or torn: the caller starts the index again
    }
    if (stored?.version === 5) {
      const { converted, extras } = fromV5(stored, dir);
      return new StoredFiles(converted, dir, version, extras);
    }
    if (stored?.version === 6) {
      const extras = readJson<Extras>(path.join(dir, stored.extras)) ?? [];
      return new StoredFiles({ ...stored, version: 7 }, dir, version, extras);
    }
    return stored?.version === 7 ? new StoredFiles(stored, dir, version) : undefined;
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

  /** The extras of the file at position `i`, as JSON text ('' for none). */
  extraAt(i: number): string {
    return this.s.edits?.[i] ?? this.extrasFile()[i] ?? '';
  }

  /** Whether a save may only add to `edits` (else it writes the extras file whole). */
  editable(edits: number): boolean {
    return !this.converted && edits <= MAX_EDITS;
  }

  /** The extras file's lines, read when first asked for: one string split, no line parsed. */
  private extrasFile(): Extras {
    if (!this.lines) {
      try {
        this.lines = fs.readFileSync(path.join(this.dir, this.s.extras), 'utf8').split('\n');
      } catch {
        this.lines = []; // none yet
      }
    }
    return this.lines;
  }

  /** The entry of the file at position `i`, made afresh. */
  entry(i: number): FileEntry {
    const s = this.s;
    const entry: FileEntry = {
      offset: s.offset[i]!,
      ino: s.ino[i]!,
      head: s.head[i]!,
      size: s.size[i]!,
      mtimeMs: s.mtime[i]!,
      ...placeAt(s.path[i]!),
    };
    const x = this.extraAt(i);
    return x ? Object.assign(entry, JSON.parse(x) as Extra) : entry;
  }

  path(i: number): string {
    return fullPath(this.s, i);
  }

  /**
   * Positions of the files naming one of `sessions` (see namesOf). A turn asks about one or two:
   * then a file whose names (or place) do not hold the text of one is passed over unsplit.
   */
  positionsNaming(sessions: Set<string>): number[] {
    const { names, path: places } = this.s;
    const few = sessions.size <= 4 ? [...sessions] : undefined;
    const out: number[] = [];
    for (let i = 0; i < places.length; i++) {
      const listed = names[i];
      if (listed === null || listed === undefined) continue;
      if (few && !holdsAny(listed === '' ? places[i]! : listed, few)) continue;
      if (this.namesAt(i).some((s) => sessions.has(s))) out.push(i);
    }
    return out;
  }

  /** The sessions the file at `i` names (see namesOf). */
  namesAt(i: number): string[] {
    const names = this.s.names[i];
    if (names === null || names === undefined) return [];
    return names === '' ? [sessionOfPlace(this.s.path[i]!)] : names.split(',');
  }
}

function holdsAny(text: string, parts: string[]): boolean {
  for (let k = 0; k < parts.length; k++) if (text.includes(parts[k]!)) return true;
  return false;
}

/**
 * The sessions a file names: those of its calls' lines, and the one its counts are of. Stored
 * as '' when that is only the session its path names (nearly every file), null when none.
 */
export function namesOf(entry: FileEntry): string | null {
  const names = new Set(entry.sessions);
  if (entry.counts?.length || entry.costState) names.add(entry.countSession ?? entry.sessionId);
  if (names.size === 0) return null;
  return names.size === 1 && names.has(entry.sessionId) ? '' : [...names].join(',');
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // none
  }
}

/** A v5 files.json in this version's shape (saved so at the next update). */
function fromV5(old: StoredV5, dir: string): { converted: Stored; extras: Extras } {
  const extras = readJson<Record<number, Extra>>(path.join(dir, old.extras)) ?? {};
  const texts: Extras = [];
  const names: (string | null)[] = [];
  for (let i = 0; i < old.path.length; i++) {
    const x = extras[i];
    texts.push(x ? JSON.stringify(x) : '');
    names.push(namesOf({ ...x, ...placeAt(old.path[i]!) } as FileEntry));
  }
  return { converted: { ...old, version: 7, names }, extras: texts };
}

const fileVersion = (st: fs.Stats) => `${st.size}:${st.mtimeMs}:${st.ino}`;

const fullPath = (s: Stored, i: number) =>
  s.roots[s.root[i]!] + (path.sep === '/' ? s.path[i]! : s.path[i]!.split('/').join(path.sep));

/**
 * Writes files.json and its extras: `extras` whole (under a new name first: files.json names them,
 * and replaces the old at once), or `edits` over the extras file `s` names, in files.json alone.
 */
export function writeStored(
  dir: string,
  s: Omit<Stored, 'extras' | 'edits'> & { extras?: string },
  write: { extras: Extras } | { edits: Record<string, string> },
): void {
  if ('edits' in write) {
    replaceFile(path.join(dir, 'files.json'), JSON.stringify({ ...s, edits: write.edits }));
    return;
  }
  const extrasFile = `files-extra-${Date.now().toString(36)}-${process.pid}.jsonl`;
  // One line a file: JSON text holds no raw line break.
  replaceFile(path.join(dir, extrasFile), write.extras.join('\n'));
  replaceFile(path.join(dir, 'files.json'), JSON.stringify({ ...s, extras: extrasFile, edits: undefined }));
  for (const old of fs.readdirSync(dir))
    if (old.startsWith('files-extra-') && old !== extrasFile) fs.rmSync(path.join(dir, old), { force: true });
}
