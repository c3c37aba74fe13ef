import { childProcess } from '../store/lazy-builtins.js';
import { findGitDir, readHead } from '../capture/git-head.js';
import { formatCount, formatUsd, shortModel } from '../render/format.js';
import { usageOf, type ProjectUsage } from '../report/project-usage.js';
import { modelBreakdowns, tallyFields, tokenFields, type UsageTally } from '../report/tally.js';
import type { ProjectContext } from './context.js';
import { projectSnapshot } from './snapshot.js';

/** The branch checked out in the project now, or a one-line error when there is none. */
export function currentBranch(projectDir: string): string {
  const dir = findGitDir(projectDir);
  const branch = dir ? readHead(dir).branch : null;
  if (!branch)
    throw new Error(
      dir
        ? 'HEAD is detached: name the branch with --branch'
        : `${projectDir} is not in a git repository: name the branch with --branch`,
    );
  return branch;
}

/**
 * A branch's cost, from the committed ledger only (no transcript is read, so a CI job in a fresh
 * clone gets the same figures): every call made while the branch was checked out.
 */
export function branchUsage(
  ctx: ProjectContext,
  branch: string,
): { usage: ProjectUsage; commits: Array<{ sha: string; time: number; tally: UsageTally; tasks: string[] }> } {
  const view = projectSnapshot(ctx, { catchUp: false });
  const specOf = (ws: string) => view.sessions.get(ws)?.spec ?? null;
  const usage = usageOf(
    view.usage.filter((i) => i.branch === branch),
    [],
    ctx.book,
    ctx.tz,
    specOf,
  );
  // A commit's figures are its own, as in cost --json: its session's calls since its previous
  // commit, which for a branch's first commit may include work begun before the branch.
  const made = new Map(view.commits.filter((c) => c.branch === branch).map((c) => [c.sha, c.time]));
  const ofCommits = usageOf(
    view.usage.filter((i) => i.commit !== null && made.has(i.commit)),
    [],
    ctx.book,
    ctx.tz,
    specOf,
  );
  const commits = [...ofCommits.commits]
    .map(([sha, c]) => ({ sha, time: made.get(sha) ?? 0, tally: c.tally, tasks: [...c.tasks].sort() }))
    .sort((a, b) => a.time - b.time);
  return { usage, commits };
}

/** `spec-session pr --json`. */
export function prJson(ctx: ProjectContext, branch: string) {
  const { usage, commits } = branchUsage(ctx, branch);
  return {
    branch,
    totals: { ...tallyFields(usage.totals), calls: usage.totals.calls },
    sessions: usage.sessions.filter((s) => s.tally.calls > 0).map((s) => s.name),
    tasks: usage.taskTotals.map((t) => ({
      spec: t.spec,
      taskId: t.taskId,
      sessions: t.sessions.map((s) => s.session),
      ...tallyFields(t.tally),
    })),
    commits: commits.map((c) => ({
      sha: c.sha,
      time: c.time ? new Date(c.time).toISOString() : null,
      ...tallyFields(c.tally),
      tasks: c.tasks,
    })),
    models: modelBreakdowns(usage.totals),
    priceTable: ctx.book.table,
  };
}

