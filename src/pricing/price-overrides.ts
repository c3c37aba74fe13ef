import fs from 'node:fs';
import * as z from 'zod/mini';
import '../store/zod-english.js';
import { errnoWords } from '../store/fs-utils.js';
import { claudeCodeModelFor, normalizeModelName } from './model-name.js';
import { ANTHROPIC_CACHE_RATIOS } from './price-tables.js';
import type { ModelRates, TokenRates } from './types.js';

const usdPerMillion = z.number().check(z.nonnegative());

/** Rates a user writes: input and output required; cache rates default to Anthropic's ratios. */
const userRatesSchema = z.strictObject({
  input: usdPerMillion,
  output: usdPerMillion,
  cacheWrite5m: z.optional(usdPerMillion),
  cacheWrite1h: z.optional(usdPerMillion),
  cacheRead: z.optional(usdPerMillion),
});

const userModelSchema = z.extend(userRatesSchema, {
  longContext: z.optional(userRatesSchema),
  fastMultiplier: z.optional(z.number().check(z.positive())),
});

/**
 * `.claude/spec-session/prices.json`: `{ "models": { "<model id>": { "input": 3, "output": 15 } } }`,
 * USD per million tokens. Strict objects, so a typo such as `cache_read` is an error, not a
 * silently ignored price.
 */
export const priceOverridesSchema = z.strictObject({
  $schema: z.optional(z.string()),
  asOf: z.optional(z.string()),
  note: z.optional(z.string()),
  models: z.record(z.string().check(z.minLength(1)), userModelSchema),
});
export type PriceOverridesFile = z.infer<typeof priceOverridesSchema>;

/** Derived rates are rounded to 1e-9 USD per million tokens so 0.1 × 3 reads as 0.3, not 0.30000000000000004. */
const roundRate = (usd: number) => Math.round(usd * 1e9) / 1e9;

function completeRates(user: z.infer<typeof userRatesSchema>): TokenRates {
  return {
    input: user.input,
    output: user.output,
    cacheWrite5m: user.cacheWrite5m ?? roundRate(user.input * ANTHROPIC_CACHE_RATIOS.cacheWrite5m),
    cacheWrite1h: user.cacheWrite1h ?? roundRate(user.input * ANTHROPIC_CACHE_RATIOS.cacheWrite1h),
    cacheRead: user.cacheRead ?? roundRate(user.input * ANTHROPIC_CACHE_RATIOS.cacheRead),
  };
}

/** `models["claude-x"].input` from zod's path. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(top level)';
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/**
 * Reads a user price file into rows keyed by normalised model id. A row replaces the built-in row
 * entirely (its long-context rates and fast multiplier too, unless the file gives them).
 * Throws one line naming the file and the bad field.
 */
export function readPriceOverrides(file: string): Map<string, ModelRates> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read price file ${file}: ${errnoWords(err) ?? oneLine((err as Error).message)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`Invalid price file ${file}: not JSON (${oneLine((err as Error).message)})`);
  }
  const parsed = priceOverridesSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${formatPath(i.path)}: ${oneLine(i.message)}`);
    const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : '';
    throw new Error(`Invalid price file ${file}: ${issues.join('; ')}${more}`);
  }
  const rows = new Map<string, ModelRates>();
  for (const [model, user] of Object.entries(parsed.data.models)) {
    const row: ModelRates = completeRates(user);
    if (user.longContext) row.longContext = completeRates(user.longContext);
    if (user.fastMultiplier !== undefined) row.fastMultiplier = user.fastMultiplier;
    rows.set(normalizeModelName(claudeCodeModelFor(model)), row); // a row keyed "haiku" is for the model haiku stands for
  }
  return rows;
}
