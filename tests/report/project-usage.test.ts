/**
 * The split every project view shows (cost, cost --json, the dashboard, pr): one row per task and
 * work session, and per branch and commit the tasks its usage went to, as `spec/task`.
 */
import { describe, expect, it } from 'vitest';
import type { UsageItem } from '../../src/ledger/usage-item.js';
import { loadPriceBook } from '../../src/pricing/price-call.js';
import { usageOf } from '../../src/report/project-usage.js';

const book = loadPriceBook({ table: 'anthropic' });
const T0 = Date.parse('2026-11-20T09:00:00.000Z');

function item(n: number, at: Partial<UsageItem>): UsageItem {
  return {
    kind: 'call',
    key: `k${n}`,
    time: T0 + n * 60_000,
    first: T0 + n * 60_000,
    last: T0 + n * 60_000,
    calls: 1,
    longContext: false,
    model: 'claude-sonnet-4-5',
    cs: 'c1',
    speed: 'standard',
    tokens: { input: n, output: 10 * n, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
    phase: null,
    branch: null,
    commit: null,
    ws: null,
    spec: null,
    task: null,
    ...at,
  } as UsageItem;
}

describe('usage split by task, session, branch and commit', () => {
  const items = [
    item(1, { ws: 'morning', spec: 'billing', task: '1.1', branch: 'main', commit: 'aaa' }),
    item(2, { ws: 'morning', spec: 'billing', task: '1.1', branch: 'main' }),
    item(3, { ws: 'evening', spec: 'billing', task: '1.1', branch: 'feat/x', commit: 'bbb' }),
    item(4, { ws: 'evening', spec: 'billing', task: '1.2', branch: 'feat/x', commit: 'bbb' }),
    item(5, { spec: 'billing', task: '1.2', branch: 'feat/x' }),
    item(6, { branch: 'feat/x' }),
  ];
  const usage = usageOf(items, [], book, 'UTC');

  it('one row per task and work session, in order of first activity', () => {
    expect(usage.tasks.map((t) => [t.taskId, t.session, t.tally.tokens.input])).toEqual([
      ['1.1', 'morning', 3],
      ['1.1', 'evening', 3],
      ['1.2', 'evening', 4],
      ['1.2', null, 5],
    ]);
    expect(usage.taskTotals.map((t) => [t.taskId, t.sessions.length, t.tally.tokens.input])).toEqual([
      ['1.1', 2, 6],
      ['1.2', 2, 9],
    ]);
  });

  it('each branch and commit names the tasks its usage went to', () => {
    const tasksOf = (m: Map<string, { tasks: Set<string> }>) => [...m].map(([k, v]) => [k, [...v.tasks].sort()]);
    expect(tasksOf(usage.branches)).toEqual([
      ['main', ['billing/1.1']],
      ['feat/x', ['billing/1.1', 'billing/1.2']],
    ]);
    expect(tasksOf(usage.commits)).toEqual([
      ['aaa', ['billing/1.1']],
      ['bbb', ['billing/1.1', 'billing/1.2']],
    ]);
    expect(usage.unattributed.tokens.input).toBe(6);
  });
});
