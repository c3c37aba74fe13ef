import fs from 'node:fs';
import { emptyExtracted, extractFromLines, takeAssistantLine, type Extracted } from './extract.js';
import { readCompleteLines } from './read-lines.js';

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
 * Reads the new complete lines of a transcript since `cursor` (all of it without one).
 * A file that shrank, or whose inode or first bytes changed, is read again from the start;
 * counting stays exact because every consumer merges copies of a call (CallSet).
 */
export function readTranscriptFrom(file: string, cursor: Cursor | undefined): TranscriptRead {
  const stat = fs.statSync(file);
  const same =
    cursor !== undefined && cursor.ino === stat.ino && stat.size >= cursor.offset && cursor.head === headHash(file, cursor.offset);
  const start = same ? cursor.offset : 0;
  const found = emptyExtracted();
  const result = readCompleteLines(file, start, (buf, s, e, at) => extractFromLines(buf, s, e, found, at), {
    onOversizedLine: (first, last) => takeOversizedLine(first, last, found),
  });
  return {
    ...found,
    cursor: { offset: result.endOffset, ino: stat.ino, head: headHash(file, result.endOffset) },
    restarted: cursor !== undefined && !same,
    bytesRead: result.bytesRead,
  };
}

export function headHash(file: string, offset: number): string {
  const length = Math.min(offset, 256);
  if (length === 0) return '';
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = fs.readSync(fd, buf, 0, length, 0);
    return fnv1a(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
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
  const pick = (name: string) => new RegExp(`"${name}"\\s*:\\s*"([^"]+)"`).exec(tail)?.[1] ?? new RegExp(`"${name}"\\s*:\\s*"([^"]+)"`).exec(head)?.[1];
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
