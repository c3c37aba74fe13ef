import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readListing, type DirCache } from './dir-cache.js';

/** Where Claude Code keeps transcripts: CLAUDE_CONFIG_DIR (comma-separated, as Claude Code and
 * ccusage accept), else ~/.claude and ~/.config/claude. Only folders that hold `projects/` count. */
export function claudeConfigDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = env.CLAUDE_CONFIG_DIR?.split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  const home = env.HOME ?? os.homedir();
  const candidates = configured?.length
    ? configured
    : [path.join(home, '.claude'), path.join(home, '.config', 'claude')];
  return [...new Set(candidates.map((d) => path.resolve(d)))].filter((d) => isDir(path.join(d, 'projects')));
}

export interface TranscriptFile {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  /** The folder under projects/: Claude Code's name for the project (its cwd, munged). */
  project: string;
  /** The session the file belongs to, from its place in the tree. */
  sessionId: string;
}

/**
 * Every transcript, main and subagent, in every layout Claude Code has used:
 * `<project>/<session>.jsonl` (subagents inline as isSidechain lines in 1.0.x),
 * `<project>/agent-<id>.jsonl` (2.0.x), `<project>/<session>/subagents/agent-<id>.jsonl` (2.1.2+,
 * compaction agents as agent-acompact-<hex>.jsonl) — and any other `*.jsonl` under `projects/`
 * (renamed or copied transcripts, exports): every call in them counts, as in ccusage.
 *
 * A plain recursive readdir (symbolic links to files are followed, to folders not, so no loops):
 * this runs on every `report`, and walking a few hundred folders this way costs less than
 * loading a glob library.
 */
export function discoverTranscripts(configDirs: string[]): TranscriptFile[] {
  const found: TranscriptFile[] = [];
  forEachTranscript(configDirs, (file, size, mtimeMs, ino, parts) =>
    found.push({ path: file, size, mtimeMs, ino, ...placeOf(parts) }),
  );
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The same walk, one file at a time and nothing kept: a run with nothing new compares and forgets. */
export function forEachTranscript(
  configDirs: string[],
  visit: (file: string, size: number, mtimeMs: number, ino: number, parts: string[]) => void,
  cache?: DirCache,
): void {
  for (const dir of configDirs) walk(path.join(dir, 'projects'), [], visit, cache);
}

function walk(
  dir: string,
  parts: string[],
  visit: Parameters<typeof forEachTranscript>[1],
  cache: DirCache | undefined,
): void {
  const listing = cache ? cache.list(dir) : readListing(dir);
  if (!listing) return; // unreadable or gone: skipped, as ccusage does
  for (const name of listing.files) {
    const full = dir + path.sep + name;
    const stats = fs.statSync(full, { throwIfNoEntry: false }); // gone meanwhile, or a dangling link
    if (!stats?.isFile()) continue;
    parts.push(name);
    visit(full, stats.size, stats.mtimeMs, stats.ino, parts);
    parts.pop();
  }
  for (const name of listing.dirs) {
    parts.push(name);
    walk(dir + path.sep + name, parts, visit, cache);
    parts.pop();
  }
}

/** The project and session a transcript's place under `projects/` names (its path split at '/'). */
export function placeOf(parts: string[]): { project: string; sessionId: string } {
  return placeAt(parts.join('/'));
}

/** The same, from the place as one '/'-separated string (as files.json keeps it). */
export function placeAt(place: string): { project: string; sessionId: string } {
  const slash = place.indexOf('/');
  return { project: slash >= 0 ? place.slice(0, slash) : '', sessionId: sessionOfPlace(place) };
}

/**
 * The session a transcript's place under `projects/` ('/'-separated) names:
 * `<project>/<session>/subagents/agent-x.jsonl` → `<session>`; `<project>/<name>.jsonl` → `<name>`.
 * Read from the string, not split: an update asks this of every file it has ever read.
 */
export function sessionOfPlace(place: string): string {
  const end = place.lastIndexOf('/');
  const dir = end > 0 ? place.lastIndexOf('/', end - 1) : -1;
  if (dir > 0 && place.slice(dir + 1, end) === 'subagents') {
    const start = place.lastIndexOf('/', dir - 1);
    if (start >= 0) return place.slice(start + 1, dir);
  }
  const name = place.slice(end + 1);
  return name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : name;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false; // not there: not a folder
  }
}
