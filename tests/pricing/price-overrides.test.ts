import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPriceBook, priceCall } from '../../src/pricing/price-call.js';
import { zeroTokens, type TokenCounts } from '../../src/usage/tokens.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-session-prices-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function priceFile(content: unknown): string {
  const file = path.join(dir, `prices-${++n}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const M = 1_000_000;
const tokens = (t: Partial<TokenCounts>): TokenCounts => ({ ...zeroTokens(), ...t });

describe('a user price file', () => {
  it('wins over the table, for every spelling of the model', () => {
    const file = priceFile({ models: { 'claude-sonnet-4-5': { input: 2.5, output: 12 } } });
    const book = loadPriceBook({ overridesFile: file });
    expect(
      priceCall(
        {
          model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
          tokens: tokens({ input: M, output: M }),
          speed: 'standard',
        },
        book,
      ),
    ).toEqual({
      cost: 14.5,
      picoUsd: 14_500_000_000_000n,
      rateSource: `prices file ${file}: claude-sonnet-4-5`,
      longContext: false,
    });
    expect(book.rates('claude-opus-4-6')?.input).toBe(5); // the rest of the table is untouched
  });

  it('prices a model the table does not know, deriving missing cache rates with Anthropic ratios', () => {
    const book = loadPriceBook({
      table: 'claude-code',
      overridesFile: priceFile({ models: { 'Claude-Nonexistent-9': { input: 3, output: 15 } } }),
    });
    expect(book.rates('claude-nonexistent-9')).toEqual({
      input: 3,
      output: 15,
      cacheWrite5m: 3.75,
      cacheWrite1h: 6,
      cacheRead: 0.3,
    });
    expect(
      priceCall({ model: 'claude-nonexistent-9', tokens: tokens({ cacheRead: M }), speed: 'standard' }, book).cost,
    ).toBe(0.3);
  });

  it('a row under a Claude Code alias prices the model the alias stands for', () => {
    const book = loadPriceBook({ overridesFile: priceFile({ models: { haiku: { input: 0.1, output: 0.5 } } }) });
    expect(book.rates('claude-haiku-5-5')?.input).toBe(0.1);
    expect(book.rates('haiku')?.input).toBe(0.1);
  });

  it('keeps cache rates given explicitly, and accepts long-context rates and a fast multiplier', () => {
    const book = loadPriceBook({
      overridesFile: priceFile({
        models: {
          'my-model': { input: 1, output: 2, cacheRead: 0.05, longContext: { input: 2, output: 4 }, fastMultiplier: 3 },
        },
      }),
    });
    expect(book.rates('my-model')).toEqual({
      input: 1,
      output: 2,
      cacheWrite5m: 1.25,
      cacheWrite1h: 2,
      cacheRead: 0.05,
      longContext: { input: 2, output: 4, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 },
      fastMultiplier: 3,
    });
    expect(priceCall({ model: 'my-model', tokens: tokens({ input: 300_000 }), speed: 'fast' }, book).cost).toBe(1.8);
  });
});

describe('a bad price file: one line naming the file and the field', () => {
  it.each([
    [{ models: { 'claude-x': { input: '3', output: 15 } } }, /: models\["claude-x"\]\.input: .*expected number/],
    [{ models: { 'claude-x': { input: 3 } } }, /: models\["claude-x"\]\.output: /],
    [{ models: { 'claude-x': { input: -1, output: 15 } } }, /: models\["claude-x"\]\.input: .*>=0/],
    [
      { models: { 'claude-x': { input: 3, output: 15, cache_read: 0.3 } } },
      /: models\["claude-x"\]: Unrecognized key: "cache_read"/,
    ],
    [{ model: {} }, /: (models: .*|.*Unrecognized key: "model")/],
    ['{ "models": ', /: not JSON \(/],
  ])('%j', (content, message) => {
    const file = priceFile(content);
    let error: Error | undefined;
    try {
      loadPriceBook({ overridesFile: file });
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message.startsWith(`Invalid price file ${file}: `)).toBe(true);
    expect(error?.message).not.toContain('\n');
  });

  it('a missing file says so', () => {
    const file = path.join(dir, 'missing.json');
    expect(() => loadPriceBook({ overridesFile: file })).toThrow(
      new RegExp(`^Cannot read price file ${file}: no such file or folder$`),
    );
  });
});
