import { describe, expect, it } from 'vitest';
import { claudeCodeModelFor, normalizeModelName, resolveModelId } from '../../src/pricing/model-name.js';
import { anthropicTable, claudeCodeTable } from '../../src/pricing/price-tables.js';
import type { PriceTable } from '../../src/pricing/types.js';

const resolveIn = (table: PriceTable, raw: string) =>
  resolveModelId(raw, (id) => Object.hasOwn(table.models, id), table.aliases);

describe('normalizeModelName', () => {
  it.each([
    // [as logged, normalised]
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929'],
    ['Claude-Opus-4-6', 'claude-opus-4-6'],
    ['  claude-haiku-4-5  ', 'claude-haiku-4-5'],
    ['claude-sonnet-4-5[1m]', 'claude-sonnet-4-5'],
    ['claude-opus-4-6[1m]', 'claude-opus-4-6'],
    ['claude-sonnet-4-5-20250929[1m]', 'claude-sonnet-4-5-20250929'],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku-20241022'],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'claude-3-haiku-20240307'],
    ['anthropic.claude-opus-4-20250514-v1:0', 'claude-opus-4-20250514'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929'],
    ['eu.anthropic.claude-3-7-sonnet-20250219-v1:0', 'claude-3-7-sonnet-20250219'],
    ['apac.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4-20250514'],
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5-20251001'],
    ['bedrock/us.anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1-20250805'],
    [
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0',
      'claude-sonnet-4-20250514',
    ],
    ['claude-opus-4-1@20250805', 'claude-opus-4-1-20250805'],
    ['vertex_ai/claude-sonnet-4@20250514', 'claude-sonnet-4-20250514'],
    ['claude-sonnet-4-5@default', 'claude-sonnet-4-5'],
    ['anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['anthropic/claude-3.7-sonnet', 'claude-3-7-sonnet'],
    ['anthropic/claude-sonnet-4.5:beta', 'claude-sonnet-4-5'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku-latest'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeModelName(raw)).toBe(expected);
  });
});

describe('resolveModelId: exact id, then without date, then alias', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5[1m]', 'claude-sonnet-4-5'],
    ['claude-opus-4-1@20250805', 'claude-opus-4-1'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet'],
    ['claude-3-haiku-20240307', 'claude-3-haiku'],
    ['claude-3-opus-20240229', 'claude-3-opus'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['claude-opus-4-0', 'claude-opus-4'],
    ['claude-4-sonnet-20250514', 'claude-sonnet-4'],
    ['claude-opus-5-5', 'claude-opus-5-5'],
    ['claude-nonexistent-9', undefined],
    ['<synthetic>', undefined],
    ['constructor', undefined],
  ])('anthropic: %s → %s', (raw, expected) => {
    expect(resolveIn(anthropicTable, raw)).toBe(expected);
  });

  it.each([
    ['claude-opus-4-5-20251101', 'claude-opus-4-5'],
    ['claude-sonnet-4-0', 'claude-sonnet-4'],
    // Claude Code has no row for these: it bills its default model's rates (see claudeCodeFallbackRates).
    ['claude-opus-4-1-20250805', undefined],
    ['claude-4-sonnet', undefined],
  ])('claude-code: %s → %s', (raw, expected) => {
    expect(resolveIn(claudeCodeTable, raw)).toBe(expected);
  });

  it('prefers an exact dated id over the undated row', () => {
    const rows = new Set(['claude-x', 'claude-x-20250101']);
    expect(resolveModelId('claude-x-20250101', (id) => rows.has(id))).toBe('claude-x-20250101');
    expect(resolveModelId('claude-x-20259999', (id) => rows.has(id))).toBe('claude-x');
  });
});

describe("Claude Code's model aliases, as 2.1.331 resolves them on Anthropic's API", () => {
  it.each([
    ['opus', 'claude-opus-5-5'],
    ['Opus', 'claude-opus-5-5'],
    ['opus[1m]', 'claude-opus-5-5'],
    ['best', 'claude-opus-5-5'],
    // 2.1.331 runs claude-haiku-5-5, claude-sonnet-5-5 and claude-fable-5-2 for these, which the
    // table has no row for: unpriced, never priced as an older model.
    ['haiku', undefined],
    ['sonnet', undefined],
    ['fable', undefined],
  ])('anthropic: %s → %s', (raw, expected) => {
    expect(resolveIn(anthropicTable, raw)).toBe(expected);
  });

  it.each([
    ['haiku', 'claude-haiku-5-5'],
    ['sonnet', 'claude-sonnet-5-5'],
    ['sonnet[1m]', 'claude-sonnet-5-5'],
    ['opusplan', 'claude-sonnet-5-5'],
    ['opus', 'claude-opus-5-5'],
    ['fable', 'claude-fable-5-2'],
    ['claude-haiku-4-5', 'claude-haiku-4-5'],
  ])('%s stands for %s', (alias, model) => {
    expect(claudeCodeModelFor(alias)).toBe(model);
  });

  it('an alias resolves through a user price file too', () => {
    expect(resolveModelId('haiku', (id) => id === 'claude-haiku-5-5')).toBe('claude-haiku-5-5');
  });
});
