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
const call = {
  k: 'call',
  msg: 'msg_1',
  req: 'req_1',
  t,
  cs: 's1',
  model: 'claude-sonnet-4-6',
  in: 3,
  out: 4,
  cw5: 5,
  cw1h: 0,
  cr: 6,
  ws: 'w',
  spec: 'x',
  task: '1.1',
  br: 'main',
  ph: null,
};
const gap = {
  k: 'gap',
  id: 'gap:1',
  t,
  cs: 's1',
  model: 'claude-sonnet-4-6',
  in: 1,
  out: 0,
  cw5: 0,
  cw1h: 0,
  cr: 9,
  ws: null,
  spec: null,
  task: null,
};

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
  ['a call', call],
  ['a call of 0.1.0 (no branch, phase, agent or speed)', { ...call, br: undefined, ph: undefined }],
  ['a call without its request id (a default)', { ...call, req: undefined }],
  ['a call in fast mode by a subagent', { ...call, fast: true, agent: 'a1' }],
  ['a call with a negative count', { ...call, out: -4 }],
  ['a call whose speed is a word', { ...call, fast: 'yes' }],
  ['a call in a phase that is none', { ...call, ph: 'planning' }],
  ['a call with no session', { ...call, cs: undefined }],
  ['a gap', gap],
  ['a gap with a count as text', { ...gap, cr: '9' }],
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
