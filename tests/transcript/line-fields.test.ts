import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFromLines } from '../../src/transcript/extract.js';
import { JsonBytes } from '../../src/transcript/json-bytes.js';
import { EmbeddedFields } from '../../src/transcript/progress-line.js';
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

/** Every line `arb` makes reads from its bytes as JSON.parse reads it. */
function readsAsWhole<T>(arb: fc.Arbitrary<T>, lineFor: (value: T) => string, run: { seed: number; numRuns: number }) {
  fc.assert(
    fc.property(arb, (value) => {
      const line = lineFor(value);
      expect(seen(fast(line))).toEqual(seen(whole(line)));
    }),
    run,
  );
}

/** Each prefix of `line` (a line still being written, or torn) reads from its bytes as JSON.parse reads it. */
function everyCutReadsAsWhole(line: string): void {
  for (let cut = 1; cut < line.length; cut++) {
    const part = line.slice(0, cut);
    expect(seen(fast(part)), part).toEqual(seen(whole(part)));
  }
}

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
    readsAsWhole(rowArb, lineOf, { seed: 20261206, numRuns: 1500 });
  });

  it('a line cut anywhere is malformed (or not a line with usage yet), never a different call', () => {
    const line = assistantLine({ id: 'msg_cut', usage: { input: 12, output: 34, cacheRead: 56 } });
    everyCutReadsAsWhole(line);
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

/** An object with its keys in the given order (absent values left out). */
function ordered(order: string[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of order) if (values[k] !== undefined) out[k] = values[k];
  return out;
}

/** Mostly the order Claude Code writes, sometimes any other. */
const anyOrder = (keys: string[]) =>
  fc.oneof(
    { arbitrary: fc.constant(keys), weight: 3 },
    { arbitrary: fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }), weight: 1 },
  );
const odd = <T>(arb: fc.Arbitrary<T>) =>
  fc.option(fc.oneof(arb, fc.constant(null), fc.constant(7)), { nil: undefined });

const embeddedArb = fc.record({
  row: rowArb,
  /** Counts and a time a call can have (rowArb's are mostly ones it cannot). */
  valid: fc.option(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), { nil: undefined, freq: 3 }),
  innerType: fc.constantFrom('assistant', 'assistant', 'assistant', 'user', 7),
  message: fc.constantFrom('object', 'object', 'object', 'object', 'object', 'null', 'array', 'absent'),
  messageOrder: anyOrder(['id', 'model', 'type', 'content', 'usage', 'stop_reason']),
  innerOrder: anyOrder([
    'type',
    'message',
    'requestId',
    'uuid',
    'timestamp',
    'sessionId',
    'agentId',
    'requestSessionId',
  ]),
  innerTimestamp: fc.oneof(
    { arbitrary: fc.constant('2026-11-20T10:00:03.000Z'), weight: 3 },
    { arbitrary: odd(fc.constant('soon')), weight: 1 },
  ),
  innerSession: odd(fc.constant('s-inner')),
  dataAgent: odd(fc.constant('a-data')),
  data: fc.constantFrom('object', 'object', 'object', 'object', 'object', 'null', 'string', 'array'),
  dataOrder: anyOrder(['message', 'normalizedMessages', 'type', 'prompt', 'agentId']),
  normalized: fc.boolean(),
  prompt: fc.string({ unit: 'grapheme', maxLength: 30 }).map((t) => `${t} {"usage": {"input_tokens": 9}} \\"usage\\":`),
  topOrder: anyOrder(['parentUuid', 'isSidechain', 'sessionId', 'version', 'type', 'data', 'toolUseID', 'timestamp']),
});

/** A 2.1.3x agent_progress line embedding a copy of `row`, in any key order, with odd values. */
function progressLineOf(e: typeof embeddedArb extends fc.Arbitrary<infer T> ? T : never): string {
  const r = e.valid
    ? {
        ...e.row,
        input: e.valid[0],
        output: e.valid[1],
        write: e.valid[2],
        read: e.valid[3],
        split: undefined,
        timestamp: '2026-11-20T10:00:00.000Z',
        id: e.row.id ?? 'msg_01abc',
        model: e.row.model ?? 'claude-opus-4-6',
      }
    : e.row;
  const row = JSON.parse(lineOf({ ...r, layout: 'modern' })) as { message: Record<string, unknown> };
  const m = row.message;
  const message =
    e.message === 'object'
      ? ordered(e.messageOrder, m)
      : e.message === 'null'
        ? null
        : e.message === 'array'
          ? [m]
          : undefined;
  const inner = ordered(e.innerOrder, {
    type: e.innerType,
    message,
    requestId: r.requestId,
    uuid: 'u-1',
    timestamp: e.innerTimestamp,
    sessionId: e.innerSession,
    agentId: r.agentId,
    requestSessionId: r.requestSessionId,
  });
  const normalized = e.normalized
    ? [{ type: 'assistant', message: { id: 'msg_other', usage: { input_tokens: 3 } } }]
    : [];
  const data =
    e.data === 'object'
      ? ordered(e.dataOrder, {
          message: inner,
          normalizedMessages: normalized,
          type: 'agent_progress',
          prompt: e.prompt,
          agentId: e.dataAgent,
        })
      : e.data === 'null'
        ? null
        : e.data === 'string'
          ? 'x'
          : [inner];
  return JSON.stringify(
    ordered(e.topOrder, {
      parentUuid: null,
      isSidechain: r.sidechain,
      sessionId: r.sessionId,
      version: r.version,
      type: 'progress',
      data,
      toolUseID: 'agent_msg_1',
      timestamp: r.timestamp,
    }),
  );
}

