import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTranscriptFrom, type Cursor } from '../../src/transcript/read-transcript.js';
import { CallSet } from '../../src/usage/call-set.js';
import { tempDir, totalsOf } from './corpus.js';
import { assistantLine, userLine } from './lines.js';

const L1 = assistantLine({ id: 'msg_1', usage: { input: 100, output: 10, cacheRead: 1000 } });
const L2 = assistantLine({ id: 'msg_2', usage: { input: 200, output: 20, cacheWrite5m: 50 } });
const L3 = assistantLine({ id: 'msg_3', usage: { input: 300, output: 30, cacheWrite1h: 70 } });

function transcript(text: string): string {
  const file = path.join(tempDir(), 's.jsonl');
  fs.writeFileSync(file, text);
  return file;
}

const ids = (read: { calls: Array<{ messageId: string }> }) => read.calls.map((c) => c.messageId);

describe('readTranscriptFrom: a cursor reads only what is new', () => {
  it('a second read with the cursor reads nothing; an append reads exactly the appended bytes', () => {
    const file = transcript(`${userLine('hi')}\n${L1}\n${L2}\n`);
    const first = readTranscriptFrom(file, undefined);
    expect(ids(first)).toEqual(['msg_1', 'msg_2']);
    expect(first).toMatchObject({
      restarted: false,
      bytesRead: fs.statSync(file).size,
      cursor: { offset: fs.statSync(file).size },
    });

    const again = readTranscriptFrom(file, first.cursor);
    expect(again).toMatchObject({ calls: [], bytesRead: 0, restarted: false, cursor: first.cursor });

    fs.appendFileSync(file, `${L3}\n`);
    const third = readTranscriptFrom(file, first.cursor);
    expect(ids(third)).toEqual(['msg_3']);
    expect(third.bytesRead).toBe(Buffer.byteLength(`${L3}\n`));
  });

  it('a line still being written is left for later and counted once it is complete', () => {
    const cut = Math.floor(L2.length / 2);
    const file = transcript(`${L1}\n${L2.slice(0, cut)}`);
    const first = readTranscriptFrom(file, undefined);
    expect(ids(first)).toEqual(['msg_1']);
    expect(first.malformed).toBe(0);
    expect(first.cursor.offset).toBe(L1.length + 1);

    fs.appendFileSync(file, `${L2.slice(cut)}\n`);
    const second = readTranscriptFrom(file, first.cursor);
    expect(second.calls.map((c) => [c.messageId, c.tokens])).toEqual([
      ['msg_2', { input: 200, output: 20, cacheWrite5m: 50, cacheWrite1h: 0, cacheRead: 0 }],
    ]);
    expect(second.malformed).toBe(0);
  });

  it('a file that shrank is read again from the start', () => {
    const file = transcript(`${L1}\n${L2}\n${L3}\n`);
    const first = readTranscriptFrom(file, undefined);
    fs.truncateSync(file, L1.length + 1);
    const again = readTranscriptFrom(file, first.cursor);
    expect(again).toMatchObject({ restarted: true, bytesRead: L1.length + 1, cursor: { offset: L1.length + 1 } });
    expect(ids(again)).toEqual(['msg_1']);
  });

  it('a file replaced by another (new inode) is read again from the start', () => {
    const file = transcript(`${L1}\n`);
    const first = readTranscriptFrom(file, undefined);
    const replacement = `${file}.new`;
    fs.writeFileSync(replacement, `${L2}\n${L3}\n${L1}\n`);
    fs.renameSync(replacement, file);
    const again = readTranscriptFrom(file, first.cursor);
    expect(again.restarted).toBe(true);
    expect(again.cursor.ino).not.toBe(first.cursor.ino);
    expect(ids(again)).toEqual(['msg_2', 'msg_3', 'msg_1']);
  });

  it('a file rewritten in place (same inode, new first bytes, larger) is read again from the start', () => {
    const file = transcript(`${L1}\n`);
    const first = readTranscriptFrom(file, undefined);
    fs.writeFileSync(file, `${userLine('rewritten')}\n${L2}\n${L3}\n`);
    expect(fs.statSync(file).ino).toBe(first.cursor.ino);
    const again = readTranscriptFrom(file, first.cursor);
    expect(again.restarted).toBe(true);
    expect(ids(again)).toEqual(['msg_2', 'msg_3']);
  });

  it('re-reading from a stale cursor sees copies again; the call set counts each call once', () => {
    const file = transcript(`${L1}\n`);
    const cursors: Cursor[] = [readTranscriptFrom(file, undefined).cursor];
    fs.appendFileSync(file, `${L2}\n`);
    const set = new CallSet();
    for (const c of readTranscriptFrom(file, undefined).calls) set.add(c);
    for (const c of readTranscriptFrom(file, cursors[0]).calls) set.add(c);
    expect(set.size).toBe(2);
    expect(totalsOf(set)).toEqual({ input: 300, output: 30, cacheWrite5m: 50, cacheWrite1h: 0, cacheRead: 1000 });
  });

  it('CRLF lines: every call read, the cursor at the end, appends continue from there', () => {
    const file = transcript(`${L1}\r\n\r\n${L2}\r\n`);
    const first = readTranscriptFrom(file, undefined);
    expect(ids(first)).toEqual(['msg_1', 'msg_2']);
    expect(first.cursor.offset).toBe(fs.statSync(file).size);
    fs.appendFileSync(file, `${L3}\r\n`);
    expect(ids(readTranscriptFrom(file, first.cursor))).toEqual(['msg_3']);
  });

  it('blank lines are skipped; lines with "usage" that do not parse are counted as malformed', () => {
    const file = transcript(
      `\n${L1}\n   \n{"type":"assistant","message":{"usage":\n${L2.replace('"input_tokens":200', '"input_tokens":-1')}\n${L3}\n\n`,
    );
    const read = readTranscriptFrom(file, undefined);
    expect(ids(read)).toEqual(['msg_1', 'msg_3']);
    expect(read.malformed).toBe(2);
  });
});

