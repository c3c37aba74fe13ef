/**
 * A Claude session's new API calls, and what its cost-state counts beyond them, as ledger records:
 * each call once (its copies merged field-wise), attributed to the binding in force at its time,
 * with the session's per-model sums kept in its state so the cost-state gap is exact.
 */
import type { CallRecord, GapRecord, LedgerRecord } from '../ledger/records.js';
import type { ApiCall, CostState } from '../usage/api-call.js';
import { maxTokens, TOKEN_KINDS, tokensAbove, totalTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { uncountedUsage } from '../usage/uncounted.js';
import { bindingAt, branchAt, type ClaudeSessionState } from './claude-session-state.js';

export function takeCall(sessionId: string, state: ClaudeSessionState, call: ApiCall, out: LedgerRecord[]): void {
  const key = `${call.messageId}:${call.requestId ?? ''}`;
  const seen = state.seen[key];
  const before = seen ? fromSeen(seen) : zeroTokens();
  const merged = seen ? maxTokens(before, call.tokens) : call.tokens;
  if (seen && totalTokens(merged) === totalTokens(before)) return; // a copy already recorded
  delete state.seen[key]; // re-inserted last: the most recent keys survive pruning
  state.seen[key] = [
    merged.input,
    merged.output,
    merged.cacheWrite5m,
    merged.cacheWrite1h,
    merged.cacheRead,
    call.model,
  ];
  const model = seen ? seen[5] : call.model;
  const sum = (state.captured[model] ??= zeroTokens());
  for (const k of TOKEN_KINDS) sum[k] += merged[k] - before[k];
  pruneSeen(state);
  state.lastCallAt = Math.max(state.lastCallAt ?? 0, call.time);
  const record: CallRecord = {
    k: 'call',
    msg: call.messageId,
    req: call.requestId,
    t: new Date(call.time).toISOString(),
    cs: sessionId,
    model: call.model,
    ...(call.agentId ? { agent: call.agentId } : {}),
    ...(call.speed === 'fast' ? { fast: true as const } : {}),
    in: merged.input,
    out: merged.output,
    cw5: merged.cacheWrite5m,
    cw1h: merged.cacheWrite1h,
    cr: merged.cacheRead,
    ...attributionFields(state, call.time),
  };
  out.push(record);
}

/** Who a call or gap at `time` worked for, as its record says it: binding, planning phase, branch. */
function attributionFields(state: ClaudeSessionState, time: number) {
  const { phase, ...attribution } = bindingAt(state, time);
  const branch = branchAt(state, time);
  return { ...attribution, ...(phase ? { ph: phase } : {}), ...(branch !== undefined ? { br: branch } : {}) };
}

/**
 * cost-state is Claude Code's cumulative count for the session; whatever it has beyond the calls
 * captured from lines (main and subagents) was never written as a line: record that gap.
 */
export function takeCostState(
  sessionId: string,
  state: ClaudeSessionState,
  cost: CostState,
  out: LedgerRecord[],
  now: number,
): void {
  const captured = new Map(Object.entries(state.captured));
  for (const [model, raw] of uncountedUsage(cost.models, captured)) {
    const gap = tokensAbove(raw, state.inherited?.[model]);
    const before = state.gaps[model] ?? zeroTokens();
    const cumulative = maxTokens(before, gap);
    if (totalTokens(cumulative) === totalTokens(before)) continue;
    state.gaps[model] = cumulative;
    const at = state.lastCompactAt ?? state.lastCallAt ?? now;
    const record: GapRecord = {
      k: 'gap',
      id: `gap:${sessionId}:${model}:${totalTokens(cumulative)}`,
      t: new Date(at).toISOString(),
      cs: sessionId,
      model,
      in: cumulative.input,
      out: cumulative.output,
      cw5: cumulative.cacheWrite5m,
      cw1h: cumulative.cacheWrite1h,
      cr: cumulative.cacheRead,
      ...attributionFields(state, at),
    };
    out.push(record);
  }
}

/**
 * Copies of a call arrive close together (the lines of one response, a retried read), so only the
 * most recent keys are kept: the state, read and written by every hook, stays small however long
 * the session. The exact per-model sums live in `captured`.
 */
const SEEN_KEEP = 512;
function pruneSeen(state: ClaudeSessionState): void {
  const keys = Object.keys(state.seen);
  if (keys.length <= SEEN_KEEP * 2) return;
  for (const key of keys.slice(0, keys.length - SEEN_KEEP)) delete state.seen[key];
}

function fromSeen(s: ClaudeSessionState['seen'][string]): TokenCounts {
  return { input: s[0], output: s[1], cacheWrite5m: s[2], cacheWrite1h: s[3], cacheRead: s[4] };
}
