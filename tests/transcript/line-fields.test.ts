import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFromLines } from '../../src/transcript/extract.js';
import { emptyExtracted, type Extracted } from '../../src/transcript/extracted.js';
import { takeAssistantLine } from '../../src/transcript/whole-lines.js';
import { assistantLine } from './lines.js';

/**
 * The byte-level reading of a line (LineFields: head and end of the line, content skipped) must
 * find exactly what JSON.parse of the whole line finds, in every key order Claude Code has used.
 */
function fast(line: string): Extracted {
  const into = emptyExtracted();
  const buf = Buffer.from(`${line}\n`);
  extractFromLines(buf, 0, buf.length, into);
  return into;
}

function whole(line: string): Extracted {
  const into = emptyExtracted();
  if (line.includes('usage"')) takeAssistantLine(line, into);
  return into;
}

const seen = (x: Extracted) => ({
  calls: x.calls,
  embedded: x.embeddedCalls,
  malformed: x.malformed,
  versions: x.versions,
});

type Layout = 'modern' | 'older' | 'type-first';

/** One assistant row in the key order of a Claude Code generation (2.1.331, ≤2.1.112, hand-written fixtures). */
function layout(kind: Layout, row: { message: Record<string, unknown>; top: Record<string, unknown> }): string {
  const { type, ...rest } = row.top;
  if (kind === 'modern')
    return JSON.stringify({ parentUuid: null, isSidechain: rest.isSidechain, message: row.message, ...rest, type });
  if (kind === 'older') {
    const { model, id, ...m } = row.message;
    return JSON.stringify({ parentUuid: null, ...rest, message: { model, id, ...m }, type });
  }
  return JSON.stringify({ type, ...rest, message: row.message });
}

