import type { Speed } from '../usage/api-call.js';
import type { TokenCounts, TokenKind } from '../usage/tokens.js';

export type { Speed };

/** What priceCall needs to know about one API call. */
export interface PricedCallInput {
  model: string;
  tokens: TokenCounts;
  speed: Speed;
}

/** The two price tables a figure can come from: what Anthropic bills, or what Claude Code shows. */
export type PriceTableName = 'anthropic' | 'claude-code';

/** USD per million tokens, one rate per token kind. */
export type TokenRates = Record<TokenKind, number>;

/** One model's prices. */
export interface ModelRates extends TokenRates {
  /** Rates for a call whose prompt exceeds LONG_CONTEXT_THRESHOLD, on models that have them. */
  longContext?: TokenRates;
  /** Fast mode multiplies every kind by this; absent = the model has no fast-mode price. */
  fastMultiplier?: number;
  /** Why this row is unusual, shown with the rate source (e.g. "not in LiteLLM's table"). */
  note?: string;
}

/** A price table as data: rows keyed by normalised model id (no date suffix), plus aliases. */
export interface PriceTable {
  name: PriceTableName;
  /** Day the rates were last checked (YYYY-MM-DD). */
  asOf: string;
  /** Short label for reports, e.g. "Anthropic list prices". */
  label: string;
  /** Where the numbers come from and how they were checked. */
  source: string;
  models: Record<string, ModelRates>;
  /** Other names for a row: alias → model id. */
  aliases: Record<string, string>;
}