describe('readTranscriptFrom: cost of a small incremental read (what every hook pays)', () => {
  it('100 reads of a 3-line transcript take well under a second', () => {
    // Bounded by the bytes read, not by the 4 MiB read buffer: measured ~1 ms a read when the
    // marker search stops at the end of the data, ~35 ms when it scans the rest of the buffer.
    const file = transcript(`${L1}\n${L2}\n${L3}\n`);
    const started = performance.now();
    for (let i = 0; i < 100; i++) expect(readTranscriptFrom(file, undefined).calls).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('readTranscriptFrom: a line larger than the 64 MiB line limit', () => {
  it('a giant Write tool_use still counts: ids from the head of the line, usage from its tail', () => {
    const marker = 'GIANT_CONTENT';
    const line = assistantLine({
      id: 'msg_big',
      requestId: 'req_big',
      text: marker,
      usage: { input: 12, output: 34_567, cacheWrite5m: 890, cacheRead: 4321 },
      sessionId: 'big-session',
    });
    const [head, tail] = line.split(marker) as [string, string];
    const file = path.join(tempDir(), 'big.jsonl');
    const fd = fs.openSync(file, 'w');
    const mib = Buffer.alloc(1 << 20, 'x');
    fs.writeSync(fd, `${L1}\n${head}`);
    for (let i = 0; i < 65; i++) fs.writeSync(fd, mib);
    fs.writeSync(fd, `${tail}\n${L2}\n`);
    fs.closeSync(fd);

    const read = readTranscriptFrom(file, undefined);
    expect(read.calls.map((c) => [c.messageId, c.requestId, c.sessionId, c.model, c.time])).toEqual([
      [
        'msg_1',
        'req_1',
        '20000000-0000-4000-8000-000000000001',
        'claude-sonnet-4-5-20250929',
        Date.parse('2026-11-20T10:00:00.000Z'),
      ],
      ['msg_big', 'req_big', 'big-session', 'claude-sonnet-4-5-20250929', Date.parse('2026-11-20T10:00:00.000Z')],
      [
        'msg_2',
        'req_2',
        '20000000-0000-4000-8000-000000000001',
        'claude-sonnet-4-5-20250929',
        Date.parse('2026-11-20T10:00:00.000Z'),
      ],
    ]);
    expect(read.calls[1]!.tokens).toEqual({
      input: 12,
      output: 34_567,
      cacheWrite5m: 890,
      cacheWrite1h: 0,
      cacheRead: 4321,
    });
    expect(read.malformed).toBe(0);
    expect(read.cursor.offset).toBe(fs.statSync(file).size);
  });
});

describe('readTranscriptFrom: only regular files', () => {
  it('a character device (/dev/zero) is refused at once with an error the caller can log', () => {
    expect(() => readTranscriptFrom('/dev/zero', undefined)).toThrow(
      expect.objectContaining({ code: 'ENOTREG', message: '/dev/zero: not a regular file' }),
    );
  });

  it('a FIFO nobody writes to is refused without waiting for a writer', () => {
    const fifo = path.join(tempDir(), 'transcript.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(() => readTranscriptFrom(fifo, undefined)).toThrow(expect.objectContaining({ code: 'ENOTREG' }));
  });

  it('a missing file still throws ENOENT (hooks skip a transcript not written yet)', () => {
    expect(() => readTranscriptFrom(path.join(tempDir(), 'none.jsonl'), undefined)).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });
});
