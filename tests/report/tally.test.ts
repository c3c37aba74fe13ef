/**
 * Every view's dollars come from UsageTally, which sums pico-USD as a float while that is exact
 * and spills into a bigint past 2^52. The sums must equal a plain bigint sum in every case: across
 * the spill, with prices above it, negative ones (an undone manual entry), merges and unpriced usage.
 */
import { describe, expect, it } from 'vitest';
import { loadPriceBook } from '../../src/pricing/price-call.js';
import { UsageTally } from '../../src/report/tally.js';

/** A price as picoAddendOf hands it to a tally: a number when under 2^52, else the bigint. */
const picoAddend = (p: bigint | null) => (p !== null && p < 2n ** 52n && p > -(2n ** 52n) ? Number(p) : p);

const book = loadPriceBook();
const tokens = { input: 1, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };

describe('UsageTally sums pico-USD exactly', () => {
  it('across the 2^52 spill, with prices above it and below zero, as a bigint sum would', () => {
    const prices = [
      2n ** 51n + 7n,
      2n ** 51n + 3n,
      2n ** 52n - 1n,
      1n,
      2n ** 53n + 5n, // above what a float holds exactly: added as a bigint
      -(2n ** 51n) - 9n,
      123_456_789_012_345n,
      ...Array.from({ length: 2000 }, (_, i) => 4_503_599_627_370_000n + BigInt(i) * 977n),
      ...Array.from({ length: 6000 }, (_, i) => -2_251_799_813_685_249n - BigInt(i) * 131n),
    ];
    const tally = new UsageTally(book);
    const split = new UsageTally(book);
    const other = new UsageTally(book);
    prices.forEach((p, i) => {
      tally.addPriced(i % 2 ? 'model-a' : 'model-b', tokens, picoAddend(p));
      (i % 3 ? split : other).addPriced('model-a', tokens, picoAddend(p));
    });
    const want = prices.reduce((a, b) => a + b, 0n);
    expect(tally.picoUsd).toBe(want);
    split.merge(other);
    expect(split.picoUsd).toBe(want);
    expect(split.models.get('model-a')!.picoUsd).toBe(want);
    const odd = prices.filter((_, i) => i % 2).reduce((a, b) => a + b, 0n);
    expect(tally.models.get('model-a')!.picoUsd).toBe(odd);
    expect(tally.models.get('model-b')!.picoUsd).toBe(want - odd);
    expect(tally.calls).toBe(prices.length);
    // In dollars, as every report shows them: the whole and each model, spilled or not.
    expect(tally.cost).toBe(Number(want) / 1e12);
    const perModel = new Map<string, [number | null, number]>();
    tally.forEachModel((name, _tokens, calls, usd) => perModel.set(name, [usd, calls]));
    expect(perModel).toEqual(new Map([...tally.models].map(([name, m]) => [name, [m.cost, m.calls]])));
    expect(perModel.get('model-a')![0]).toBe(Number(odd) / 1e12);
    const small = new UsageTally(book);
    small.addPriced('model-a', tokens, picoAddend(1_234_567n));
    small.addPriced('model-a', tokens, picoAddend(-34_567n));
    expect(small.cost).toBe(1.2e-6);
  });

  it('an unpriced model adds its tokens but no dollars, and is named', () => {
    const tally = new UsageTally(book);
    tally.addPriced('model-a', tokens, picoAddend(5n));
    tally.addPriced('mystery', tokens, null);
    tally.addPriced('mystery', tokens, picoAddend(7n));
    expect(tally.picoUsd).toBe(12n);
    expect(tally.models.get('mystery')!.cost).toBeNull();
    const usd: Array<[string, number | null]> = [];
    tally.forEachModel((name, _tokens, _calls, cost) => usd.push([name, cost]));
    expect(usd).toEqual([
      ['model-a', 5e-12],
      ['mystery', null],
    ]);
    expect([...tally.unpriced]).toEqual(['mystery']);
    expect(tally.tokens.input).toBe(3);
  });

  it("a merge carries a model's unpriced usage: its cost stays unknown, the priced part still counts", () => {
    const priced = new UsageTally(book);
    priced.addPriced('mystery', tokens, picoAddend(5n));
    priced.addPriced('model-a', tokens, picoAddend(2n));
    const unpriced = new UsageTally(book);
    unpriced.addPriced('mystery', tokens, null);
    priced.merge(unpriced);
    expect(priced.models.get('mystery')!.cost).toBeNull();
    expect(priced.models.get('mystery')!.calls).toBe(2);
    expect(priced.models.get('model-a')!.picoUsd).toBe(2n);
    expect(priced.picoUsd).toBe(7n);
    expect([...priced.unpriced]).toEqual(['mystery']);
    expect(priced.calls).toBe(3);
  });
});
