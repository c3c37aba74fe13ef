import { installCommand, uninstallCommand } from './commands/install.js';
import { reportCommand } from './commands/report.js';
import { workflowCommand } from './commands/workflow.js';
import { doctorCommand } from './commands/doctor.js';
import { knowledgeCommand } from './commands/knowledge.js';
import { demoCommand } from './commands/demo.js';
import { dashboardCommand } from './commands/dashboard.js';
import { statuslineCommand } from './commands/statusline.js';
import { exportCommand } from './commands/export.js';
import { compactCommand } from './commands/compact.js';
import { notesCommand, prCommand } from './commands/pr.js';
import type { TextChunks } from '../render/json-chunks.js';
import { WORKFLOW_HELP, WORKFLOW_OPTIONS, type WorkflowCommand } from '../workflow/slash-command.js';

export interface Command {
  summary: string;
  usage: string;
  /** What to print: text, or pieces of it written in order (a big JSON answer). */
  run(argv: string[]): Promise<string | TextChunks | undefined> | string | TextChunks | undefined;
}

const PROJECT = `[--dir <project>] ${WORKFLOW_OPTIONS}`;

/** A workflow command (a slash command too): its help is the slash command's, with `--dir`. */
function workflow(name: WorkflowCommand): Command {
  const { summary, args } = WORKFLOW_HELP[name];
  return { summary, usage: [name, args, PROJECT].filter(Boolean).join(' '), run: workflowCommand(name) };
}

/** Every CLI command, in the order `spec-session help` lists them. */
export const COMMANDS: Record<string, Command> = {
  demo: {
    summary: 'run the whole workflow on an embedded demo project (no Claude Code, no API key)',
    usage: 'demo [--keep]',
    run: demoCommand,
  },
  install: {
    summary: 'install the hooks and slash commands into a project',
    usage: 'install [--dir <project>] [--statusline] [--claude-version X.Y.Z]',
    run: installCommand,
  },
  uninstall: {
    summary: 'remove exactly what install added (the ledger and docs/ stay)',
    usage: 'uninstall [--dir <project>]',
    run: uninstallCommand,
  },
  'start-session': workflow('start-session'),
  'do-task': workflow('do-task'),
  'log-task': workflow('log-task'),
  'session-status': workflow('session-status'),
  cost: workflow('cost'),
  eod: workflow('eod'),
  report: {
    summary: 'usage across your whole Claude Code history (like ccusage, exact)',
    usage:
      "report [daily|weekly|monthly|session|blocks] [--json] [--since D] [--until D] [--tz Zone] [--breakdown] [--order asc|desc] [--last N] [--project P | --instances] [--active] [--recent] [--token-limit N|max] [--session-length H] [--prices anthropic|claude-code] [--config-dir D,…]\n  ccusage's short flags too: -j -s -u -b -z/--timezone -o -p -i -a -r -t -n -O/--offline (a no-op: prices are never fetched) -m calculate (the only mode: priced from tokens)",
    run: reportCommand,
  },
  knowledge: {
    summary: "search the implementation logs' artifacts across specs",
    usage: 'knowledge <term> [--dir <project>] [--json]',
    run: knowledgeCommand,
  },
  dashboard: {
    summary: 'cost charts in the browser: served on 127.0.0.1, or one offline HTML file (--out)',
    usage: `dashboard [--port N] [--out report.html] [--since D] [--until D] ${PROJECT}`,
    run: dashboardCommand,
  },
  statusline: {
    summary: "one line for Claude Code's statusLine: session, task cost, today vs budget",
    usage: "statusline (reads Claude Code's statusline JSON on stdin)",
    run: statuslineCommand,
  },
  export: {
    summary: 'every API call as a priced row, for spreadsheets and scripts',
    usage: `export [--format csv|json] [--since D] [--until D] ${PROJECT}`,
    run: exportCommand,
  },
  pr: {
    summary:
      "a branch's cost (calls, tasks, commits, models) as Markdown for a pull request, from the committed ledger",
    usage: `pr [--branch B] [--json] ${PROJECT}`,
    run: prCommand,
  },
  notes: {
    summary: "write each commit's cost as a git note (refs/notes/spec-session); opt-in",
    usage: `notes ${PROJECT}`,
    run: notesCommand,
  },
  compact: {
    summary: 'roll up every closed ledger file into committed aggregates (the upgrade from 0.1.0)',
    usage: 'compact [--dir <project>]',
    run: compactCommand,
  },
  doctor: {
    summary: 'check the install, and show hook errors and skipped lines',
    usage: 'doctor [--dir <project>]',
    run: doctorCommand,
  },
};

export function helpText(): string {
  const lines = ['spec-session: exact token cost per spec task, work session and day for Claude Code', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS))
    lines.push(`  ${name.padEnd(15)} ${c.summary}`, `  ${''.padEnd(15)} spec-session ${c.usage}`);
  return `${lines.join('\n')}\n`;
}

/** One command's usage and what it does (`spec-session cost --help`). */
export function commandHelp(name: string): string {
  const c = COMMANDS[name]!;
  return `spec-session ${c.usage}\n  ${c.summary}\n`;
}
