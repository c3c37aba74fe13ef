/**
 * Issue 10 with the real Claude Code CLI against the mock: the branch and commit each call was
 * made on, a branch's cost read by `pr` in a fresh clone, planning by phase before the first
 * task, and the warning when two sessions edit one file. Every figure is checked against the
 * usage the mock returned for exactly those calls.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClaude } from './support/claude.js';
import { bash, startMockApi, text, toolUse, write, type MockApi, type RecordedReply } from './support/mock-api.js';
import { cli, makeProject, markDoneCommand, type Project } from './support/project.js';
import { sumReplies, tokenFields, ZERO } from './support/tokens.js';

let mock: MockApi;
beforeAll(async () => {
  mock = await startMockApi();
});
afterAll(async () => {
  await mock.close();
});

function gitInit(p: Project): (...args: string[]) => string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: p.project, encoding: 'utf8', env: p.env }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Dev');
  git('add', '-A');
  git('commit', '-qm', 'start');
  return git;
}

/** One Claude session, turn after turn (the first fixes its id, the others resume it). */
function session(p: Project, id = randomUUID()) {
  let started = false;
  return async (prompt: string) => {
    const r = await runClaude({
      cwd: p.project,
      home: p.home,
      baseUrl: mock.url,
      prompt,
      ...(started ? { resume: id } : { sessionId: id }),
    });
    started = true;
    expect(r.code, r.stderr).toBe(0);
    return r;
  };
}

/** The replies sent since `from` (an index into mock.replies). */
const since = (from: number) => mock.replies.slice(from);

describe('branches and commits (real CLI)', () => {
  it('each call on the branch checked out at its time; each commit its session calls since the previous one; pr in a fresh clone', async () => {
    const p = makeProject();
    const git = gitInit(p);
    mock.reset();
    const turn = session(p);

    mock.script({ content: [text('Writing a.'), bash('echo a > a.txt')] }, { content: [text('Done on main.')] });
    await turn('work on main');
    mock.script(
      { content: [text('Branching.'), bash('git checkout -q -b feat/x')] },
      { content: [text('Committing.'), bash('echo b > b.txt && git add b.txt && git commit -qm b')] },
      { content: [text('Committed b.')] },
    );
    await turn('branch off and commit');
    const shaB = git('rev-parse', 'HEAD');
    expect(mock.replies).toHaveLength(5);

    // The user commits in a terminal between two turns.
    writeFileSync(join(p.project, 'c.txt'), 'c\n');
    git('add', 'c.txt');
    git('commit', '-qm', 'c');
    const shaC = git('rev-parse', 'HEAD');
    mock.script({ content: [text('After your commit.')] });
    await turn('carry on');
    const r = mock.replies;
    expect(r).toHaveLength(6);

    const cost = p.costJson() as any;
    const branch = (name: string) => tokenFields(cost.branches.find((b: any) => b.branch === name) ?? ZERO);
    expect(branch('main')).toEqual(sumReplies(r.slice(0, 3))); // the call that ran the checkout was made on main
    expect(branch('feat/x')).toEqual(sumReplies(r.slice(3)));
    expect(cost.branches).toHaveLength(2);
    expect(cost.commits.map((c: any) => [c.sha, c.branch])).toEqual([
      [shaB, 'feat/x'],
      [shaC, 'feat/x'],
    ]);
    expect(tokenFields(cost.commits[0])).toEqual(sumReplies(r.slice(0, 4))); // since the session's start, up to the commit
    expect(tokenFields(cost.commits[1])).toEqual(sumReplies(r.slice(4, 5))); // the terminal commit: the call between the two
    const human = p.specSession(['cost']).stdout;
    expect(human).toMatch(/By branch/);
    expect(human).toContain('feat/x');

    // The ledger is committed; a CI job clones the repository and asks what the branch cost.
    git('add', '-A');
    git('commit', '-qm', 'ledger');
    const clone = join(mkdtempSync(join(tmpdir(), 'spec-session-clone-')), 'repo');
    execFileSync('git', ['clone', '-q', p.project, clone], { env: p.env });
    const pr = spawnSync(process.execPath, [cli, 'pr', '--json', '--dir', clone], { env: p.env, encoding: 'utf8' });
    expect(pr.status, pr.stderr).toBe(0);
    const json = JSON.parse(pr.stdout);
    expect(json.branch).toBe('feat/x'); // the clone's branch, by default
    expect(tokenFields(json.totals)).toEqual(sumReplies(r.slice(3)));
    expect(json.commits.map((c: any) => [c.sha, tokenFields(c)])).toEqual([
      [shaB, sumReplies(r.slice(0, 4))],
      [shaC, sumReplies(r.slice(4, 5))],
    ]);
    const markdown = spawnSync(process.execPath, [cli, 'pr', '--branch', 'main', '--dir', clone], {
      env: p.env,
      encoding: 'utf8',
    });
    expect(markdown.status, markdown.stderr).toBe(0);
    expect(markdown.stdout).toContain('cost of `main`');
    expect(markdown.stdout).toContain(
      `| **Total** | ${sumReplies(r.slice(0, 3)).inputTokens.toLocaleString('en-US')} |`,
    );

    // Opt-in notes: each commit's figures, readable with git log --notes.
    p.specSession(['notes']);
    expect(git('notes', '--ref=spec-session', 'show', shaC)).toContain(
      `${sumReplies(r.slice(4, 5)).totalTokens.toLocaleString('en-US')} tokens`,
    );
    expect(git('log', '-1', '--format=%s', shaC)).toBe('c'); // the message itself is never rewritten
  }, 180_000);
});

