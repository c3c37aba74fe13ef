import { isLongContextPrompt } from '../pricing/price-call.js';
import type { Speed } from '../pricing/types.js';
import type { CallSet } from '../usage/call-set.js';
import { addTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';


/**
 * Deduplicated usage summed into 15-minute UTC slots. Every real time-zone offset is a multiple
 * of 15 minutes, so days, weeks and months in any zone are exact; and the pricing tier of each
 * call (fast mode, long context) is kept, so prices can change without re-reading transcripts.
 */
export interface UsageRow {
  slot: number;
  model: string;
  sessionId: string;
  project: string;
  speed: Speed;
  longContext: boolean;
  tokens: TokenCounts;
  calls: number;
}

export interface SessionSpan {
  project: string;
  first: number;
  last: number;
}

export const SLOT_MS = 15 * 60 * 1000;

export function summarizeCalls(calls: CallSet, projectOf: (messageId: string) => string): { rows: UsageRow[]; sessions: Record<string, SessionSpan> } {
  const rows = new Map<string, UsageRow>();
  const sessions: Record<string, SessionSpan> = {};
  for (const [messageId, entry] of calls.entries) {
    const call = entry.first;
    const project = projectOf(messageId);
    const sessionId = call.sessionId ?? 'unknown';
    const slot = Math.floor(call.time / SLOT_MS) * SLOT_MS;
    const longContext = isLongContextPrompt(entry.tokens);
    const key = `${slot}|${call.model}|${sessionId}|${project}|${call.speed}|${longContext}`;
    let row = rows.get(key);
    if (!row) {
      row = { slot, model: call.model, sessionId, project, speed: call.speed, longContext, tokens: zeroTokens(), calls: 0 };
      rows.set(key, row);
    }
    addTokens(row.tokens, entry.tokens);
    row.calls++;
    const span = (sessions[sessionId] ??= { project, first: call.time, last: call.time });
    span.first = Math.min(span.first, call.time);
    span.last = Math.max(span.last, call.time);
  }
  return { rows: [...rows.values()].sort((a, b) => a.slot - b.slot || (a.model < b.model ? -1 : 1)), sessions };
}

type PackedRow = [number, string, string, string, 0 | 1, 0 | 1, number, number, number, number, number, number];

export function packRows(rows: UsageRow[]): PackedRow[] {
  return rows.map((r) => [r.slot, r.model, r.sessionId, r.project, r.speed === 'fast' ? 1 : 0, r.longContext ? 1 : 0, r.tokens.input, r.tokens.output, r.tokens.cacheWrite5m, r.tokens.cacheWrite1h, r.tokens.cacheRead, r.calls]);
}

export function unpackRows(packed: PackedRow[]): UsageRow[] {
  return packed.map(([slot, model, sessionId, project, fast, long, input, output, cacheWrite5m, cacheWrite1h, cacheRead, calls]) => ({
    slot,
    model,
    sessionId,
    project,
    speed: fast ? 'fast' : 'standard',
    longContext: long === 1,
    tokens: { input, output, cacheWrite5m, cacheWrite1h, cacheRead },
    calls,
  }));
}
export type { PackedRow };
