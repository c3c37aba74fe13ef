import fs from 'node:fs';
import path from 'node:path';
import type { Cursor } from '../transcript/read-transcript.js';
import type { TokenCounts } from '../usage/tokens.js';
import type { Attribution } from '../ledger/records.js';
import { writeFileAtomic } from '../store/atomic-file.js';

/** A binding in force from `t` (epoch ms) on. */
export interface BindPoint extends Attribution {
  t: number;
}

/**
 * Machine-local state of one Claude session (git-ignored): how far each of its transcripts has
 * been read, and what has been captured from it. A cache of the ledger, never the truth: if it is
 * lost, transcripts are read again from the start and the ledger folds the copies away.
 */
export interface ClaudeSessionState {
  version: 1;
  sessionId: string;
  /** The session's ledger file, relative to docs/sessions/ledger/. */
  ledgerFile: string;
  /** An end record closed `ledgerFile` (SessionEnd): a resumed session writes to a new file. */
  closed?: boolean;
  /** Its main transcript, so reports can catch up on what hooks missed. */
  transcript: string;
  cursors: Record<string, Cursor>;
  bindings: BindPoint[];
  /** Recent API call keys with their usage (field-wise max), so copies are neither re-written nor re-summed. */
  seen: Record<string, [number, number, number, number, number, string]>;
  /** Exact usage captured from lines, per model: what the cost-state gap is measured against. */
  captured: Record<string, TokenCounts>;
  /** Cumulative usage already recorded as gap records, per model. */
  gaps: Record<string, TokenCounts>;
  /** A fork's: what its cost-state carries over from the parent beyond the copied lines. */
  inherited?: Record<string, TokenCounts>;
  lastCompactAt: number | null;
  lastCallAt: number | null;
  /** Tasks whose completion was already announced, as "spec/task". */
  announced: string[];
  /** The worktree's git folder, how much of its reflog was read, and HEAD when last looked at. */
  git?: { dir: string; log: number; branch: string | null; sha: string | null };
  /** The branch checked out from `t` on (the branch of a call is the one in force at its time). */
  branches?: Array<{ t: number; branch: string | null }>;
  /** When the current turn's prompt was submitted (planning is counted from there). */
  turnStartedAt?: number;
  /** Claude Code versions its transcripts came from, and whether one wrote a cost-state line (recorded as `version` records). */
  versions?: string[];
  costState?: boolean;
  /** Transcript lines that could hold usage but did not parse: skipped, shown by doctor. */
  malformed?: number;
}

export function emptySessionState(sessionId: string, ledgerFile: string, transcript: string): ClaudeSessionState {
  return {
    version: 1,
    sessionId,
    ledgerFile,
    transcript,
    cursors: {},
    bindings: [],
    seen: {},
    captured: {},
    gaps: {},
    lastCompactAt: null,
    lastCallAt: null,
    announced: [],
  };
}

export function sessionStatePath(stateDir: string, sessionId: string): string {
  return path.join(stateDir, `${sessionId}.json`);
}

export function loadSessionState(stateDir: string, sessionId: string): ClaudeSessionState | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(sessionStatePath(stateDir, sessionId), 'utf8')) as ClaudeSessionState;
    return parsed.version === 1 && parsed.sessionId === sessionId && parsed.captured ? parsed : undefined;
  } catch {
    return undefined; // missing or torn: rebuilt from the ledger and the transcripts
  }
}

/** The ids of the Claude sessions this machine has state for. */
export function sessionStateIds(stateDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(stateDir);
  } catch {
    return []; // no state folder yet: no session tracked
  }
  return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
}

export function saveSessionState(stateDir: string, state: ClaudeSessionState): void {
  // No fsync: this is a cache. A torn file after a power cut reads as missing, and the transcripts
  // are read again; the ledger (appended and never rewritten) is what must be durable.
  writeFileAtomic(sessionStatePath(stateDir, state.sessionId), JSON.stringify(state), { durable: false });
}

/** What was active for this Claude session at `time`: the last binding at or before it. */
export function bindingAt(state: ClaudeSessionState, time: number): Attribution {
  let found: Attribution = { ws: null, spec: null, task: null };
  for (const b of state.bindings) {
    if (b.t <= time) found = b;
    else break;
  }
  return attributionOf(found);
}

export function currentBinding(state: ClaudeSessionState): Attribution {
  return attributionOf(state.bindings[state.bindings.length - 1] ?? { ws: null, spec: null, task: null });
}

function attributionOf(b: Attribution): Attribution {
  return b.phase ? { ws: b.ws, spec: b.spec, task: b.task, phase: b.phase } : { ws: b.ws, spec: b.spec, task: b.task };
}

/** The branch checked out at `time` (undefined: git is not known for this session). */
export function branchAt(state: ClaudeSessionState, time: number): string | null | undefined {
  if (!state.branches?.length) return undefined;
  let found = state.branches[0]!.branch;
  for (const b of state.branches) {
    if (b.t <= time) found = b.branch;
    else break;
  }
  return found;
}
