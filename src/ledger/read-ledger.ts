import fs from 'node:fs';
import { isLongContextPrompt } from '../pricing/price-call.js';
import type { Speed } from '../pricing/types.js';
import { CallSet } from '../usage/call-set.js';
import { maxTokens, tokensAbove, totalTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import type { Attribution } from './records.js';
import { listLedgerFiles } from './ledger-files.js';
import { LedgerLineSchema, type LedgerLine } from './ledger-schema.js';

/** One unit of usage after folding: a deduplicated API call, a gap segment, or a manual entry. */
export interface UsageItem extends Attribution {
  kind: 'call' | 'gap' | 'manual';
  key: string;
  /** When the usage happened: a raw record's time; for an aggregate, its first call's (all of it lies in one 15-minute UTC slot, so its day is exact in every zone). */
  time: number;
  /** First and last call time the item covers (equal to \`time\` for one call). */
  first: number;
  last: number;
  /** API calls the item stands for: 1 for a raw record, more for a rolled-up aggregate. */
  calls: number;
  /** Priced at long-context rates (decided per call, before any summing). */
  longContext: boolean;
  model: string;
  cs: string | null;
  agent: string | null;
  speed: Speed;
  tokens: TokenCounts;
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

export interface LedgerView {
  usage: UsageItem[];
  sessions: Map<string, WorkSession>;
  tasks: TaskEvent[];
  bindings: Array<Attribution & { time: number; cs: string; why: string }>;
  manual: Array<{ id: string; spec: string; task: string; status: string; time: number }>;
  malformed: number;
}

type Of<K extends LedgerLine['k']> = Extract<LedgerLine, { k: K }>;
const tokensOf = (r: { in: number; out: number; cw5: number; cw1h: number; cr: number }): TokenCounts => ({ input: r.in, output: r.out, cacheWrite5m: r.cw5, cacheWrite1h: r.cw1h, cacheRead: r.cr });

/**
 * Reads every ledger file and folds the records: the single source of every project report.
 * `modifiedSince` (epoch ms) skips files last written before it: they hold nothing newer, so a
 * view of this month need not read the project's whole history.
 */
export function readLedger(ledgerDir: string, { modifiedSince }: { modifiedSince?: number } = {}): LedgerView {
  const lines: LedgerLine[] = [];
  let malformed = 0;
  for (const file of listLedgerFiles(ledgerDir)) {
    if (modifiedSince !== undefined && fs.statSync(file).mtimeMs < modifiedSince) continue;
    for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!text.trim()) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        malformed++;
        continue;
      }
      const parsed = LedgerLineSchema.safeParse(raw);
      if (parsed.success) lines.push(parsed.data);
      else malformed++;
    }
  }
  return foldLedger(lines, malformed);
}

export function foldLedger(lines: LedgerLine[], malformed = 0): LedgerView {
  const by = <K extends LedgerLine['k']>(k: K) => lines.filter((l): l is Of<K> => l.k === k);
  const usage = [...foldCalls(by('call')), ...foldGaps(by('gap')), ...foldManual(by('manual'))].sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : 1));
  const sessions = new Map<string, WorkSession>();
  for (const s of by('session').sort((a, b) => a.t.localeCompare(b.t))) {
    const time = Date.parse(s.t);
    const known = sessions.get(s.ws);
    if (s.event === 'start') {
      if (!known || known.ended !== null) sessions.set(s.ws, { name: s.ws, spec: s.spec, started: known?.started ?? time, ended: null, claudeSessions: known?.claudeSessions ?? new Set() });
      if (s.cs) sessions.get(s.ws)!.claudeSessions.add(s.cs);
    } else if (known && known.ended === null) known.ended = time;
  }
  const tasks = dedupe(by('task').map((t) => ({ time: Date.parse(t.t), ws: t.ws, spec: t.spec, task: t.task, event: t.event, source: t.source })));
  const bindings = by('bind').map((b) => ({ time: Date.parse(b.t), cs: b.cs, ws: b.ws, spec: b.spec, task: b.task, why: b.why })).sort((a, b) => a.time - b.time);
  for (const b of bindings) if (b.ws) sessions.get(b.ws)?.claudeSessions.add(b.cs);
  const manual = by('manual').map((m) => ({ id: m.id, spec: m.spec, task: m.task, status: m.status, time: Date.parse(m.t) }));
  return { usage, sessions, tasks: tasks.sort((a, b) => a.time - b.time), bindings, manual: dedupeBy(manual, (m) => m.id), malformed };
}

