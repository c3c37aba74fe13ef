import fs from 'node:fs';

/**
 * Reads a JSONL file from a byte offset up to its last complete line, in fixed-size chunks, so
 * memory stays bounded whatever the file size. A partial last line is left for the next read:
 * the returned `endOffset` points at its first byte.
 *
 * `onLines(buf, start, end)` receives regions that hold only whole lines (each ending in '\n').
 * The consumer searches them for what it needs; most bytes of a transcript are never looked at.
 * A line longer than `maxLineBytes` is not buffered whole: its first and last `edgeBytes` go to
 * `onOversizedLine` (an assistant line keeps its ids at the start and its usage at the end).
 *
 * Only regular files are read, and only up to the size they had when opened: a path that names a
 * FIFO or a device (`/dev/zero`) would otherwise block or never end.
 */
export interface ReadOptions {
  chunkBytes?: number;
  maxLineBytes?: number;
  edgeBytes?: number;
  onOversizedLine?: (head: Buffer, tail: Buffer) => void;
}

export interface ReadResult {
  endOffset: number;
  bytesRead: number;
  oversizedLines: number;
}

/** `fileOffset` is the file offset of buf[0]. */
export type LinesVisitor = (buf: Buffer, start: number, end: number, fileOffset: number) => void;

/** Thrown for a path that is not a regular file; `code` lets a caller tell it from I/O errors. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(readonly path: string) {
    super(`${path}: not a regular file`);
  }
}

/** An open regular file and what fstat said about it. */
export interface OpenFile {
  fd: number;
  size: number;
  ino: number;
  mtimeMs: number;
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** Opens a regular file for reading (never blocks); anything else throws NotRegularFileError. */
export function openRegularFile(path: string): OpenFile {
  const fd = fs.openSync(path, OPEN_FLAGS);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFileError(path);
    return { fd, size: stat.size, ino: stat.ino, mtimeMs: stat.mtimeMs };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

export function readCompleteLines(
  path: string,
  offset: number,
  onLines: LinesVisitor,
  options: ReadOptions = {},
): ReadResult {
  const file = openRegularFile(path);
  try {
    return readLinesOf(file, offset, onLines, options);
  } finally {
    fs.closeSync(file.fd);
  }
}

// One read buffer per thread, reused across files: a cold scan reads a thousand files, and a
// fresh buffer each would be garbage the size of the corpus (page faults on new memory cost more
// than the rest of the scan). Reads are synchronous, so no two reads share it at once.
let shared: Buffer | undefined;

/** Reads the whole lines of an open file from `offset` up to the size it had when opened. */
export function readLinesOf(
  file: OpenFile,
  offset: number,
  onLines: LinesVisitor,
  { chunkBytes = 1 << 20, maxLineBytes = 64 << 20, edgeBytes = 64 << 10, onOversizedLine }: ReadOptions = {},
): ReadResult {
  const { fd, size } = file;
  let buf = shared && shared.length === chunkBytes ? shared : (shared = Buffer.allocUnsafe(chunkBytes));
  let filled = 0; // bytes of buf holding file data
  let bufOffset = offset; // file offset of buf[0]
  let readPos = offset;
  let oversizedLines = 0;
  while (readPos < size) {
    if (filled === buf.length) {
      if (buf.length < maxLineBytes) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLineBytes));
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      } else {
        const skipped = skipOversizedLine(fd, buf, readPos, size, edgeBytes, onOversizedLine);
        oversizedLines++;
        if (skipped.nextLineOffset < 0) break; // no newline yet: the line is still being written
        readPos = bufOffset = skipped.nextLineOffset;
        filled = 0;
        continue;
      }
    }
    const n = fs.readSync(fd, buf, filled, Math.min(buf.length - filled, size - readPos), readPos);
    if (n === 0) break;
    const scanFrom = filled;
    readPos += n;
    filled += n;
    const lastNewline = buf.subarray(scanFrom, filled).lastIndexOf(10);
    if (lastNewline < 0) continue;
    const end = scanFrom + lastNewline + 1;
    onLines(buf, 0, end, bufOffset);
    buf.copy(buf, 0, end, filled);
    filled -= end;
    bufOffset += end;
  }
  return { endOffset: bufOffset, bytesRead: bufOffset - offset, oversizedLines };
}

/**
 * The buffer is full of one line that has no newline yet. Stream past it keeping only its head
 * (the buffer's start) and a rolling tail; return where the next line starts, or -1 at EOF.
 */
function skipOversizedLine(
  fd: number,
  full: Buffer,
  readPos: number,
  size: number,
  edgeBytes: number,
  onOversizedLine: ReadOptions['onOversizedLine'],
): { nextLineOffset: number } {
  const head = Buffer.from(full.subarray(0, edgeBytes));
  let tail = Buffer.from(full.subarray(full.length - edgeBytes));
  const chunk = Buffer.allocUnsafe(1 << 20);
  let pos = readPos;
  while (pos < size) {
    const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, size - pos), pos);
    if (n === 0) break;
    const nl = chunk.subarray(0, n).indexOf(10);
    const upto = nl < 0 ? n : nl;
    tail = Buffer.concat([tail, chunk.subarray(0, upto)]);
    if (tail.length > edgeBytes) tail = Buffer.from(tail.subarray(tail.length - edgeBytes));
    if (nl >= 0) {
      onOversizedLine?.(head, tail);
      return { nextLineOffset: pos + nl + 1 };
    }
    pos += n;
  }
  return { nextLineOffset: -1 };
}
