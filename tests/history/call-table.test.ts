import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallTable } from '../../src/history/call-table.js';
import { bucketStrings } from '../../src/history/call-store.js';
import type { ApiCall } from '../../src/usage/api-call.js';
import { CallSet } from '../../src/usage/call-set.js';

/**
 * CallTable keeps the distinct calls of a history in typed arrays; it must count exactly as
 * usage/call-set.ts does, whatever the copies, their order, and however a table is split across
 * threads (pack/unpack, addAll) or written to a bucket and read back (record/addRecord).
 */
const copyArb = fc.record({
  id: fc.constantFrom('msg_a', 'msg_b', 'msg_c'),
  requestId: fc.constantFrom<string | null>('req_1', 'req_2', null),
  time: fc.integer({ min: 0, max: 4 }).map((n) => Date.UTC(2026, 10, 20, 10, 0, n)),
  session: fc.constantFrom('s-1', 's-2', 's-3'),
  copiedFrom: fc.constantFrom<string | null>(null, null, 's-9'),
  fast: fc.boolean(),
  tokens: fc.tuple(fc.nat(500), fc.nat(500), fc.nat(500), fc.nat(500), fc.nat(500)),
});
type Copy = (typeof copyArb extends fc.Arbitrary<infer T> ? T : never) & { model?: string };
// Copies of one call name one model (a full tie between two copies is settled by the order they come in).
const modelOf = (c: Copy) => c.model ?? (c.id === 'msg_b' ? 'claude-haiku-4-5' : 'claude-opus-4-6');

const call = (c: Copy): ApiCall => ({
  messageId: c.id,
  requestId: c.requestId,
  time: c.time,
  model: modelOf(c),
  sessionId: c.session,
  agentId: null,
  sidechain: false,
  copiedFrom: c.copiedFrom,
  tokens: {
    input: c.tokens[0],
    output: c.tokens[1],
    cacheWrite5m: c.tokens[2],
    cacheWrite1h: c.tokens[3],
    cacheRead: c.tokens[4],
  },
  speed: c.fast ? 'fast' : 'standard',
});

/** What a report takes from each call: its tokens, and the copy that represents it. */
function fromTable(t: CallTable) {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < t.size; i++)
    out[t.id(i)] = {
      tokens: t.tokens(i),
      time: t.time(i),
      model: t.model(i),
      session: t.session(i),
      holders: t.holdersOf(i).sort(),
    };
  return out;
}

function fromSet(copies: Copy[]) {
  const set = new CallSet();
  for (const c of copies) set.add(call(c));
  const out: Record<string, unknown> = {};
  for (const [id, e] of set.entries) {
    const holders = [...new Set(copies.filter((c) => c.id === id).map((c) => c.session))].sort();
    out[id] = { tokens: e.tokens, time: e.first.time, model: e.first.model, session: e.first.sessionId, holders };
  }
  return out;
}

function tableOf(copies: Copy[]): CallTable {
  const t = new CallTable();
  for (const c of copies) t.addCopy(call(c), c.session, 'p');
  return t;
}

/** A bucket file's round trip: records written with their own string tables, folded back in. */
function throughRecords(t: CallTable): CallTable {
  const strings = bucketStrings();
  const records = Array.from({ length: t.size }, (_, i) => JSON.parse(JSON.stringify(t.record(i, strings.ids))));
  const back = new CallTable();
  for (const r of records) back.addRecord(r, strings.lists());
  return back;
}

describe('CallTable counts as CallSet does', () => {
  it('property: same tokens and representative copy per call; every session holding a copy is known', () => {
    fc.assert(
      fc.property(fc.array(copyArb, { maxLength: 30 }), (copies) => {
        const expected = fromSet(copies);
        // Order does not matter, except for speed, where CallSet keeps the first copy's: compare without it.
        expect(fromTable(tableOf(copies))).toEqual(expected);
        expect(fromTable(tableOf([...copies].reverse()))).toEqual(expected);
      }),
      { seed: 20261206, numRuns: 400 },
    );
  });

  it('property: split across threads, or written to a bucket and read back, it is the same table', () => {
    fc.assert(
      fc.property(fc.array(copyArb, { maxLength: 30 }), fc.nat(30), (copies, cut) => {
        const expected = fromSet(copies);
        const main = tableOf(copies.slice(0, cut));
        main.addAll(CallTable.unpack(structuredClone(tableOf(copies.slice(cut)).pack())));
        expect(fromTable(main)).toEqual(expected);
        expect(fromTable(throughRecords(tableOf(copies)))).toEqual(expected);
        const twice = throughRecords(tableOf(copies));
        twice.addAll(tableOf(copies)); // folding the same copies again changes nothing
        expect(fromTable(twice)).toEqual(expected);
      }),
      { seed: 20261207, numRuns: 400 },
    );
  });

  it('a fast copy makes the call fast, whichever copy comes first', () => {
    const standard: Copy = {
      id: 'msg_a',
      requestId: 'req_1',
      time: 2,
      model: 'claude-opus-4-6',
      session: 's-1',
      copiedFrom: null,
      fast: false,
      tokens: [1, 1, 0, 0, 0],
    };
    for (const order of [
      [standard, { ...standard, fast: true, time: 1 }],
      [{ ...standard, fast: true, time: 1 }, standard],
    ]) {
      expect(tableOf(order).fast(0)).toBe(true);
    }
  });
});

describe('room reserved for a scan', () => {
  // 3,000 distinct calls (past the 1,024 a table starts with), ids of every length and script,
  // two copies each, the second with more output (ids and sessions wider than copyArb's).
  const copies: Copy[] = [];
  for (let k = 0; k < 3000; k++) {
    const id = `msg_${'é日'.repeat(k % 7)}${k}`;
    const base = { id, time: Date.UTC(2026, 10, 20, 10, 0, k), session: `s-${k % 5}`, copiedFrom: null, fast: false };
    const copy = (output: number) =>
      ({
        ...base,
        requestId: k % 3 ? `req_${k}` : null,
        tokens: [k, output, 2, 3, 4],
        model: 'claude-opus-4-6',
      }) as Copy;
    copies.push(copy(1), copy(9));
  }

  it('counts as a table grown step by step, reserved before its first call or between them', () => {
    const grown = fromTable(tableOf(copies));
    expect(Object.keys(grown)).toHaveLength(3000);
    for (const [at, room] of [
      [0, 6000],
      [0, 10],
      [1500, 4000],
      [4000, 2500],
    ] as const) {
      const t = new CallTable();
      copies.forEach((c, i) => {
        if (i === at) t.reserve(room);
        t.addCopy(call(c), c.session, 'p');
      });
      expect(fromTable(t), `room for ${room} after ${at} copies`).toEqual(grown);
      expect(t.indexOf(copies[5999]!.id)).toBe(2999);
      expect(fromTable(throughRecords(t))).toEqual(grown);
    }
  });
});
