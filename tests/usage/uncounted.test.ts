import { describe, expect, it } from 'vitest';
import { uncountedUsage } from '../../src/usage/uncounted.js';
import type { TokenCounts } from '../../src/usage/tokens.js';

const t = (input: number, output = 0, cacheWrite5m = 0, cacheWrite1h = 0, cacheRead = 0): TokenCounts => ({
  input,
  output,
  cacheWrite5m,
  cacheWrite1h,
  cacheRead,
});

describe('usage only cost-state shows', () => {
  it('is the compaction call: counted minus captured, per model', () => {
    const gaps = uncountedUsage(
      { 'claude-opus-5-5': t(12603, 12606, 12609, 0, 12612) },
      new Map([['claude-opus-5-5', t(8402, 8404, 8406, 0, 8408)]]),
    );
    expect(gaps.get('claude-opus-5-5')).toEqual(t(4201, 4202, 4203, 0, 4204));
  });

  it('never exceeds what is missing overall when lines name another model than cost-state', () => {
    // Claude Code asked for claude-opus-5-5; the API answered as claude-opus-5-5-20261101.
    const gaps = uncountedUsage(
      { 'claude-opus-5-5': t(1000, 50) },
      new Map([['claude-opus-5-5-20261101', t(1000, 50)]]),
    );
    expect(gaps.get('claude-opus-5-5')).toEqual(t(0));
  });

  it('compares cache writes as one kind, keeping the 1h part it can explain', () => {
    const gaps = uncountedUsage({ m: t(0, 0, 300, 200) }, new Map([['m', t(0, 0, 250, 100)]]));
    expect(gaps.get('m')).toEqual(t(0, 0, 50, 100));
  });

  it('is zero when lines hold more than cost-state (a stale cost-state)', () => {
    expect(uncountedUsage({ m: t(10, 10) }, new Map([['m', t(20, 20)]])).get('m')).toEqual(t(0));
  });
});
