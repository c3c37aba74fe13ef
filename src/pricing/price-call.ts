import { promptTokens, TOKEN_KINDS, totalTokens, type TokenCounts } from '../usage/tokens.js';
import { resolveModelId } from './model-name.js';
import { readPriceOverrides } from './price-overrides.js';
import { claudeCodeFallbackRates, PRICE_TABLES } from './price-tables.js';
import type { ModelRates, PriceTableName, PricedCallInput, TokenRates } from './types.js';

/**
 * Anthropic's long-context rule, the one we apply: once a request's prompt (input + cache writes +
 * cache reads) exceeds 200,000 tokens, the WHOLE request (output included) is billed at the
 * long-context rates. That is what Anthropic's invoice shows, so it is what `anthropic` figures
 * must match. ccusage differs: it prices only the tokens above 200k at the higher rate, per kind.
 */
export const LONG_CONTEXT_THRESHOLD = 200_000;
// Written out, not toLocaleString(): the first Intl number format loads ICU data (~30 ms), on every report.
const THRESHOLD_TEXT = '200,000';

export function isLongContextPrompt(tokens: TokenCounts): boolean {
  return promptTokens(tokens) > LONG_CONTEXT_THRESHOLD;
}

/** The rates a command prices with: one table, plus the user's overrides, which win. */
export interface PriceBook {
  table: PriceTableName;
  asOf: string;
  /** Short name of the table for reports, e.g. "Anthropic list prices". */
  label: string;
  rates(model: string): ModelRates | undefined;
  /** Which row a model prices from, or why it is unpriced: one line for reports. */
  source(model: string): string;
}

export interface LoadPriceBookOptions {
  table?: PriceTableName;
  /** A user price file (see price-overrides.ts); it must exist. */
  overridesFile?: string;
}

export function loadPriceBook({ table = 'anthropic', overridesFile }: LoadPriceBookOptions = {}): PriceBook {
  const data = PRICE_TABLES[table];
  const overrides = overridesFile ? readPriceOverrides(overridesFile) : new Map<string, ModelRates>();
  const resolved = new Map<string, { rates: ModelRates; source: string } | null>();
  const lookup = (model: string) => {
    let hit = resolved.get(model);
    if (hit !== undefined) return hit;
    const own = resolveModelId(model, (id) => overrides.has(id));
    const row =
      own === undefined ? resolveModelId(model, (id) => Object.hasOwn(data.models, id), data.aliases) : undefined;
    if (own !== undefined) hit = { rates: overrides.get(own)!, source: `prices file ${overridesFile}: ${own}` };
    else if (row !== undefined) {
      const rates = data.models[row]!;
      hit = { rates, source: `${data.label} as of ${data.asOf}: ${row}${rates.note ? ` (${rates.note})` : ''}` };
    } else hit = null;
    resolved.set(model, hit);
    return hit;
  };
  const unpricedSource = (model: string) =>
    table === 'claude-code'
      ? `unpriced: ${model} is not in Claude Code's table (Claude Code would bill it as ${claudeCodeFallbackRates.model})`
      : `unpriced: ${model} is not in ${data.label}`;
  return {
    table,
    asOf: data.asOf,
    label: data.label,
    rates: (model) => lookup(model)?.rates,
    source: (model) => lookup(model)?.source ?? unpricedSource(model),
  };
}

/**
 * USD for `tokens` at `rates` (USD per million) × `multiplier`. Exact: each rate is held as an
 * integer number of 1e-6 USD per million tokens, the per-kind products are summed as BigInt, and
 * the only rounding is the final conversion to a float. So summing tokens first and pricing once
 * gives the same figure as pricing each call (a tally relies on that), and 250k × $3.75 is $0.9375.
 */
export function costAtRates(tokens: TokenCounts, rates: TokenRates, multiplier = 1): number {
  return picoUsdToUsd(picoUsdAtRates(tokens, rates, multiplier));
}

/** The same, in pico-USD (1e-12 USD) as a BigInt: sums of these are exact in any order or grouping. */
export function picoUsdAtRates(tokens: TokenCounts, rates: TokenRates, multiplier = 1): bigint {
  const perToken = ratesInMicroUsd(rates, multiplier);
  let picoUsd = 0n;
  for (let k = 0; k < TOKEN_KINDS.length; k++) {
    const kind = TOKEN_KINDS[k]!;
    const count = tokens[kind];
    // Negative only in a correcting entry (`/log-task <id> undo`), which prices to the exact opposite.
    if (!Number.isSafeInteger(count)) throw new RangeError(`${kind} token count must be an integer, got ${count}`);
    if (count !== 0) picoUsd += BigInt(count) * perToken[k]!;
  }
  return picoUsd;
}

/**
 * The same price as picoUsdAtRates, as a number when it is exactly one below 2^52 (so a tally adds
 * it without a bigint), else as the bigint. Every per-kind product is an integer; a product that
 * comes out under 2^49 is exact (one past 2^53 could not round below that), and five such sum
 * exactly to under 2^52.
 */
