/**
 * Rolled-up workflow events packed straight from their stored numbers must say exactly what the
 * record path says (decode each into a record, check it against its schema): the same events kept,
 * the same ones counted malformed. Checked on every kind the fast path packs, with every field
 * absent, null, a name, an enum value, out of range or of the wrong type, and times in and out of range.
 */
import { describe, expect, it } from 'vitest';
import { checkRecord } from '../../src/ledger/ledger-schema.js';
import { EventSink } from '../../src/ledger/packed-events.js';
import { ABSENT, decodeEvent, EVENT_KINDS } from '../../src/ledger/rollup-events.js';
import { addStoredEvent } from '../../src/ledger/stored-events.js';

const names = ['cs-1', 'why', 'ws-1', 'spec-a', '1.2', 'design', 'start', 'done', 'commit', 'branch', 'abc123', ''];
const BASE_MS = Date.UTC(2026, 0, 5, 9, 0);
/** Field values a stored event may hold: absent, null, each name, and values no encoder writes. */
const VALUES: unknown[] = [ABSENT, -1, ...names.map((_, i) => i), names.length, -3, 1.5, 'x', null];
const PLAIN: unknown[] = [ABSENT, -1, ...names.map((_, i) => i)];
const TIMES = [0, 61_000, -BASE_MS - 1, Date.UTC(2300, 0, 1) - BASE_MS];

/** The sink's content after adding `events` one way, and how many were malformed. */
function sinkOf(events: unknown[][], add: (sink: EventSink, e: unknown[]) => boolean) {
  const sink = new EventSink();
  let malformed = 0;
  for (const e of events) if (!add(sink, e)) malformed++;
  return { bindings: sink.bindings, tasks: sink.tasks, commits: sink.commits, sessions: sink.sessions, malformed };
}

const recordPath = (sink: EventSink, e: unknown[]) => {
  const record = checkRecord(decodeEvent(e, BASE_MS, names));
  if (record) sink.add(record);
  return record !== undefined;
};

/** A small seeded generator: the same events on every run. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

describe('rolled-up events packed from their stored numbers', () => {
  it('keep and reject exactly the events the record path keeps and rejects', () => {
    const next = random(7);
    const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
    const events: unknown[][] = [];
    for (const kind of ['bind', 'task', 'git', 'session'] as const) {
      const code = EVENT_KINDS.indexOf(kind);
      for (let n = 0; n < 4000; n++) {
        // Half of them as an encoder writes (each field absent, null or a name), so the kept path is well covered too.
        const plain = next() < 0.5;
        const fields = Array.from({ length: 6 }, () => pick(plain ? PLAIN : VALUES));
        const length = 2 + Math.floor(next() * 7);
        events.push([code, pick(TIMES), ...fields].slice(0, length));
      }
    }
    events.push(
      [EVENT_KINDS.indexOf('bind'), 'soon', 0, 1],
      [99, 0, 0],
      [EVENT_KINDS.indexOf('task'), 0, -1, 3, 4, 6, 0],
    );
    const fast = sinkOf(events, (sink, e) => addStoredEvent(sink, e, BASE_MS, names));
    const reference = sinkOf(events, recordPath);
    expect(fast).toEqual(reference);
    // Both kinds of outcome are well represented: the comparison means something.
    expect(reference.bindings.length + reference.tasks.length + reference.commits.length).toBeGreaterThan(1000);
    expect(reference.malformed).toBeGreaterThan(1000);
  });
});
