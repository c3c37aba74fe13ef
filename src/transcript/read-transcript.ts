import fs from 'node:fs';
import { extractFromLines } from './extract.js';
import { emptyExtracted, type Extracted, type ExtractOptions } from './extracted.js';
import { openRegularFile, readLinesOf } from './read-lines.js';
import { takeAssistantLine } from './whole-lines.js';

/** Where reading a transcript stopped, and how to tell that the file is still the same file. */
export interface Cursor {
  offset: number;
  ino: number;
  /** Hash of the first min(offset, 256) bytes, already read and so immutable in an append-only
   * file: a file rewritten in place (same inode) is noticed. */
  head: string;
}

export interface TranscriptRead extends Extracted {
  cursor: Cursor;
  /** True when the file shrank or was replaced, so it was read again from the start. */
  restarted: boolean;
  bytesRead: number;
}

/**
 * Reads the new complete lines of a transcript since `cursor` (all of it without one), up to the
 * size the file had when opened. A file that shrank, or whose inode or first bytes changed, is read
 * again from the start; counting stays exact because every consumer merges copies of a call
 * (CallSet). A path that is not a regular file throws (`code` 'ENOTREG'), as a missing one does.
 */
export function readTranscriptFrom(
  file: string,
  cursor: Cursor | undefined,
  options: ExtractOptions = {},
): TranscriptRead {
  const opened = openRegularFile(file);
  try {
    const same =
      cursor !== undefined &&
      cursor.ino === opened.ino &&
      opened.size >= cursor.offset &&
      cursor.head === hashHead(opened.fd, cursor.offset);
    const start = same ? cursor.offset : 0;
    const found = emptyExtracted();
    const result = readLinesOf(opened, start, (buf, s, e, at) => extractFromLines(buf, s, e, found, at, options), {
      // (With options.onCall a giant line's call still lands in `calls`: the caller takes both.)
      onOversizedLine: (first, last) => takeOversizedLine(first, last, found),
    });
    return {
      ...found,
      cursor: { offset: result.endOffset, ino: opened.ino, head: hashHead(opened.fd, result.endOffset) },
      restarted: cursor !== undefined && !same,
      bytesRead: result.bytesRead,
    };
  } finally {
    fs.closeSync(opened.fd);
  }
}

export function headHash(file: string, offset: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    return hashHead(fd, offset);
  } finally {
    fs.closeSync(fd);
  }
}

function hashHead(fd: number, offset: number): string {
  const length = Math.min(offset, 256);
  if (length === 0) return '';
  const buf = Buffer.alloc(length);
  const n = fs.readSync(fd, buf, 0, length, 0);
  return fnv1a(buf.subarray(0, n));
}

/**
 * A line too long to hold (a giant tool_use input): an assistant line keeps message.id and model
 * near its start and usage, requestId, type and timestamp near its end, so rebuild a small row
 * from the two edges. Anything else is skipped.
 */
function takeOversizedLine(first: Buffer, last: Buffer, into: Extracted): void {
  const head = first.toString('utf8');
  const tail = last.toString('utf8');
  if (!/"type"\s*:\s*"assistant"/.test(tail)) return;
  const id = /"id"\s*:\s*"(msg_[^"]+)"/.exec(head)?.[1];
  const model = /"model"\s*:\s*"([^"]+)"/.exec(head)?.[1];
  const usage = /"usage"\s*:\s*(\{(?:[^{}]|\{[^{}]*\})*\})/.exec(tail)?.[1];
  const pick = (name: string) =>
    new RegExp(`"${name}"\\s*:\\s*"([^"]+)"`).exec(tail)?.[1] ??
    new RegExp(`"${name}"\\s*:\\s*"([^"]+)"`).exec(head)?.[1];
  if (!id || !usage) {
    into.malformed++;
    return;
  }
  const row = {
    type: 'assistant',
    timestamp: pick('timestamp'),
    sessionId: pick('sessionId'),
    requestId: pick('requestId'),
    requestSessionId: pick('requestSessionId'),
    agentId: pick('agentId'),
    isSidechain: /"isSidechain"\s*:\s*true/.test(head),
    message: { id, model, usage: JSON.parse(usage) as unknown },
  };
  takeAssistantLine(JSON.stringify(row), into);
}

/** 32-bit FNV-1a: enough to notice a rewritten file head, without loading the crypto module in hooks. */
function fnv1a(bytes: Buffer): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${bytes.length}:${hash.toString(16)}`;
}
