import type { ModelRates, PriceTable, PriceTableName, TokenRates } from './types.js';

/** Anthropic's cache prices as multiples of the input price: used to fill in a user's partial rates. */
export const ANTHROPIC_CACHE_RATIOS = { cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 } as const;

/** USD per million tokens: input, output, 5-minute cache write, 1-hour cache write, cache read. */
function rates(
  input: number,
  output: number,
  cacheWrite5m: number,
  cacheWrite1h: number,
  cacheRead: number,
): TokenRates {
  return { input, output, cacheWrite5m, cacheWrite1h, cacheRead };
}

const OPUS_4_5 = rates(5, 25, 6.25, 10, 0.5);
const OPUS_4 = rates(15, 75, 18.75, 30, 1.5);
const SONNET_5 = rates(2, 10, 2.5, 4, 0.2);
const SONNET_4 = rates(3, 15, 3.75, 6, 0.3);
const SONNET_4_LONG = rates(6, 22.5, 7.5, 12, 0.6);
const HAIKU_4_5 = rates(1, 5, 1.25, 2, 0.1);
const HAIKU_3_5 = rates(0.8, 4, 1, 1.6, 0.08);
const HAIKU_3 = rates(0.25, 1.25, 0.3, 0.5, 0.03);
// Claude Code's rates for the two models LiteLLM's table does not list (measured, see claudeCodeTable).
const OPUS_5_5 = rates(4, 20, 5, 8, 0.2);
const FABLE_5 = rates(10, 50, 12.5, 20, 1);

const NOT_IN_LITELLM = "Claude Code's measured rate: Anthropic's list price is not in LiteLLM's table";

/** Names Anthropic's docs and LiteLLM also use for the same rows. */
const ALIASES: Record<string, string> = {
  'claude-opus-4-0': 'claude-opus-4',
  'claude-4-opus': 'claude-opus-4',
  'claude-sonnet-4-0': 'claude-sonnet-4',
  'claude-4-sonnet': 'claude-sonnet-4',
  'claude-3-7-sonnet-latest': 'claude-3-7-sonnet',
  'claude-3-5-haiku-latest': 'claude-3-5-haiku',
  'claude-3-opus-latest': 'claude-3-opus',
};

/**
 * What Anthropic bills: the LiteLLM table that ccusage 20.0.24 embeds, each cell re-measured by
 * running ccusage on 2026-11-24. 5m write = 1.25 × input, 1h write = 2 × input, read = 0.1 × input.
 */
export const anthropicTable: PriceTable = {
  name: 'anthropic',
  asOf: '2026-11-24',
  label: 'Anthropic list prices',
  source: 'Anthropic list prices as embedded (from LiteLLM) in ccusage 20.0.24, measured 2026-11-24',
  models: {
    'claude-opus-5-5': { ...OPUS_5_5, fastMultiplier: 2, note: NOT_IN_LITELLM },
    'claude-fable-5': { ...FABLE_5, note: NOT_IN_LITELLM },
    'claude-opus-5': { ...OPUS_4_5, fastMultiplier: 2 },
    'claude-opus-4-8': { ...OPUS_4_5, fastMultiplier: 2 },
    'claude-opus-4-7': { ...OPUS_4_5, fastMultiplier: 6 },
    'claude-opus-4-6': { ...OPUS_4_5, fastMultiplier: 6 },
    'claude-opus-4-5': OPUS_4_5,
    'claude-opus-4-1': OPUS_4,
    'claude-opus-4': OPUS_4,
    'claude-sonnet-5': SONNET_5,
    'claude-sonnet-4-6': SONNET_4,
    'claude-sonnet-4-5': { ...SONNET_4, longContext: SONNET_4_LONG },
    'claude-sonnet-4': { ...SONNET_4, longContext: SONNET_4_LONG },
    'claude-3-7-sonnet': SONNET_4,
    'claude-haiku-4-5': HAIKU_4_5,
    'claude-3-5-haiku': HAIKU_3_5,
    'claude-3-haiku': HAIKU_3,
    'claude-3-opus': OPUS_4,
  },
  aliases: ALIASES,
};

/**
 * Claude Code's own table, the one behind `total_cost_usd`, the statusline, `cost-state` and
 * `/usage`. Measured with CLI 2.1.331 against a loopback mock, 1,000,000 tokens of one kind per
 * run (tests/pricing/measure-claude-code-prices.mjs), on 2026-11-24 and again on 2026-11-25.
 * Measured facts encoded here:
 * - 1h cache writes: 2 × input whenever the API reports `cache_creation.ephemeral_1h_input_tokens`
 *   (re-measured 2026-11-25; a usage with only `cache_creation_input_tokens` is all billed as 5m,
 *   which is what a probe without the 5m/1h split sees).
 * - No long-context rate: 250k input on sonnet-4-5 costs $0.75.
 * - Fast mode IS applied, with the same multipliers as Anthropic's (×6 opus-4-6/4-7, ×2
 *   opus-4-8/5/5-5); none on sonnet, haiku, fable.
 * - A model missing here (opus-4-1, opus-4, claude-3-haiku, claude-3-opus, any unknown name) is
 *   billed by Claude Code at its default model's rates, without fast multiplier. We do not copy
 *   that: such a call is unpriced, and claudeCodeFallbackRates lets a report say what Claude Code
 *   would have shown.
 */
export const claudeCodeTable: PriceTable = {
  name: 'claude-code',
  asOf: '2026-11-25',
  label: "Claude Code's own prices",
  source: "Claude Code 2.1.331's built-in price table (total_cost_usd), measured 2026-11-25",
  models: {
    'claude-opus-5-5': { ...OPUS_5_5, fastMultiplier: 2 },
    'claude-fable-5': FABLE_5,
    'claude-opus-5': { ...OPUS_4_5, fastMultiplier: 2 },
    'claude-opus-4-8': { ...OPUS_4_5, fastMultiplier: 2 },
    'claude-opus-4-7': { ...OPUS_4_5, fastMultiplier: 6 },
    'claude-opus-4-6': { ...OPUS_4_5, fastMultiplier: 6 },
    'claude-opus-4-5': OPUS_4_5,
    'claude-sonnet-5': SONNET_5,
    'claude-sonnet-4-6': SONNET_4,
    'claude-sonnet-4-5': SONNET_4,
    'claude-sonnet-4': SONNET_4,
    'claude-3-7-sonnet': SONNET_4,
    'claude-haiku-4-5': HAIKU_4_5,
    'claude-3-5-haiku': HAIKU_3_5,
  },
  // Measured: Claude Code knows these names; it does NOT know `claude-4-sonnet` (default rates).
  aliases: {
    'claude-sonnet-4-0': 'claude-sonnet-4',
    'claude-3-7-sonnet-latest': 'claude-3-7-sonnet',
    'claude-3-5-haiku-latest': 'claude-3-5-haiku',
  },
};

/** What Claude Code silently bills a model it has no price for: its default model's rates, never fast. */
export const claudeCodeFallbackRates: { model: string; rates: ModelRates } = {
  model: 'claude-opus-5-5',
  rates: OPUS_5_5,
};

export const PRICE_TABLES: Record<PriceTableName, PriceTable> = {
  anthropic: anthropicTable,
  'claude-code': claudeCodeTable,
};
