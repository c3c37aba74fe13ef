import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiCall } from '../usage/api-call.js';
import type { TokenCounts } from '../usage/tokens.js';
import { appendLines, readJsonFile, writeFileAtomic } from '../store/atomic-file.js';
import type { Cursor } from '../transcript/read-transcript.js';
import { packRows, unpackRows, type PackedRow, type SessionSpan, type UsageRow } from './usage-rows.js';

/**
 * The machine-local history behind `spec-session report`: per-file cursors, every distinct copy of
 * every API call ever read (so usage outlives Claude Code's 30-day cleanup and copies in new files
 * are recognised), and the summary rows that a warm run prints without reading anything else.
 *
 * Crash safety: calls.jsonl is append-only and state.json (atomically replaced) records how many of
 * its bytes it reflects; bytes beyond that are from an interrupted run and are cut off on load.
 */
/** A cost-state snapshot: where to place what it adds (`at`: its compaction's time, null for the
 * latest one) and which calls it covers (those up to `cut`, the last call before it in its file). */
export interface CountSnapshot {
  at: number | null;
  cut: number;
  models: Record<string, TokenCounts>;
}

export interface FileEntry extends Cursor {
  size: number;
  mtimeMs: number;
  project: string;
  sessionId: string;
  /**
   * A main transcript's cost-state snapshots (Claude Code's own cumulative count, 2.1.331+): each
   * one that follows a compaction, with that compaction's time, and the latest one.
   */
  counts?: CountSnapshot[];
  /** A compaction read after the last cost-state: the next snapshot's time. */
  pendingCompactAt?: number;
  /** The latest call time read from this file so far. */
  lastCallAt?: number;
}

export interface HistoryState {
  version: 1;
  callsBytes: number;
  files: Record<string, FileEntry>;
  rows: UsageRow[];
  sessions: Record<string, SessionSpan>;
  malformed: number;
}

interface StoredState extends Omit<HistoryState, 'rows'> {
  rows: PackedRow[];
}

export function historyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPEC_SESSION_HOME) return path.join(env.SPEC_SESSION_HOME, 'history');
  const data = env.XDG_DATA_HOME || path.join(env.HOME ?? os.homedir(), '.local', 'share');
  return path.join(data, 'spec-session', 'history');
}

export function loadState(dir: string): HistoryState {
  const stored = readJsonFile<StoredState>(path.join(dir, 'state.json'));
  if (!stored || stored.version !== 1) return { version: 1, callsBytes: 0, files: {}, rows: [], sessions: {}, malformed: 0 };
  return { ...stored, rows: unpackRows(stored.rows) };
}

export function saveState(dir: string, state: HistoryState): void {
  const stored: StoredState = { ...state, rows: packRows(state.rows) };
  writeFileAtomic(path.join(dir, 'state.json'), JSON.stringify(stored));
}

export interface StoredCall extends ApiCall {
  project: string;
}

type PackedCall = [string, string | null, number, string, string | null, string | null, 0 | 1, 0 | 1, number, number, number, number, number, string, (string | null)?];

/** Reads the calls the state reflects, cutting off a tail left by an interrupted run. */
export function loadCalls(dir: string, callsBytes: number): StoredCall[] {
  const file = path.join(dir, 'calls.jsonl');
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > callsBytes) fs.truncateSync(file, callsBytes);
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const calls: StoredCall[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [messageId, requestId, time, model, sessionId, agentId, side, fast, input, output, cacheWrite5m, cacheWrite1h, cacheRead, project, copiedFrom = null] = JSON.parse(line) as PackedCall;
    calls.push({ messageId, requestId, time, model, sessionId, agentId, sidechain: side === 1, speed: fast ? 'fast' : 'standard', tokens: { input, output, cacheWrite5m, cacheWrite1h, cacheRead }, project, copiedFrom });
  }
  return calls;
}

/** Appends calls and returns the new byte length of calls.jsonl. */
export function appendCalls(dir: string, calls: StoredCall[]): number {
  const file = path.join(dir, 'calls.jsonl');
  appendLines(
    file,
    calls.map((c) => {
      const t = c.tokens;
      const packed: PackedCall = [c.messageId, c.requestId, c.time, c.model, c.sessionId, c.agentId, c.sidechain ? 1 : 0, c.speed === 'fast' ? 1 : 0, t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead, c.project];
      if (c.copiedFrom) packed.push(c.copiedFrom);
      return JSON.stringify(packed);
    }),
  );
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
