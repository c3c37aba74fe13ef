import { describe, expect, it } from 'vitest';
import { formatCount, formatTokens } from '../../src/render/format.js';
import { dayKey } from '../../src/time/zoned.js';
import { clock } from '../../src/time/time-format.js';
import { intlClock, intlDay } from '../time/intl-oracle.js';

describe('numbers and times without Intl on the hot paths', () => {
  it('formatCount writes what toLocaleString("en-US") writes', () => {
    const values = [
      0,
      1,
      12,
      999,
      1000,
      1001,
      12_345,
      999_999,
      1_000_000,
      151_711,
      1_234_567_890,
      2 ** 53 - 1,
      -1,
      -1234,
      -999_999,
      1.5,
      1234.25,
      0.125,
      1234.5678,
      -0.5,
    ];
    for (let i = 0; i < 200; i++) values.push(Math.floor(Math.random() * 10 ** (1 + (i % 13))));
    for (const n of values) expect(formatCount(n), String(n)).toBe(n.toLocaleString('en-US'));
    expect(formatTokens(45_533)).toBe('45,533');
  });

  it('a UTC day and clock are the ones Intl gives', () => {
    const day = intlDay('UTC');
    const time = intlClock('UTC');
    for (let t = Date.UTC(2026, 0, 1) - 7 * 60_000; t < Date.UTC(2026, 0, 3); t += 7 * 60_000 + 13_000) {
      expect(dayKey(t, 'UTC')).toBe(day(t));
      expect(clock(t, 'UTC')).toBe(time(t));
    }
  });
});
