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
