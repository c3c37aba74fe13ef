import type { LineOf } from './ledger-schema.js';

/** Per Claude session: the Claude Code versions its transcripts came from, and whether one wrote a cost-state line. */
export type SessionVersions = Map<string, { versions: Set<string>; costState: boolean }>;

/** What the ledger knows of the Claude Code versions that wrote the usage it holds. */
export interface ClaudeCodeSeen {
  /** Every version seen, oldest first. */
  versions: string[];
  /**
   * Versions no session of which wrote a cost-state line: Claude Code makes billed calls it never
   * writes down (a summary after each Bash command, among others); only cost-state counts them,
   * so under these versions those calls are missing from every figure.
   */
  withoutCostState: string[];
}

export function addVersionRecord(
  into: SessionVersions,
  r: Pick<LineOf<'version'>, 'cs' | 'versions' | 'costState'>,
): void {
  let s = into.get(r.cs);
  if (!s) into.set(r.cs, (s = { versions: new Set(), costState: false }));
  for (const v of r.versions) s.versions.add(v);
  s.costState ||= r.costState;
}

export function claudeCodeSeen(sessions: Iterable<SessionVersions>): ClaudeCodeSeen {
  const all = new Set<string>();
  const withCostState = new Set<string>();
  for (const map of sessions) {
    for (const s of map.values()) {
      for (const v of s.versions) {
        all.add(v);
        if (s.costState) withCostState.add(v);
      }
    }
  }
  const versions = [...all].sort(byVersion);
  return { versions, withoutCostState: versions.filter((v) => !withCostState.has(v)) };
}

/** What a summary already says, with what more sessions add. */
export function withSessions(seen: ClaudeCodeSeen, more: SessionVersions): ClaudeCodeSeen {
  const without = new Set(seen.withoutCostState);
  const stored: SessionVersions = new Map([
    ['', { versions: new Set(seen.versions.filter((v) => !without.has(v))), costState: true }],
    ['\u0000', { versions: without, costState: false }],
  ]);
  return claudeCodeSeen([stored, more]);
}

/** 1.0.98 < 2.0.77 < 2.1.9 < 2.1.331: numerically, part by part. */
export function byVersion(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number(pa[i] ?? -1);
    const y = Number(pb[i] ?? -1);
    if (x !== y) return Number.isNaN(x) || Number.isNaN(y) ? String(pa[i]).localeCompare(String(pb[i])) : x - y;
  }
  return 0;
}

/** A sentence for reports, or undefined when every version wrote cost-state. */
export function versionsNote(seen: ClaudeCodeSeen): string | undefined {
  if (seen.withoutCostState.length === 0) return undefined;
  return `Claude Code ${seen.withoutCostState.join(', ')} wrote no cost-state line: the calls it makes without writing them down (a summary after each Bash command, among others) are in no transcript and not counted.`;
}
