import { isLongContextPrompt } from '../pricing/price-call.js';
import type { Speed } from '../pricing/types.js';
import { CallSet, type CallEntry } from '../usage/call-set.js';
import { maxTokens, tokensAbove, totalTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import type { LedgerLine, LineOf } from './ledger-schema.js';
import type { Attribution, Phase } from './records.js';
import { memoryView, type LedgerView, type ManualEntry } from './ledger-view.js';
import { callKeyHash, KEY_CHARS, type RollupEntry } from './rollup-format.js';
import { addVersionRecord, type SessionVersions } from './claude-versions.js';

/** One unit of usage after folding: a deduplicated API call, a gap segment, a manual entry, or a rolled-up sum of many. */
export interface UsageItem extends Attribution {
  kind: 'call' | 'gap' | 'manual';
  key: string;
  /** When the usage happened: its first call's time (a rolled-up sum lies in one 15-minute UTC slot, so its day is exact in every zone). */
  time: number;
  first: number;
  last: number;
  /** API calls the item stands for: 1 for one call, more for a rolled-up sum. */
  calls: number;
  /** Priced at long-context rates (decided per call, before any summing). */
  longContext: boolean;
  model: string;
  cs: string | null;
  speed: Speed;
  tokens: TokenCounts;
  /** The spec's planning phase the usage went to (null: not planning). */
  phase: Phase | null;
  /** The branch checked out when it happened (null: not known, or a detached HEAD). */
  branch: string | null;
  /** The commit its Claude session made next after it (null: none yet). */
  commit: string | null;
}

/** A commit a Claude session made (from its reflog): the calls of that session since its previous commit went into it. */
export interface CommitEvent {
  sha: string;
  time: number;
  branch: string | null;
  cs: string;
}

export interface WorkSession {
  name: string;
  spec: string;
  started: number;
  ended: number | null;
  claudeSessions: Set<string>;
}

export interface TaskEvent {
  time: number;
  ws: string | null;
  spec: string;
  task: string;
  event: 'start' | 'done';
  source: string;
}

export interface Binding extends Attribution {
  time: number;
  cs: string;
  why: string;
}

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
  rawCalls: Map<string, RawCall>;
  /** Planning turns the raw records hold. */
  plans: LineOf<'plan'>[];
  /** The rollup entries the fold used, one per source file. */
  entries: Map<string, RollupEntry>;
  /** What the version records say, per Claude session. */
  sessionVersions: SessionVersions;
};

const tokensOf = (r: { in: number; out: number; cw5: number; cw1h: number; cr: number }): TokenCounts => ({
  input: r.in,
  output: r.out,
  cacheWrite5m: r.cw5,
  cacheWrite1h: r.cw1h,
  cacheRead: r.cr,
});
const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

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

/** Rolled-up usage ready to fold: items, workflow events, and the cost-state gaps already counted. */
export interface RolledUp {
  items: UsageItem[];
  events: LedgerLine[];
  baselines: Map<string, TokenCounts>;
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
    const best = rawCalls.get(msg)!.best;
    const time = entry.first.time;
    usage.push({
      kind: 'call',
      key: msg,
      time,
      first: time,
      last: time,
      calls: Math.max(1, entry.byRequest.size),
      longContext: isLongContextPrompt(entry.tokens),
      model: entry.first.model,
      cs: best.cs,
      speed: entry.first.speed,
      tokens: entry.tokens,
      ws: best.ws,
      spec: best.spec,
      task: best.task,
      phase: best.ph ?? null,
      branch: best.br ?? null,
      commit: null,
    });
  }
  usage.push(...foldGaps(gaps, base.baselines));
  const workflow = foldEvents(events);
  placeRawUsage(usage.slice(base.items.length), workflow.plans, workflow.view.commits);
  usage.push(...workflow.manualUsage);
  usage.sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : 1));
  return Object.assign(
    memoryView({ usage, ...workflow.view, malformed: input.malformed ?? 0, problems: input.problems ?? [] }),
    { rawCalls, entries, plans: workflow.plans, sessionVersions: workflow.view.sessionVersions },
  );
}

