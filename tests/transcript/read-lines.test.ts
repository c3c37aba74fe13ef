import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCompleteLines, type ReadOptions } from '../../src/transcript/read-lines.js';
import { tempDir } from './corpus.js';

/** What a consumer of readCompleteLines sees: the lines, the result, the edges of oversized lines. */
function collect(file: string, offset: number, opts: ReadOptions = {}) {
  const lines: string[] = [];
  const oversized: Array<[string, string]> = [];
  let largestBuffer = 0;
  const result = readCompleteLines(
    file,
    offset,
    (buf, start, end) => {
      largestBuffer = Math.max(largestBuffer, buf.length);
      expect(buf[end - 1]).toBe(10); // regions hold whole lines only
      lines.push(...buf.toString('utf8', start, end - 1).split('\n'));
    },
    { ...opts, onOversizedLine: (head, tail) => oversized.push([head.toString(), tail.toString()]) },
  );
  return { lines, result, oversized, largestBuffer };
}

function fileWith(text: string | Buffer): string {
  const file = path.join(tempDir(), 't.jsonl');
  fs.writeFileSync(file, text);
  return file;
}

describe('readCompleteLines: byte offsets', () => {
  it('reads every whole line and says where the next read starts', () => {
    const file = fileWith('a\nbb\nccc\n');
    expect(collect(file, 0)).toMatchObject({
      lines: ['a', 'bb', 'ccc'],
      result: { endOffset: 9, bytesRead: 9, oversizedLines: 0 },
    });
    expect(collect(file, 2)).toMatchObject({ lines: ['bb', 'ccc'], result: { endOffset: 9, bytesRead: 7 } });
    expect(collect(file, 9)).toMatchObject({ lines: [], result: { endOffset: 9, bytesRead: 0 } });
  });

  it('leaves a partial last line for later; an append completes it', () => {
    const file = fileWith('a\nbb\n{"par');
    const first = collect(file, 0);
    expect(first).toMatchObject({ lines: ['a', 'bb'], result: { endOffset: 5, bytesRead: 5 } });
    fs.appendFileSync(file, 'tial":1}\nnext\n');
    expect(collect(file, first.result.endOffset)).toMatchObject({
      lines: ['{"partial":1}', 'next'],
      result: { endOffset: 24, bytesRead: 19 },
    });
  });

  it('a file without any newline yet reads nothing', () => {
    expect(collect(fileWith('{"type":"assistant"'), 0)).toMatchObject({
      lines: [],
      result: { endOffset: 0, bytesRead: 0 },
    });
    expect(collect(fileWith(''), 0)).toMatchObject({ lines: [], result: { endOffset: 0, bytesRead: 0 } });
  });

  it('hands blank lines and CRLF endings through untouched (the consumer skips them)', () => {
    expect(collect(fileWith('\n\n{"a":1}\r\n  \n{"b":2}\r\n'), 0).lines).toEqual([
      '',
      '',
      '{"a":1}\r',
      '  ',
      '{"b":2}\r',
    ]);
  });

  it('counts offsets in bytes, not characters', () => {
    const file = fileWith('é✓\n😀\n');
    expect(collect(file, 0).result.endOffset).toBe(Buffer.byteLength('é✓\n😀\n'));
    expect(collect(file, Buffer.byteLength('é✓\n')).lines).toEqual(['😀']);
  });
});

describe('readCompleteLines: memory stays bounded by the longest line, not the file', () => {
  const lines = Array.from({ length: 2000 }, (_, i) =>
    JSON.stringify({ i, text: 'é✓'.repeat(i % 37), pad: 'x'.repeat((i * 7919) % 180) }),
  );
  const text = `${lines.join('\n')}\n`;
  const longest = Math.max(...lines.map((l) => Buffer.byteLength(l) + 1));

  it.each([1, 2, 7, 64, 256, 4096, 4 << 20])('chunks of %i bytes give the same lines as one read', (chunkBytes) => {
    const file = fileWith(text);
    const seen = collect(file, 0, { chunkBytes });
    expect(Buffer.byteLength(text)).toBeGreaterThan(100_000);
    expect(seen.lines).toEqual(lines);
    expect(seen.result).toEqual({
      endOffset: Buffer.byteLength(text),
      bytesRead: Buffer.byteLength(text),
      oversizedLines: 0,
    });
    // The buffer only ever doubles to hold one line: never the whole 100 KB+ file.
    if (chunkBytes < longest) expect(seen.largestBuffer).toBeLessThan(2 * longest);
    else expect(seen.largestBuffer).toBe(chunkBytes);
  });
});

describe('readCompleteLines: a line longer than maxLineBytes is streamed past', () => {
  const opts = { chunkBytes: 16, maxLineBytes: 64, edgeBytes: 24 };
  const giant = `{"head":"${'h'.repeat(10)}${'m'.repeat(500)}${'t'.repeat(10)}","end":1}`;

  it('its head and tail go to onOversizedLine; the lines around it are read as usual', () => {
    const file = fileWith(`{"before":1}\n${giant}\n{"after":2}\n`);
    const seen = collect(file, 0, opts);
    expect(seen.lines).toEqual(['{"before":1}', '{"after":2}']);
    expect(seen.oversized).toEqual([[giant.slice(0, 24), giant.slice(-24)]]);
    expect(seen.result).toEqual({
      endOffset: fs.statSync(file).size,
      bytesRead: fs.statSync(file).size,
      oversizedLines: 1,
    });
    expect(seen.largestBuffer).toBeLessThanOrEqual(64);
  });

  it('an oversized line still being written is left for later, then taken once complete', () => {
    const file = fileWith(`{"before":1}\n${giant.slice(0, 300)}`);
    const first = collect(file, 0, opts);
    expect(first.lines).toEqual(['{"before":1}']);
    expect(first.oversized).toEqual([]);
    expect(first.result.endOffset).toBe(13); // the start of the unfinished line
    fs.appendFileSync(file, `${giant.slice(300)}\n{"after":2}\n`);
    const second = collect(file, first.result.endOffset, opts);
    expect(second.oversized).toEqual([[giant.slice(0, 24), giant.slice(-24)]]);
    expect(second.lines).toEqual(['{"after":2}']);
    expect(second.result.endOffset).toBe(fs.statSync(file).size);
  });

  it('an oversized CRLF line hands its tail over with the \\r', () => {
    const file = fileWith(`${giant}\r\n{"after":2}\r\n`);
    expect(collect(file, 0, opts).oversized).toEqual([[giant.slice(0, 24), `${giant.slice(-23)}\r`]]);
  });
});
