import type { LedgerView } from '../ledger/read-ledger.js';
import type { UsageItem } from '../ledger/read-ledger.js';
import { tallyOf } from '../report/project-usage.js';
import { totalTokens } from '../usage/tokens.js';
import { formatCount, formatUsd } from '../render/format.js';
import { listSpecs, readSpecTasks } from '../spec/spec-dir.js';
import { summarize } from '../spec/tasks-file.js';
import type { ProjectContext } from './context.js';

const MARK = { pending: '[ ]', 'in-progress': '[-]', done: '[x]', blocked: '[~]' } as const;

/**
 * docs/PROGRESS.md, regenerated whole from tasks.md files and the ledger (never patched). Its
 * figures are all-time sums, which the index keeps per spec and task: no pass over every item.
 */
export function renderProgress(ctx: ProjectContext, view: LedgerView): string {
  const sum = (items: UsageItem[]) => tallyOf(items, ctx.book);
  const totals = sum(view.allTimeSums('all'));
  const out = [
    '# Progress',
    '',
    `Tasks from .spec-workflow/specs/*/tasks.md; tokens and cost measured by spec-session (${ctx.book.table} prices).`,
    '',
  ];
  out.push('| Spec | Tasks done | Tokens | Cost to date |', '| --- | ---: | ---: | ---: |');
  const specs = listSpecs(ctx.projectDir);
  for (const spec of specs) {
    const done = summarize(readSpecTasks(ctx.projectDir, spec));
    const t = sum(view.allTimeSums({ spec }));
    out.push(`| ${spec} | ${done.done}/${done.total} | ${formatCount(t.total)} | ${formatUsd(t.cost)} |`);
  }
  out.push(`| **Total** | | ${formatCount(totals.total)} | ${formatUsd(totals.cost)} |`);
  for (const spec of specs) {
    out.push('', `## ${spec}`, '', '| Task | Status | Tokens | Cost |', '| --- | --- | ---: | ---: |');
    for (const task of readSpecTasks(ctx.projectDir, spec)) {
      const items = view.taskTotal(spec, task.id);
      const t = sum(items);
      const manual = items.some((i) => i.kind === 'manual' && totalTokens(i.tokens) > 0) ? ' (manual)' : '';
      out.push(
        `| ${MARK[task.status]} ${task.id} ${task.title.replace(/\|/g, '\\|')} | ${task.status} | ${t.total ? formatCount(t.total) : ''} | ${t.total ? formatUsd(t.cost) + manual : ''} |`,
      );
    }
  }
  const unattributed = sum(view.allTimeSums('unattributed'));
  if (unattributed.calls)
    out.push(
      '',
      `Unattributed usage to date: ${formatCount(unattributed.total)} tokens, ${formatUsd(unattributed.cost)}.`,
    );
  return `${out.join('\n')}\n`;
}
