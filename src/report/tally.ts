import type { PriceBook } from '../pricing/price-call.js';
import { priceTokens } from '../pricing/price-call.js';
import type { Speed } from '../pricing/types.js';
import { addTokens, totalTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';

/**
 * Sums priced usage per model. The one place usage becomes dollars for reports: every view
 * (report, cost, eod, dashboard, statusline) tallies through here, so no two of them can disagree.
 * An unpriced model adds its tokens but no cost, and is named in `unpriced`: never a silent $0.
 */
export class UsageTally {
  readonly tokens: TokenCounts = zeroTokens();
  readonly models = new Map<string, { tokens: TokenCounts; cost: number | null; calls: number }>();
  cost = 0;
  calls = 0;
  readonly unpriced = new Set<string>();

  constructor(private readonly book: PriceBook) {}

  add(model: string, tokens: TokenCounts, speed: Speed, longContext: boolean, calls = 1): void {
    const priced = priceTokens({ model, tokens, speed, longContext }, this.book);
    addTokens(this.tokens, tokens);
    this.calls += calls;
    let m = this.models.get(model);
    if (!m) {
      m = { tokens: zeroTokens(), cost: 0, calls: 0 };
      this.models.set(model, m);
    }
    addTokens(m.tokens, tokens);
    m.calls += calls;
    if (priced.cost === null) {
      m.cost = null;
      this.unpriced.add(model);
    } else {
      if (m.cost !== null) m.cost += priced.cost;
      this.cost += priced.cost;
    }
  }

  merge(other: UsageTally): void {
    for (const [model, m] of other.models) {
      const mine = this.models.get(model) ?? { tokens: zeroTokens(), cost: 0, calls: 0 };
      addTokens(mine.tokens, m.tokens);
      mine.calls += m.calls;
      mine.cost = mine.cost === null || m.cost === null ? null : mine.cost + m.cost;
      this.models.set(model, mine);
    }
    addTokens(this.tokens, other.tokens);
    this.cost += other.cost;
    this.calls += other.calls;
    for (const model of other.unpriced) this.unpriced.add(model);
  }

  get total(): number {
    return totalTokens(this.tokens);
  }
}

/** Token fields under ccusage's names (so its consumers can switch), plus the 5m/1h split. */
export function tokenFields(t: TokenCounts) {
  return {
    inputTokens: t.input,
    outputTokens: t.output,
    cacheCreationTokens: t.cacheWrite5m + t.cacheWrite1h,
    cacheReadTokens: t.cacheRead,
    totalTokens: totalTokens(t),
    cacheCreation5mTokens: t.cacheWrite5m,
    cacheCreation1hTokens: t.cacheWrite1h,
  };
}

export function tallyFields(tally: UsageTally) {
  return { ...tokenFields(tally.tokens), totalCost: roundUsd(tally.cost) };
}

export function modelBreakdowns(tally: UsageTally) {
  return [...tally.models.entries()]
    .sort((a, b) => (b[1].cost ?? 0) - (a[1].cost ?? 0) || (a[0] < b[0] ? -1 : 1))
    .map(([modelName, m]) => ({ modelName, ...tokenFields(m.tokens), cost: m.cost === null ? null : roundUsd(m.cost), calls: m.calls }));
}

/** Costs are kept to 1e-9 USD in JSON: enough to compare with Claude Code's own figures exactly. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}
