import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';
import { usageOf } from '../report/project-usage.js';
import { formatCount, formatUsd, shortModel } from '../render/format.js';
import { readSpecTasks } from '../spec/spec-dir.js';
import type { LedgerView } from '../ledger/read-ledger.js';
import type { ProjectContext } from './context.js';
import { projectSnapshot } from './snapshot.js';
import { taskTimes } from './task-progress.js';
import { clock } from '../time/time-format.js';
import { stamped } from './derived-files.js';

/**
 * Regenerates a work session's log from the ledger (never patched, so it survives merges):
 * docs/sessions/.current/<name>.md while active, docs/sessions/archive/<day>/<name>.md once ended.
 * `view`: the ledger as the caller just read it, when nothing was written since (an /eod archiving
 * a busy day's twenty sessions reads it once, not once per session).
 */
export function writeSessionLog(
  ctx: ProjectContext,
  name: string,
  archiveDay?: string,
  view: LedgerView = projectSnapshot(ctx, { catchUp: false }),
): string {
  const ws = view.sessions.get(name);
  if (!ws) throw new Error(`no session "${name}"`);
  const usage = usageOf(view.usageOfSessions([name]), [ws], ctx.book, ctx.tz);
  const mine = usage.sessions.find((s) => s.name === name);
  const tasks = (() => {
    try {
      return readSpecTasks(ctx.projectDir, ws.spec);
    } catch {
      return []; // tasks.md gone: the log lists the sessions' usage only
    }
  })();
  const times = taskTimes(view, ws.spec, name);
  const lines = [`# Session ${name}`, '', `- Spec: ${ws.spec}`, `- Started: ${clock(ws.started, ctx.tz)}`];
  lines.push(ws.ended === null ? '- Status: active' : `- Ended: ${clock(ws.ended, ctx.tz)}`);
  lines.push(
    `- Claude sessions: ${
      [...ws.claudeSessions]
        .sort()
        .map((c) => c.slice(0, 8))
        .join(', ') || 'none yet'
    }`,
  );
  lines.push(
    `- Tokens: ${formatCount(mine?.tally.total ?? 0)} · Cost: ${formatUsd(mine?.tally.cost ?? 0)} (${ctx.book.table} prices)`,
    '',
    '## Tasks',
    '',
  );
  lines.push('| Task | Status | Tokens | Cost | Started | Done |', '| --- | --- | ---: | ---: | --- | --- |');
  for (const t of usage.tasks.filter((t) => t.session === name)) {
    const status = tasks.find((x) => x.id === t.taskId)?.status ?? 'unknown';
    const when = times.get(t.taskId);
    lines.push(
      `| ${t.taskId}${t.manualTokens ? ' (manual)' : ''} | ${status} | ${formatCount(t.tally.total)} | ${formatUsd(t.tally.cost)} | ${when?.started ? clock(when.started, ctx.tz) : ''} | ${when?.done ? clock(when.done, ctx.tz) : ''} |`,
    );
  }
  lines.push(
    '',
    '## Usage by model',
    '',
    '| Model | Input | Output | Cache write | Cache read | Cost |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const [model, m] of mine?.tally.models ?? []) {
    lines.push(
      `| ${shortModel(model)} | ${formatCount(m.tokens.input)} | ${formatCount(m.tokens.output)} | ${formatCount(m.tokens.cacheWrite5m + m.tokens.cacheWrite1h)} | ${formatCount(m.tokens.cacheRead)} | ${formatUsd(m.cost, 4)} |`,
    );
  }
  const target = archiveDay
    ? path.join(ctx.paths.archive, archiveDay, `${name}.md`)
    : path.join(ctx.paths.current, `${name}.md`);
  writeFileAtomic(target, stamped(`${lines.join('\n')}\n`));
  if (archiveDay) fs.rmSync(path.join(ctx.paths.current, `${name}.md`), { force: true });
  return target;
}
