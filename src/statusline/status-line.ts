import fs from 'node:fs';
import path from 'node:path';
import { currentBinding, loadSessionState } from '../capture/claude-session-state.js';
import { listLedgerFiles } from '../ledger/ledger-files.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { dayKey } from '../time/zoned.js';
import { readLedger, type LedgerView } from '../ledger/read-ledger.js';
import type { Attribution } from '../ledger/records.js';
import { formatUsd } from '../render/format.js';
import { projectUsage } from '../report/project-usage.js';
import { budgetStates } from '../workflow/budgets.js';
import type { ProjectContext } from '../workflow/context.js';

/**
 * The one line Claude Code shows under the prompt: this Claude session's work session and task,
 * the task's cost so far, and today's cost against the daily budget, e.g.
 * `inv-1000 · 1.2 $0.31 · today $1.84/$5.00`.
 * As fast as a hook: the session's state file and the ledger as they are, no transcript catch-up,
 * so it can trail the newest call by one hook run.
 */
export function statusLine(ctx: ProjectContext, claudeSessionId: string | undefined): string {
  // Claude Code refreshes the status line often; the ledger changes far less often. Reuse the last
  // line while nothing it depends on has changed: the ledger files (bindings are written there
  // too, with the session state), the config and price files, the day.
  const key = claudeSessionId ?? '-';
  const signature = inputsSignature(ctx);
  const cacheFile = path.join(ctx.paths.state, 'statusline-cache.json');
  const cache = readCache(cacheFile);
  if (cache[key]?.signature === signature) return cache[key].line;
  const line = computeStatusLine(ctx, claudeSessionId);
  cache[key] = { signature, line };
  try {
    writeFileAtomic(cacheFile, JSON.stringify(cache), { durable: false });
  } catch {
    // no cache this time
  }
  return line;
}

function computeStatusLine(ctx: ProjectContext, claudeSessionId: string | undefined): string {
  const view = readLedger(ctx.paths.ledger);
  const usage = projectUsage(view, ctx.book, ctx.tz);
  const bound = bindingOf(ctx, view, claudeSessionId);
  const parts: string[] = [bound.ws ?? (bound.spec ? bound.spec : 'spec-session')];
  if (bound.spec && bound.task) {
    const rows = usage.tasks.filter((t) => t.spec === bound.spec && t.taskId === bound.task);
    const cost = rows.reduce((sum, t) => sum + t.tally.cost, 0);
    const unpriced = rows.some((t) => t.tally.unpriced.size > 0);
    parts.push(`${bound.task} ${formatUsd(cost)}${unpriced ? '*' : ''}`);
  }
  const today = budgetStates(ctx, usage).find((b) => b.period === 'daily')!;
  const flag = today.level === 'over' ? ' ⛔' : today.level === 'warn' ? ' ⚠' : '';
  parts.push(`today ${formatUsd(today.spent)}${today.limit === null ? '' : `/${formatUsd(today.limit)}`}${flag}`);
  return parts.join(' · ');
}

/** The session's state file says what it is bound to; when that is lost, its last binding in the ledger does. */
function bindingOf(ctx: ProjectContext, view: LedgerView, claudeSessionId: string | undefined): Attribution {
  if (!claudeSessionId) return { ws: null, spec: null, task: null };
  const state = loadSessionState(ctx.paths.claudeSessionsState, claudeSessionId);
  if (state) return currentBinding(state);
  const last = view.bindings.filter((b) => b.cs === claudeSessionId).at(-1);
  return { ws: last?.ws ?? null, spec: last?.spec ?? null, task: last?.task ?? null };
}

/** What the status line says when something went wrong: short, and never an error in Claude Code's face. */
export const STATUS_LINE_FALLBACK = 'spec-session · (no data: run spec-session doctor)';

function readCache(file: string): Record<string, { signature: string; line: string }> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { signature: string; line: string }>;
  } catch {
    return {};
  }
}

function inputsSignature(ctx: ProjectContext): string {
  const parts = [dayKey(ctx.now(), ctx.tz), ctx.book.table];
  const stamp = (file: string) => {
    try {
      const st = fs.statSync(file);
      parts.push(`${file}:${st.size}:${st.mtimeMs}`);
    } catch {
      parts.push(`${file}:-`);
    }
  };
  for (const file of listLedgerFiles(ctx.paths.ledger)) stamp(file);
  stamp(ctx.paths.config);
  stamp(ctx.paths.prices);
  return parts.join('|');
}
