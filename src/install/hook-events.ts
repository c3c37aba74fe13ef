import { HOOK_SCRIPT } from '../project/project-root.js';

/**
 * The hook events spec-session registers, with the first Claude Code version that knows each.
 * Old versions drop EVERY hook of a settings file that names an event they do not know (2.0.77
 * with PostToolBatch, checked 2026-11-24), so install registers only what the user's version knows.
 */
export const HOOK_EVENTS = [
  { event: 'SessionStart', since: '1.0.62' },
  { event: 'UserPromptSubmit', since: '1.0.54' },
  { event: 'PostToolUse', since: '1.0.0' },
  { event: 'Stop', since: '1.0.0' },
  { event: 'SubagentStop', since: '1.0.41' },
  { event: 'SessionEnd', since: '1.0.85' },
] as const;

export function eventsFor(version: string | undefined): string[] {
  if (!version) return HOOK_EVENTS.map((e) => e.event);
  return HOOK_EVENTS.filter((e) => compareVersions(version, e.since) >= 0).map((e) => e.event);
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export const HOOK_MARK = HOOK_SCRIPT;

export function hookCommand(event: string): string {
  return `node "$CLAUDE_PROJECT_DIR/${HOOK_MARK}" ${event}`;
}