/** `spec-session pr`: the branch's cost as Markdown, ready to paste or post as a pull-request comment. */
export function prMarkdown(ctx: ProjectContext, branch: string): string {
  const { usage, commits } = branchUsage(ctx, branch);
  const t = usage.totals;
  const kinds = (x: UsageTally) => {
    const f = tokenFields(x.tokens);
    return `${formatCount(f.inputTokens)} | ${formatCount(f.outputTokens)} | ${formatCount(f.cacheCreationTokens)} | ${formatCount(f.cacheReadTokens)} | ${formatCount(f.totalTokens)} | ${formatUsd(x.cost)}${x.unpriced.size ? '*' : ''}`;
  };
  const sessions = usage.sessions.filter((s) => s.tally.calls > 0);
  const out = [
    `### spec-session · cost of \`${branch}\``,
    '',
    `**${formatUsd(t.cost)}** for ${formatCount(t.total)} tokens in ${formatCount(t.calls)} API calls · ${usage.taskTotals.length} task${usage.taskTotals.length === 1 ? '' : 's'} · ${sessions.length} work session${sessions.length === 1 ? '' : 's'} (${ctx.book.label} as of ${ctx.book.asOf})`,
    '',
  ];
  if (t.calls === 0)
    return `${[...out, `No usage recorded on \`${branch}\` in this repository's ledger.`].join('\n')}\n`;
  const head = '| Input | Output | Cache write | Cache read | Tokens | Cost |';
  const rule = '| ---: | ---: | ---: | ---: | ---: | ---: |';
  if (usage.taskTotals.length) {
    out.push(`| Task | Sessions ${head}`, `| --- | --- ${rule}`);
    for (const task of [...usage.taskTotals].sort((a, b) => b.tally.cost - a.tally.cost))
      out.push(
        `| ${task.spec} ${task.taskId} | ${task.sessions.map((s) => s.session ?? '—').join(', ')} | ${kinds(task.tally)} |`,
      );
    out.push('');
  }
  if (commits.length) {
    out.push(`| Commit | Tasks ${head}`, `| --- | --- ${rule}`);
    for (const c of commits)
      out.push(`| \`${c.sha.slice(0, 8)}\` | ${c.tasks.join(', ') || '—'} | ${kinds(c.tally)} |`);
    out.push('');
  }
  out.push(`| Model ${head}`, `| --- ${rule}`);
  for (const [model, m] of [...t.models].sort((a, b) => (b[1].cost ?? 0) - (a[1].cost ?? 0)))
    out.push(
      `| ${shortModel(model)} | ${formatCount(m.tokens.input)} | ${formatCount(m.tokens.output)} | ${formatCount(m.tokens.cacheWrite5m + m.tokens.cacheWrite1h)} | ${formatCount(m.tokens.cacheRead)} | ${formatCount(m.tokens.input + m.tokens.output + m.tokens.cacheWrite5m + m.tokens.cacheWrite1h + m.tokens.cacheRead)} | ${m.cost === null ? 'unpriced' : formatUsd(m.cost)} |`,
    );
  out.push(
    `| **Total** | ${kinds(t)} |`,
    '',
    "Measured from Claude Code's transcripts by spec-session: each call on the branch checked out when it was made. A commit counts its Claude session's calls since that session's previous commit, so a branch's first commit may include work begun before the branch.",
  );
  return `${out.join('\n')}\n`;
}

/**
 * `spec-session notes`: each commit's figures as a git note under refs/notes/spec-session, so
 * `git log --notes=spec-session` shows them. Opt-in; commit messages are never rewritten. Commits
 * the repository does not hold (made in another clone) are left for that clone.
 */
export function writeCommitNotes(ctx: ProjectContext): string {
  const view = projectSnapshot(ctx);
  const usage = usageOf(
    view.usage.filter((i) => i.commit !== null),
    [],
    ctx.book,
    ctx.tz,
  );
  const git = (...args: string[]) =>
    childProcess().execFileSync('git', args, {
      cwd: ctx.projectDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  let written = 0;
  let missing = 0;
  for (const [sha, c] of usage.commits) {
    try {
      git('cat-file', '-e', `${sha}^{commit}`);
    } catch {
      missing++; // not in this clone
      continue;
    }
    const f = tokenFields(c.tally.tokens);
    const text = `spec-session: ${formatCount(f.totalTokens)} tokens, ${formatUsd(c.tally.cost)} (${ctx.book.table} prices) · input ${formatCount(f.inputTokens)} · output ${formatCount(f.outputTokens)} · cache write ${formatCount(f.cacheCreationTokens)} · cache read ${formatCount(f.cacheReadTokens)}${c.tasks.size ? ` · tasks ${[...c.tasks].sort().join(', ')}` : ''}`;
    git('notes', '--ref=spec-session', 'add', '-f', '-m', text, sha);
    written++;
  }
  return `Wrote ${written} note${written === 1 ? '' : 's'} under refs/notes/spec-session${missing ? ` (${missing} commit${missing === 1 ? '' : 's'} not in this clone left alone)` : ''}: git log --notes=spec-session\n`;
}
