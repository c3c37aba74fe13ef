/**
 * Two people, two clones, one day: each logs work and runs /eod and commits; one pulls the
 * other. The ledger merges as ever (one file per writer); the summaries under docs/ merge without a
 * conflict (git's union driver, from install's .gitattributes), and the next spec-session run writes
 * them again from the merged ledger: both people's sessions, tasks and totals.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVOICE_TASKS, cli, makeProject } from '../e2e/support/project.js';
import { git, gitEnv } from '../ledger/support/ledger-project.js';

describe('two clones, each /eod on the same day, then a merge', () => {
  it("no conflict under docs/, and the daily summary and PROGRESS.md show both people's work", () => {
    const origin = makeProject({ 'invoice-management': INVOICE_TASKS });
    git(origin.project, 'init', '-q', '-b', 'main');
    git(origin.project, 'add', '-A');
    git(origin.project, 'commit', '-qm', 'project with spec-session installed');
    const [ana, ben] = ['ana', 'ben'].map((who) => {
      const dir = `${origin.project}-${who}`;
      git(join(origin.project, '..'), 'clone', '-q', origin.project, dir);
      const run = (...args: string[]) => {
        const r = spawnSync(process.execPath, [cli, ...args, '--dir', dir], { env: origin.env, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
        return r;
      };
      return { dir, run };
    }) as [
      { dir: string; run: (...a: string[]) => ReturnType<typeof spawnSync> },
      { dir: string; run: (...a: string[]) => ReturnType<typeof spawnSync> },
    ];

    ana.run('start-session', 'ana-0900', 'spec', 'invoice-management');
    ana.run('log-task', 'invoice-management/1.1', 'done', 'in:10000,out:2000', 'claude-haiku-4-5');
    ana.run('eod');
    ben.run('start-session', 'ben-0930', 'spec', 'invoice-management');
    ben.run('log-task', 'invoice-management/1.2', 'done', 'in:20000,out:5000', 'claude-haiku-4-5');
    ben.run('eod');
    for (const { dir } of [ana, ben]) {
      git(dir, 'add', '-A');
      git(dir, 'commit', '-qm', 'end of day');
    }

    const merge = spawnSync('git', ['pull', '-q', '--no-rebase', '--no-edit', ben.dir, 'main'], {
      cwd: ana.dir,
      encoding: 'utf8',
      env: gitEnv(),
    });
    expect(merge.status, merge.stdout + merge.stderr).toBe(0);
    expect(git(ana.dir, 'diff', '--name-only', '--diff-filter=U')).toBe(''); // no conflict
    // tasks.md is spec-workflow's file: both marked a different task done, on lines far enough apart to merge.

    const shown = ana.run('session-status');
    expect(String(shown.stderr)).toMatch(
      /^spec-session: ↻ written again from the merged ledger: .*docs\/PROGRESS\.md/m,
    );
    const day = readFileSync(
      join(ana.dir, 'docs', 'sessions', 'daily', `${new Date().toISOString().slice(0, 10)}.md`),
      'utf8',
    );
    expect(day).toMatch(/^\| ana-0900 \| invoice-management \|/m);
    expect(day).toMatch(/^\| ben-0930 \| invoice-management \|/m);
    expect(day).toContain('- Tokens: 37,000\n');
    expect(day.match(/^# Daily Summary/gm)).toHaveLength(1); // one summary, not two glued together
    const progress = readFileSync(join(ana.dir, 'docs', 'PROGRESS.md'), 'utf8');
    expect(progress).toMatch(/^\| \[x\] 1\.1 Create invoice model in src\/invoice\/model\.ts \| done \| 12,000 \|/m);
    expect(progress).toMatch(/^\| \[x\] 1\.2 Add invoice totals calculation \| done \| 25,000 \|/m);
    expect(progress).toMatch(/^\| \*\*Total\*\* \| \| 37,000 \|/m);
    // Written once: the next run finds every file as it wrote it.
    expect(String(ana.run('cost').stderr)).toBe('');
  });
});