describe('a progress line read from its bytes gives what JSON.parse of it gives', () => {
  it('property: any key order, odd values, copies that are not calls, usage keys in content and prompts', () => {
    readsAsWhole(embeddedArb, progressLineOf, { seed: 20261207, numRuns: 3000 });
  });

  it('duplicate keys and escaped types are left to JSON.parse, which keeps the last', () => {
    const inner = {
      type: 'assistant',
      timestamp: '2026-11-20T10:00:03.000Z',
      message: { id: 'msg_dup', model: 'claude-haiku-4-5', content: [], usage: { input_tokens: 5 } },
    };
    const base = JSON.stringify({ type: 'progress', sessionId: 's', data: { message: inner } });
    const cases = [
      base.replace('"usage":{"input_tokens":5}', '"usage":{"input_tokens":5},"usage":{"input_tokens":8}'),
      base.replace('"data":', '"type":"user","data":'),
      base.replace(/}$/, ',"type":"user"}'),
      base.replace('"type":"assistant"', '"type":"assist\\u0061nt"'),
      base.replace('"message":{"type"', '"message":{"type":"user","type"'),
      base.replace(/}$/, ',"message":null}'),
      base.replace(/}}$/, ',"message":null}}'),
      base.replace(/}}}$/, ',"message":null}}}'),
      base.replace(/}$/, ',"data":null}'),
    ];
    for (const line of [base, ...cases]) expect(seen(fast(line)), line).toEqual(seen(whole(line)));
    expect(fast(cases[0]!).embeddedCalls[0]?.tokens.input).toBe(8);
    expect(fast(cases[3]!).embeddedCalls).toHaveLength(1);
  });

  it('a line cut anywhere reads as JSON.parse reads it', () => {
    const line = progressLineOf({
      row: { ...fc.sample(rowArb, { seed: 1, numRuns: 1 })[0]!, id: 'msg_01abc', model: 'claude-opus-4-6' },
      valid: [12, 34, 56, 78],
      innerType: 'assistant',
      message: 'object',
      messageOrder: ['id', 'model', 'type', 'content', 'usage', 'stop_reason'],
      innerOrder: ['type', 'message', 'requestId', 'uuid', 'timestamp', 'sessionId', 'agentId', 'requestSessionId'],
      innerTimestamp: '2026-11-20T10:00:03.000Z',
      innerSession: undefined,
      dataAgent: 'a-data',
      data: 'object',
      dataOrder: ['message', 'normalizedMessages', 'type', 'prompt', 'agentId'],
      normalized: true,
      prompt: 'p',
      topOrder: ['parentUuid', 'isSidechain', 'sessionId', 'version', 'type', 'data', 'toolUseID', 'timestamp'],
    });
    everyCutReadsAsWhole(line);
  });
});

describe('the byte-level reading of a progress line', () => {
  it('passes over a tool input whose own key is `usage` (2.1.3x copies of Write calls have them), not giving up on the line', () => {
    const inner = {
      type: 'assistant',
      message: {
        id: 'msg_tool',
        model: 'claude-haiku-4-5',
        content: [{ type: 'tool_use', input: { usage: { input_tokens: 5 }, text: 'x' } }],
        usage: { input_tokens: 200, output_tokens: 20 },
      },
      requestId: 'req_tool',
      timestamp: '2026-11-20T10:00:03.000Z',
    };
    const line = JSON.stringify({ sessionId: 's', type: 'progress', data: { message: inner, agentId: 'a1' } });
    const fields = new EmbeddedFields();
    const buf = Buffer.from(line);
    expect(fields.head(buf, 0, buf.length)).toBe('typed');
    expect(fields.progressCall(buf, 0, buf.length)).toMatchObject({
      messageId: 'msg_tool',
      agentId: 'a1',
      tokens: { input: 200 },
    });
  });
});

describe('skipping a string the reader does not need', () => {
  const skip = (json: string) => {
    const buf = Buffer.from(`${json},"next":1}`);
    const j = new JsonBytes().reset(buf, 0, buf.length);
    return j.skipString() ? buf.toString('utf8', j.pos) : 'not a string';
  };
  const long = 'x'.repeat(40);
  it.each([
    ['a short one', '"abc"'],
    ['an escaped quote inside', `"${long}\\"${long}"`],
    ['escaped backslashes just before the end', `"${long}\\\\\\\\"`],
    ['an escaped quote after escaped backslashes', `"${long}\\\\\\"${long}"`],
    ['escapes across its first 32 bytes', `"${'y'.repeat(31)}\\"\\\\${long}"`],
  ])('%s', (_, json) => {
    expect(JSON.parse(json)).toBeTypeOf('string');
    expect(skip(json)).toBe(',"next":1}');
  });
  it('an unterminated one is not a string', () => {
    const buf = Buffer.from(`"${long}\\"`);
    expect(new JsonBytes().reset(buf, 0, buf.length).skipString()).toBe(false);
  });
});
