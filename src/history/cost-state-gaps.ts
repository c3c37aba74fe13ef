import type { CallSet } from '../usage/call-set.js';
import { addTokens, maxTokens, totalTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { uncountedUsage } from '../usage/uncounted.js';
import { SLOT_MS, type UsageRow } from './usage-rows.js';

/** Where a call's copies were seen: its project, and every Claude session whose files hold one. */
export interface CallOrigin {
  project: string;
  sessions: string[];
}

/** The last cost-state of a main transcript: Claude Code's own cumulative count for its session. */
export interface SessionCount {
  sessionId: string;
  project: string;
  models: Record<string, TokenCounts>;
  /** The last compaction's time, when the file has one: where the uncounted call most likely is. */
  compactAt: number | null;
}

/**
 * Usage Claude Code counted that no assistant line shows (the /compact summary call): per session
 * and model, its cost-state minus the calls captured from its files. A fork copies its parent's
 * main-file lines and continues its count (subagents included), so the fork is also credited with
 * the parent's other calls up to the fork, and what the parent already showed as a gap is taken
 * off the fork's.
 */
export function costStateGaps(calls: CallSet, origins: Map<string, CallOrigin>, counts: SessionCount[], lastActivity: (session: string) => number | undefined): UsageRow[] {
  const captured = new Map<string, Map<string, TokenCounts>>();
  const credit = (session: string, model: string, tokens: TokenCounts) => {
    const byModel = captured.get(session) ?? new Map<string, TokenCounts>();
    addTokens(byModel.get(model) ?? byModel.set(model, zeroTokens()).get(model)!, tokens);
    captured.set(session, byModel);
  };
  const parents = new Map<string, Set<string>>();
  const forkedAt = new Map<string, number>();
  for (const [messageId, entry] of calls.entries) {
    const origin = origins.get(messageId);
    if (!origin) continue;
    for (const session of origin.sessions) {
      credit(session, entry.first.model, entry.tokens);
      // Copies in later sessions come from a fork of the session that holds the earliest copy.
      if (session !== entry.first.sessionId && entry.first.sessionId) {
        parents.set(session, (parents.get(session) ?? new Set()).add(entry.first.sessionId));
        forkedAt.set(session, Math.max(forkedAt.get(session) ?? 0, entry.first.time));
      }
    }
  }
  // The parent's calls a fork did not copy (its subagents' calls) up to the fork are in the fork's count.
  if (parents.size > 0) {
    const parentSet = new Set([...parents.values()].flatMap((p) => [...p]));
    const ofParent = new Map<string, Array<{ sessions: string[]; time: number; model: string; tokens: TokenCounts }>>();
    for (const [messageId, entry] of calls.entries) {
      const sessions = origins.get(messageId)?.sessions;
      for (const s of sessions ?? []) if (parentSet.has(s)) (ofParent.get(s) ?? ofParent.set(s, []).get(s)!).push({ sessions: sessions!, time: entry.first.time, model: entry.first.model, tokens: entry.tokens });
    }
    for (const [fork, from] of parents) {
      const upTo = forkedAt.get(fork)!;
      const seen = new Set<object>();
      for (const parent of from) {
        for (const c of ofParent.get(parent) ?? []) {
          if (c.time <= upTo && !c.sessions.includes(fork) && !seen.has(c)) {
            seen.add(c);
            credit(fork, c.model, c.tokens);
          }
        }
      }
    }
  }
  const gaps = new Map<string, Map<string, TokenCounts>>();
  const ordered = [...counts].sort((a, b) => (lastActivity(a.sessionId) ?? 0) - (lastActivity(b.sessionId) ?? 0));
  const rows: UsageRow[] = [];
  for (const count of ordered) {
    const mine = new Map<string, TokenCounts>();
    for (let [model, gap] of uncountedUsage(count.models, captured.get(count.sessionId) ?? new Map())) {
      for (const parent of parents.get(count.sessionId) ?? []) gap = difference(gap, gaps.get(parent)?.get(model) ?? zeroTokens());
      mine.set(model, gap);
      if (totalTokens(gap) === 0) continue;
      const time = count.compactAt ?? lastActivity(count.sessionId) ?? 0;
      rows.push({ slot: Math.floor(time / SLOT_MS) * SLOT_MS, model, sessionId: count.sessionId, project: count.project, speed: 'standard', longContext: false, tokens: gap, calls: 1 });
    }
    gaps.set(count.sessionId, mine);
  }
  return rows;
}

function difference(a: TokenCounts, b: TokenCounts): TokenCounts {
  // Cache writes: cost-state may not split 5m/1h the way lines do, so compare their sum.
  const writes = Math.max(0, a.cacheWrite5m + a.cacheWrite1h - b.cacheWrite5m - b.cacheWrite1h);
  const oneHour = Math.min(writes, Math.max(0, a.cacheWrite1h - b.cacheWrite1h));
  return maxTokens(zeroTokens(), { input: a.input - b.input, output: a.output - b.output, cacheWrite5m: writes - oneHour, cacheWrite1h: oneHour, cacheRead: a.cacheRead - b.cacheRead });
}
