/**
 * The page restates /cost's number formats (it cannot import them: it holds its script as source
 * text); it must write every amount and count the way /cost writes it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dashboardFormat } from '../../src/dashboard/client/format.js';
import { formatCount, formatTokens, formatUsd } from '../../src/render/format.js';

const page = dashboardFormat('UTC');

describe('the page writes numbers as /cost does', () => {
  it('half a cent rounds up on both: $0.045 is $0.05, not the float artefact $0.04', () => {
    expect([page.usd(0.045), formatUsd(0.045)]).toEqual(['$0.05', '$0.05']);
    expect([page.usd(0.00125), formatUsd(0.00125)]).toEqual(['$0.0013', '$0.0013']);
  });

  it('any amount in dollars', () => {
    const cents = fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 1000); // half-cent boundaries included
    const any = fc.double({ min: 0, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.oneof(cents, any), (usd) => {
        expect(page.usd(usd)).toBe(formatUsd(usd));
      }),
    );
  });

  it('any token count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 - 1 }), (n) => {
        expect(page.tokens(n)).toBe(formatTokens(n));
        expect(page.count(n)).toBe(formatCount(n));
      }),
    );
  });
});
