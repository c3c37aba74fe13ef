import fs from 'node:fs';

/** A folder's entries, or none when it does not exist (yet). */
export function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Block this thread for `ms`: hooks and locks are synchronous by design. */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
