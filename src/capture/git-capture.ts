import type { GitRecord, LedgerRecord } from '../ledger/records.js';
import type { ClaudeSessionState } from './claude-session-state.js';
import { findGitDir, readHead, readReflog, reflogSize } from './git-head.js';

/**
 * Brings a Claude session's git knowledge up to date, inside its capture: the first time, the
 * branch checked out now (from the session's start on); then every checkout and commit the
 * reflog shows since, as ledger records. Without a reflog, a changed HEAD is taken as what it
 * looks like: another branch is a checkout, another commit on the same branch a commit.
 */
export function syncGit(
  projectDir: string,
  sessionId: string,
  state: ClaudeSessionState,
  out: LedgerRecord[],
  now: number,
): void {
  if (!state.git) {
    const dir = findGitDir(projectDir);
    if (!dir) return; // not a git repository: no branch, no commit
    const head = readHead(dir);
    state.git = { dir, log: reflogSize(dir), branch: head.branch, sha: head.sha };
    state.branches = [{ t: 0, branch: head.branch }]; // calls captured before git was first looked at: this branch
    out.push(record(sessionId, { t: now, event: 'branch', branch: head.branch, sha: head.sha ?? '' }));
    return;
  }
  const git = state.git;
  const { events, size } = readReflog(git.dir, git.log, git.branch, now);
  if (size === git.log && events.length === 0) {
    if (size > 0) return; // the reflog says nothing moved
    const head = readHead(git.dir);
    if (head.branch !== git.branch) events.push({ t: now, event: 'branch', branch: head.branch, sha: head.sha ?? '' });
    else if (head.sha && head.sha !== git.sha)
      events.push({ t: now, event: 'commit', branch: head.branch, sha: head.sha });
  }
  git.log = size;
  for (const e of events) {
    out.push(record(sessionId, e));
    if (e.event === 'branch') {
      (state.branches ??= []).push({ t: e.t, branch: e.branch });
      state.branches.sort((a, b) => a.t - b.t);
      git.branch = e.branch;
    }
    git.sha = e.sha;
  }
}

function record(
  cs: string,
  e: { t: number; event: 'branch' | 'commit'; branch: string | null; sha: string },
): GitRecord {
  return { k: 'git', t: new Date(e.t).toISOString(), cs, event: e.event, branch: e.branch, sha: e.sha };
}
