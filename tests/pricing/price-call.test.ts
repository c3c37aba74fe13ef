import { describe, expect, it } from 'vitest';
import {
  costAtRates,
  loadPriceBook,
  picoAddendAtRates,
  picoUsdAtRates,
  priceCall,
  priceTokens,
  unpricedHint,
} from '../../src/pricing/price-call.js';
import type { Speed } from '../../src/pricing/types.js';
import { zeroTokens, type TokenCounts } from '../../src/usage/tokens.js';

const anthropic = loadPriceBook();
const claudeCode = loadPriceBook({ table: 'claude-code' });
const M = 1_000_000;
const tokens = (t: Partial<TokenCounts>): TokenCounts => ({ ...zeroTokens(), ...t });
const cost = (book = anthropic, model: string, t: Partial<TokenCounts>, speed: Speed = 'standard') =>
  priceCall({ model, tokens: tokens(t), speed }, book).cost;

describe('dollar figures a user sees', () => {
  it.each([
    // [table, model, tokens, USD]
    ['anthropic', 'claude-sonnet-4-5', { input: 100_000 }, 0.3],
    ['claude-code', 'claude-sonnet-4-5', { input: 100_000 }, 0.3],
    // One call with a 1M-token prompt ([1m] context): long context for Anthropic, not for Claude Code.
    ['anthropic', 'claude-sonnet-4-5', { input: M }, 6],
    ['claude-code', 'claude-sonnet-4-5', { input: M }, 3],
    ['anthropic', 'claude-sonnet-4-5-20250929', { output: M }, 15],
    ['anthropic', 'claude-opus-5-5', { input: M }, 4],
    ['anthropic', 'claude-opus-5-5', { output: M }, 20],
    ['anthropic', 'claude-opus-5-5', { cacheRead: M }, 0.2],
    ['claude-code', 'claude-opus-5-5', { input: M }, 4],
    ['claude-code', 'claude-opus-5-5', { output: M }, 20],
    ['claude-code', 'claude-opus-5-5', { cacheRead: M }, 0.2],
    ['anthropic', 'claude-haiku-4-5-20251001', { input: 1000, output: 500 }, 0.0035],
    ['anthropic', 'claude-opus-4-1-20250805', { cacheWrite5m: 10_000, cacheRead: 90_000 }, 0.3225],
    ['anthropic', 'claude-3-5-haiku', { cacheRead: 123_456 }, 0.00987648],
    [
      'claude-code',
      'claude-fable-5',
      { input: 1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 },
      0.0000935,
    ],
  ] as const)('%s %s %o = $%s', (table, model, t, usd) => {
    expect(cost(table === 'anthropic' ? anthropic : claudeCode, model, t)).toBe(usd);
  });

  it('resolves Bedrock and [1m] spellings to the same price', () => {
    expect(cost(anthropic, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', { input: 100_000 })).toBe(0.3);
    expect(cost(anthropic, 'claude-sonnet-4-5[1m]', { input: 100_000 })).toBe(0.3);
    expect(anthropic.source('claude-sonnet-4-5[1m]')).toBe('Anthropic list prices as of 2026-11-24: claude-sonnet-4-5');
  });

  it('prices 1h cache writes at 2 × input in both tables (Claude Code 2.1.331 measured; 5m is 1.25 ×)', () => {
    expect(cost(anthropic, 'claude-sonnet-4-6', { cacheWrite1h: M })).toBe(6);
    expect(cost(claudeCode, 'claude-sonnet-4-5', { cacheWrite1h: M })).toBe(6);
    expect(cost(claudeCode, 'claude-opus-5-5', { cacheWrite1h: M })).toBe(8);
    expect(cost(claudeCode, 'claude-sonnet-4-5', { cacheWrite5m: M })).toBe(3.75);
  });
});

describe('long context: over 200k prompt tokens, the whole call at long-context rates (Anthropic)', () => {
  const call = { input: 50_000, cacheRead: 150_000, cacheWrite5m: 50_000, output: 10_000 }; // prompt 250k

  it('anthropic prices the whole 250k-prompt sonnet-4-5 call at 6 / 22.5 / 7.5 / 0.6', () => {
    const priced = priceCall({ model: 'claude-sonnet-4-5', tokens: tokens(call), speed: 'standard' }, anthropic);
    // 50k × 6 + 150k × 0.6 + 50k × 7.5 + 10k × 22.5 per million
    expect(priced).toEqual({
      cost: 0.99,
      picoUsd: 990_000_000_000n,
      rateSource: expect.stringMatching(/long-context rates \(prompt over 200,000 tokens\)$/),
      longContext: true,
    });
  });

  it('claude-code has no long-context rate: the same call at normal prices', () => {
    expect(
      priceCall({ model: 'claude-sonnet-4-5', tokens: tokens(call), speed: 'standard' }, claudeCode),
    ).toMatchObject({ cost: 0.5325, longContext: false });
  });

  it('exactly 200,000 prompt tokens is still the normal rate; one more is long context', () => {
    expect(cost(anthropic, 'claude-sonnet-4', { input: 200_000 })).toBe(0.6);
    expect(cost(anthropic, 'claude-sonnet-4', { input: 200_001 })).toBe(1.200006);
  });

  it('models without long-context rates keep their price above 200k', () => {
    expect(
      priceCall({ model: 'claude-sonnet-4-6', tokens: tokens({ input: 300_000 }), speed: 'standard' }, anthropic),
    ).toMatchObject({ cost: 0.9, longContext: false });
  });

  it('priceTokens takes the decision from the caller (for tallies summed over many calls)', () => {
    const summed = tokens({ input: 300_000 }); // three 100k calls
    expect(
      priceTokens({ model: 'claude-sonnet-4-5', tokens: summed, speed: 'standard', longContext: false }, anthropic)
        .cost,
    ).toBe(0.9);
    expect(
      priceTokens({ model: 'claude-sonnet-4-5', tokens: summed, speed: 'standard', longContext: true }, anthropic).cost,
    ).toBe(1.8);
  });
});

describe('fast mode multiplies every kind', () => {
  it.each([
    ['anthropic', 'claude-opus-4-6', 6],
    ['anthropic', 'claude-opus-4-7', 6],
    ['anthropic', 'claude-opus-4-8', 2],
    ['anthropic', 'claude-opus-5', 2],
    ['claude-code', 'claude-opus-4-6', 6],
    ['claude-code', 'claude-opus-5-5', 2],
    ['anthropic', 'claude-sonnet-5', 1],
  ] as const)('%s %s ×%s', (table, model, times) => {
    const book = table === 'anthropic' ? anthropic : claudeCode;
    const all = { input: M, output: M, cacheWrite5m: M, cacheWrite1h: M, cacheRead: M };
    expect(cost(book, model, all, 'fast')).toBe(times * cost(book, model, all)!);
  });

  it('opus-4-6: 1M input $30, 1M output $150 in fast mode', () => {
    expect(cost(anthropic, 'claude-opus-4-6', { input: M }, 'fast')).toBe(30);
    expect(priceCall({ model: 'claude-opus-4-6', tokens: tokens({ output: M }), speed: 'fast' }, anthropic)).toEqual({
      cost: 150,
      picoUsd: 150_000_000_000_000n,
      rateSource: 'Anthropic list prices as of 2026-11-24: claude-opus-4-6, fast mode ×6',
      longContext: false,
    });
  });
});

describe('unknown models are unpriced, never $0', () => {
  it('claude-nonexistent-9 → null, with a hint saying how to add a price', () => {
    const priced = priceCall(
      { model: 'claude-nonexistent-9', tokens: tokens({ input: M }), speed: 'standard' },
      anthropic,
    );
    expect(priced).toEqual({
      cost: null,
      picoUsd: null,
      rateSource: 'unpriced: claude-nonexistent-9 is not in Anthropic list prices',
      longContext: false,
    });
    expect(unpricedHint('claude-nonexistent-9')).toBe(
      'no price for "claude-nonexistent-9": add "claude-nonexistent-9" to .claude/spec-session/prices.json as {"models": {"claude-nonexistent-9": {"input": 3, "output": 15}}} (USD per million tokens)',
    );
  });

  it('claude-code: unpriced, naming what Claude Code would silently bill instead', () => {
    expect(
      priceCall({ model: 'claude-opus-4-1-20250805', tokens: tokens({ input: M }), speed: 'standard' }, claudeCode),
    ).toEqual({
      cost: null,
      picoUsd: null,
      rateSource:
        "unpriced: claude-opus-4-1-20250805 is not in Claude Code's table (Claude Code would bill it as claude-opus-5-5)",
      longContext: false,
    });
  });

  it('a call with no tokens costs $0 on any model (Claude Code writes <synthetic> lines)', () => {
    expect(priceCall({ model: '<synthetic>', tokens: zeroTokens(), speed: 'standard' }, anthropic)).toEqual({
      cost: 0,
      picoUsd: 0n,
      rateSource: 'no tokens',
      longContext: false,
    });
  });
});

describe('costAtRates', () => {
  const rates = { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 };

  it('is exact: no float drift however the tokens were summed', () => {
    let naive = 0;
    for (let call = 0; call < 11; call++) naive += (7 * 0.3) / 1e6;
    expect(naive).not.toBe(0.0000231); // what adding per-call float costs gives
    expect(costAtRates(tokens({ cacheRead: 77 }), rates)).toBe(0.0000231);
    expect(
      costAtRates(
        tokens({ input: 1234, output: 567, cacheWrite5m: 8901, cacheWrite1h: 23, cacheRead: 456_789 }),
        rates,
      ),
    ).toBe(0.18276045);
  });

  it('rejects token counts that are not integers; a negative one (a correcting entry) prices to the exact opposite', () => {
    expect(() => costAtRates(tokens({ output: 1.5 }), rates)).toThrow('output token count must be an integer, got 1.5');
    expect(costAtRates(tokens({ input: -250_000, output: -1 }), rates)).toBe(
      -costAtRates(tokens({ input: 250_000, output: 1 }), rates),
    );
  });
});

describe('picoAddendAtRates: the price a tally adds', () => {
  it('equals the bigint price exactly, as a number only when that is exact and under 2^52', () => {
    const rates = { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 };
    let seed = 11;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    let numbers = 0;
    let bigints = 0;
    for (let n = 0; n < 5000; n++) {
      // Counts from one token to far past what a float product holds exactly, some negative (an undo).
      const count = () => Math.round((next() < 0.1 ? -1 : 1) * 10 ** (next() < 0.03 ? 9 + next() * 5 : next() * 8));
      const t = tokens({
        input: count(),
        output: count(),
        cacheWrite5m: count(),
        cacheWrite1h: count(),
        cacheRead: count(),
      });
      const multiplier = [1, 6, 2.5][n % 3]!;
      const got = picoAddendAtRates(t, rates, multiplier);
      const want = picoUsdAtRates(t, rates, multiplier);
      expect(typeof got === 'number' ? BigInt(got) : got).toBe(want);
      if (typeof got === 'number') {
        numbers++;
        expect(Math.abs(got)).toBeLessThan(2 ** 52);
      } else bigints++;
    }
    expect(() => picoAddendAtRates(tokens({ output: 1.5 }), rates)).toThrow('output token count must be an integer');
    expect(numbers).toBeGreaterThan(1000);
    expect(bigints).toBeGreaterThan(200);
  });
});
