import type { LedgerView } from '../ledger/read-ledger.js';
import { projectUsage } from '../report/project-usage.js';
import { formatCount, formatUsd } from '../render/format.js';
import { listSpecs, readSpecTasks } from '../spec/spec-dir.js';
import { summarize } from '../spec/tasks-file.js';
import type { ProjectContext } from './context.js';

const MARK = { pending: '[ ]', 'in-progress': '[-]', done: '[x]', blocked: '[~]' } as const;

/** docs/PROGRESS.md, regenerated whole from tasks.md files and the ledger (never patched). */
export function renderProgress(ctx: ProjectContext, view: LedgerView): string {
  const usage = projectUsage(view, ctx.book, ctx.tz);
  const out = [
    '# Progress',
    '',
    `Tasks from .spec-workflow/specs/*/tasks.md; tokens and cost measured by spec-session (${ctx.book.table} prices).`,
    '',
  ];
  out.push('| Spec | Tasks done | Tokens | Cost to date |', '| --- | ---: | ---: | ---: |');
  const specs = listSpecs(ctx.projectDir);
  for (const spec of specs) {
    const sum = summarize(readSpecTasks(ctx.projectDir, spec));
    const t = usage.specs.get(spec);
    out.push(`| ${spec} | ${sum.done}/${sum.total} | ${formatCount(t?.total ?? 0)} | ${formatUsd(t?.cost ?? 0)} |`);
  }
  out.push(`| **Total** | | ${formatCount(usage.totals.total)} | ${formatUsd(usage.totals.cost)} |`);
  // A task's rows per work session, found by key (a team's year holds tens of thousands of rows).
  const rowsOf = new Map(usage.taskTotals.map((t) => [`${t.spec}\u0000${t.taskId}`, t.sessions]));
  for (const spec of specs) {
    out.push('', `## ${spec}`, '', '| Task | Status | Tokens | Cost |', '| --- | --- | ---: | ---: |');
    for (const task of readSpecTasks(ctx.projectDir, spec)) {
      const rows = rowsOf.get(`${spec}\u0000${task.id}`) ?? [];
      const tokens = rows.reduce((s, r) => s + r.tally.total, 0);
      const cost = rows.reduce((s, r) => s + r.tally.cost, 0);
      const manual = rows.some((r) => r.manualTokens > 0) ? ' (manual)' : '';
      out.push(
        `| ${MARK[task.status]} ${task.id} ${task.title.replace(/\|/g, '\\|')} | ${task.status} | ${tokens ? formatCount(tokens) : ''} | ${tokens ? formatUsd(cost) + manual : ''} |`,
      );
    }
  }
  if (usage.unattributed.calls)
    out.push(
      '',
      `Unattributed usage to date: ${formatCount(usage.unattributed.total)} tokens, ${formatUsd(usage.unattributed.cost)}.`,
    );
  return `${out.join('\n')}\n`;
}
