import { HOOK_SCRIPT } from '../project/project-root.js';

/**
 * The hook events spec-session registers, with the first Claude Code version that knows each
 * (Claude Code's changelog: hooks were released in 1.0.38, SubagentStop split from Stop in 1.0.41).
 * Old versions drop EVERY hook of a settings file that names an event they do not know (2.0.77
 * with PostToolBatch, checked 2026-11-24), so install registers only what the user's version knows.
 */
export const HOOK_EVENTS = [
  { event: 'SessionStart', since: '1.0.62' },
  { event: 'UserPromptSubmit', since: '1.0.54' },
  { event: 'PostToolUse', since: '1.0.38' },
  { event: 'Stop', since: '1.0.38' },
  { event: 'SubagentStop', since: '1.0.41' },
  { event: 'SessionEnd', since: '1.0.85' },
] as const;

const FIRST_WITH_HOOKS = '1.0.38';

/** "2.1.331", also as `claude --version` prints it ("2.1.331 (Claude Code)") or with a leading v. */
const VERSION = /^v?(\d+\.\d+\.\d+)(?:[-+][0-9A-Za-z.-]+)?(?: \(Claude Code\))?$/;

/** `version` as X.Y.Z, or one line saying it is not a Claude Code version. */
export function parseClaudeVersion(version: string): string {
  const m = VERSION.exec(version.trim());
  if (!m)
    throw new Error(
      `unknown Claude Code version ${JSON.stringify(version)}: give it as X.Y.Z, as \`claude --version\` prints it`,
    );
  return m[1]!;
}

/** The events to register for a Claude Code version (all of them when it is not known). */
export function eventsFor(version: string | undefined): string[] {
  if (!version) return HOOK_EVENTS.map((e) => e.event);
  const events = HOOK_EVENTS.filter((e) => compareVersions(version, e.since) >= 0).map((e) => e.event);
  if (events.length === 0)
    throw new Error(
      `Claude Code ${version} has no hooks (they came in ${FIRST_WITH_HOOKS}): upgrade Claude Code, then install`,
    );
  return events;
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
