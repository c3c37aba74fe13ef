import { currentBinding, loadSessionState } from '../capture/claude-session-state.js';
import { readIndexedLedger } from '../ledger/ledger-index.js';
import type { LedgerView, WorkSession } from '../ledger/read-ledger.js';
import type { Attribution } from '../ledger/records.js';
import { catchUpProject } from './catch-up.js';
import type { ProjectContext } from './context.js';

/**
 * The ledger after catching up on every transcript: what every project view starts from. Read
 * through the machine-local index, so only what is new since the last read is folded. `turn`: a
 * read at every turn (the Stop hook, the statusline), which lists only the recent day folders.
 */
export function projectSnapshot(
  ctx: ProjectContext,
  options: { catchUp?: boolean; turn?: boolean; listAll?: boolean } = {},
): LedgerView {
  if (options.catchUp !== false) catchUpProject(ctx);
  return readIndexedLedger(ctx.paths.ledger, ctx.paths.ledgerIndex, ctx.tz, {
    now: ctx.now(),
    turn: options.turn === true,
    listAll: options.listAll === true,
  }).view;
}

export function activeSessions(view: LedgerView): WorkSession[] {
  return [...view.sessions.values()].filter((s) => s.ended === null).sort((a, b) => a.started - b.started);
}

/** What the Claude session running this command is bound to now. */
export function claudeBinding(ctx: ProjectContext): Attribution {
  if (!ctx.claude) return { ws: null, spec: null, task: null };
  const state = loadSessionState(ctx.paths.claudeSessionsState, ctx.claude.sessionId);
  return state ? currentBinding(state) : { ws: null, spec: null, task: null };
}

/** The active task of a work session: the latest binding of any of its Claude sessions. */
export function activeTaskOf(view: LedgerView, ws: string): string | null {
  return view.lastBinding({ ws })?.task ?? null;
}
