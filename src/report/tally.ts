import type { PriceBook } from '../pricing/price-call.js';
import { picoAddendOf, picoUsdToUsd } from '../pricing/price-call.js';
import type { Speed } from '../pricing/types.js';
import { addTokens, totalTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';

/**
 * Pico-USD summed exactly and cheaply: a float while it stays under 2^52 (the sum of two such is
 * exact), spilled into a bigint past that. A year of a team's usage adds a few million prices; a
 * bigint per addition was a third of the time spent summing them.
 */
class PicoSum {
  private small = 0;
  private big = 0n;
  add(picoUsd: number | bigint): void {
    if (typeof picoUsd === 'bigint') this.big += picoUsd;
    else if (Math.abs((this.small += picoUsd)) >= SPILL) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
  }
  get value(): bigint {
    return this.big + BigInt(this.small);
  }
}

const SPILL = 2 ** 52;
interface ModelSum {
  tokens: TokenCounts;
  /** USD; null once any of its usage is unpriced. */
  readonly cost: number | null;
  calls: number;
}

class ModelTally implements ModelSum {
  tokens = zeroTokens();
  calls = 0;
  /** Null once any of its usage is unpriced. */
  pico: PicoSum | null = new PicoSum();
  get cost(): number | null {
    return this.pico === null ? null : picoUsdToUsd(this.pico.value);
  }
}

/**
 * Sums priced usage per model. The one place usage becomes dollars for reports: every view
 * (report, cost, eod, dashboard, statusline) tallies through here, so no two of them can disagree.
 * An unpriced model adds its tokens but no cost, and is named in `unpriced`: never a silent $0.
 * Dollars are summed as integer pico-USD, so a total is the same whether its calls were added one
 * by one or as rolled-up sums, in any order.
 */
export class UsageTally {
  readonly tokens: TokenCounts = zeroTokens();
  readonly models = new Map<string, ModelTally>();
  private readonly pico = new PicoSum();
  calls = 0;
  readonly unpriced = new Set<string>();

  constructor(readonly book: PriceBook) {}

  add(model: string, tokens: TokenCounts, speed: Speed, longContext: boolean, calls = 1): void {
    this.addPriced(model, tokens, picoAddendOf({ model, tokens, speed, longContext }, this.book), calls);
  }

  /**
   * Adds usage already priced (pico-USD, null = unpriced; a number only when exact and under 2^52,
   * as picoAddendOf gives it): a caller that adds one item to several tallies prices it once.
   */
  addPriced(model: string, tokens: TokenCounts, picoUsd: number | bigint | null, calls = 1): void {
    addTokens(this.tokens, tokens);
    this.calls += calls;
    const m = this.model(model);
    addTokens(m.tokens, tokens);
    m.calls += calls;
    if (picoUsd === null) {
      m.pico = null;
      this.unpriced.add(model);
    } else {
      m.pico?.add(picoUsd);
      this.pico.add(picoUsd);
    }
  }

  merge(other: UsageTally): void {
    for (const [model, m] of other.models) {
      const mine = this.model(model);
      addTokens(mine.tokens, m.tokens);
      mine.calls += m.calls;
      if (m.pico === null) mine.pico = null;
      else mine.pico?.add(m.pico.value);
    }
    addTokens(this.tokens, other.tokens);
    this.pico.add(other.picoUsd);
    this.calls += other.calls;
    for (const model of other.unpriced) this.unpriced.add(model);
  }

  private model(name: string): ModelTally {
    let m = this.models.get(name);
    if (!m) {
      m = new ModelTally();
      this.models.set(name, m);
    }
    return m;
  }

  /** Pico-USD of the priced usage. */
  get picoUsd(): bigint {
    return this.pico.value;
  }

  /** USD of the priced usage. */
  get cost(): number {
    return picoUsdToUsd(this.pico.value);
  }

  get total(): number {
    return totalTokens(this.tokens);
  }
}

/** Token fields under ccusage's names (so its consumers can switch), plus the 5m/1h split. */
export function tokenFields(t: TokenCounts): TokenFields {
  return withTokenFields({}, t);
}

export interface TokenFields {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  cacheCreation5mTokens: number;
  cacheCreation1hTokens: number;
}

/**
 * The token fields added to `row` in place, after the fields it has: rows built this way all share
 * one shape, so a list of tens of thousands of them is made and written fast (an object spread
 * into a literal copies field by field, each time).
 */
export function withTokenFields<R extends object>(row: R, t: TokenCounts): R & TokenFields {
  const r = row as R & TokenFields;
  r.inputTokens = t.input;
  r.outputTokens = t.output;
  r.cacheCreationTokens = t.cacheWrite5m + t.cacheWrite1h;
  r.cacheReadTokens = t.cacheRead;
  r.totalTokens = totalTokens(t);
  r.cacheCreation5mTokens = t.cacheWrite5m;
  r.cacheCreation1hTokens = t.cacheWrite1h;
  return r;
}

/** A tally's token fields and `totalCost`, added to `row` in place (see withTokenFields). */
export function withTallyFields<R extends object>(row: R, tally: UsageTally): R & TokenFields & { totalCost: number } {
  const r = withTokenFields(row, tally.tokens) as R & TokenFields & { totalCost: number };
  r.totalCost = roundUsd(tally.cost);
  return r;
}

export function tallyFields(tally: UsageTally): TokenFields & { totalCost: number } {
  return withTallyFields({}, tally);
}

/** Per model, the most expensive first: its token fields, cost (null when unpriced) and calls. */
export function modelBreakdowns(tally: UsageTally) {
  const models = [...tally.models].map(([name, m]) => ({ name, m, cost: m.cost }));
  models.sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0) || (a.name < b.name ? -1 : 1));
  return models.map(({ name, m, cost }) => {
    const row = withTokenFields({ modelName: name }, m.tokens) as { modelName: string } & TokenFields & {
        cost: number | null;
        calls: number;
      };
    row.cost = cost === null ? null : roundUsd(cost);
    row.calls = m.calls;
    return row;
  });
}

/** Costs are kept to 1e-9 USD in JSON: enough to compare with Claude Code's own figures exactly. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}
