import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The machine-local history behind `spec-session report`, one store per set of Claude config dirs
 * asked for (so `--config-dir` needs no filtering, and a store holds exactly what its dirs held):
 *
 *   files.json     per transcript file: cursor, size/mtime/inode, sessions named; cost-state
 *                  snapshots and versions in the files-extra-<id>.json it names
 *   summary-<k>.json  per Claude session, 16 shards: usage rows by 15-minute slot, span, cost-state
 *                  gaps; summary.json: model names and forks
 *   calendar.bin   the rows summed over sessions (what daily/weekly/monthly print from)
 *   calls/XX.json  the distinct calls, in 256 buckets by session; ids.hash + ids.bucket: message.id hash → bucket
 *   dirty          present while an update is being written
 *
 * Usage outlives Claude Code's 30-day cleanup: nothing is dropped when a transcript disappears.
 * Counts, ids, names and timestamps only, never transcript content.
 *
 * Crash safety: each file is replaced atomically (temp + rename); an update writes `dirty` first and
 * removes it last. A run that finds `dirty` (an update died halfway) rebuilds the summary and
 * the id index from the buckets, whose merges are idempotent, and re-reads from the cursors on record.
 */
export function historyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPEC_SESSION_HOME) return path.join(env.SPEC_SESSION_HOME, 'history');
  const data = env.XDG_DATA_HOME || path.join(env.HOME ?? os.homedir(), '.local', 'share');
  return path.join(data, 'spec-session', 'history');
}

/** The store of one set of config dirs: `<history>/<last dir name>-<hash of all of them>`. */
export function storeFor(historyRoot: string, configDirs: string[]): string {
  const dirs = [...new Set(configDirs.map((d) => path.resolve(d)))].sort();
  let hash = 0x811c9dc5;
  for (const ch of JSON.stringify(dirs)) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  const name = (path.basename(dirs.at(-1) ?? 'none').replace(/[^A-Za-z0-9._-]/g, '') || 'dir').slice(0, 40);
  return path.join(historyRoot, `${name}-${(hash >>> 0).toString(16).padStart(8, '0')}`);
}

/** Creates the store folder, recording which dirs it is for (for a person looking at it). */
export function openStore(store: string, configDirs: string[]): void {
  if (fs.existsSync(path.join(store, 'dirs.json'))) return;
  fs.mkdirSync(store, { recursive: true });
  fs.writeFileSync(path.join(store, 'dirs.json'), `${JSON.stringify(configDirs.map((d) => path.resolve(d)))}\n`);
}

const dirtyFile = (store: string) => path.join(store, 'dirty');

export function isDirty(store: string): boolean {
  return fs.existsSync(dirtyFile(store));
}

export function setDirty(store: string, dirty: boolean): void {
  if (dirty) fs.writeFileSync(dirtyFile(store), `${process.pid}\n`);
  else fs.rmSync(dirtyFile(store), { force: true });
}
