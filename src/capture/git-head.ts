import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the project's git state is, read from files, never by running git: the hooks run after
 * every tool call and must stay fast. Claude Code writes the branch of a session's START into
 * every transcript line (checked on 2.1.331), so the branch a call was made on, and the commits a
 * session made, come from here: the worktree's HEAD and its reflog, whose lines say what moved
 * HEAD (a commit, a checkout) and when, to the second.
 */
export interface GitEvent {
  t: number;
  event: 'branch' | 'commit';
  /** The branch checked out (null: a detached HEAD). */
  branch: string | null;
  sha: string;
}

/** The git folder of the worktree holding `dir`: `.git`, or the folder a worktree's `.git` file points to. */
export function findGitDir(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const dotGit = path.join(at, '.git');
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dotGit);
    } catch {
      stat = undefined; // no .git here: look further up
    }
    if (stat?.isDirectory()) return dotGit;
    if (stat?.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      if (pointer) return path.resolve(at, pointer);
    }
    if (path.dirname(at) === at) return undefined;
  }
}

/** HEAD now: the branch (null when detached) and, when it resolves, the commit. */
export function readHead(gitDir: string): { branch: string | null; sha: string | null } {
  let head: string;
  try {
    head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
  } catch {
    return { branch: null, sha: null }; // no HEAD (not a repository any more): branch and commit unknown
  }
  const ref = /^ref:\s*refs\/heads\/(.+)$/.exec(head)?.[1];
  if (!ref) return { branch: null, sha: /^[0-9a-f]{40,64}$/.test(head) ? head : null };
  return { branch: ref, sha: resolveRef(gitDir, `refs/heads/${ref}`) };
}

function resolveRef(gitDir: string, ref: string): string | null {
  const common = commonDir(gitDir);
  for (const dir of [gitDir, common]) {
    try {
      return fs.readFileSync(path.join(dir, ref), 'utf8').trim();
    } catch {
      // not a loose ref here
    }
  }
  try {
    const packed = fs.readFileSync(path.join(common, 'packed-refs'), 'utf8');
    return (
      new RegExp(`^([0-9a-f]{40,64}) ${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm').exec(packed)?.[1] ?? null
    );
  } catch {
    return null; // a new repository: no commit yet
  }
}

/** A worktree's shared git folder (its `commondir`), or the folder itself. */
function commonDir(gitDir: string): string {
  try {
    return path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return gitDir; // not a linked worktree: its own folder is the common one
  }
}

export function reflogSize(gitDir: string): number {
  try {
    return fs.statSync(path.join(gitDir, 'logs', 'HEAD')).size;
  } catch {
    return 0; // no reflog yet (or logging off): nothing read
  }
}

/**
 * What moved HEAD since `from` (a byte offset in the reflog): checkouts (a branch change) and
 * commits (a commit, an amend, a merge commit, a cherry-pick or revert). A fast-forward or a reset
 * moves HEAD to commits made elsewhere: not this session's. Only the action and its time are
 * read: never a name, an address or a message. `now` is when the caller saw the reflog: no move
 * is later than that.
 */
export function readReflog(
  gitDir: string,
  from: number,
  branch: string | null,
  now = Infinity,
): { events: GitEvent[]; size: number } {
  const file = path.join(gitDir, 'logs', 'HEAD');
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size < from) from = 0; // rewritten (git reflog expire): read it again
      const buf = Buffer.alloc(size - from);
      fs.readSync(fd, buf, 0, buf.length, from);
      text = buf.toString('utf8', 0, buf.lastIndexOf(10) + 1);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { events: [], size: from }; // no reflog: nothing moved that we can see
  }
  const events: GitEvent[] = [];
  let current = branch;
  for (const line of text.split('\n')) {
    const m = /^[0-9a-f]{40,64} ([0-9a-f]{40,64}) .*?> (\d+) [+-]\d{4}\t(.*)$/.exec(line);
    if (!m) continue;
    const [, sha, seconds, action] = m as unknown as [string, string, string, string];
    // The reflog has seconds. The move happened before now (the hook seeing it) and within that
    // second: the earlier of the two keeps calls made before it on the old branch or commit, and a
    // call made after a tool's checkout (the hook runs before the model is asked again) on the new.
    const t = Math.max(Number(seconds) * 1000, Math.min(Number(seconds) * 1000 + 999, now));
    const checkout = /^checkout: moving from .+ to (.+)$/.exec(action);
    if (checkout) {
      current = /^[0-9a-f]{40,64}$/.test(checkout[1]!) ? null : checkout[1]!;
      events.push({ t, event: 'branch', branch: current, sha });
    } else if (/^(commit( \((initial|amend|merge)\))?|cherry-pick|revert|merge (?!.*Fast-forward))/.test(action)) {
      events.push({ t, event: 'commit', branch: current, sha });
    }
  }
  return { events, size: from + Buffer.byteLength(text) };
}
