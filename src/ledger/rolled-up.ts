/**
 * Rolled-up usage as the fold takes it: one rollup entry per source file, its rows as items, the
 * call keys it counts (to skip raw copies of them) and the cost-state gaps it already counted.
 */
import { maxTokens, tokensOf, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import type { LedgerLine } from './ledger-schema.js';
import type { Phase } from './records.js';
import { addKeyRun, callKeyHash, keyDay, type RollupEntry, type RollupRow } from './rollup-format.js';
import type { UsageItem } from './usage-item.js';

/** Rolled-up usage ready to fold: items, workflow events, and the cost-state gaps already counted. */
export interface RolledUp {
  items: UsageItem[];
  events: LedgerLine[];
  baselines: Map<string, TokenCounts>;
}

/** Rollup entries as items (one per row), events and gap baselines. */
export function rolledUpEntries(iterable: Iterable<RollupEntry>): RolledUp {
  const entries = [...iterable];
  const items: UsageItem[] = [];
  const events: LedgerLine[] = [];
  for (const entry of entries) {
    entry.rows.forEach((row, i) => {
      items.push(rowItem(row, entry.cs, `${entry.src}#${i}`, tokensOf(row.tokens)));
    });
    events.push(...entry.events);
  }
  return { items, events, baselines: gapBaselines(entries) };
}

/** What a rolled-up row (or rows summed into one) stands for, as a usage item of Claude session `cs`. */
export function rowItem(
  row: Pick<RollupRow, 'attribution' | 'model' | 'fast' | 'longContext' | 'kind' | 'calls' | 'first' | 'last'>,
  cs: string | null,
  key: string,
  tokens: TokenCounts,
): UsageItem {
  const [ws, spec, task, phase, branch, commit] = row.attribution;
  return {
    kind: row.kind,
    key,
    time: row.first,
    first: row.first,
    last: row.last,
    calls: row.calls,
    longContext: row.longContext,
    model: row.model,
    cs,
    speed: row.fast ? 'fast' : 'standard',
    tokens,
    ws,
    spec,
    task,
    phase: phase as Phase | null,
    branch,
    commit,
  };
}

/**
 * One entry per source file. Two clones may have rolled up the same file at different sizes (one
 * had not pulled its last lines yet): files are append-only, so the larger holds the smaller.
 */
export function pickEntries(list: RollupEntry[]): Map<string, RollupEntry> {
  const picked = new Map<string, RollupEntry>();
  for (const e of list) if (outranks(e, picked.get(e.src))) picked.set(e.src, e);
  return picked;
}

/** Whether an entry for a source file is kept over the one seen so far: the larger, or of two the same size the lower hash. */
export function outranks(e: { bytes: number; sha: string }, seen: { bytes: number; sha: string } | undefined): boolean {
  return !seen || e.bytes > seen.bytes || (e.bytes === seen.bytes && e.sha < seen.sha);
}

/** The call keys rollups count, looked up by the call's UTC day; each day's set is built when first asked. */
export function rolledKeys(entries: Iterable<RollupEntry>) {
  const runs = new Map<string, string[]>();
  for (const e of entries)
    for (const [day, run] of Object.entries(e.keys)) (runs.get(day) ?? runs.set(day, []).get(day)!).push(run);
  const sets = new Map<string, Set<string>>();
  return {
    has(time: number, messageId: string): boolean {
      const day = keyDay(time);
      if (!runs.has(day)) return false;
      let set = sets.get(day);
      if (!set) {
        set = new Set();
        for (const run of runs.get(day)!) addKeyRun(set, run);
        sets.set(day, set);
      }
      return set.has(callKeyHash(messageId));
    },
  };
}

/** Per (Claude session, model): the cumulative gap rollups already counted. */
export function gapBaselines(entries: Iterable<RollupEntry>): Map<string, TokenCounts> {
  const out = new Map<string, TokenCounts>();
  for (const e of entries) addGapBaselines(out, e);
  return out;
}

/** An entry's cumulative gaps added to per-(Claude session, model) baselines ("cs|model"): the larger of each count. */
export function addGapBaselines(into: Map<string, TokenCounts>, e: Pick<RollupEntry, 'cs' | 'gaps'>): void {
  for (const [model, gap] of Object.entries(e.gaps)) {
    const key = `${e.cs}|${model}`;
    into.set(key, maxTokens(into.get(key) ?? zeroTokens(), tokensOf(gap)));
  }
}
