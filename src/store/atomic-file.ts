import fs from 'node:fs';
import path from 'node:path';
import { faultPoint } from './fault-point.js';

/**
 * Replace a file's contents atomically: write a temp file beside it, fsync, rename over. A symlink
 * is written through: the temp file and the rename happen beside its final target, so the link
 * stays a link and the file it points to is the one that changes.
 */
export function writeFileAtomic(
  file: string,
  data: string | Buffer,
  { durable = true }: { durable?: boolean } = {},
): void {
  const target = linkTarget(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  let mode = 0o644;
  try {
    mode = fs.statSync(target).mode & 0o777; // keep the file's permissions
  } catch {
    // new file
  }
  try {
    const fd = fs.openSync(temp, 'w', mode);
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      if (durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** The file a write to `file` must replace: `file` itself, or the end of its chain of symlinks. A
 * dangling link's target does not exist yet: writing creates it, as a shell redirect would. */
function linkTarget(file: string): string {
  try {
    if (!fs.lstatSync(file).isSymbolicLink()) return file;
  } catch {
    return file; // a new file
  }
  try {
    return fs.realpathSync(file);
  } catch {
    // a dangling link: follow it by hand to the file it would create
    let current = file;
    for (let hops = 0; hops < 40 && fs.lstatSync(current, { throwIfNoEntry: false })?.isSymbolicLink(); hops++) {
      current = path.resolve(path.dirname(current), fs.readlinkSync(current));
    }
    return current;
  }
}

/**
 * Append whole lines with one write(2) on an O_APPEND descriptor. If a crash left the file without
 * a final newline, start with one, so the torn line stays one malformed line and never swallows
 * the next record. Callers hold the file's lock.
 */
export function appendLines(file: string, lines: string[]): void {
  if (lines.length === 0) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'a+');
  try {
    const size = fs.fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 10) prefix = '\n';
    }
    const text = `${prefix + lines.join('\n')}\n`;
    if (process.env.SPEC_SESSION_FAULT === 'mid-ledger-append')
      fs.writeSync(fd, text.slice(0, Math.ceil(text.length / 2)));
    faultPoint('mid-ledger-append');
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A cache's JSON file (machine-local state that can always be made again): undefined when it is
 * missing, torn, or not what `valid` expects, never an error.
 */
export function readCachedJson<T>(file: string, valid: (value: T) => boolean): T | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
    return value && valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