/** Rollup entries as items (one per row), events and gap baselines. */
export function rolledUpEntries(iterable: Iterable<RollupEntry>): RolledUp {
  const entries = [...iterable];
  const items: UsageItem[] = [];
  const events: LedgerLine[] = [];
  for (const entry of entries) {
    entry.rows.forEach((row, i) => {
      const [ws, spec, task, phase, branch, commit] = row.attribution;
      const [input, output, cacheWrite5m, cacheWrite1h, cacheRead] = row.tokens;
      items.push({
        kind: row.kind,
        key: `${entry.src}#${i}`,
        time: row.first,
        first: row.first,
        last: row.last,
        calls: row.calls,
        longContext: row.longContext,
        model: row.model,
        cs: entry.cs,
        speed: row.fast ? 'fast' : 'standard',
        tokens: { input, output, cacheWrite5m, cacheWrite1h, cacheRead },
        ws,
        spec,
        task,
        phase: phase as Phase | null,
        branch,
        commit,
      });
    });
    events.push(...entry.events);
  }
  return { items, events, baselines: gapBaselines(entries) };
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
    tokens: tokensOf(c),
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

/**
 * One entry per source file. Two clones may have rolled up the same file at different sizes (one
 * had not pulled its last lines yet): files are append-only, so the larger holds the smaller.
 */
export function pickEntries(list: RollupEntry[]): Map<string, RollupEntry> {
  const picked = new Map<string, RollupEntry>();
  for (const e of list) {
    const seen = picked.get(e.src);
    if (!seen || e.bytes > seen.bytes || (e.bytes === seen.bytes && e.sha < seen.sha)) picked.set(e.src, e);
  }
  return picked;
}

/** The call keys rollups count, looked up by the call's UTC day; each day's set is built when first asked. */
export function rolledKeys(entries: Iterable<RollupEntry>) {
  const runs = new Map<string, string[]>();
  for (const e of entries)
    for (const [day, run] of Object.entries(e.keys)) (runs.get(day) ?? runs.set(day, []).get(day)!).push(run);
  const sets = new Map<string, Set<string>>();
  return {
    has(time: number, messageId: string): boolean {
      const day = utcDay(time);
      if (!runs.has(day)) return false;
      let set = sets.get(day);
      if (!set) {
        set = new Set();
        for (const run of runs.get(day)!)
          for (let i = 0; i < run.length; i += KEY_CHARS) set.add(run.slice(i, i + KEY_CHARS));
        sets.set(day, set);
      }
      return set.has(callKeyHash(messageId));
    },
  };
}

/** Per (Claude session, model): the cumulative gap rollups already counted. */
export function gapBaselines(entries: Iterable<RollupEntry>): Map<string, TokenCounts> {
  const out = new Map<string, TokenCounts>();
  for (const e of entries) {
    for (const [model, [input, output, cacheWrite5m, cacheWrite1h, cacheRead]] of Object.entries(e.gaps)) {
      const key = `${e.cs}|${model}`;
      out.set(key, maxTokens(out.get(key) ?? zeroTokens(), { input, output, cacheWrite5m, cacheWrite1h, cacheRead }));
    }
  }
  return out;
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
    const ordered = dedupeBy(group, (g) => String(totalTokens(tokensOf(g)))).sort(
      (a, b) => totalTokens(tokensOf(a)) - totalTokens(tokensOf(b)),
    );
    let before = baselines.get(key) ?? zeroTokens();
    for (const g of ordered) {
      const cumulative = maxTokens(before, tokensOf(g));
      const segment = tokensAbove(cumulative, before);
      before = cumulative;
      if (totalTokens(segment) === 0) continue; // already counted by a rollup
      const time = Date.parse(g.t);
      items.push({
        kind: 'gap',
        key: g.id,
        time,
        first: time,
        last: time,
        calls: 1,
        longContext: false,
        model: g.model,
        cs: g.cs,
        speed: 'standard',
        tokens: segment,
        ws: g.ws,
        spec: g.spec,
        task: g.task,
        phase: g.ph ?? null,
        branch: g.br ?? null,
        commit: null,
      });
    }
  }
  return items;
}

