import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFromLines } from '../../src/transcript/extract.js';
import { emptyExtracted } from '../../src/transcript/extracted.js';
import { readCompleteLines } from '../../src/transcript/read-lines.js';
import { readTranscriptFrom, type Cursor } from '../../src/transcript/read-transcript.js';
import { CallSet } from '../../src/usage/call-set.js';
import { addTokens, zeroTokens, type TokenCounts } from '../../src/usage/tokens.js';
import { tempDir, totalsOf } from './corpus.js';
import { assistantLine, userLine } from './lines.js';

/**
 * The property behind "exact": however Claude Code's writes are split (a read can land in the
 * middle of a line or of a UTF-8 character), however often a transcript is read, and from
 * whatever stale cursor, the totals equal one read of the whole file, which equal the usage the
 * generated transcript holds.
 */
type Behaviour = 'final-on-every-line' | 'final-on-last-line' | 'placeholder-only';

interface Message {
  withRequestId: boolean;
  behaviour: Behaviour;
  placeholders: number[]; // 1–8, one per block
  usage: TokenCounts;
  text: string;
}

const messageArb: fc.Arbitrary<Message> = fc.record({
  withRequestId: fc.boolean(),
  behaviour: fc.constantFrom<Behaviour>('final-on-every-line', 'final-on-last-line', 'placeholder-only'),
  placeholders: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 4 }),
  usage: fc.record({
    input: fc.nat(300_000),
    output: fc.integer({ min: 9, max: 64_000 }),
    cacheWrite5m: fc.nat(50_000),
    cacheWrite1h: fc.nat(50_000),
    cacheRead: fc.nat(500_000),
  }),
  text: fc.string({ unit: 'grapheme', maxLength: 24 }),
});

/** Lines between messages: none of them may add to the totals. */
type Noise =
  | 'user'
  | 'blank'
  | 'whitespace'
  | 'torn-usage'
  | 'bad-usage-type'
  | 'progress'
  | 'synthetic'
  | 'copy-of-earlier';
const noiseArb = fc.constantFrom<Noise>(
  'user',
  'blank',
  'whitespace',
  'torn-usage',
  'bad-usage-type',
  'progress',
  'synthetic',
  'copy-of-earlier',
);

const transcriptArb = fc.record({
  messages: fc.array(fc.tuple(messageArb, fc.array(noiseArb, { maxLength: 3 })), { minLength: 1, maxLength: 10 }),
  crlf: fc.boolean(),
});

function messageLines(m: Message, index: number): string[] {
  const id = `msg_${String(index).padStart(3, '0')}`;
  return m.placeholders.map((placeholder, block) => {
    const last = block === m.placeholders.length - 1;
    const output =
      m.behaviour === 'placeholder-only'
        ? placeholder
        : m.behaviour === 'final-on-last-line' && !last
          ? placeholder
          : m.usage.output;
    return assistantLine({
      id,
      requestId: m.withRequestId ? `req_${index}` : null,
      usage: { ...m.usage, output },
      text: `${m.text} #${block}`,
    });
  });
}

/** What the API billed for the message, as far as the file can tell. */
function expectedUsage(m: Message): TokenCounts {
  return { ...m.usage, output: m.behaviour === 'placeholder-only' ? Math.max(...m.placeholders) : m.usage.output };
}

