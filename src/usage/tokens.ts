/** The five kinds of tokens an API call is billed for. Kept apart everywhere: prices differ by up to 12x. */
export interface TokenCounts {
  input: number;
  output: number;
  /** Cache writes with the default 5-minute lifetime. */
  cacheWrite5m: number;
  /** Cache writes with the 1-hour lifetime (billed at 2x input by Anthropic). */
  cacheWrite1h: number;
  cacheRead: number;
}

export const TOKEN_KINDS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** Token counts as rollups and the index store them: [input, output, cacheWrite5m, cacheWrite1h, cacheRead]. */
export type TokenTuple = [number, number, number, number, number];

export const tokensOf = ([input, output, cacheWrite5m, cacheWrite1h, cacheRead]: readonly number[]): TokenCounts => ({
  input: input!,
  output: output!,
  cacheWrite5m: cacheWrite5m!,
  cacheWrite1h: cacheWrite1h!,
  cacheRead: cacheRead!,
});

/** The five counts stored from `cells[at]` on in TOKEN_KINDS order (a tally's or a call table's row). */
export const tokensAt = (cells: ArrayLike<number>, at: number): TokenCounts => ({
  input: cells[at]!,
  output: cells[at + 1]!,
  cacheWrite5m: cells[at + 2]!,
  cacheWrite1h: cells[at + 3]!,
  cacheRead: cells[at + 4]!,
});

export const tupleOf = (t: TokenCounts): TokenTuple => [t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead];

export function zeroTokens(): TokenCounts {
  return { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
}

export function addTokens(into: TokenCounts, add: TokenCounts): TokenCounts {
  into.input += add.input;
  into.output += add.output;
  into.cacheWrite5m += add.cacheWrite5m;
  into.cacheWrite1h += add.cacheWrite1h;
  into.cacheRead += add.cacheRead;
  return into;
}

/** Field-wise max: how copies of one API call (per-block lines, resumed sessions) are merged. */
export function maxTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: Math.max(a.input, b.input),
    output: Math.max(a.output, b.output),
    cacheWrite5m: Math.max(a.cacheWrite5m, b.cacheWrite5m),
    cacheWrite1h: Math.max(a.cacheWrite1h, b.cacheWrite1h),
    cacheRead: Math.max(a.cacheRead, b.cacheRead),
  };
}

export function totalTokens(t: TokenCounts): number {
  return t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

/** The prompt size that decides the long-context rate: everything the model read. */
export function promptTokens(t: TokenCounts): number {
  return t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

/** Field-wise `a - b`, never below zero: what `a` holds beyond `b`. */
export function tokensAbove(a: TokenCounts, b: TokenCounts | undefined): TokenCounts {
  const out = zeroTokens();
  for (const k of TOKEN_KINDS) out[k] = Math.max(0, a[k] - (b?.[k] ?? 0));
  return out;
}