describe('planning a spec (real CLI)', () => {
  it('turns writing requirements.md, design.md and tasks.md before any task are planning by phase; the task after is building', async () => {
    const p = makeProject();
    mock.reset();
    const turn = session(p);
    const doc = (name: string) => join(p.project, '.spec-workflow', 'specs', 'billing', name);
    mock.script(
      { content: [text('Requirements.'), write(doc('requirements.md'), '# Requirements\n')] },
      { content: [text('Requirements written.')] },
    );
    await turn('plan billing: requirements');
    mock.script(
      { content: [text('Design.'), write(doc('design.md'), '# Design\n')] },
      { content: [text('Design written.')] },
    );
    await turn('now the design');
    mock.script(
      { content: [text('Tasks.'), write(doc('tasks.md'), '# Tasks\n\n- [ ] 1.1 Add billing\n')] },
      { content: [text('Tasks written.')] },
    );
    await turn('and the tasks');
    const planned = mock.replies.length;
    expect(planned).toBe(6);
    await turn('/start-session bill-1 spec billing');
    mock.script(
      { content: [text('Building.'), bash(markDoneCommand('1.1', 'billing'))] },
      { content: [text('Task 1.1 done.')] },
    );
    await turn('/do-task billing 1.1');
    const r = mock.replies;
    expect(r).toHaveLength(8);

    const billing = (p.costJson() as any).specs.find((s: any) => s.spec === 'billing');
    expect(tokenFields(billing.planning.requirements)).toEqual(sumReplies(r.slice(0, 2)));
    expect(tokenFields(billing.planning.design)).toEqual(sumReplies(r.slice(2, 4)));
    expect(tokenFields(billing.planning.tasks)).toEqual(sumReplies(r.slice(4, 6)));
    expect(tokenFields(billing.implementation)).toEqual(sumReplies(r.slice(6)));
    expect(tokenFields(billing)).toEqual(sumReplies(r));
    const task = (p.costJson() as any).taskTotals.find((t: any) => t.spec === 'billing' && t.taskId === '1.1');
    expect(tokenFields(task)).toEqual(sumReplies(r.slice(6))); // planning is not the task's
  }, 180_000);
});

describe('two sessions, one file (real CLI)', () => {
  const WARNING = 'spec-session: another Claude session';
  /** The index of the first reply whose request carried the warning to the model; -1 if none. */
  const warnedAt = (replies: RecordedReply[]) =>
    replies.findIndex((x) => JSON.stringify(x.requestBody).includes(WARNING));

  it('each session is warned once, at its first tool call after the other edited the file; edits of different files warn no one', async () => {
    const p = makeProject();
    mock.reset();
    const a = session(p);
    const b = session(p);
    const file = (name: string) => join(p.project, 'src', name);
    const read = (name: string) => toolUse('Read', { file_path: file(name) });

    await a('/start-session a-1 spec invoice-management');
    mock.script(
      {
        content: [
          text('A writes.'),
          write(file('shared.ts'), 'export const a = 1;\n'),
          write(file('only-a.ts'), 'a\n'),
        ],
      },
      { content: [text('A done.')] },
    );
    await a('/do-task invoice-management 1.1');
    const aFirst = mock.replies.length;
    await b('/start-session b-1 spec invoice-management');
    mock.script(
      { content: [text('B writes its own file.'), write(file('only-b.ts'), 'b\n')] },
      { content: [text('B reads the shared one.'), read('shared.ts')] },
      { content: [text('B writes it.'), write(file('shared.ts'), 'export const a = 1;\nexport const b = 2;\n')] },
      { content: [text('B again.'), read('shared.ts')] },
      { content: [text('B again.'), write(file('shared.ts'), 'export const a = 1;\nexport const b = 3;\n')] },
      { content: [text('B done.')] },
    );
    await b('/do-task invoice-management 1.2');
    const bTurn = since(aFirst);
    expect(bTurn).toHaveLength(6);
    // B's own file: nothing. B's write of shared.ts: the very next request tells the model, once.
    expect(warnedAt(bTurn)).toBe(3);
    const told = JSON.stringify(bTurn[3]!.requestBody);
    expect(told).toContain('work session a-1 (task invoice-management 1.1)');
    expect(told).toContain('src/shared.ts');
    expect(told.split(WARNING).length - 1).toBe(1);
    expect(JSON.stringify(bTurn[5]!.requestBody).split(WARNING).length - 1).toBe(1); // the second write: no second warning

    const status = p.specSession(['session-status']).stdout;
    expect(status).toMatch(
      /⚠ src\/shared\.ts edited by a-1 \(1\.1\) and b-1 \(1\.2\)|⚠ src\/shared\.ts edited by b-1 \(1\.2\) and a-1 \(1\.1\)/,
    );
    expect(status).not.toContain('only-a.ts');

    // A's next tool call (another file) is when A hears it, once, naming B.
    const aAgain = mock.replies.length;
    mock.script(
      { content: [text('A goes on.'), write(file('only-a.ts'), 'a2\n')] },
      { content: [text('A reads.'), read('shared.ts')] },
      { content: [text('A done.')] },
    );
    await a('one more thing');
    const aTurn = since(aAgain);
    expect(aTurn).toHaveLength(3);
    expect(warnedAt(aTurn)).toBe(1);
    expect(JSON.stringify(aTurn[1]!.requestBody)).toContain('work session b-1 (task invoice-management 1.2)');
    expect(JSON.stringify(aTurn[2]!.requestBody).split(WARNING).length - 1).toBe(1);
    expect(warnedAt(mock.replies.slice(0, aFirst))).toBe(-1); // nothing before B touched the file
  }, 180_000);
});
