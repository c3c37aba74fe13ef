import type { PriceBook } from '../pricing/price-call.js';
import { picoAddendOf, picoUsdToUsd } from '../pricing/price-call.js';
import type { Speed } from '../pricing/types.js';
import { tokensAt, totalTokens, type TokenCounts } from '../usage/tokens.js';

/** Cells per block of a tally: calls, the five token kinds, then pico-USD (NaN once a model's usage is unpriced). */
const BLOCK = 7;
const PICO = 6;
/**
 * Pico-USD are summed as a float while the sum stays under 2^52 (the sum of two such is exact) and
 * spilled into a bigint past that: a year of a team's usage adds a few million prices, and a
 * bigint per addition was a third of the time spent summing them.
 */
const SPILL = 2 ** 52;
const NO_MODELS: readonly string[] = [];
const NO_UNPRICED: ReadonlySet<string> = new Set();

/** What a tally holds for one model. */
export interface ModelSum {
  tokens: TokenCounts;
  calls: number;
  /** Pico-USD; null once any of its usage is unpriced. */
  picoUsd: bigint | null;
  /** USD; null once any of its usage is unpriced. */
  cost: number | null;
}

/**
 * Sums priced usage per model. The one place usage becomes dollars for reports: every view
 * (report, cost, eod, dashboard, statusline) tallies through here, so no two of them can disagree.
 * An unpriced model adds its tokens but no cost, and is named in `unpriced`: never a silent $0.
 * Dollars are summed as integer pico-USD, so a total is the same whether its calls were added one
 * by one or as rolled-up sums, in any order.
 *
 * A report holds one per task row, session and day (tens of thousands for a team's year), so a
 * tally is one array of doubles: block 0 the whole, then a block per model. An object per model,
 * per token set and per sum, with a Map and a Set each, was ~900 bytes a tally and most of the heap
 * of `cost --json`; a one-model tally is now ~300.
 */
export class UsageTally {
  private cells = doubles(BLOCK);
  /** The model of block k + 1. */
  private names = NO_MODELS as string[];
  /** Pico-USD spilled past 2^52, per block (rarely any). */
  private spilled: bigint[] | undefined;
  private unpricedModels: Set<string> | undefined;

  constructor(readonly book: PriceBook) {}

  add(model: string, tokens: TokenCounts, speed: Speed, longContext: boolean, calls = 1): void {
    this.addPriced(model, tokens, picoAddendOf({ model, tokens, speed, longContext }, this.book), calls);
  }

  /**
   * Adds usage already priced (pico-USD, null = unpriced; a number only when exact and under 2^52,
   * as picoAddendOf gives it): a caller that adds one item to several tallies prices it once.
   */
  addPriced(model: string, tokens: TokenCounts, picoUsd: number | bigint | null, calls = 1): void {
    const at = this.blockOf(model);
    this.addCounts(0, tokens, calls);
    this.addCounts(at, tokens, calls);
    if (picoUsd === null) {
      this.cells[at + PICO] = Number.NaN;
      (this.unpricedModels ??= new Set()).add(model);
    } else {
      this.addPico(at, picoUsd);
      this.addPico(0, picoUsd);
    }
  }

  merge(other: UsageTally): void {
    const theirs = other.cells;
    for (let k = 0; k <= other.names.length; k++) {
      const from = k * BLOCK;
      const at = k === 0 ? 0 : this.blockOf(other.names[k - 1]!);
      const c = this.cells;
      for (let i = 0; i < PICO; i++) c[at + i] = c[at + i]! + theirs[from + i]!;
      const pico = theirs[from + PICO]!;
      if (Number.isNaN(pico)) c[at + PICO] = Number.NaN;
      else {
        this.addPico(at, pico);
        const spilled = other.spilled?.[k];
        if (spilled) this.addPico(at, spilled);
      }
    }
    for (const model of other.unpriced) (this.unpricedModels ??= new Set()).add(model);
  }

  /** The tally's tokens (a copy: a tally changes only by add and merge). */
  get tokens(): TokenCounts {
    return this.tokensAt(0);
  }

  get calls(): number {
    return this.cells[0]!;
  }

  /**
   * Per model, in the order first added: its name, tokens, calls and USD (null: some of its usage is
   * unpriced). What `models` holds, without a Map, a pico-USD bigint and an object per model: a
   * report shows a breakdown for each of tens of thousands of rows.
   */
  forEachModel(visit: (name: string, tokens: TokenCounts, calls: number, usd: number | null) => void): void {
    this.names.forEach((name, k) => {
      const at = (k + 1) * BLOCK;
      visit(name, this.tokensAt(at), this.cells[at]!, Number.isNaN(this.cells[at + PICO]) ? null : this.usdAt(at));
    });
  }

