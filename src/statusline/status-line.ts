import path from 'node:path';
import { currentBinding, loadSessionState } from '../capture/claude-session-state.js';
import { indexVersion } from '../ledger/ledger-index.js';
import { isSessionId } from '../project/names.js';
import { readCachedJson, writeFileAtomic } from '../store/atomic-file.js';
import type { LedgerView } from '../ledger/read-ledger.js';
import type { Attribution } from '../ledger/records.js';
import { formatUsd } from '../render/format.js';
import { tallyOf } from '../report/project-usage.js';
import { dayKey } from '../time/zoned.js';
import { levelOf } from '../workflow/budgets.js';
import type { ProjectContext } from '../workflow/context.js';
import { projectSnapshot } from '../workflow/snapshot.js';

/**
 * The one line Claude Code shows under the prompt: this Claude session's work session and task,
 * the task's cost so far, and today's cost against the daily budget, e.g.
 * `inv-1000 · 1.2 $0.31 · today $1.84/$5.00`.
 * As fast as a hook: the ledger through its machine-local index (only what is new since the last
 * refresh is folded), no transcript catch-up, and only today's and the task's usage priced.
 */
export function statusLine(ctx: ProjectContext, claudeSessionId: string | undefined): string {
  const view = projectSnapshot(ctx, { catchUp: false, turn: true });
  const bound = bindingOf(ctx, view, claudeSessionId);
  const today = dayKey(ctx.now(), ctx.tz);
  const task = tallyOf(bound.spec && bound.task ? view.taskTotal(bound.spec, bound.task) : [], ctx.book);
  const day = tallyOf(view.usageIn({ since: today, until: today }, ctx.tz), ctx.book);
  const parts: string[] = [bound.ws ?? (bound.spec ? bound.spec : 'spec-session')];
  if (bound.spec && bound.task) parts.push(`${bound.task} ${formatUsd(task.cost)}${task.unpriced.size ? '*' : ''}`);
  const limit = ctx.config.budgets.daily;
  const level = levelOf(day.cost, limit);
  const flag = level === 'over' ? ' ⛔' : level === 'warn' ? ' ⚠' : '';
  parts.push(`today ${formatUsd(day.cost)}${limit === null ? '' : `/${formatUsd(limit)}`}${flag}`);
  if (view.malformed || view.problems.length) parts.push('⚠ ledger lines skipped: spec-session doctor');
  return parts.join(' · ');
}

/**
 * The session's state file says what it is bound to; when that is lost, its last binding in the
 * ledger does. That reads every binding the index keeps (a team's years of them), so it is kept
 * beside the index for the next refresh, until the index changes: a hook that runs writes the state
 * again, and until one does nothing new binds the session.
 */
function bindingOf(ctx: ProjectContext, view: LedgerView, claudeSessionId: string | undefined): Attribution {
  if (!claudeSessionId) return { ws: null, spec: null, task: null };
  const state = loadSessionState(ctx.paths.claudeSessionsState, claudeSessionId);
  if (state) return currentBinding(state);
  const lookUp = () => {
    const last = view.lastBinding({ cs: claudeSessionId });
    return { ws: last?.ws ?? null, spec: last?.spec ?? null, task: last?.task ?? null };
  };
  if (!isSessionId(claudeSessionId)) return lookUp();
  const file = path.join(ctx.paths.ledgerIndex, `statusline-${claudeSessionId}.json`);
  const version = indexVersion(ctx.paths.ledgerIndex, ctx.tz);
  const kept = readCachedJson<{ version: string; binding: Attribution }>(
    file,
    (m) => m.version === version && typeof m.binding === 'object' && m.binding !== null,
  );
  if (kept) return kept.binding;
  const binding = lookUp();
  try {
    writeFileAtomic(file, JSON.stringify({ version, binding }), { durable: false });
  } catch {
    // not kept: the next refresh looks it up again
  }
  return binding;
}

/** What the status line says when something went wrong: short, and never an error in Claude Code's face. */
export const STATUS_LINE_FALLBACK = 'spec-session · (no data: run spec-session doctor)';
