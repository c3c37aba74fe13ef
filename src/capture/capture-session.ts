/**
 * The per-Claude-session capture every hook runs: the session's lock and machine-local state, the
 * new bytes of its transcripts, and the one writer that appends to its ledger file. Calls become
 * records in call-records.ts; bindings no hook wrote are recovered in binding-recovery.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Attribution, BindRecord, EndRecord, LedgerRecord } from '../ledger/records.js';
import { isAppendable, writerFile } from '../ledger/ledger-files.js';
import { appendLines } from '../store/atomic-file.js';
import { faultPoint } from '../store/fault-point.js';
import { withFileLock } from '../store/lock.js';
import { readTranscriptFrom } from '../transcript/read-transcript.js';
import type { CostState } from '../usage/api-call.js';
import { projectPaths } from '../project/paths.js';
import {
  emptySessionState,
  loadSessionState,
  saveSessionState,
  sessionStatePath,
  type ClaudeSessionState,
} from './claude-session-state.js';
import { subagentTranscripts } from './subagent-files.js';
import { rebuildBindings } from './rebuild-bindings.js';
import { syncGit } from './git-capture.js';
import { carryForkBinding, recoverTaskBindings } from './binding-recovery.js';
import { takeCall, takeCostState } from './call-records.js';

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
