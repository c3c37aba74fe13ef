import { dayRange, parse, UsageError } from '../args/parse-args.js';
import { assertDay } from '../time/zoned.js';
import type { ProjectContext } from './context.js';
import type { TextChunks } from '../render/json-chunks.js';
import { costJsonReport, costReport, type CostPeriod } from './cost.js';
import { doTask } from './do-task.js';
import { endOfDay, repairDerivedFiles } from './eod.js';
import { logTask } from './log-task.js';
import { sessionStatus, sessionStatusJson } from './session-status.js';
import { startSession } from './start-session.js';
import type { WorkflowCommand } from './slash-command.js';

const PERIODS = ['today', 'week', 'month', 'all'];

/** One implementation per workflow command, shared by the slash command (via the hook) and the CLI. */
export function runWorkflowCommand(
  ctx: ProjectContext,
  name: WorkflowCommand,
  argv: string[],
  note: (line: string) => void = () => {},
): string | TextChunks {
  const repaired = repairDerivedFiles(ctx);
  if (repaired.length) note(`↻ written again from the merged ledger: ${repaired.join(', ')}`);
  return runCommand(ctx, name, argv);
}

function runCommand(ctx: ProjectContext, name: WorkflowCommand, argv: string[]): string | TextChunks {
  switch (name) {
    case 'start-session':
      return startSession(ctx, argv);
    case 'do-task': {
      const { message, brief } = doTask(ctx, argv);
      return `${message}\n\n${brief}\n`;
    }
    case 'log-task':
      return logTask(ctx, argv);
    case 'session-status': {
      const { values } = parse(argv, { json: { type: 'boolean' } }, 0);
      return values.json ? sessionStatusJson(ctx) : sessionStatus(ctx);
    }
    case 'cost': {
      const { values, positionals } = parse(
        argv,
        { json: { type: 'boolean' }, since: { type: 'string' }, until: { type: 'string' } },
        1,
      );
      const period = positionals[0] ?? (values.json ? 'all' : 'today');
      if (!PERIODS.includes(period)) throw new UsageError(`unknown period "${period}": use today, week, month or all`);
      const range = dayRange(values);
      return values.json ? costJsonReport(ctx, range) : costReport(ctx, period as CostPeriod, range);
    }
    case 'eod': {
      const { values } = parse(argv, { date: { type: 'string' } }, 0);
      return endOfDay(ctx, values.date === undefined ? undefined : assertDay(values.date, '--date'));
    }
  }
}
