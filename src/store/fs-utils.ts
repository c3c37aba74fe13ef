import fs from 'node:fs';

/** A folder's entries, or none when it does not exist (yet). */
export function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return []; // no such folder (yet): empty
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Block this thread for `ms`: hooks and locks are synchronous by design. */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** What a failed file operation's errno means, in words a user can act on. */
const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENOSPC: 'no space left on the device',
  EROFS: 'on a read-only file system',
  ENAMETOOLONG: 'the name is too long',
};

/** One line naming the file and what went wrong with it (no raw `ENOTDIR: …, open '…'`). */
export function fileProblem(file: string, error: unknown): Error {
  return new Error(`${file}: ${errnoWords(error) ?? (error as Error).message}`);
}

/** The errno of a failed file operation in words, or undefined when it is not one we know. */
export function errnoWords(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code && Object.hasOwn(ERRNO_WORDS, code) ? ERRNO_WORDS[code] : undefined;
}

/**
 * An error as one line for the user: a file operation's raw errno message (`ENOTDIR: not a
 * directory, mkdir '/p/docs/x'`) becomes the path and the problem in words.
 */
export function userMessage(error: unknown): string {
  const words = errnoWords(error);
  const file = (error as NodeJS.ErrnoException | undefined)?.path;
  if (words) return file ? `${file}: ${words}` : words;
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** A file's bytes, or undefined when it does not exist; anything else is one line naming the file. */
export function readFileIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileProblem(file, error);
  }
}
