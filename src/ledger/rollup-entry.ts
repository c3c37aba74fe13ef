/**
 * One raw file's rollup entry: its calls (those it is the home of) and cost-state gaps summed into
 * rows per 15-minute slot, attribution, model and kind, with a key per call and its events as they are.
 */
import { isLongContextPrompt } from '../pricing/price-call.js';
import { maxTokens, tokensOf, tupleOf, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { foldGaps, placeRawUsage, type FoldResult, type RawFile } from './fold.js';
import { writerOf } from './ledger-files.js';
import type { LineOf } from './ledger-schema.js';
import { callKeyHash, keyDay, SLOT_MS, type RollupEntry, type RollupRow } from './rollup-format.js';
import { recordTokens, type UsageItem } from './usage-item.js';

/** The Claude session a raw file's entry is filed under: its writer's, none for a CLI file. */
export function sessionOfFile(rel: string): string | null {
  let cs = sessions.get(rel);
  if (cs === undefined) {
    const writer = writerOf(rel);
    sessions.set(rel, (cs = writer.startsWith('cli-') ? null : writer));
  }
  return cs;
}
const sessions = new Map<string, string | null>(); // asked for every call of a folder's fold

export function holdsOtherSessions(file: RawFile): boolean {
  const own = sessionOfFile(file.rel);
  return file.lines.some((l) => (l.k === 'call' || l.k === 'gap') && l.cs !== own);
}

export function entryFor(
  file: RawFile & { size: number; sha: string },
  fold: FoldResult,
  placed: Map<string, UsageItem>,
  owner: Map<string, string>,
  gapsBySource: Map<string, { cs: string | null; gaps: RollupEntry['gaps'] }>,
): RollupEntry {
  const cs = sessionOfFile(file.rel);
  const rows = new Map<string, RollupRow>();
  const keys: Record<string, string[]> = {};
  const add = (row: Omit<RollupRow, 'calls' | 'tokens' | 'first' | 'last'>, tokens: TokenCounts, time: number) => {
    const id = `${row.slot}|${JSON.stringify(row.attribution)}|${row.model}|${row.fast}|${row.longContext}|${row.kind}`;
    const r =
      rows.get(id) ?? rows.set(id, { ...row, calls: 0, tokens: [0, 0, 0, 0, 0], first: time, last: time }).get(id)!;
    r.calls += 1;
    const t = tupleOf(tokens);
    for (let i = 0; i < 5; i++) r.tokens[i]! += t[i]!;
    r.first = Math.min(r.first, time);
    r.last = Math.max(r.last, time);
  };
  const mine = new Set<string>();
  for (const line of file.lines) {
    if (line.k !== 'call' || mine.has(line.msg) || owner.get(line.msg) !== file.rel) continue; // another entry, or an earlier rollup, counts it
    const call = fold.rawCalls.get(line.msg)!;
    const item = placed.get(line.msg)!; // the call as the fold places it: planning phase, branch, commit
    mine.add(line.msg);
    const time = call.entry.first.time;
    add(
      {
        slot: Math.floor(time / SLOT_MS),
        attribution: [item.ws, item.spec, item.task, item.phase, item.branch, item.commit],
        model: call.entry.first.model,
        fast: call.entry.first.speed === 'fast',
        longContext: isLongContextPrompt(call.entry.tokens),
        kind: 'call',
      },
      call.entry.tokens,
      time,
    );
    (keys[keyDay(time)] ??= []).push(callKeyHash(line.msg));
  }
  // Gap records are cumulative per (Claude session, model): what this file adds above the session's earlier rollups.
  const gapLines = file.lines.filter((l): l is LineOf<'gap'> => l.k === 'gap');
  const cumulative: Record<string, TokenCounts> = {};
  for (const [src, earlier] of gapsBySource) {
    if (earlier.cs !== cs || src === file.rel) continue;
    for (const [model, gap] of Object.entries(earlier.gaps))
      cumulative[model] = maxTokens(cumulative[model] ?? zeroTokens(), tokensOf(gap));
  }
  const baselines = new Map(Object.entries(cumulative).map(([model, t]) => [`${cs}|${model}`, t]));
  const gapItems = foldGaps(gapLines, baselines);
  placeRawUsage(gapItems, fold.plans, fold.commits);
  for (const item of gapItems)
    add(
      {
        slot: Math.floor(item.time / SLOT_MS),
        attribution: [item.ws, item.spec, item.task, item.phase, item.branch, item.commit],
        model: item.model,
        fast: false,
        longContext: false,
        kind: 'gap',
      },
      item.tokens,
      item.time,
    );
  for (const g of gapLines) cumulative[g.model] = maxTokens(cumulative[g.model] ?? zeroTokens(), recordTokens(g));
  return {
    src: file.rel,
    bytes: file.size,
    sha: file.sha,
    cs,
    rows: [...rows.values()],
    keys: Object.fromEntries(Object.entries(keys).map(([day, list]) => [day, [...new Set(list)].sort().join('')])),
    gaps: Object.fromEntries(Object.entries(cumulative).map(([model, t]) => [model, tupleOf(t)])),
    events: file.lines.filter((l) => l.k !== 'call' && l.k !== 'gap'),
  };
}
