import { dedupeBy, taskEventKey, type TaskEvent } from '../ledger/fold-events.js';
import type { LedgerView, WorkSession } from '../ledger/read-ledger.js';
import type { ProjectUsage } from '../report/project-usage.js';
import type { UsageTally } from '../report/tally.js';
import { formatCount, formatDuration, formatUsd, shortModel } from '../render/format.js';
import { readSpecTasks } from '../spec/spec-dir.js';
import type { ProjectContext } from './context.js';
import { taskTimes } from './task-progress.js';
import { hourMinute } from '../time/time-format.js';

const kinds = (t: UsageTally) =>
  `${formatCount(t.tokens.input)} | ${formatCount(t.tokens.output)} | ${formatCount(t.tokens.cacheWrite5m)} | ${formatCount(t.tokens.cacheWrite1h)} | ${formatCount(t.tokens.cacheRead)}`;
const HEAD = '| Input | Output | Cache write 5m | Cache write 1h | Cache read |';
const RULE = '| ---: | ---: | ---: | ---: | ---: |';

/** docs/sessions/daily/<day>.md: a pure function of the ledger, so regenerating it is idempotent. */
export function renderDailySummary(
  ctx: ProjectContext,
  view: LedgerView,
  usage: ProjectUsage,
  day: string,
  sessions: WorkSession[],
): string {
  const out = [
    `# Daily Summary: ${day}`,
    '',
    `Measured from Claude Code's transcripts by spec-session; ${ctx.book.table} prices (as of ${ctx.book.asOf}); times in ${ctx.tz}.`,
    '',
  ];
  out.push(
    `- Sessions: ${sessions.length}`,
    `- Tasks worked on: ${usage.tasks.length}`,
    `- Tokens: ${formatCount(usage.totals.total)}`,
    `- Cost: ${formatUsd(usage.totals.cost)}`,
  );
  if (usage.totals.unpriced.size)
    out.push(`- Unpriced models (not in the cost): ${[...usage.totals.unpriced].join(', ')}`);
  out.push(
    '',
    '## Sessions',
    '',
    '| Session | Spec | Time | Tasks done | Tokens | Cost |',
    '| --- | --- | --- | ---: | ---: | ---: |',
  );
  // Counted once for the day's sessions, not once per session over every task event ever written;
  // only their done events are kept (a record written twice counts once).
  const names = new Set(sessions.map((s) => s.name));
  const theirs: TaskEvent[] = [];
  view.forEachTaskEvent((t) => {
    if (t.event === 'done' && t.ws !== null && names.has(t.ws)) theirs.push(t);
  });
  const doneIn = new Map<string, number>();
  for (const t of dedupeBy(theirs, taskEventKey)) doneIn.set(t.ws!, (doneIn.get(t.ws!) ?? 0) + 1);
  for (const s of sessions) {
    const u = usage.sessions.find((x) => x.name === s.name);
    const done = doneIn.get(s.name) ?? 0;
    const span =
      u?.first != null && u.last != null
        ? `${hourMinute(u.first, ctx.tz)}–${hourMinute(u.last, ctx.tz)}`
        : hourMinute(s.started, ctx.tz);
    out.push(
      `| ${s.name} | ${s.spec} | ${span} | ${done} | ${formatCount(u?.tally.total ?? 0)} | ${formatUsd(u?.tally.cost ?? 0)} |`,
    );
  }
  out.push(
    '',
    '## Tasks',
    '',
    `| Spec | Task | Session | Status | Time | ${HEAD.slice(2)} Tokens | Cost |`,
    `| --- | --- | --- | --- | --- | ${RULE.slice(2)} ---: | ---: |`,
  );
  const timesOf = new Map<string, ReturnType<typeof taskTimes>>(); // per spec, once
  for (const t of usage.tasks) {
    const times = (timesOf.get(t.spec) ?? timesOf.set(t.spec, taskTimes(view, t.spec)).get(t.spec)!).get(t.taskId);
    const status = statusOf(ctx, t.spec, t.taskId);
    const took = times?.started && times.done ? formatDuration(times.done - times.started) : '';
    out.push(
      `| ${t.spec} | ${t.taskId}${t.manualTokens ? ' (manual)' : ''} | ${t.session ?? '—'} | ${status} | ${took} | ${kinds(t.tally)} | ${formatCount(t.tally.total)} | ${formatUsd(t.tally.cost)} |`,
    );
  }
  out.push(
    '',
    '## Tokens by kind',
    '',
    `| ${HEAD.slice(2)} Total |`,
    `| ${RULE.slice(2)} ---: |`,
    `| ${kinds(usage.totals)} | ${formatCount(usage.totals.total)} |`,
  );
  out.push('', '## By model', '', `| Model ${HEAD} Cost |`, `| --- ${RULE} ---: |`);
  for (const [model, m] of usage.totals.models) {
    const t = m.tokens;
    out.push(
      `| ${shortModel(model)} | ${formatCount(t.input)} | ${formatCount(t.output)} | ${formatCount(t.cacheWrite5m)} | ${formatCount(t.cacheWrite1h)} | ${formatCount(t.cacheRead)} | ${formatUsd(m.cost, 4)} |`,
    );
  }
  out.push('', '## By spec', '', '| Spec | Tokens | Cost |', '| --- | ---: | ---: |');
  for (const [spec, t] of [...usage.specs].sort((a, b) => a[0].localeCompare(b[0])))
    out.push(`| ${spec} | ${formatCount(t.total)} | ${formatUsd(t.cost)} |`);
  if (usage.unattributed.calls)
    out.push(
      '',
      `Unattributed (no session or task active): ${formatCount(usage.unattributed.total)} tokens, ${formatUsd(usage.unattributed.cost)}.`,
    );
  return `${out.join('\n')}\n`;
}

function statusOf(ctx: ProjectContext, spec: string, task: string): string {
  try {
    return readSpecTasks(ctx.projectDir, spec).find((t) => t.id === task)?.status ?? 'unknown';
  } catch {
    return 'unknown'; // tasks.md gone or unreadable: say so in the summary
  }
}