function build(t: { messages: Array<[Message, Noise[]]>; crlf: boolean }): {
  bytes: Buffer;
  expected: TokenCounts;
  malformed: number;
  calls: number;
} {
  const lines: string[] = [];
  const expected = zeroTokens();
  let malformed = 0;
  const written: string[][] = [];
  t.messages.forEach(([message, noise], i) => {
    const own = messageLines(message, i);
    written.push(own);
    lines.push(...own);
    addTokens(expected, expectedUsage(message));
    for (const n of noise) {
      if (n === 'user') lines.push(userLine(message.text));
      if (n === 'blank') lines.push('');
      if (n === 'whitespace') lines.push(' \t ');
      if (n === 'torn-usage') {
        const whole = assistantLine({ id: `msg_torn_${i}`, usage: { input: 7 } }); // a crash mid-write, then more lines
        lines.push(whole.slice(0, whole.indexOf('"input_tokens":7') + 16));
        malformed++;
      }
      if (n === 'bad-usage-type') {
        lines.push(
          assistantLine({ id: `msg_bad_${i}`, usage: { input: 7 } }).replace('"input_tokens":7', '"input_tokens":"7"'),
        );
        malformed++;
      }
      if (n === 'progress') {
        const embedded = JSON.parse(
          assistantLine({ id: `msg_progress_${i}`, usage: { input: 1_000_000, output: 5 }, sidechain: true }),
        ) as unknown;
        lines.push(
          JSON.stringify({
            type: 'progress',
            data: { type: 'agent_progress', message: embedded },
            timestamp: '2026-11-20T10:00:00.000Z',
            sessionId: 's',
          }),
        );
      }
      if (n === 'synthetic')
        lines.push(
          assistantLine({
            id: `synthetic_${i}`,
            model: '<synthetic>',
            requestId: null,
            usage: { input: 999, output: 999 },
          }),
        );
      if (n === 'copy-of-earlier') lines.push(...written[Math.floor(written.length / 2)]!); // a resumed session's copy
    }
  });
  const eol = t.crlf ? '\r\n' : '\n';
  return { bytes: Buffer.from(lines.map((l) => l + eol).join('')), expected, malformed, calls: t.messages.length };
}

/** Where to cut the file into appends, and which stale cursors to re-read from after each append. */
const writesArb = fc.record({
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
  staleRereads: fc.array(fc.option(fc.nat(), { nil: undefined }), { maxLength: 12 }),
  chunkBytes: fc.integer({ min: 1, max: 600 }),
});

describe('property: reads split anywhere give the same totals as one read', () => {
  it('random appends, reads after each, re-reads from stale cursors', () => {
    const dir = tempDir();
    let runs = 0;
    fc.assert(
      fc.property(transcriptArb, writesArb, (t, w) => {
        const { bytes, expected, malformed, calls } = build(t);
        const file = path.join(dir, `t${runs++}.jsonl`);
        const cuts = [...new Set(w.cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
        const ends = [...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length];

        fs.writeFileSync(file, '');
        const set = new CallSet();
        const history: Cursor[] = [];
        let cursor: Cursor | undefined;
        let written = 0;
        let malformedSeen = 0;
        ends.forEach((end, k) => {
          fs.appendFileSync(file, bytes.subarray(written, end));
          written = end;
          const read = readTranscriptFrom(file, cursor);
          expect(read.restarted).toBe(false);
          // The cursor always stops at a line boundary within what was written.
          expect(read.cursor.offset).toBeLessThanOrEqual(written);
          if (read.cursor.offset > 0) expect(bytes[read.cursor.offset - 1]).toBe(10);
          for (const c of read.calls) set.add(c);
          malformedSeen += read.malformed;
          cursor = read.cursor;
          history.push(cursor);
          const stale = w.staleRereads[k];
          if (stale !== undefined) {
            const from =
              stale % (history.length + 1) === history.length ? undefined : history[stale % (history.length + 1)];
            for (const c of readTranscriptFrom(file, from).calls) set.add(c);
          }
        });

        expect(cursor!.offset).toBe(bytes.length);
        expect(malformedSeen).toBe(malformed); // a torn line is never counted before it is complete
        expect(totalsOf(set)).toEqual(expected);
        expect(set.size).toBe(calls);

        const whole = readTranscriptFrom(file, undefined);
        const once = new CallSet();
        for (const c of whole.calls) once.add(c);
        expect(totalsOf(once)).toEqual(expected);
        expect(whole.malformed).toBe(malformed);

        // The same bytes read in tiny chunks find exactly the same rows.
        const chunked = emptyExtracted();
        readCompleteLines(file, 0, (buf, s, e) => extractFromLines(buf, s, e, chunked), { chunkBytes: w.chunkBytes });
        expect(chunked.calls).toEqual(whole.calls);
        expect(chunked.malformed).toBe(whole.malformed);
        fs.rmSync(file);
      }),
      { seed: 20261125, numRuns: 200 },
    );
  }, 180_000);
});
