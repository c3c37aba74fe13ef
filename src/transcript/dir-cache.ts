import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * What each folder under `projects/` held when last listed, so a report with nothing new asks the
 * file system for a folder's stat instead of its listing (~5 µs against ~13 µs; a 1.6 GiB history
 * has ~1,800 folders, most of them sessions long over). A folder's listing is used again only when
 * its inode and mtime are those it had when listed, and that mtime was at least RACY_MS older than
 * the listing: a file added within the same clock tick as the change before it leaves the mtime as
 * it was, so a listing that close to a change is never trusted (git's "racily clean" rule).
 * Machine-local, about Claude Code's own folders, which no clone or checkout touches: a cache,
 * never the truth (lost or damaged, every folder is listed again).
 */
export interface Listing {
  /** Sub-folders (symbolic links to folders are not followed). */
  dirs: string[];
  /** `*.jsonl` names that are files or symbolic links. */
  files: string[];
}

type Entry = [ino: number, mtimeMs: number, listedAt: number, dirs: string[], files: string[]];

const VERSION = 1;
/** How much older than its listing a folder's last change must be for the listing to be trusted. */
export const RACY_MS = 2000;

export class DirCache {
  private readonly seen = new Set<string>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, Entry>,
    private readonly prefix: string,
  ) {}

  /** `root`: the folder most listed folders are under (kept relative to it: a smaller file to parse). */
  static load(file: string, root = ''): DirCache {
    let entries = new Map<string, Entry>();
    try {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { v?: unknown; dirs?: unknown };
      if (json.v === VERSION && json.dirs && typeof json.dirs === 'object')
        entries = new Map(Object.entries(json.dirs as Record<string, unknown>).filter(isEntry));
    } catch {
      // none yet, or damaged: every folder is listed
    }
    return new DirCache(file, entries, root && `${root}${path.sep}`);
  }

  /** The folder's entries, from the cache when it may be trusted; undefined when it cannot be read. */
  list(dir: string, now = Date.now()): Listing | undefined {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dir, { throwIfNoEntry: false });
    } catch {
      return undefined; // unreadable: skipped, as a folder that cannot be listed is
    }
    if (!stat?.isDirectory()) return undefined;
    const key = this.prefix && dir.startsWith(this.prefix) ? dir.slice(this.prefix.length) : dir;
    this.seen.add(key);
    const cached = this.entries.get(key);
    if (cached && cached[0] === stat.ino && cached[1] === stat.mtimeMs && stat.mtimeMs <= cached[2] - RACY_MS)
      return { dirs: cached[3], files: cached[4] };
    const listing = readListing(dir);
    if (!listing) return undefined;
    this.entries.set(key, [stat.ino, stat.mtimeMs, now, listing.dirs, listing.files]);
    this.changed = true;
    return listing;
  }

  /** Writes the cache when a folder was listed (or one is gone); folders not met this walk are dropped. */
  save(): void {
    for (const key of this.entries.keys())
      if (!this.seen.has(key)) {
        this.entries.delete(key);
        this.changed = true;
      }
    if (!this.changed) return;
    try {
      writeFileAtomic(this.file, JSON.stringify({ v: VERSION, dirs: Object.fromEntries(this.entries) }), {
        durable: false,
      });
      this.changed = false;
    } catch {
      // a cache: the next walk lists again
    }
  }
}

/** A folder's entries from the file system; undefined when it cannot be read. */
export function readListing(dir: string): Listing | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined; // unreadable or gone: skipped, as ccusage does
  }
  const listing: Listing = { dirs: [], files: [] };
  for (const entry of entries) {
    if (entry.isDirectory()) listing.dirs.push(entry.name);
    else if (entry.name.endsWith('.jsonl') && (entry.isFile() || entry.isSymbolicLink()))
      listing.files.push(entry.name);
  }
  return listing;
}

function isEntry(kv: [string, unknown]): kv is [string, Entry] {
  const e = kv[1];
  return (
    Array.isArray(e) &&
    e.length === 5 &&
    typeof e[0] === 'number' &&
    typeof e[1] === 'number' &&
    typeof e[2] === 'number' &&
    Array.isArray(e[3]) &&
    Array.isArray(e[4]) &&
    (e[3] as unknown[]).every((n) => typeof n === 'string') &&
    (e[4] as unknown[]).every((n) => typeof n === 'string')
  );
}
