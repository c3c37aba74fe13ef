import type { ApiCall } from './api-call.js';
import { addTokens, maxTokens, zeroTokens, type TokenCounts } from './tokens.js';

/**
 * Counts each API call once, whatever number of copies of it are seen, in any order.
 *
 * Claude Code writes one line per content block, each repeating the call's usage (output tokens
 * are a placeholder on early lines in several versions), and resumed or forked sessions copy lines
 * into new files. Copies share message.id and requestId: the call's usage is the field-wise max
 * over its copies. A copy without requestId (proxies, gateways) merges into the call with the same
 * message.id; two copies with different requestIds are different calls.
 *
 * Order-independent by construction: the result depends only on the set of copies added.
 */
export interface CallEntry {
  /** The copy that represents the call: the earliest, ties broken by session id. */
  first: ApiCall;
  byRequest: Map<string, TokenCounts>;
  anonymous: TokenCounts | null;
  tokens: TokenCounts;
}

export class CallSet {
  readonly entries = new Map<string, CallEntry>();

  /** Adds one copy and returns the entry with the tokens it had before (null if new). */
  add(call: ApiCall): { entry: CallEntry; before: TokenCounts | null } {
    let entry = this.entries.get(call.messageId);
    const before = entry ? { ...entry.tokens } : null;
    if (!entry) {
      entry = { first: call, byRequest: new Map(), anonymous: null, tokens: zeroTokens() };
      this.entries.set(call.messageId, entry);
    } else if (precedes(call, entry.first)) {
      entry.first = call;
    }
    if (call.requestId === null) {
      entry.anonymous = entry.anonymous ? maxTokens(entry.anonymous, call.tokens) : { ...call.tokens };
    } else {
      const seen = entry.byRequest.get(call.requestId);
      entry.byRequest.set(call.requestId, seen ? maxTokens(seen, call.tokens) : { ...call.tokens });
    }
    entry.tokens = entryTokens(entry);
    if (call.speed === 'fast') entry.first = { ...entry.first, speed: 'fast' };
    return { entry, before };
  }

  get size(): number {
    return this.entries.size;
  }
}

function precedes(a: ApiCall, b: ApiCall): boolean {
  if (a.time !== b.time) return a.time < b.time;
  // A fork's copy keeps the original's timestamp: the original wins, whatever the session ids.
  if (!a.copiedFrom !== !b.copiedFrom) return !a.copiedFrom;
  return (a.sessionId ?? '') < (b.sessionId ?? '');
}

function entryTokens(entry: CallEntry): TokenCounts {
  if (entry.byRequest.size === 0) return { ...(entry.anonymous ?? zeroTokens()) };
  const ids = [...entry.byRequest.keys()].sort();
  const total = zeroTokens();
  ids.forEach((id, i) => {
    const own = entry.byRequest.get(id)!;
    addTokens(total, i === 0 && entry.anonymous ? maxTokens(own, entry.anonymous) : own);
  });
  return total;
}
