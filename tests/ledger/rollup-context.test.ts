/**
 * A rollup run asks, for each call of the files it rolls up, whether a rollup already counts it
 * (the call keys rollups hold, by UTC day). Those keys are made into a set per day only when a call
 * of that day is first asked about; a folder rolled up earlier in the same run adds its keys after,
 * and a later folder's call counted there must then read as rolled, or it would be counted twice.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RollupContext } from '../../src/ledger/rollup-plan.js';
import { callKeyHash, keyDay, type RollupEntry } from '../../src/ledger/rollup-format.js';

const entry = (src: string, keys: Record<string, string>): RollupEntry =>
  ({ src, bytes: 1, sha: 'ab', cs: null, rows: [], keys, gaps: {}, events: [] }) as RollupEntry;

describe('the call keys a rollup run knows', () => {
  const t = Date.UTC(2026, 10, 3, 23, 50);
  const day = keyDay(t);

  it('count a call once its entry is learnt, whether its day was asked about before or not', () => {
    const context = new RollupContext(mkdtempSync(join(tmpdir(), 'rollup-context-')), [], [], []);
    expect(context.isRolled(t, 'msg_a')).toBe(false); // no key of that day yet
    context.learn([entry('2026-11-02/x.jsonl', { [day]: callKeyHash('msg_x') })]);
    expect(context.isRolled(t, 'msg_x')).toBe(true); // the day's set is made now
    expect(context.isRolled(t, 'msg_a')).toBe(false);
    context.learn([entry('2026-11-03/a.jsonl', { [day]: callKeyHash('msg_a') + callKeyHash('msg_b') })]);
    expect(context.isRolled(t, 'msg_a')).toBe(true);
    expect(context.isRolled(t, 'msg_b')).toBe(true);
    expect(context.isRolled(t, 'msg_c')).toBe(false);
    expect(context.isRolled(t + 86_400_000, 'msg_a')).toBe(false); // another day's keys are its own
    context.learn([entry('2026-11-04/b.jsonl', { [keyDay(t + 86_400_000)]: callKeyHash('msg_c') })]);
    expect(context.isRolled(t + 86_400_000, 'msg_c')).toBe(true);
  });

  it('leave out the entries a folder writes again, but not a key another entry holds too', () => {
    const context = new RollupContext(mkdtempSync(join(tmpdir(), 'rollup-context-')), [], [], []);
    context.learn([
      entry('2026-11-03/a.jsonl', { [day]: callKeyHash('msg_x') + callKeyHash('msg_y') }),
      entry('2026-11-03/b.jsonl', { [day]: callKeyHash('msg_y') }),
    ]);
    const except = context.rolledExcept(new Set(['2026-11-03/a.jsonl']));
    expect(except(t, 'msg_x')).toBe(false); // only a's old entry counted it: a's new entry must
    expect(except(t, 'msg_y')).toBe(true); // b's entry counts it still
    expect(context.isRolled(t, 'msg_x')).toBe(true); // the run's own question is unchanged
  });
});
