/** Our slash commands, as the UserPromptSubmit hook sees them: the raw prompt, before expansion. */
export const WORKFLOW_COMMANDS = ['start-session', 'do-task', 'log-task', 'session-status', 'cost', 'eod'] as const;
export type WorkflowCommand = (typeof WORKFLOW_COMMANDS)[number];

/** `/cost today`, or `/spec-session:cost today` when installed as a plugin (namespaced commands). */
export function parseSlashCommand(prompt: string): { name: WorkflowCommand; args: string[] } | undefined {
  const match = /^\s*\/(?:spec-session:)?([a-z-]+)(?:\s+([\s\S]*))?$/.exec(prompt);
  if (!match || !(WORKFLOW_COMMANDS as readonly string[]).includes(match[1]!)) return undefined;
  const args = (match[2] ?? '').trim().split(/\s+/).filter(Boolean);
  return { name: match[1] as WorkflowCommand, args };
}

/** The options every workflow command takes, in Claude Code as in a terminal. */
export const WORKFLOW_OPTIONS = '[--tz Zone] [--prices anthropic|claude-code]';

/** What each workflow command does and its arguments (the CLI adds `--dir` and the options). */
export const WORKFLOW_HELP: Record<WorkflowCommand, { summary: string; args: string }> = {
  'start-session': { summary: 'start a work session on a spec (/start-session)', args: '<name> spec <spec>' },
  'do-task': { summary: 'mark a task in progress and print its brief (/do-task)', args: '<spec> <task-id>' },
  'log-task': {
    summary: 'record work done outside Claude Code (/log-task)',
    args: '<task-id|spec/task-id> <status> <tokens: 45k | in:30k,out:15k> [model]',
  },
  'session-status': { summary: 'active work sessions with live numbers (/session-status)', args: '[--json]' },
  cost: {
    summary: 'cost by session, spec, task and model vs budgets (/cost)',
    args: '[today|week|month|all] [--json] [--since D] [--until D]',
  },
  eod: { summary: 'daily summary, PROGRESS.md, archived session logs (/eod)', args: '[--date YYYY-MM-DD]' },
};

/** Asked for a command's help: `--help` or `-h` among its arguments. */
export const wantsHelp = (args: string[]): boolean => args.includes('--help') || args.includes('-h');

/** `/cost --help` in Claude Code: the command's usage (no `--dir`: the project is the session's) and what it does. */
export function slashHelp(name: WorkflowCommand): string {
  const { summary, args } = WORKFLOW_HELP[name];
  return `/${[name, args, WORKFLOW_OPTIONS].filter(Boolean).join(' ')}\n  ${summary}`;
}