  /** The models added, in the order first added (without making their sums). */
  get modelNames(): readonly string[] {
    return this.names;
  }

  /** Per model, in the order first added. */
  get models(): Map<string, ModelSum> {
    return new Map(
      this.names.map((name, k) => {
        const at = (k + 1) * BLOCK;
        const picoUsd = Number.isNaN(this.cells[at + PICO]) ? null : this.picoAt(at);
        return [
          name,
          {
            tokens: this.tokensAt(at),
            calls: this.cells[at]!,
            picoUsd,
            cost: picoUsd === null ? null : picoUsdToUsd(picoUsd),
          },
        ];
      }),
    );
  }

  /** The models some of whose usage has no price. */
  get unpriced(): ReadonlySet<string> {
    return this.unpricedModels ?? NO_UNPRICED;
  }

  /** Pico-USD of the priced usage. */
  get picoUsd(): bigint {
    return this.picoAt(0);
  }

  /** USD of the priced usage. */
  get cost(): number {
    return this.usdAt(0);
  }

  get total(): number {
    const c = this.cells;
    return c[1]! + c[2]! + c[3]! + c[4]! + c[5]!;
  }

  /** The first cell of `model`'s block, made when first met. */
  private blockOf(model: string): number {
    const k = this.names.indexOf(model);
    if (k >= 0) return (k + 1) * BLOCK;
    const grown = doubles(this.cells.length + BLOCK);
    for (let i = 0; i < this.cells.length; i++) grown[i] = this.cells[i]!;
    this.cells = grown;
    this.names = [...this.names, model];
    return this.names.length * BLOCK;
  }

  private addCounts(at: number, tokens: TokenCounts, calls: number): void {
    const c = this.cells;
    c[at] = c[at]! + calls;
    c[at + 1] = c[at + 1]! + tokens.input;
    c[at + 2] = c[at + 2]! + tokens.output;
    c[at + 3] = c[at + 3]! + tokens.cacheWrite5m;
    c[at + 4] = c[at + 4]! + tokens.cacheWrite1h;
    c[at + 5] = c[at + 5]! + tokens.cacheRead;
  }

  private addPico(at: number, picoUsd: number | bigint): void {
    const c = this.cells;
    if (Number.isNaN(c[at + PICO])) return; // a model with unpriced usage has no dollar sum
    if (typeof picoUsd === 'bigint') this.spill(at, picoUsd);
    else if (Math.abs((c[at + PICO] = c[at + PICO]! + picoUsd)) >= SPILL) {
      this.spill(at, BigInt(c[at + PICO]!));
      c[at + PICO] = 0;
    }
  }

  private spill(at: number, picoUsd: bigint): void {
    const spilled = (this.spilled ??= []);
    spilled[at / BLOCK] = (spilled[at / BLOCK] ?? 0n) + picoUsd;
  }

  /** picoUsdToUsd(picoAt(at)), without a bigint while nothing has spilled (the float sum is an exact integer then). */
  private usdAt(at: number): number {
    return this.spilled?.[at / BLOCK] ? picoUsdToUsd(this.picoAt(at)) : this.cells[at + PICO]! / 1e12;
  }

  private picoAt(at: number): bigint {
    return BigInt(this.cells[at + PICO]!) + (this.spilled?.[at / BLOCK] ?? 0n);
  }

  private tokensAt(at: number): TokenCounts {
    return tokensAt(this.cells, at + 1);
  }
}

/**
 * `n` zeros in an array V8 keeps as unboxed doubles: token sums pass 2^31 and pico-USD always do,
 * and an array of small integers would be copied into a double one at its first such sum.
 */
function doubles(n: number): number[] {
  const cells = new Array<number>(n).fill(0.5);
  return cells.fill(0);
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
  const models: Array<{ name: string; tokens: TokenCounts; calls: number; cost: number | null }> = [];
  tally.forEachModel((name, tokens, calls, cost) => models.push({ name, tokens, calls, cost }));
  if (models.length > 1) models.sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0) || (a.name < b.name ? -1 : 1));
  return models.map(({ name, tokens, calls, cost }) => {
    const row = withTokenFields({ modelName: name }, tokens) as { modelName: string } & TokenFields & {
        cost: number | null;
        calls: number;
      };
    row.cost = cost === null ? null : roundUsd(cost);
    row.calls = calls;
    return row;
  });
}

/** Costs are kept to 1e-9 USD in JSON: enough to compare with Claude Code's own figures exactly. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}
