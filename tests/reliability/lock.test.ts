/**
 * src/store/lock.ts on its own: mutual exclusion between processes, a dead owner's lock taken over
 * at once, a live owner's only once stale, and a taken-over owner never removing its successor's lock.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, LockTimeoutError, withFileLock } from '../../src/store/lock.js';

const PROCESSES = 6;
const TIMES = 200;

let dir: string;
let worker: string;
beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'spec-session-lock-')));
  worker = join(dir, 'lock-worker.cjs');
  buildSync({
    entryPoints: [join(dirname(fileURLToPath(import.meta.url)), 'support', 'lock-worker.ts')],
    outfile: worker,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A fresh lock target in the temp folder. */
const target = () => join(dir, `target-${++n}`);

function writeLock(lockPath: string, owner: { pid: number; host?: string; nonce?: string }, ageMs = 0): void {
  writeFileSync(lockPath, JSON.stringify({ host: hostname(), nonce: 'fedcba9876543210', ...owner }));
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(lockPath, at, at);
}

const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
const lockFilesIn = (folder: string, base: string) => readdirSync(folder).filter((f) => f.startsWith(`${base}.lock`));

describe('src/store/lock.ts', () => {
  it(`${PROCESSES} processes × ${TIMES} increments of one counter under the lock: exact, never two holders`, async () => {
    const t = target();
    const counter = `${t}.count`;
    const overlaps = `${t}.overlaps`;
    writeFileSync(counter, '0');
    const codes = await Promise.all(
      Array.from({ length: PROCESSES }, () => {
        const child = spawn(process.execPath, [worker, t, counter, `${t}.inside`, overlaps, String(TIMES)], {
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        return new Promise<number | null>((resolve) => child.on('close', resolve));
      }),
    );
    expect(codes).toEqual(Array(PROCESSES).fill(0));
    expect(Number(readFileSync(counter, 'utf8'))).toBe(PROCESSES * TIMES);
    expect(existsSync(overlaps)).toBe(false);
    expect(lockFilesIn(dir, t.split('/').pop()!)).toEqual([]);
  });

  it('a second holder waits, then gives up with LockTimeoutError; after release the lock is free', () => {
    const t = target();
    const release = acquireLock(`${t}.lock`);
    const before = Date.now();
    expect(() => acquireLock(`${t}.lock`, { timeoutMs: 100 })).toThrow(LockTimeoutError);
    expect(Date.now() - before).toBeGreaterThanOrEqual(100);
    release();
    expect(existsSync(`${t}.lock`)).toBe(false);
    expect(withFileLock(t, () => 42, { timeoutMs: 0 })).toBe(42);
    expect(lockFilesIn(dir, t.split('/').pop()!)).toEqual([]);
  });

  it('the lock is released when the locked function throws', () => {
    const t = target();
    expect(() =>
      withFileLock(t, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(existsSync(`${t}.lock`)).toBe(false);
  });

  it.each([
    ['a dead owner on this host, fresh', { pid: deadPid() }, 0, true],
    ['a dead owner on this host, old', { pid: deadPid() }, 60_000, true],
    ['a live owner, fresh', { pid: process.pid }, 0, false],
    ['a live owner, older than staleMs', { pid: process.pid }, 60_000, true],
    [
      'a dead pid on another host, fresh (its pid means nothing here)',
      { pid: deadPid(), host: 'another-host' },
      0,
      false,
    ],
    ['a dead pid on another host, older than staleMs', { pid: deadPid(), host: 'another-host' }, 60_000, true],
  ])('a lock left by %s: taken over without waiting = %s', (_, owner, ageMs, recovered) => {
    const t = target();
    writeLock(`${t}.lock`, owner, ageMs);
    const take = () => withFileLock(t, () => 'mine', { timeoutMs: 0, staleMs: 30_000 });
    if (recovered) {
      expect(take()).toBe('mine');
      expect(lockFilesIn(dir, t.split('/').pop()!)).toEqual([]);
    } else {
      expect(take).toThrow(LockTimeoutError);
      expect(JSON.parse(readFileSync(`${t}.lock`, 'utf8'))).toMatchObject(owner); // left as it was
    }
  });

  it("a lock broken from a holder killed while locking: the dead holder's staged owner file goes too", () => {
    const t = target();
    const dead = deadPid();
    writeLock(`${t}.lock`, { pid: dead });
    writeFileSync(
      `${t}.lock.${dead}.k1llednonce`,
      JSON.stringify({ pid: dead, host: hostname(), nonce: 'k1llednonce' }),
    );
    expect(withFileLock(t, () => 'mine', { timeoutMs: 0 })).toBe('mine');
    expect(lockFilesIn(dir, t.split('/').pop()!)).toEqual([]);
  });

  it("an owner whose stale lock was taken over does not remove its successor's lock", () => {
    const t = target();
    const first = acquireLock(`${t}.lock`);
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(`${t}.lock`, old, old);
    const second = acquireLock(`${t}.lock`, { timeoutMs: 0, staleMs: 30_000 });
    const successor = readFileSync(`${t}.lock`, 'utf8');
    first();
    expect(readFileSync(`${t}.lock`, 'utf8')).toBe(successor);
    expect(() => acquireLock(`${t}.lock`, { timeoutMs: 0 })).toThrow(LockTimeoutError);
    second();
    expect(existsSync(`${t}.lock`)).toBe(false);
  });
});
