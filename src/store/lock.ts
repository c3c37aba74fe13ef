import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleepSync } from './fs-utils.js';

/**
 * A synchronous cross-process file lock: `<target>.lock`, created atomically with link(2) from a
 * file that already holds its owner ({pid, host, nonce}), so a lock never exists without an owner.
 *
 * Why not proper-lockfile: its staleness is mtime-only (a lock left by a SIGKILLed hook blocks
 * everyone for ≥2 s, default 10 s) and its retrying API is async with refresh timers. Hooks must
 * finish in milliseconds, so here a lock whose owner process is dead (same host) is recovered at
 * once, and any lock older than `staleMs` is recovered whatever its owner. Only the holder of the
 * `<lock>.break` guard may remove a stale lock, and only the very lock it judged stale.
 */
export class LockTimeoutError extends Error {
  constructor(readonly lockPath: string) {
    super(`could not lock ${lockPath}: another spec-session process holds it`);
  }
}

export interface LockOptions {
  /** Give up after this long (hooks pass a short value and retry on the next event). */
  timeoutMs?: number;
  /** A lock older than this is taken over even when its owner looks alive. */
  staleMs?: number;
}

interface Owner {
  pid: number;
  host: string;
  nonce: string;
}

const HOST = os.hostname();

/** Unique enough to tell lock owners apart (pid + time + random); no crypto module in the hook's start-up. */
function nonce(): string {
  return `${process.hrtime.bigint().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export function withFileLock<T>(target: string, fn: () => T, options: LockOptions = {}): T {
  const release = acquireLock(`${target}.lock`, options);
  try {
    return fn();
  } finally {
    release();
  }
}

export function acquireLock(lockPath: string, { timeoutMs = 5000, staleMs = 30_000 }: LockOptions = {}): () => void {
  const me: Owner = { pid: process.pid, host: HOST, nonce: nonce() };
  const staged = `${lockPath}.${me.pid}.${me.nonce}`;
  fs.writeFileSync(staged, JSON.stringify(me));
  const deadline = Date.now() + timeoutMs;
  let broke = false;
  try {
    for (let attempt = 0; ; attempt++) {
      if (tryLink(staged, lockPath)) {
        // Staged files are left only by a process killed while it locked: the lock it held was
        // just broken. Not listed on every lock: a folder of a year's Claude sessions holds thousands.
        if (broke) sweepLeftovers(lockPath);
        return () => releaseLock(lockPath, me.nonce);
      }
      const holder = readOwner(lockPath);
      if (holder !== undefined && isStale(lockPath, holder, staleMs)) {
        breakStaleLock(lockPath, holder, staleMs);
        broke = true;
        continue;
      }
      if (Date.now() >= deadline) throw new LockTimeoutError(lockPath);
      sleepSync(Math.min(2 + attempt * 2, 25));
    }
  } finally {
    removeFile(staged);
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    fs.linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function releaseLock(lockPath: string, mine: string): void {
  // Only remove our own lock: if ours was judged stale and taken over, the new owner keeps it.
  if (readOwner(lockPath)?.nonce === mine) removeFile(lockPath);
}

function readOwner(lockPath: string): Owner | null | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as Owner;
    return typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' ? parsed : null;
  } catch (error) {
    // Gone between link() and here: not held any more. Unreadable content: treat as ownerless.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : null;
  }
}

function isStale(lockPath: string, holder: Owner | null, staleMs: number): boolean {
  if (holder && holder.host === HOST && !processAlive(holder.pid)) return true;
  try {
    return Date.now() - fs.statSync(lockPath).mtimeMs > staleMs;
  } catch {
    return false; // the lock vanished: released, not stale
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove a stale lock under the `<lock>.break` guard, and only if it is still the lock that was
 * judged stale (same owner nonce): two processes that both saw it stale cannot remove a fresh lock.
 */
function breakStaleLock(lockPath: string, judged: Owner | null, staleMs: number): void {
  const guard = `${lockPath}.break`;
  const me: Owner = { pid: process.pid, host: HOST, nonce: nonce() };
  const staged = `${guard}.${me.pid}.${me.nonce}`;
  fs.writeFileSync(staged, JSON.stringify(me));
  try {
    if (!tryLink(staged, guard)) {
      const breaker = readOwner(guard);
      if (breaker !== undefined && isStale(guard, breaker, staleMs)) removeFile(guard);
      return; // someone else is breaking it; retry the lock
    }
    try {
      const current = readOwner(lockPath);
      if (current === undefined) return;
      const same = judged === null ? current === null : current?.nonce === judged.nonce;
      if (same) removeFile(lockPath);
    } finally {
      if (readOwner(guard)?.nonce === me.nonce) removeFile(guard);
    }
  } finally {
    removeFile(staged);
  }
}

/** Removes a file; gone already is fine (one unlink: fs.rmSync walks a path as a tree). */
function removeFile(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Staged owner files of processes killed before they could clean up (`<lock>.<pid>.<nonce>`). */
function sweepLeftovers(lockPath: string): void {
  const dir = path.dirname(lockPath);
  const base = path.basename(lockPath);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // no folder: nothing left behind
  }
  for (const name of names) {
    if (!name.startsWith(`${base}.`)) continue;
    const pid = Number(/^\.(?:break\.)?(\d+)\./.exec(name.slice(base.length))?.[1]);
    if (pid && pid !== process.pid && !processAlive(pid)) removeFile(path.join(dir, name));
  }
}
