/**
 * What a user must see for the worked project, computed from its plan (the usage the mock was
 * scripted to return, and the task each call ran in) and Anthropic's list prices written down
 * here: never from the program, so a fold or pricing bug shows up as a wrong number.
 */
import { HAIKU, OPUS, SONNET, type WorkedCall } from './worked-project.js';

/** Anthropic list prices, USD per million tokens; a 5-minute cache write is 1.25× input, a read 0.1×. */
const RATES: Record<string, { input: number; output: number }> = {
  [OPUS]: { input: 5, output: 25 },
  [SONNET]: { input: 3, output: 15 },
  [HAIKU]: { input: 1, output: 5 },
};

export interface Expected {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  /** USD, rounded to 1e-9 (see usd()). */
  totalCost: number;
  calls: number;
}

/** Costs are compared at 1e-9 USD: sums of the same prices in another order differ in the last bits. */
export const usd = (x: number) => Math.round(x * 1e9) / 1e9;

/** A call's cost in millionths of a dollar (exact for these integer counts and rates). */
function micros(c: WorkedCall): number {
  const r = RATES[c.model];
  if (!r) throw new Error(`no list price written down for ${c.model}`);
  return (
    c.usage.input * r.input +
    c.usage.output * r.output +
    c.usage.cacheWrite * r.input * 1.25 +
    c.usage.cacheRead * r.input * 0.1
  );
}

export function sumOf(calls: WorkedCall[]): Expected {
  const t = {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    totalTokens: 0,
    totalCost: 0,
    calls: calls.length,
  };
  let cost = 0;
  for (const c of calls) {
    t.inputTokens += c.usage.input;
    t.outputTokens += c.usage.output;
    t.cacheCreationTokens += c.usage.cacheWrite;
    t.cacheReadTokens += c.usage.cacheRead;
    cost += micros(c);
  }
  t.totalTokens = t.inputTokens + t.outputTokens + t.cacheCreationTokens + t.cacheReadTokens;
  t.totalCost = usd(cost / 1e6);
  return t;
}

/** The UTC day of a call (the worked project's zone is UTC). */
export const dayOf = (iso: string) => iso.slice(0, 10);
export const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Calls grouped by a key; calls whose key is null are left out. Keys sorted. */
export function groupBy(calls: WorkedCall[], key: (c: WorkedCall) => string | null): Array<[string, Expected]> {
  const groups = new Map<string, WorkedCall[]>();
  for (const c of calls) {
    const k = key(c);
    if (k !== null) groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, group]) => [k, sumOf(group)]);
}