export function picoAddendAtRates(tokens: TokenCounts, rates: TokenRates, multiplier = 1): number | bigint {
  const perToken = ratesInMicroUsd(rates, multiplier);
  const asNumbers = perToken.numbers;
  if (asNumbers) {
    let sum = 0;
    let k = 0;
    for (; k < TOKEN_KINDS.length; k++) {
      const count = tokens[TOKEN_KINDS[k]!];
      if (!Number.isSafeInteger(count)) break;
      const product = count * asNumbers[k]!;
      if (!(Math.abs(product) < FLOAT_EXACT)) break;
      sum += product;
    }
    if (k === TOKEN_KINDS.length) return sum;
  }
  return picoUsdAtRates(tokens, rates, multiplier);
}

const FLOAT_EXACT = 2 ** 49;

/** Each kind's rate × multiplier as whole 1e-6 USD per million tokens, made once per rates object (a report prices tens of thousands of sums). */
const microUsdRates = new WeakMap<TokenRates, Map<number, MicroUsdRates>>();
/** The rates as bigints, and as numbers when every one is a safe integer. */
type MicroUsdRates = bigint[] & { numbers?: number[] };
function ratesInMicroUsd(rates: TokenRates, multiplier: number): MicroUsdRates {
  let byMultiplier = microUsdRates.get(rates);
  if (!byMultiplier) microUsdRates.set(rates, (byMultiplier = new Map()));
  let made = byMultiplier.get(multiplier);
  if (!made) {
    made = TOKEN_KINDS.map((kind) => BigInt(Math.round(rates[kind] * multiplier * 1e6))) as MicroUsdRates;
    const numbers = made.map(Number);
    if (numbers.every(Number.isSafeInteger)) made.numbers = numbers;
    byMultiplier.set(multiplier, made);
  }
  return made;
}

export function picoUsdToUsd(picoUsd: bigint): number {
  return Number(picoUsd) / 1e12;
}

export interface CallPrice {
  /** USD; null = unpriced (the model has no rate): never shown as $0. */
  cost: number | null;
  /** The same in pico-USD, exact; null = unpriced. */
  picoUsd: bigint | null;
  /** Which table and row produced the cost, or why there is none. */
  rateSource: string;
  /** True when long-context rates were applied. */
  longContext: boolean;
}

/**
 * Prices tokens whose long-context status is already known: a tally that sums many calls must
 * decide it per call (isLongContextPrompt) before summing. Zero tokens cost $0 on any model
 * (Claude Code's `<synthetic>` lines), so they never make a report "unpriced".
 */
export function priceTokens(input: PricedCallInput & { longContext: boolean }, book: PriceBook): CallPrice {
  if (totalTokens(input.tokens) === 0) return { cost: 0, picoUsd: 0n, rateSource: 'no tokens', longContext: false };
  const rates = book.rates(input.model);
  if (!rates) return { cost: null, picoUsd: null, rateSource: book.source(input.model), longContext: false };
  const { base, multiplier, longContext } = chosenRates(input, rates);
  let rateSource = book.source(input.model);
  if (longContext) rateSource += `, long-context rates (prompt over ${THRESHOLD_TEXT} tokens)`;
  if (input.speed === 'fast')
    rateSource += rates.fastMultiplier ? `, fast mode ×${multiplier}` : ', fast mode at standard rates (no fast price)';
  const picoUsd = picoUsdAtRates(input.tokens, base, multiplier);
  return { cost: picoUsdToUsd(picoUsd), picoUsd, rateSource, longContext };
}

/**
 * The same price in pico-USD only (null = unpriced), without naming its source, as a number when it
 * is exactly one under 2^52, else a bigint: what a tally adds up, item by item.
 */
export function picoAddendOf(
  input: PricedCallInput & { longContext: boolean },
  book: PriceBook,
): number | bigint | null {
  if (totalTokens(input.tokens) === 0) return 0;
  const rates = book.rates(input.model);
  if (!rates) return null;
  const { base, multiplier } = chosenRates(input, rates);
  return picoAddendAtRates(input.tokens, base, multiplier);
}

/** Which rates apply to a call: long-context ones when it was long and the model has them; the fast multiplier in fast mode. */
function chosenRates(input: { speed: PricedCallInput['speed']; longContext: boolean }, rates: ModelRates) {
  const longContext = input.longContext && rates.longContext !== undefined;
  const multiplier = input.speed === 'fast' ? (rates.fastMultiplier ?? 1) : 1;
  return { base: longContext && rates.longContext ? rates.longContext : rates, multiplier, longContext };
}

/** Prices one API call as the API returned it: the call's own prompt size decides long context. */
export function priceCall(call: PricedCallInput, book: PriceBook): CallPrice {
  return priceTokens({ ...call, longContext: isLongContextPrompt(call.tokens) }, book);
}

/** One line telling the user how to price a model we have no rate for. */
export function unpricedHint(model: string): string {
  return `no price for "${model}": add "${model}" to .claude/spec-session/prices.json as {"models": {"${model}": {"input": 3, "output": 15}}} (USD per million tokens)`;
}
