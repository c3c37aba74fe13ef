import path from 'node:path';

/**
 * Where spec-session keeps things in a project. Committed: the ledger and the Markdown it writes
 * (docs/), the hook bundles and config (.claude/spec-session/). Machine-local, git-ignored:
 * .claude/spec-session/state/ (transcript cursors, locks, the hook log).
 */
export function projectPaths(projectDir: string) {
  const root = path.resolve(projectDir);
  const own = path.join(root, '.claude', 'spec-session');
  const sessions = path.join(root, 'docs', 'sessions');
  return {
    root,
    own,
    config: path.join(own, 'config.json'),
    prices: path.join(own, 'prices.json'),
    state: path.join(own, 'state'),
    claudeSessionsState: path.join(own, 'state', 'claude-sessions'),
    hookLog: path.join(own, 'state', 'hook.log'),
    notices: path.join(own, 'state', 'notices.json'),
    /** Per spec, the tasks whose several implementation logs were found with nothing to adopt. */
    settledLogs: path.join(own, 'state', 'settled-logs.json'),
    writerId: path.join(own, 'state', 'writer-id'),
    ledgerIndex: path.join(own, 'state', 'index'),
    sessions,
    ledger: path.join(sessions, 'ledger'),
    current: path.join(sessions, '.current'),
    daily: path.join(sessions, 'daily'),
    archive: path.join(sessions, 'archive'),
    progress: path.join(root, 'docs', 'PROGRESS.md'),
    specs: path.join(root, '.spec-workflow', 'specs'),
  };
}

export type ProjectPaths = ReturnType<typeof projectPaths>;