/**
 * Work sessions, task events, bindings and manual entries. A session's name is never reused: a
 * later start of an ended session's name keeps the first session's spec and times (history is
 * never rewritten); only a restart on the same spec reopens it.
 */
export function foldEvents(events: LedgerLine[], sessions = new Map<string, WorkSession>()) {
  const by = <K extends LedgerLine['k']>(k: K) => events.filter((l): l is LineOf<K> => l.k === k);
  for (const s of by('session').sort((a, b) => a.t.localeCompare(b.t))) applySessionRecord(sessions, s);
  const tasks = dedupeBy(
    by('task').map((t) => ({
      time: Date.parse(t.t),
      ws: t.ws,
      spec: t.spec,
      task: t.task,
      event: t.event,
      source: t.source,
    })),
    (e) => `${e.time}|${e.spec}|${e.task}|${e.event}|${e.ws}`,
  ).sort((a, b) => a.time - b.time);
  const bindings = dedupeBy(
    by('bind').map((b) => ({ time: Date.parse(b.t), cs: b.cs, ws: b.ws, spec: b.spec, task: b.task, why: b.why })),
    (b) => `${b.time}|${b.cs}|${b.ws}|${b.spec}|${b.task}`,
  ).sort((a, b) => a.time - b.time);
  for (const b of bindings) if (b.ws) sessions.get(b.ws)?.claudeSessions.add(b.cs);
  const manualRecords = dedupeBy(by('manual'), (m) => m.id);
  const manual = manualRecords.map(manualEntry);
  const manualUsage: UsageItem[] = manualRecords.map((m) => {
    const time = Date.parse(m.t);
    return {
      kind: 'manual',
      key: m.id,
      time,
      first: time,
      last: time,
      calls: m.status === UNDO ? -1 : 1,
      longContext: false,
      model: m.model,
      cs: null,
      speed: 'standard',
      tokens: tokensOf(m),
      ws: m.ws,
      spec: m.spec,
      task: m.task,
      phase: null,
      branch: null,
      commit: null,
    };
  });
  const commits = dedupeBy(
    by('git')
      .filter((g) => g.event === 'commit')
      .map((g): CommitEvent => ({ sha: g.sha, time: Date.parse(g.t), branch: g.branch, cs: g.cs })),
    (c) => `${c.sha}|${c.cs}`,
  ).sort((a, b) => a.time - b.time);
  const versions: SessionVersions = new Map();
  for (const v of by('version')) addVersionRecord(versions, v);
  return {
    view: { sessions, tasks, bindings, manual, commits, sessionVersions: versions },
    manualUsage,
    plans: by('plan'),
  };
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

/** One session record applied to the folded sessions (records in time order). */
export function applySessionRecord(sessions: Map<string, WorkSession>, s: LineOf<'session'>): void {
  const time = Date.parse(s.t);
  const known = sessions.get(s.ws);
  if (s.event === 'start') {
    if (!known) sessions.set(s.ws, { name: s.ws, spec: s.spec, started: time, ended: null, claudeSessions: new Set() });
    else if (known.ended !== null && known.spec === s.spec) known.ended = null;
    if (s.cs && sessions.get(s.ws)!.spec === s.spec) sessions.get(s.ws)!.claudeSessions.add(s.cs);
  } else if (known && known.ended === null) known.ended = time;
}

export function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (!seen.has(k)) seen.set(k, item);
  }
  return [...seen.values()];
}

/** The status of a manual entry that undoes another: its id is `undo:<that id>`, its counts that entry's, negated. */
export const UNDO = 'undo';

export function manualEntry(m: LineOf<'manual'>): ManualEntry {
  return {
    id: m.id,
    spec: m.spec,
    task: m.task,
    status: m.status,
    time: Date.parse(m.t),
    ws: m.ws,
    model: m.model,
    tokens: { input: m.in, output: m.out, cacheWrite5m: m.cw5, cacheWrite1h: m.cw1h, cacheRead: m.cr },
  };
}
