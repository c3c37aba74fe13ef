import fs from 'node:fs';
import path from 'node:path';
import type { Attribution, BindRecord, CallRecord, EndRecord, GapRecord, LedgerRecord } from '../ledger/records.js';
import { isAppendable, writerFile } from '../ledger/ledger-files.js';
import { appendLines } from '../store/atomic-file.js';
import { faultPoint } from '../store/fault-point.js';
import { withFileLock } from '../store/lock.js';
import { readTranscriptFrom } from '../transcript/read-transcript.js';
import type { ApiCall, CostState } from '../usage/api-call.js';
import { maxTokens, TOKEN_KINDS, tokensAbove, totalTokens, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { uncountedUsage } from '../usage/uncounted.js';
import { projectPaths } from '../project/paths.js';
import {
  bindingAt,
  branchAt,
  emptySessionState,
  loadSessionState,
  saveSessionState,
  sessionStatePath,
  type ClaudeSessionState,
} from './claude-session-state.js';
import { subagentTranscripts } from './subagent-files.js';
import { rebuildBindings } from './rebuild-bindings.js';
import { syncGit } from './git-capture.js';
import { isSafeName, isSessionId } from '../project/names.js';

export interface ClaudeSessionRef {
  projectDir: string;
  sessionId: string;
  /** The main transcript (hooks give it; for subagents too it is the main one). */
  transcriptPath: string;
}

/** What a caller can do inside a captured, locked Claude session. */
export interface SessionWriter {
  readonly state: ClaudeSessionState;
  bind(to: Attribution, why: string, at: number): void;
  append(record: LedgerRecord): void;
  /** The Claude session ended (SessionEnd): its ledger file is closed; anything later goes to a new one. */
  end(why: string, at: number): void;
}

export interface CaptureOptions {
  now?: () => number;
  lockTimeoutMs?: number;
}

/**
 * The one ledger writer for a Claude session. Under the session's lock: read the new bytes of its
 * transcripts (subagents first, then the main file), attribute each new API call to the binding in
 * force at the call's time, add what cost-state shows that no line does, let `then` bind or record,
 * append everything to the session's ledger file, and only then advance the cursors. A crash at any
 * point leaves records that a later run writes again and the fold merges: nothing lost, nothing doubled.
 */
export function withClaudeSession<T>(
  ref: ClaudeSessionRef,
  then: (writer: SessionWriter) => T,
  options: CaptureOptions = {},
): T {
  const now = options.now ?? Date.now;
  const paths = projectPaths(ref.projectDir);
  fs.mkdirSync(paths.claudeSessionsState, { recursive: true });
  const statePath = sessionStatePath(paths.claudeSessionsState, ref.sessionId);
  return withFileLock(
    statePath,
    () => {
      const state = loadSessionState(paths.claudeSessionsState, ref.sessionId) ?? freshState(ref, now());
      if (state.closed || !isAppendable(state.ledgerFile, now())) {
        state.ledgerFile = writerFile(paths.ledger, ref.sessionId, now());
        state.closed = false;
      }
      const ledgerPath = path.join(paths.ledger, state.ledgerFile);
      const pending: LedgerRecord[] = [];
      syncGit(ref.projectDir, ref.sessionId, state, pending, now());
      captureTranscripts(ref, state, pending, now);
      let closing = false;
      const writer: SessionWriter = {
        state,
        end(why, at) {
          const record: EndRecord = { k: 'end', t: new Date(at).toISOString(), cs: ref.sessionId, why };
          pending.push(record);
          closing = true;
        },
        bind(to, why, at) {
          const phase = to.phase ? { phase: to.phase } : {};
          const record: BindRecord = {
            k: 'bind',
            t: new Date(at).toISOString(),
            cs: ref.sessionId,
            ws: to.ws,
            spec: to.spec,
            task: to.task,
            why,
            ...(to.phase ? { ph: to.phase } : {}),
          };
          pending.push(record);
          state.bindings.push({ t: at, ws: to.ws, spec: to.spec, task: to.task, ...phase });
          state.bindings.sort((a, b) => a.t - b.t);
        },
        append(record) {
          pending.push(record);
        },
      };
      const result = then(writer);
      // The end record goes last: a file's end record is its last line.
      pending.sort((a, b) => Number(a.k === 'end') - Number(b.k === 'end'));
      faultPoint('before-ledger-append');
      appendLines(
        ledgerPath,
        pending.map((r) => JSON.stringify(r)),
      );
      if (closing) state.closed = true;
      faultPoint('before-state-save');
      saveSessionState(paths.claudeSessionsState, state);
      return result;
    },
    { timeoutMs: options.lockTimeoutMs ?? 3000 },
  );
}

function freshState(ref: ClaudeSessionRef, now: number): ClaudeSessionState {
  const paths = projectPaths(ref.projectDir);
  const state = emptySessionState(ref.sessionId, writerFile(paths.ledger, ref.sessionId, now), ref.transcriptPath);
  // State lost (new clone, deleted folder): bindings live on in the committed ledger.
  state.bindings = rebuildBindings(paths.ledger, ref.sessionId);
  return state;
}

function captureTranscripts(
  ref: ClaudeSessionRef,
  state: ClaudeSessionState,
  out: LedgerRecord[],
  now: () => number,
): void {
  const files = [...subagentTranscripts(ref.transcriptPath, ref.sessionId), ref.transcriptPath];
  let lastCostState: CostState | undefined;
  let versionsChanged = false;
  for (const file of files) {
    let read: ReturnType<typeof readTranscriptFrom>;
    try {
      read = readTranscriptFrom(file, state.cursors[file]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // not written yet
      throw error;
    }
    if (read.restarted) {
      // A transcript was rewritten: start the whole session over, so the captured sums behind
      // the cost-state gap stay exact. Records written again fold away in the ledger.
      Object.assign(state, { cursors: {}, seen: {}, captured: {}, gaps: {} });
      captureTranscripts(ref, state, out, now);
      return;
    }
    if (file === ref.transcriptPath) {
      carryForkBinding(ref, state, read.calls, out);
      recoverTaskBindings(ref, state, read.taskCommands, out);
    }
    for (const call of read.calls) {
      if (call.sessionId !== null && call.sessionId !== ref.sessionId && call.sidechain) continue; // another session's agent file (2.0.x layout)
      takeCall(ref.sessionId, state, call, out);
    }
    // A subagent's calls copied into this transcript's progress lines: counted when its own file
    // is missing; when it is there, the copies fold into its calls (same ids, field-wise max).
    for (const call of read.embeddedCalls) takeCall(ref.sessionId, state, call, out);
    for (const v of read.versions) {
      if ((state.versions ??= []).includes(v)) continue;
      state.versions.push(v);
      versionsChanged = true;
    }
    state.malformed = (state.malformed ?? 0) + read.malformed;
    for (const time of read.compactions) state.lastCompactAt = Math.max(state.lastCompactAt ?? 0, time);
    if (file === ref.transcriptPath && read.costStates.length)
      lastCostState = read.costStates[read.costStates.length - 1];
    state.cursors[file] = read.cursor;
  }
  if (lastCostState) takeCostState(ref.sessionId, state, lastCostState, out, now());
  if (lastCostState && !state.costState) {
    state.costState = true;
    versionsChanged = true;
  }
  if (versionsChanged)
    out.push({
      k: 'version',
      t: new Date(now()).toISOString(),
      cs: ref.sessionId,
      versions: [...(state.versions ?? [])].sort(),
      costState: state.costState === true,
    });
}

/**
 * `--fork-session` starts a new session whose transcript begins with copies of the parent's calls
 * (2.1.331 marks them with the parent's id, `requestSessionId`). The fork keeps working on what the
 * parent was bound to: bind it from just after the last copy, so the copies keep the parent's own
 * attribution and the fork's new calls get the parent's current one.
 */
function carryForkBinding(
  ref: ClaudeSessionRef,
  state: ClaudeSessionState,
  calls: ApiCall[],
  out: LedgerRecord[],
): void {
  if (state.bindings.length > 0) return;
  const copies = calls.filter((c) => c.copiedFrom && c.copiedFrom !== ref.sessionId);
  const parent = copies[0]?.copiedFrom;
  if (!isSessionId(parent)) return;
  const paths = projectPaths(ref.projectDir);
  const parentState = loadSessionState(paths.claudeSessionsState, parent);
  const bindings = parentState?.bindings ?? rebuildBindings(paths.ledger, parent);
  const last = bindings[bindings.length - 1];
  if (!last?.ws && !last?.task) return;
  const at = Math.max(...copies.map((c) => c.time)) + 1;
  if (parentState) state.inherited = inheritedCount(parentState, copies);
  const to = { ws: last.ws, spec: last.spec, task: last.task };
  state.bindings.push({ t: at, ...to });
  const record: BindRecord = {
    k: 'bind',
    t: new Date(at).toISOString(),
    cs: ref.sessionId,
    ...to,
    why: `fork:${parent}`,
  };
  out.push(record);
}

const SAME_PROMPT_MS = 120_000;

/**
 * A `/do-task` the transcript records but no binding matches: its UserPromptSubmit hook did not
 * run or died before writing. Bind from the prompt's time, so the task's calls are not left
 * unattributed.
 */
function recoverTaskBindings(
  ref: ClaudeSessionRef,
  state: ClaudeSessionState,
  commands: Array<{ time: number; args: string[] }>,
  out: LedgerRecord[],
): void {
  for (const { time, args } of commands) {
    const [spec, task] = args;
    if (args.length !== 2 || !spec || !task || !isSafeName(spec) || !isSafeName(task)) continue;
    if (state.bindings.some((b) => b.spec === spec && b.task === task && Math.abs(b.t - time) <= SAME_PROMPT_MS))
      continue;
    const before = bindingAt(state, time);
    const to = { ws: before.spec === spec ? before.ws : null, spec, task };
    state.bindings.push({ t: time, ...to });
    state.bindings.sort((a, b) => a.t - b.t);
    const record: BindRecord = {
      k: 'bind',
      t: new Date(time).toISOString(),
      cs: ref.sessionId,
      ...to,
      why: 'recovered:do-task',
    };
    out.push(record);
  }
}

/**
 * What the fork's cost-state carries over from its parent beyond the copied lines: the parent's
 * subagent calls and its own uncounted usage. It is no gap of the fork's.
 */
function inheritedCount(parent: ClaudeSessionState, copies: ApiCall[]): Record<string, TokenCounts> {
  const out: Record<string, TokenCounts> = {};
  for (const [model, t] of Object.entries(parent.captured)) out[model] = { ...t };
  for (const [model, t] of Object.entries(parent.gaps))
    for (const k of TOKEN_KINDS) (out[model] ??= zeroTokens())[k] += t[k];
  const copied = new Map<string, ApiCall>();
  for (const c of copies) copied.set(`${c.messageId}:${c.requestId ?? ''}`, c);
  for (const c of copied.values()) out[c.model] = tokensAbove(out[c.model] ?? zeroTokens(), c.tokens);
  return out;
}

function takeCall(sessionId: string, state: ClaudeSessionState, call: ApiCall, out: LedgerRecord[]): void {
  const key = `${call.messageId}:${call.requestId ?? ''}`;
  const seen = state.seen[key];
  const before = seen ? fromSeen(seen) : zeroTokens();
  const merged = seen ? maxTokens(before, call.tokens) : call.tokens;
  if (seen && totalTokens(merged) === totalTokens(before)) return; // a copy already recorded
  delete state.seen[key]; // re-inserted last: the most recent keys survive pruning
  state.seen[key] = [
    merged.input,
    merged.output,
    merged.cacheWrite5m,
    merged.cacheWrite1h,
    merged.cacheRead,
    call.model,
  ];
  const model = seen ? seen[5] : call.model;
  const sum = (state.captured[model] ??= zeroTokens());
  for (const k of TOKEN_KINDS) sum[k] += merged[k] - before[k];
  pruneSeen(state);
  state.lastCallAt = Math.max(state.lastCallAt ?? 0, call.time);
  const record: CallRecord = {
    k: 'call',
    msg: call.messageId,
    req: call.requestId,
    t: new Date(call.time).toISOString(),
    cs: sessionId,
    model: call.model,
    ...(call.agentId ? { agent: call.agentId } : {}),
    ...(call.speed === 'fast' ? { fast: true as const } : {}),
    in: merged.input,
    out: merged.output,
    cw5: merged.cacheWrite5m,
    cw1h: merged.cacheWrite1h,
    cr: merged.cacheRead,
    ...attributionFields(state, call.time),
  };
  out.push(record);
}

/** Who a call or gap at `time` worked for, as its record says it: binding, planning phase, branch. */
function attributionFields(state: ClaudeSessionState, time: number) {
  const { phase, ...attribution } = bindingAt(state, time);
  const branch = branchAt(state, time);
  return { ...attribution, ...(phase ? { ph: phase } : {}), ...(branch !== undefined ? { br: branch } : {}) };
}

/**
 * cost-state is Claude Code's cumulative count for the session; whatever it has beyond the calls
 * captured from lines (main and subagents) was never written as a line: record that gap.
 */
function takeCostState(
  sessionId: string,
  state: ClaudeSessionState,
  cost: CostState,
  out: LedgerRecord[],
  now: number,
): void {
  const captured = new Map(Object.entries(state.captured));
  for (const [model, raw] of uncountedUsage(cost.models, captured)) {
    const gap = tokensAbove(raw, state.inherited?.[model]);
    const before = state.gaps[model] ?? zeroTokens();
    const cumulative = maxTokens(before, gap);
    if (totalTokens(cumulative) === totalTokens(before)) continue;
    state.gaps[model] = cumulative;
    const at = state.lastCompactAt ?? state.lastCallAt ?? now;
    const record: GapRecord = {
      k: 'gap',
      id: `gap:${sessionId}:${model}:${totalTokens(cumulative)}`,
      t: new Date(at).toISOString(),
      cs: sessionId,
      model,
      in: cumulative.input,
      out: cumulative.output,
      cw5: cumulative.cacheWrite5m,
      cw1h: cumulative.cacheWrite1h,
      cr: cumulative.cacheRead,
      ...attributionFields(state, at),
    };
    out.push(record);
  }
}

/**
 * Copies of a call arrive close together (the lines of one response, a retried read), so only the
 * most recent keys are kept: the state, read and written by every hook, stays small however long
 * the session. The exact per-model sums live in `captured`.
 */
const SEEN_KEEP = 512;
function pruneSeen(state: ClaudeSessionState): void {
  const keys = Object.keys(state.seen);
  if (keys.length <= SEEN_KEEP * 2) return;
  for (const key of keys.slice(0, keys.length - SEEN_KEEP)) delete state.seen[key];
}

function fromSeen(s: ClaudeSessionState['seen'][string]): TokenCounts {
  return { input: s[0], output: s[1], cacheWrite5m: s[2], cacheWrite1h: s[3], cacheRead: s[4] };
}
