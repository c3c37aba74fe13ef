/**
 * Which binding a call made at a given time belongs to: the last one at or before that time.
 * A call made at the very millisecond of a /do-task is the new task's; a call made before a later
 * binding keeps the binding of its own time, however late it is read.
 */
import { describe, expect, it } from 'vitest';
import { bindingAt, emptySessionState } from '../../src/capture/claude-session-state.js';

const state = emptySessionState('s', '2026-01-15/s.jsonl', '/t.jsonl');
state.bindings = [
  { t: 1_000, ws: 'inv-1', spec: null, task: null }, // /start-session
  { t: 2_000, ws: 'inv-1', spec: 'invoice-management', task: '1.1' }, // /do-task 1.1
  { t: 3_000, ws: 'inv-1', spec: 'invoice-management', task: '1.2' }, // /do-task 1.2
  { t: 4_000, ws: null, spec: null, task: null }, // /eod
];

const none = { ws: null, spec: null, task: null };
const session = { ws: 'inv-1', spec: null, task: null };
const task = (id: string) => ({ ws: 'inv-1', spec: 'invoice-management', task: id });

describe('bindingAt', () => {
  it.each([
    [0, none],
    [999, none],
    [1_000, session], // exactly at /start-session
    [1_999, session],
    [2_000, task('1.1')], // exactly at /do-task 1.1
    [2_500, task('1.1')],
    [2_999, task('1.1')],
    [3_000, task('1.2')], // exactly at /do-task 1.2
    [3_999, task('1.2')],
    [4_000, none], // exactly at /eod
    [9_999, none],
  ])('a call at %i ms is attributed to %j', (time, expected) => {
    expect(bindingAt(state, time)).toEqual(expected);
  });

  it('no binding at all: unattributed', () => {
    expect(bindingAt(emptySessionState('s', 'f', 't'), 5_000)).toEqual(none);
  });
});
