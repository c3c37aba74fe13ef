import { describe, expect, it } from 'vitest';
import { anthropicTable, claudeCodeFallbackRates, claudeCodeTable } from '../../src/pricing/price-tables.js';
import type { PriceTable } from '../../src/pricing/types.js';

type Row = [
  model: string,
  input: number,
  output: number,
  write5m: number,
  write1h: number,
  read: number,
  fast?: number,
];

const cells = (table: PriceTable, model: string) => {
  const r = table.models[model];
  return (
    r && [
      model,
      r.input,
      r.output,
      r.cacheWrite5m,
      r.cacheWrite1h,
      r.cacheRead,
      ...(r.fastMultiplier ? [r.fastMultiplier] : []),
    ]
  );
};

describe('anthropic table = LiteLLM in ccusage 20.0.24 (pricing.md table 1)', () => {
  it.each<Row>([
    ['claude-opus-5', 5, 25, 6.25, 10, 0.5, 2],
    ['claude-opus-4-8', 5, 25, 6.25, 10, 0.5, 2],
    ['claude-opus-4-7', 5, 25, 6.25, 10, 0.5, 6],
    ['claude-opus-4-6', 5, 25, 6.25, 10, 0.5, 6],
    ['claude-opus-4-5', 5, 25, 6.25, 10, 0.5],
    ['claude-opus-4-1', 15, 75, 18.75, 30, 1.5],
    ['claude-opus-4', 15, 75, 18.75, 30, 1.5],
    ['claude-sonnet-5', 2, 10, 2.5, 4, 0.2],
    ['claude-sonnet-4-6', 3, 15, 3.75, 6, 0.3],
    ['claude-sonnet-4-5', 3, 15, 3.75, 6, 0.3],
    ['claude-sonnet-4', 3, 15, 3.75, 6, 0.3],
    ['claude-3-7-sonnet', 3, 15, 3.75, 6, 0.3],
    ['claude-haiku-4-5', 1, 5, 1.25, 2, 0.1],
    ['claude-3-5-haiku', 0.8, 4, 1, 1.6, 0.08],
    ['claude-3-haiku', 0.25, 1.25, 0.3, 0.5, 0.03],
    ['claude-3-opus', 15, 75, 18.75, 30, 1.5],
    // Not in LiteLLM's table: Claude Code's measured rates (and its ×2 fast mode).
    ['claude-opus-5-5', 4, 20, 5, 8, 0.2, 2],
    ['claude-fable-5', 10, 50, 12.5, 20, 1],
  ])('%s', (...row) => {
    expect(cells(anthropicTable, row[0])).toEqual(row);
  });

  it('has long-context rates for sonnet-4-5 and sonnet-4 only: 6 / 22.5 / 7.5 / 12 / 0.6', () => {
    const long = Object.entries(anthropicTable.models)
      .filter(([, r]) => r.longContext)
      .map(([m, r]) => [m, r.longContext]);
    const rates = { input: 6, output: 22.5, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6 };
    expect(long).toEqual([
      ['claude-sonnet-4-5', rates],
      ['claude-sonnet-4', rates],
    ]);
  });

  it('says where the two rows without a LiteLLM price come from', () => {
    expect(anthropicTable.models['claude-opus-5-5']?.note).toMatch(/not in LiteLLM/);
    expect(anthropicTable.models['claude-fable-5']?.note).toMatch(/not in LiteLLM/);
  });
});

describe('claude-code table = Claude Code 2.1.331 measured (tests/pricing/measure-claude-code-prices.mjs)', () => {
  it.each<Row>([
    ['claude-opus-5-5', 4, 20, 5, 8, 0.2, 2],
    ['claude-opus-5', 5, 25, 6.25, 10, 0.5, 2],
    ['claude-opus-4-8', 5, 25, 6.25, 10, 0.5, 2],
    ['claude-opus-4-7', 5, 25, 6.25, 10, 0.5, 6],
    ['claude-opus-4-6', 5, 25, 6.25, 10, 0.5, 6],
    ['claude-opus-4-5', 5, 25, 6.25, 10, 0.5],
    ['claude-sonnet-5', 2, 10, 2.5, 4, 0.2],
    ['claude-sonnet-4-6', 3, 15, 3.75, 6, 0.3],
    ['claude-sonnet-4-5', 3, 15, 3.75, 6, 0.3],
    ['claude-sonnet-4', 3, 15, 3.75, 6, 0.3],
    ['claude-3-7-sonnet', 3, 15, 3.75, 6, 0.3],
    ['claude-haiku-4-5', 1, 5, 1.25, 2, 0.1],
    ['claude-3-5-haiku', 0.8, 4, 1, 1.6, 0.08],
    ['claude-fable-5', 10, 50, 12.5, 20, 1],
  ])('%s', (...row) => {
    expect(cells(claudeCodeTable, row[0])).toEqual(row);
  });

  it('has no long-context rates and no row for the models it bills at its default', () => {
    expect(Object.values(claudeCodeTable.models).some((r) => r.longContext)).toBe(false);
    for (const m of ['claude-opus-4-1', 'claude-opus-4', 'claude-3-haiku', 'claude-3-opus'])
      expect(claudeCodeTable.models[m]).toBeUndefined();
  });

  it('exposes the default model Claude Code falls back to, at 4 / 20 / 5 / 8 / 0.20, never fast', () => {
    const { model, rates } = claudeCodeFallbackRates;
    expect([
      model,
      rates.input,
      rates.output,
      rates.cacheWrite5m,
      rates.cacheWrite1h,
      rates.cacheRead,
      rates.fastMultiplier,
    ]).toEqual(['claude-opus-5-5', 4, 20, 5, 8, 0.2, undefined]);
  });
});

it.each([anthropicTable, claudeCodeTable])('$name: dated, aliases point at rows, date given', (table) => {
  expect(table.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(table.source).not.toBe('');
  for (const target of Object.values(table.aliases)) expect(table.models[target]).toBeDefined();
  for (const id of Object.keys(table.models)) expect(id).not.toMatch(/-\d{8}$/);
});
