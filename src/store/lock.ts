import fs from 'node:fs';
import os from 'node:os';

/**
 * A synchronous cross-process file lock: `<target>.lock`, created atomically with link(2) from a
 * file that already holds its owner ({pid, host, nonce}), so a lock never exists without an owner.
 *
 * Why not proper-lockfile: its staleness is mtime-only (a lock left by a SIGKILLed hook blocks
 * everyone for ≥2 s, default 10 s) and its retrying API is async with refresh timers. Hooks must
 * finish in milliseconds, so here a lock whose owner process is dead (same host) is recovered at
 * once, and any lock older than `staleMs` is recovered whatever its owner.
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
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Unique enough to tell lock owners apart (pid + time + random); no crypto module in the hook's start-up. */
function nonce(): string {
  return `${process.pid.toString(36)}${process.hrtime.bigint().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
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
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(staged, lockPath);
        return () => releaseLock(lockPath, me.nonce);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readOwner(lockPath);
      if (holder !== undefined && isStale(lockPath, holder, staleMs)) {
        breakLock(lockPath, holder);
        continue;
      }
      if (Date.now() >= deadline) throw new LockTimeoutError(lockPath);
      Atomics.wait(sleeper, 0, 0, Math.min(2 + attempt * 2, 25));
    }
  } finally {
    fs.rmSync(staged, { force: true });
  }
}

function releaseLock(lockPath: string, nonce: string): void {
  // Only remove our own lock: if ours was judged stale and taken over, the new owner keeps it.
  if (readOwner(lockPath)?.nonce === nonce) fs.rmSync(lockPath, { force: true });
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
    return false;
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

/** Move the stale lock aside atomically; if a live owner took it in the meantime, put it back. */
function breakLock(lockPath: string, judged: Owner | null): void {
  const aside = `${lockPath}.stale.${nonce()}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return; // someone else broke it first
  }
  const moved = readOwner(aside);
  if (judged && moved && moved.nonce !== judged.nonce) {
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // the path was taken again; the moved owner will find its lock gone and not release another's
    }
  }
  fs.rmSync(aside, { force: true });
}
