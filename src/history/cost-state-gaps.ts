import { maxTokens, TOKEN_KINDS, tokensAbove, totalTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { uncountedUsage } from '../usage/uncounted.js';
import type { CallTable } from './call-table.js';
import type { CountSnapshot } from './file-index.js';

/** A session's cost-state snapshots: Claude Code's own cumulative count for it, in file order. */
export interface SessionCount {
  sessionId: string;
  snapshots: CountSnapshot[];
}

/** Uncounted usage to add at `at` (its compaction), or at the session's last activity when null. */
export interface Gap {
  at: number | null;
  model: string;
  tokens: TokenCounts;
}

/**
 * Usage Claude Code counted that no assistant line shows (the /compact summary call). For each
 * cost-state snapshot of a session: its count minus the session's calls up to the snapshot; what
 * that adds over the previous snapshot is placed at the snapshot's compaction, so each compaction
 * lands on its own day.
 *
 * A fork copies its parent's main-file lines and continues the parent's count (subagents included):
 * the fork is credited with the parent's other calls up to the fork, and the parent's own uncounted
 * usage up to then is taken off the fork's.
 */
export function costStateGaps(table: CallTable, counts: SessionCount[]): Map<string, Gap[]> {
  const parents = new Map<string, Set<string>>();
  const forkedAt = new Map<string, number>();
  for (let i = 0; i < table.size; i++) {
    if (!table.heldElsewhere(i)) continue;
    const first = { time: table.time(i), session: table.session(i) };
    for (const session of table.holdersOf(i)) {
      // Copies in later sessions come from a fork of the session that holds the earliest copy.
      if (session !== first.session && first.session) {
        parents.set(session, (parents.get(session) ?? new Set()).add(first.session));
        forkedAt.set(session, Math.max(forkedAt.get(session) ?? 0, first.time));
      }
    }
  }
  // A fork also copies its parent's compact_boundary lines (same times): a compaction after the
  // parent's last copied call is still before the fork, and is the parent's, not the fork's.
  const compactionsOf = new Map(
    counts.map((c) => [c.sessionId, new Set(c.snapshots.map((s) => s.at).filter((at) => at !== null))]),
  );
  for (const [fork, from] of parents) {
    for (const parent of from) {
      for (const at of compactionsOf.get(fork) ?? [])
        if (compactionsOf.get(parent)?.has(at)) forkedAt.set(fork, Math.max(forkedAt.get(fork)!, at));
    }
  }
  // Credits (calls, by index) of the counted sessions and of their ancestors.
  const needed = new Set(counts.map((c) => c.sessionId));
  for (const s of needed) for (const p of parents.get(s) ?? []) needed.add(p);
  const credits = new Map<string, number[]>([...needed].map((s) => [s, []]));
  for (let i = 0; i < table.size; i++) {
    if (!table.heldElsewhere(i)) credits.get(table.session(i))?.push(i);
    else for (const session of table.holdersOf(i)) credits.get(session)?.push(i);
  }
  // A fork is credited with its parents' calls up to the fork; earlier forks first, so a fork of
  // a fork gets its grandparent's too.
  for (const fork of [...needed].filter((s) => parents.has(s)).sort((a, b) => forkedAt.get(a)! - forkedAt.get(b)!)) {
    const list = credits.get(fork)!;
    const mine = new Set(list);
    for (const parent of parents.get(fork)!) {
      for (const c of credits.get(parent) ?? []) {
        if (table.time(c) > forkedAt.get(fork)! || mine.has(c)) continue;
        mine.add(c);
        list.push(c);
      }
    }
  }

  const timelines = new Map<string, Array<{ cut: number; gaps: Map<string, TokenCounts> }>>();
  const out = new Map<string, Gap[]>();
  // Parents first, so a fork can take off what its parent had uncounted at the fork.
  const ordered = [...counts].sort((a, b) => Number(parents.has(a.sessionId)) - Number(parents.has(b.sessionId)));
  for (const count of ordered) {
    const mine = (credits.get(count.sessionId) ?? []).sort((a, b) => table.time(a) - table.time(b));
    const captured = new Map<string, TokenCounts>();
    let next = 0;
    const before = new Map<string, TokenCounts>();
    const timeline: Array<{ cut: number; gaps: Map<string, TokenCounts> }> = [];
    const gaps: Gap[] = [];
    for (const snapshot of count.snapshots) {
      const cut = snapshot.at === null ? Infinity : snapshot.cut;
      for (; next < mine.length && table.time(mine[next]!) <= cut; next++)
        add(captured, table.model(mine[next]!), table.tokens(mine[next]!));
      const parentGaps = inherited(parents.get(count.sessionId), forkedAt.get(count.sessionId), timelines);
      const now = new Map<string, TokenCounts>();
      for (const [model, raw] of uncountedUsage(snapshot.models, captured)) {
        const gap = maxTokens(before.get(model) ?? zeroTokens(), tokensAbove(raw, parentGaps.get(model)));
        const added = tokensAbove(gap, before.get(model));
        now.set(model, gap);
        if (totalTokens(added) === 0) continue;
        gaps.push({ at: snapshot.at, model, tokens: added });
      }
      for (const [model, gap] of now) before.set(model, gap);
      timeline.push({ cut, gaps: new Map(before) });
    }
    timelines.set(count.sessionId, timeline);
    out.set(count.sessionId, gaps);
  }
  return out;
}

/** What a fork's parents had uncounted at the fork. */
function inherited(
  from: Set<string> | undefined,
  at: number | undefined,
  timelines: Map<string, Array<{ cut: number; gaps: Map<string, TokenCounts> }>>,
): Map<string, TokenCounts> {
  const total = new Map<string, TokenCounts>();
  for (const parent of from ?? []) {
    const known = (timelines.get(parent) ?? []).filter((t) => t.cut <= (at ?? 0)).at(-1);
    for (const [model, gap] of known?.gaps ?? []) add(total, model, gap);
  }
  return total;
}

function add(into: Map<string, TokenCounts>, model: string, tokens: TokenCounts): void {
  const sum = into.get(model) ?? into.set(model, zeroTokens()).get(model)!;
  for (const k of TOKEN_KINDS) sum[k] += tokens[k];
}
