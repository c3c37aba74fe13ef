import fs from 'node:fs';
import { sleepSync } from '../store/fs-utils.js';

const TAIL_BYTES = 256 * 1024;

/**
 * Claude Code writes the transcript asynchronously: a Stop hook can run before the turn's last
 * assistant message is on disk. Before announcing a number at Stop, wait (briefly, bounded) until
 * the transcript's last assistant line is a final one (stop_reason other than tool_use).
 * Returns whether the turn end was seen; the next hook or report catches up either way.
 */
export function waitForTurnEnd(transcript: string, timeoutMs = 1500): boolean {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (lastStopReason(transcript) !== 'tool_use') return true;
    if (Date.now() >= deadline) return false;
    sleepSync(50);
  }
}

function lastStopReason(transcript: string): string | null | undefined {
  let text: string;
  try {
    const fd = fs.openSync(transcript, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(0, size - TAIL_BYTES);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined; // not readable now: the next hook looks again
  }
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (!line.includes('"type":"assistant"')) continue;
    try {
      const row = JSON.parse(line) as { type?: string; message?: { stop_reason?: string | null } };
      if (row.type === 'assistant') return row.message?.stop_reason ?? null;
    } catch {
      // a torn tail line: look further back
    }
  }
  return undefined;
}
