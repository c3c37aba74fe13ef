/**
 * `report blocks`: usage in the 5-hour windows Claude's plans meter, grouped as ccusage groups
 * them (its `blocks` command), from each distinct call's own time.
 *
 * The rule, as ccusage 20.0.24 applies it: calls in time order; a block starts at the hour (UTC)
 * of its first call and ends 5 hours later; a call more than 5 hours after the block's start, or
 * more than 5 hours after the call before it, starts the next block; a pause longer than 5 hours
 * is a gap block, from 5 hours after the last call to the next one. A block is active while now
 * is within 5 hours of its last call and before its end; only an active block has a burn rate and
 * a projection to its end. `--session-length` sets another length than 5 hours, for every rule.
 */
import type { PriceBook } from '../pricing/price-call.js';
import { isLongContextPrompt } from '../pricing/price-call.js';
import type { TokenCounts } from '../usage/tokens.js';
import { roundUsd, UsageTally } from './tally.js';

/** A block's length unless `--session-length` says otherwise: the 5 hours Claude's plans meter. */
export const BLOCK_HOURS = 5;

/** One distinct API call (or a call only a cost-state line counts), at its own time. */
export interface BlockCall {
  time: number;
  model: string;
  tokens: TokenCounts;
  fast: boolean;
}

export interface UsageBlock {
  start: number;
  end: number;
  /** The last call's time; null for a gap. */
  lastCall: number | null;
  firstCall: number | null;
  isActive: boolean;
  isGap: boolean;
  calls: number;
  tally: UsageTally;
  /** Models in the order their first call came. */
  models: string[];
}

/** The blocks of `calls`, which must be in time order; `hours`: a block's length. */
export function usageBlocks(calls: BlockCall[], book: PriceBook, now: number, hours = BLOCK_HOURS): UsageBlock[] {
  const blockMs = hours * 3_600_000;
  const blocks: UsageBlock[] = [];
  let current: UsageBlock | undefined;
  const open = (time: number): UsageBlock => {
    const start = time - (((time % 3_600_000) + 3_600_000) % 3_600_000);
    return {
      start,
      end: start + blockMs,
      lastCall: null,
      firstCall: null,
      isActive: false,
      isGap: false,
      calls: 0,
      tally: new UsageTally(book),
      models: [],
    };
  };
  const close = (block: UsageBlock) => {
    block.isActive = now - block.lastCall! < blockMs && now < block.end;
    blocks.push(block);
  };
  for (const call of calls) {
    if (current) {
      const sinceLast = call.time - current.lastCall!;
      if (call.time - current.start > blockMs || sinceLast > blockMs) {
        close(current);
        if (sinceLast > blockMs) blocks.push(gap(current.lastCall! + blockMs, call.time, book));
        current = undefined;
      }
    }
    current ??= open(call.time);
    current.firstCall ??= call.time;
    current.lastCall = call.time;
    current.calls++;
    current.tally.add(call.model, call.tokens, call.fast ? 'fast' : 'standard', isLongContextPrompt(call.tokens));
    if (!current.models.includes(call.model)) current.models.push(call.model);
  }
  if (current) close(current);
  return blocks;
}

function gap(start: number, end: number, book: PriceBook): UsageBlock {
  const tally = new UsageTally(book);
  return { start, end, lastCall: null, firstCall: null, isActive: false, isGap: true, calls: 0, tally, models: [] };
}

/** Tokens a minute and dollars an hour since the block's first call; null before a minute has a length. */
export function burnRate(block: UsageBlock) {
  if (!block.isActive || block.isGap || block.firstCall === null || block.lastCall === null) return null;
  const minutes = (block.lastCall - block.firstCall) / 60_000;
  if (minutes <= 0) return null;
  const t = block.tally.tokens;
  return {
    tokensPerMinute: block.tally.total / minutes,
    tokensPerMinuteForIndicator: (t.input + t.output) / minutes,
    costPerHour: (block.tally.cost / minutes) * 60,
  };
}

/** At the same rate until the block ends. */
export function projection(block: UsageBlock, now: number) {
  const rate = burnRate(block);
  if (!rate) return null;
  const remainingMinutes = Math.max(0, (block.end - now) / 60_000);
  return {
    totalTokens: Math.round(block.tally.total + rate.tokensPerMinute * remainingMinutes),
    totalCost: Math.round((block.tally.cost + (rate.costPerHour / 60) * remainingMinutes) * 100) / 100,
    remainingMinutes: Math.round(remainingMinutes),
  };
}

/**
 * `--token-limit`: a number of tokens, or `max`, the most any block before the active one used
 * (among `blocks`, before `--active` or `--recent` leaves them out). Undefined when `max` finds none.
 */
export function tokenLimit(value: string, blocks: UsageBlock[]): number | undefined {
  if (value !== 'max') return Number(value);
  const totals = blocks.filter((b) => !b.isGap && !b.isActive).map((b) => b.tally.total);
  return totals.length ? Math.max(...totals) : undefined;
}

/** Share of the limit at which a projection is a warning (ccusage's). */
const WARN_AT = 0.8;

/** The active block's projection against a token limit, as ccusage reports it; null without either. */
export function tokenLimitStatus(block: UsageBlock, now: number, limit: number | undefined) {
  const ahead = projection(block, now);
  if (!ahead || limit === undefined || limit <= 0) return null;
  const projected = ahead.totalTokens;
  return {
    limit,
    projectedUsage: projected,
    percentUsed: (projected / limit) * 100,
    status: projected > limit ? 'exceeds' : projected > limit * WARN_AT ? 'warning' : 'ok',
  };
}

/**
 * ccusage's `blocks --json` shape (same field names), plus the unpriced models; with a token limit,
 * the active block's `tokenLimitStatus`.
 */
export function blocksJson(blocks: UsageBlock[], now: number, limit?: number) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    blocks: blocks.map((b) => {
      const t = b.tally.tokens;
      const status = b.isActive ? tokenLimitStatus(b, now, limit) : null;
      return {
        id: b.isGap ? `gap-${iso(b.start)}` : iso(b.start),
        startTime: iso(b.start),
        endTime: iso(b.end),
        actualEndTime: iso(b.lastCall),
        isActive: b.isActive,
        isGap: b.isGap,
        entries: b.calls,
        tokenCounts: {
          inputTokens: t.input,
          outputTokens: t.output,
          cacheCreationInputTokens: t.cacheWrite5m + t.cacheWrite1h,
          cacheReadInputTokens: t.cacheRead,
        },
        totalTokens: b.tally.total,
        costUSD: roundUsd(b.tally.cost),
        models: b.models,
        unpricedModels: [...b.tally.unpriced].sort(),
        burnRate: burnRate(b),
        projection: projection(b, now),
        ...(status ? { tokenLimitStatus: status } : {}),
      };
    }),
  };
}
