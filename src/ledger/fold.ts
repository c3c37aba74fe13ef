/**
 * The fold: rolled-up usage and raw records into the project's usage and workflow events, each
 * call counted once. Rolled-up input is in rolled-up.ts, workflow events in fold-events.ts.
 */
import { isLongContextPrompt } from '../pricing/price-call.js';
import type { Speed } from '../pricing/types.js';
import { CallSet, type CallEntry } from '../usage/call-set.js';
import { maxTokens, tokensAbove, totalTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import type { LedgerLine, LineOf } from './ledger-schema.js';
import { memoryView, type LedgerView } from './ledger-view.js';
import type { RollupEntry } from './rollup-format.js';
import type { SessionVersions } from './claude-versions.js';
import { dedupeBy, foldEvents, type Binding, type CommitEvent, type TaskEvent } from './fold-events.js';
import { pickEntries, rolledKeys, rolledUpEntries, type RolledUp } from './rolled-up.js';
import { recordTokens, sortByTime, type UsageItem } from './usage-item.js';

/** A raw file's records, with where they come from. */
export interface RawFile {
  rel: string;
  lines: LedgerLine[];
}

/** Per distinct raw call: what a rollup needs to place it (its copies' files, the copy that attributes it). */
export interface RawCall {
  entry: CallEntry;
  /** The copy that attributes the call, and the file it is in. */
  best: LineOf<'call'>;
  bestFile: string;
  files: Set<string>;
}

export type FoldResult = LedgerView & {
  /** Task start/done events, oldest first. */
  tasks: TaskEvent[];
  /** Bindings, oldest first. */
  bindings: Binding[];
  rawCalls: Map<string, RawCall>;
  /** Planning turns the raw records hold. */
  plans: LineOf<'plan'>[];
  /** The rollup entries the fold used, one per source file. */
  entries: Map<string, RollupEntry>;
  /** What the version records say, per Claude session. */
  sessionVersions: SessionVersions;
};

/** What a fold starts from besides raw records: rolled-up usage, as rollup entries or as the index keeps it. */
export interface FoldInput {
  entries?: RollupEntry[];
  base?: RolledUp;
  raw: RawFile[];
  /** Whether a rollup already counts a call (by its time and message id); from `entries` when absent. */
  isRolled?: (time: number, messageId: string) => boolean;
  malformed?: number;
  problems?: string[];
}

/**
 * Folds rolled-up usage and raw records into the project's usage and workflow events: the single
 * source of every project report. Raw copies of a call a rollup already counts are skipped (its
 * key hash is in the rollup); the rest fold as ever: calls keyed by their API ids and merged
 * field-wise by max, gaps as segments of cumulative counts, manual entries by id.
 */
export function foldLedger(input: FoldInput): FoldResult {
  const entries = pickEntries(input.entries ?? []);
  const base = input.base ?? rolledUpEntries(entries.values());
  const isRolled = input.isRolled ?? rolledKeys(entries.values()).has;
  const usage: UsageItem[] = [...base.items];
  const events: LedgerLine[] = [...base.events];
  const calls = new CallSet();
  const rawCalls = new Map<string, RawCall>();
  const gaps: LineOf<'gap'>[] = [];
  for (const file of input.raw) {
    for (const line of file.lines) {
      if (line.k === 'gap') gaps.push(line);
      else if (line.k !== 'call') events.push(line);
      else if (!isRolled(Date.parse(line.t), line.msg)) addRawCall(calls, rawCalls, line, file.rel);
    }
  }
  for (const [msg, entry] of calls.entries) {
    const { first, tokens } = entry;
    const best = rawCalls.get(msg)!.best;
    usage.push(
      rawItem(
        best,
        msg,
        first.time,
        Math.max(1, entry.byRequest.size),
        isLongContextPrompt(tokens),
        first.model,
        first.speed,
        tokens,
      ),
    );
  }
  usage.push(...foldGaps(gaps, base.baselines));
  const workflow = foldEvents(events);
  placeRawUsage(usage.slice(base.items.length), workflow.plans, workflow.view.commits);
  usage.push(...workflow.manualUsage);
  sortByTime(usage);
  return Object.assign(
    memoryView({ usage, ...workflow.view, malformed: input.malformed ?? 0, problems: input.problems ?? [] }),
    {
      tasks: workflow.view.tasks,
      bindings: workflow.view.bindings,
      rawCalls,
      entries,
      plans: workflow.plans,
      sessionVersions: workflow.view.sessionVersions,
    },
  );
}

/**
 * A raw call's or gap's usage, at its one instant and attributed as its record says (a 0.1.0 record
 * has no phase or branch); placeRawUsage sets its commit.
 */
function rawItem(
  record: LineOf<'call'> | LineOf<'gap'>,
  key: string,
  time: number,
  calls: number,
  longContext: boolean,
  model: string,
  speed: Speed,
  tokens: TokenCounts,
): UsageItem {
  return {
    kind: record.k,
    key,
    time,
    first: time,
    last: time,
    calls,
    longContext,
    model,
    cs: record.cs,
    speed,
    tokens,
    ws: record.ws,
    spec: record.spec,
    task: record.task,
    phase: record.ph ?? null,
    branch: record.br ?? null,
    commit: null,
  };
}

function addRawCall(calls: CallSet, rawCalls: Map<string, RawCall>, c: LineOf<'call'>, rel: string): void {
  calls.add({
    messageId: c.msg,
    requestId: c.req,
    time: Date.parse(c.t),
    model: c.model,
    sessionId: c.cs,
    agentId: c.agent ?? null,
    sidechain: false,
    tokens: recordTokens(c),
    speed: c.fast ? 'fast' : 'standard',
  });
  const known = rawCalls.get(c.msg);
  if (!known) rawCalls.set(c.msg, { entry: calls.entries.get(c.msg)!, best: c, bestFile: rel, files: new Set([rel]) });
  else {
    known.files.add(rel);
    if (better(c, known.best)) Object.assign(known, { best: c, bestFile: rel });
  }
}

/** The copy whose attribution a call takes: an attributed one (a fork's copies of old calls are not), then the earliest. */
function better(a: LineOf<'call'>, b: LineOf<'call'>): boolean {
  if ((a.ws !== null) !== (b.ws !== null)) return a.ws !== null;
  if (a.t !== b.t) return a.t < b.t;
  return a.cs < b.cs;
}

/** Gap records hold cumulative counts per (Claude session, model): the segments between distinct
 * cumulative values, above what rollups counted, are the usage, each attributed as its record says. */
export function foldGaps(gaps: LineOf<'gap'>[], baselines: Map<string, TokenCounts> = new Map()): UsageItem[] {
  const groups = new Map<string, LineOf<'gap'>[]>();
  for (const g of gaps) {
    const key = `${g.cs}|${g.model}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(g);
  }
  const items: UsageItem[] = [];
  for (const [key, group] of groups) {
    const ordered = dedupeBy(group, (g) => String(totalTokens(recordTokens(g)))).sort(
      (a, b) => totalTokens(recordTokens(a)) - totalTokens(recordTokens(b)),
    );
    let before = baselines.get(key) ?? zeroTokens();
    for (const g of ordered) {
      const cumulative = maxTokens(before, recordTokens(g));
      const segment = tokensAbove(cumulative, before);
      before = cumulative;
      if (totalTokens(segment) === 0) continue; // already counted by a rollup
      items.push(rawItem(g, g.id, Date.parse(g.t), 1, false, g.model, 'standard', segment));
    }
  }
  return items;
}

/**
 * Usage read from raw records, placed where its records alone cannot say: a planning turn's calls
 * captured before the turn was seen to be planning go to the spec's phase (its `plan` record), and
 * each call goes into the commit its Claude session made next (git records), if one was made.
 */
export function placeRawUsage(items: UsageItem[], plans: LineOf<'plan'>[], commits: CommitEvent[]): void {
  for (const p of plans) {
    const [from, until] = [Date.parse(p.t), Date.parse(p.until)];
    for (const item of items) {
      if (item.cs === p.cs && !item.task && !item.phase && item.time >= from && item.time <= until)
        Object.assign(item, { spec: p.spec, phase: p.phase });
    }
  }
  const bySession = new Map<string, CommitEvent[]>();
  for (const c of commits) (bySession.get(c.cs) ?? bySession.set(c.cs, []).get(c.cs)!).push(c);
  for (const item of items) {
    if (!item.cs || item.commit) continue;
    item.commit = bySession.get(item.cs)?.find((c) => c.time >= item.time)?.sha ?? null;
  }
}
