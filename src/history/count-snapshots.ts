import type { TranscriptRead } from '../transcript/read-transcript.js';
import { totalTokens } from '../usage/tokens.js';
import type { SessionCount } from './cost-state-gaps.js';
import type { CountSnapshot, FileEntry } from './file-index.js';

/**
 * Keeps the cost-state snapshots that can be placed in time: each that follows a compaction (the
 * call no line shows happened then), plus the latest. Snapshots in between add nothing: counts
 * are cumulative, so whatever they held is in the next kept one.
 */
/** Calls of a read in file order: their times and line offsets (typed arrays: no object per call). */
export interface CallTimes {
  length: number;
  times: ArrayLike<number>;
  offsets: ArrayLike<number>;
}

export function locateCounts(
  calls: CallTimes,
  read: Pick<TranscriptRead, 'compactions' | 'compactionOffsets' | 'costStates' | 'costStateOffsets'>,
  previous: FileEntry | undefined,
): Pick<FileEntry, 'pendingCompactAt' | 'lastCallAt'> & { counts: CountSnapshot[] } {
  const kept = (previous?.counts ?? []).filter((c) => c.at !== null);
  const latest = previous?.counts?.at(-1);
  let last = latest && latest.at === null ? latest : undefined;
  let pending = previous?.pendingCompactAt;
  let lastCallAt = previous?.lastCallAt ?? 0;
  // The three kinds of lines in file order (each list already is).
  const { compactions, compactionOffsets, costStates, costStateOffsets } = read;
  let c = 0;
  let k = 0;
  for (let s = 0; s <= costStates.length; s++) {
    const until = s < costStates.length ? costStateOffsets[s]! : Infinity;
    for (;;) {
      const callAt = c < calls.length ? calls.offsets[c]! : Infinity;
      const compactAt = k < compactions.length ? compactionOffsets[k]! : Infinity;
      if (Math.min(callAt, compactAt) > until || (callAt === Infinity && compactAt === Infinity)) break;
      if (callAt < compactAt) lastCallAt = Math.max(lastCallAt, calls.times[c++]!);
      else pending = compactions[k++]!;
    }
    if (s === costStates.length) break;
    const models = costStates[s]!.models;
    if (pending !== undefined) {
      kept.push({ at: pending, cut: Math.max(lastCallAt, pending), models });
      pending = undefined;
      last = undefined;
    } else last = { at: null, cut: lastCallAt, models };
  }
  return {
    counts: last ? [...kept, last] : kept,
    ...(pending !== undefined ? { pendingCompactAt: pending } : {}),
    lastCallAt,
  };
}

/**
 * Each session's snapshots over all its files. A transcript copied or renamed holds the same
 * snapshots twice: they count once. Of several latest snapshots (a copy made earlier, the file
 * still growing) only the newest is kept: counts are cumulative.
 */
export function sessionCounts(files: Iterable<FileEntry>, only?: Set<string>): SessionCount[] {
  const bySession = new Map<string, Map<string, CountSnapshot>>();
  for (const f of files) {
    if (!f.counts?.length) continue;
    const session = f.countSession ?? f.sessionId;
    if (only && !only.has(session)) continue;
    const seen = bySession.get(session) ?? bySession.set(session, new Map()).get(session)!;
    for (const s of f.counts) seen.set(JSON.stringify(s), s);
  }
  const out: SessionCount[] = [];
  for (const [sessionId, seen] of bySession) {
    const placed = [...seen.values()].filter((s) => s.at !== null).sort((a, b) => a.cut - b.cut);
    const latest = [...seen.values()]
      .filter((s) => s.at === null)
      .sort((a, b) => a.cut - b.cut || size(a) - size(b))
      .at(-1);
    out.push({ sessionId, snapshots: latest ? [...placed, latest] : placed });
  }
  return out.sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1));
}

const size = (s: CountSnapshot) => Object.values(s.models).reduce((sum, t) => sum + totalTokens(t), 0);