const count = fc.oneof(fc.nat(2_000_000), fc.constant(null), fc.constant(-1), fc.constant(1.5), fc.constant('7'));
type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;
const rowArb = fc.record({
  id: fc.oneof(fc.constantFrom('msg_01abc', 'msg_bdrk_ü', 'msg_"quoted"'), fc.constant(null)),
  model: fc.oneof(
    fc.constantFrom('claude-opus-4-6', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', '<synthetic>'),
    fc.constant(null),
  ),
  text: fc.string({ unit: 'grapheme', maxLength: 40 }),
  input: count,
  output: count,
  write: count,
  read: count,
  split: fc.option(fc.record({ ephemeral_5m_input_tokens: count, ephemeral_1h_input_tokens: count }), {
    nil: undefined,
  }),
  speed: fc.option(fc.constantFrom('fast', 'standard'), { nil: undefined }),
  requestId: fc.option(fc.constantFrom('req_1', 'req_\\u0032'), { nil: undefined }),
  sessionId: fc.option(fc.constantFrom('s-1', 's-2'), { nil: undefined }),
  requestSessionId: fc.option(fc.constantFrom('s-1', 's-0'), { nil: undefined }),
  agentId: fc.option(fc.constant('a1b2'), { nil: undefined }),
  sidechain: fc.constantFrom(true, false, 'yes'),
  timestamp: fc.constantFrom(
    '2026-11-20T10:00:00.000Z',
    '2026-11-20T10:00:00Z',
    '2026-02-30T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
    'yesterday',
    12,
  ),
  version: fc.option(fc.constantFrom('2.1.331', '1.0.98'), { nil: undefined }),
  iterations: fc.boolean(),
  layout: fc.constantFrom<Layout>('modern', 'older', 'type-first'),
});

function lineOf(r: Row): string {
  const usage: Record<string, unknown> = {
    input_tokens: r.input,
    cache_creation_input_tokens: r.write,
    cache_read_input_tokens: r.read,
    output_tokens: r.output,
  };
  if (r.iterations) usage.iterations = [{ input_tokens: 999_999, output_tokens: 999_999 }];
  if (r.split) usage.cache_creation = r.split;
  if (r.speed) usage.speed = r.speed;
  const message = {
    id: r.id,
    type: 'message',
    role: 'assistant',
    model: r.model,
    content: [{ type: 'tool_use', id: 'toolu_1', name: 'Write', input: { usage: { input_tokens: 5 }, text: r.text } }],
    stop_reason: 'end_turn',
    usage,
    stop_details: null,
  };
  const top: Record<string, unknown> = { isSidechain: r.sidechain, type: 'assistant', timestamp: r.timestamp };
  for (const k of ['requestId', 'sessionId', 'requestSessionId', 'agentId', 'version'] as const)
    if (r[k] !== undefined) top[k] = r[k];
  return layout(r.layout, { message, top });
}

describe('LineFields reads an assistant line as JSON.parse does', () => {
  it('property: any layout, odd values, escapes, unicode, invalid counts and times', () => {
    fc.assert(
      fc.property(rowArb, (r) => {
        const line = lineOf(r);
        expect(seen(fast(line))).toEqual(seen(whole(line)));
      }),
      { seed: 20261206, numRuns: 1500 },
    );
  });

  it('a line cut anywhere is malformed (or not a line with usage yet), never a different call', () => {
    const line = assistantLine({ id: 'msg_cut', usage: { input: 12, output: 34, cacheRead: 56 } });
    for (let cut = 1; cut < line.length; cut++) {
      const part = line.slice(0, cut);
      expect(seen(fast(part)), part).toEqual(seen(whole(part)));
    }
  });

  it('whitespace between tokens (a line re-serialised with spaces) reads the same', () => {
    const compact = assistantLine({ id: 'msg_ws', usage: { input: 1, output: 2, cacheWrite1h: 3 } });
    const line = JSON.stringify(JSON.parse(compact), null, 2).replace(/\n/g, ' \t');
    expect(fast(line).calls.map((c) => c.tokens)).toEqual([
      { input: 1, output: 2, cacheWrite5m: 0, cacheWrite1h: 3, cacheRead: 0 },
    ]);
    expect(seen(fast(line))).toEqual(seen(whole(line)));
  });
});

describe('what a transcript line holds beyond its call', () => {
  it('a timestamp outside 2000–2200 makes the line malformed, not a call', () => {
    const line = assistantLine({ id: 'msg_far', usage: { input: 10 }, timestamp: '+275760-09-13T00:00:00.000Z' });
    expect(fast(line)).toMatchObject({ calls: [], malformed: 1 });
    expect(fast(line.replace('+275760-09-13', '1999-12-31'))).toMatchObject({ calls: [], malformed: 1 });
    expect(fast(line.replace('+275760-09-13', '2199-12-31')).calls).toHaveLength(1);
  });

  it('the Claude Code version of each line with a call, once each, in order', () => {
    const a = assistantLine({ id: 'msg_a', usage: { input: 1 } });
    const b = a.replace('msg_a', 'msg_b').replace('"2.1.331"', '"1.0.98"');
    expect(fast(`${a}\n${b}\n${a}`).versions).toEqual(['2.1.331', '1.0.98']);
  });

  it('a progress line that embeds a subagent message gives an embedded copy, not a call', () => {
    const inner = {
      type: 'assistant',
      timestamp: '2026-11-20T10:00:03.000Z',
      requestId: 'req_pg',
      agentId: 'a7',
      message: {
        id: 'msg_pg',
        model: 'claude-haiku-4-5',
        content: [],
        usage: { input_tokens: 200, output_tokens: 20 },
      },
    };
    const progress = JSON.stringify({
      type: 'progress',
      sessionId: 's-7',
      version: '2.1.30',
      timestamp: '2026-11-20T10:00:04.000Z',
      data: { type: 'agent_progress', agentId: 'a7', message: inner },
    });
    const read = fast(progress);
    expect(read.calls).toEqual([]);
    expect(read.embeddedCalls).toEqual([
      {
        messageId: 'msg_pg',
        requestId: 'req_pg',
        time: Date.parse('2026-11-20T10:00:03.000Z'),
        model: 'claude-haiku-4-5',
        sessionId: 's-7',
        agentId: 'a7',
        sidechain: true,
        copiedFrom: null,
        tokens: { input: 200, output: 20, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
        speed: 'standard',
      },
    ]);
    expect(read.embeddedCallOffsets).toEqual([0]);
  });
});
