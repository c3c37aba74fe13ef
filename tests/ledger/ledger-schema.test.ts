import { describe, expect, it } from 'vitest';
import { checkRecord, LedgerLineSchema } from '../../src/ledger/ledger-schema.js';

const t = '2026-11-25T10:00:00.000Z';
const bind = { k: 'bind', t, cs: 's1', why: 'do-task', ws: 'w', spec: 'x', task: '1.1' };
const task = { k: 'task', t, ws: null, spec: 'x', task: '1.1', event: 'done', cs: null, source: 'tasks.md' };
const session = { k: 'session', t, ws: 'w', spec: 'x', event: 'start', cs: 's1' };
const manual = {
  k: 'manual',
  id: 'manual:1',
  t,
  ws: null,
  spec: 'x',
  task: '1.1',
  status: 'done',
  model: 'm',
  in: 1,
  out: 2,
  cw5: 3,
  cw1h: 4,
  cr: 5,
};
const end = { k: 'end', t, cs: 's1', why: 'prompt_input_exit' };

// Every case is checked against the schema itself: the fast check may never disagree with it.
const cases: Array<[string, Record<string, unknown>]> = [
  ['a bind', bind],
  ['a task event', task],
  ['a session', session],
  ['a manual entry', manual],
  ['an end', end],
  ['a bind without its why (a default)', { ...bind, why: undefined }],
  ['a task event of an unknown kind', { ...task, event: 'finished' }],
  ['a session whose spec is null', { ...session, spec: null }],
  ['a manual entry with a fraction of a token', { ...manual, in: 1.5 }],
  ['a manual entry with a negative count', { ...manual, out: -1 }],
  ['a manual entry with a count past 2^53', { ...manual, cr: 2 ** 53 }],
  ['a bind in the year 275760', { ...bind, t: '+275760-09-13T00:00:00.000Z' }],
  ['a bind with no time', { ...bind, t: undefined }],
  ['a bind with a number for a name', { ...bind, ws: 7 }],
  ['an unknown kind', { ...bind, k: 'binding' }],
  ['a record with an extra field', { ...task, branch: 'feat/x' }],
];

describe('checkRecord', () => {
  it.each(cases)('%s: as the schema says', (_name, record) => {
    const schema = LedgerLineSchema.safeParse(record);
    expect(checkRecord(record)).toEqual(schema.success ? schema.data : undefined);
  });
});

describe('rollup event fields', () => {
  it("are each schema's own fields, in its order (a rollup stores them by position)", async () => {
    const schema = await import('../../src/ledger/ledger-schema.js');
    const { EVENT_FIELDS, EVENT_KINDS } = await import('../../src/ledger/rollup-events.js');
    const shapes = {
      bind: schema.BindLine,
      session: schema.SessionLine,
      task: schema.TaskLine,
      manual: schema.ManualLine,
      end: schema.EndLine,
      git: schema.GitLine,
      plan: schema.PlanLine,
      version: schema.VersionLine,
    };
    expect([...EVENT_KINDS]).toEqual(Object.keys(shapes));
    for (const kind of EVENT_KINDS)
      expect([...EVENT_FIELDS[kind]], kind).toEqual(
        Object.keys(shapes[kind].shape).filter((f) => f !== 'k' && f !== 't'),
      );
  });
});
