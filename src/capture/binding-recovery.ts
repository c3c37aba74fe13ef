/**
 * Bindings a Claude session's transcript implies but no hook wrote: a fork (`--fork-session`)
 * carries on with what its parent was bound to, and a `/do-task` whose prompt hook never ran still
 * binds its task. Both are found while the transcript is captured (capture-session.ts).
 */
import type { BindRecord, LedgerRecord } from '../ledger/records.js';
import type { ApiCall } from '../usage/api-call.js';
import { TOKEN_KINDS, tokensAbove, zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { projectPaths } from '../project/paths.js';
import { isSafeName, isSessionId } from '../project/names.js';
import { bindingAt, loadSessionState, type ClaudeSessionState } from './claude-session-state.js';
import { rebuildBindings } from './rebuild-bindings.js';
import type { ClaudeSessionRef } from './capture-session.js';

/**
 * `--fork-session` starts a new session whose transcript begins with copies of the parent's calls
 * (2.1.331 marks them with the parent's id, `requestSessionId`). The fork keeps working on what the
 * parent was bound to: bind it from just after the last copy, so the copies keep the parent's own
 * attribution and the fork's new calls get the parent's current one.
 */
export function carryForkBinding(
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
export function recoverTaskBindings(
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
