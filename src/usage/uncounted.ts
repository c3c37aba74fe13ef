import { TOKEN_KINDS, zeroTokens, type TokenCounts } from './tokens.js';

/**
 * What Claude Code's own count (cost-state, per model) holds beyond the calls captured from
 * transcript lines: the calls no line shows, such as the /compact summary call.
 *
 * Per model first; but cost-state names the model Claude Code asked for while lines name the one
 * that answered, and they can differ. So the per-model gaps are capped, kind by kind, at the
 * difference of the totals over all models: never more than what is really missing.
 */
export function uncountedUsage(
  counted: Record<string, TokenCounts>,
  captured: Map<string, TokenCounts>,
): Map<string, TokenCounts> {
  const overall = zeroTokens();
  for (const t of Object.values(counted)) for (const k of TOKEN_KINDS) overall[k] += t[k];
  for (const t of captured.values()) for (const k of TOKEN_KINDS) overall[k] -= t[k];
  // Cache writes are compared as one kind: cost-state and lines may split 5m/1h differently.
  const writes = (t: TokenCounts) => t.cacheWrite5m + t.cacheWrite1h;
  const remaining = { ...overall, cacheWrite5m: overall.cacheWrite5m + overall.cacheWrite1h, cacheWrite1h: 0 };
  const gaps = new Map<string, TokenCounts>();
  for (const model of Object.keys(counted).sort()) {
    const c = counted[model]!;
    const have = captured.get(model) ?? zeroTokens();
    const gap = zeroTokens();
    for (const k of ['input', 'output', 'cacheRead'] as const) {
      gap[k] = Math.max(0, Math.min(c[k] - have[k], remaining[k]));
      remaining[k] -= gap[k];
    }
    const w = Math.max(0, Math.min(writes(c) - writes(have), remaining.cacheWrite5m));
    remaining.cacheWrite5m -= w;
    gap.cacheWrite1h = Math.min(w, Math.max(0, c.cacheWrite1h - have.cacheWrite1h));
    gap.cacheWrite5m = w - gap.cacheWrite1h;
    gaps.set(model, gap);
  }
  return gaps;
}