/** Copies of a call (per-block lines, re-reads, forks) merge in CallSet; attribution comes from
 * an attributed copy when there is one (a fork's copies of old calls are unattributed), then the earliest. */
function foldCalls(calls: Of<'call'>[]): UsageItem[] {
  const set = new CallSet();
  const best = new Map<string, Of<'call'>>();
  for (const c of calls) {
    set.add({ messageId: c.msg, requestId: c.req, time: Date.parse(c.t), model: c.model, sessionId: c.cs, agentId: c.agent ?? null, sidechain: false, tokens: tokensOf(c), speed: c.fast ? 'fast' : 'standard' });
    const seen = best.get(c.msg);
    if (!seen || better(c, seen)) best.set(c.msg, c);
  }
  return [...set.entries].map(([msg, entry]) => {
    const r = best.get(msg)!;
    const time = entry.first.time;
    return { kind: 'call', key: msg, time, first: time, last: time, calls: 1, longContext: isLongContextPrompt(entry.tokens), model: entry.first.model, cs: r.cs, agent: r.agent ?? null, speed: entry.first.speed, tokens: entry.tokens, ws: r.ws, spec: r.spec, task: r.task };
  });
}

function better(a: Of<'call'>, b: Of<'call'>): boolean {
  if ((a.ws !== null) !== (b.ws !== null)) return a.ws !== null;
  if (a.t !== b.t) return a.t < b.t;
  return a.cs < b.cs;
}

/** Gap records hold cumulative counts per (Claude session, model): the segments between distinct
 * cumulative values are the usage, each attributed as its record says. */
function foldGaps(gaps: Of<'gap'>[]): UsageItem[] {
  const groups = new Map<string, Of<'gap'>[]>();
  for (const g of gaps) {
    const key = `${g.cs}|${g.model}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(g);
  }
  const items: UsageItem[] = [];
  for (const group of groups.values()) {
    const ordered = dedupeBy(group, (g) => String(totalTokens(tokensOf(g)))).sort((a, b) => totalTokens(tokensOf(a)) - totalTokens(tokensOf(b)));
    let before = zeroTokens();
    for (const g of ordered) {
      const cumulative = maxTokens(before, tokensOf(g));
      const segment = tokensAbove(cumulative, before);
      before = cumulative;
      const time = Date.parse(g.t);
      items.push({ kind: 'gap', key: g.id, time, first: time, last: time, calls: 1, longContext: false, model: g.model, cs: g.cs, agent: null, speed: 'standard', tokens: segment, ws: g.ws, spec: g.spec, task: g.task });
    }
  }
  return items;
}

function foldManual(entries: Of<'manual'>[]): UsageItem[] {
  return dedupeBy(entries, (m) => m.id).map((m) => ({ kind: 'manual', key: m.id, time: Date.parse(m.t), first: Date.parse(m.t), last: Date.parse(m.t), calls: 1, longContext: false, model: m.model, cs: null, agent: null, speed: 'standard', tokens: tokensOf(m), ws: m.ws, spec: m.spec, task: m.task }));
}

function dedupe(events: TaskEvent[]): TaskEvent[] {
  return dedupeBy(events, (e) => `${e.time}|${e.spec}|${e.task}|${e.event}|${e.ws}`);
}

function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
