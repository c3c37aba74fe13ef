/**
 * Project-level commands find their project as git finds its repository: from the working
 * directory (or --dir) upwards. Outside a project they say so in one line, exit 1, and create
 * nothing: no docs/ in a subfolder, no project folder where none was.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject } from '../e2e/support/project.js';
import { walk } from '../reliability/support/harness.js';

const cleanEnv = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC' };
  for (const k of Object.keys(env)) if (k.startsWith('CLAUDE_') || k === 'CLAUDECODE') delete env[k];
  return env;
};
const run = (args: string[], cwd: string, input = '') =>
  spawnSync(process.execPath, [cli, ...args], { cwd, env: cleanEnv(), input, encoding: 'utf8' });
const nowhere = () => mkdtempSync(join(tmpdir(), 'spec-session-nowhere-'));

const PROJECT_COMMANDS: string[][] = [
  ['start-session', 'inv-1', 'spec', 'invoice-management'],
  ['do-task', 'invoice-management', '1.1'],
  ['log-task', 'invoice-management/1.1', 'done', '1k'],
  ['session-status'],
  ['cost'],
  ['cost', '--json'],
  ['eod'],
  ['knowledge', 'invoice'],
  ['dashboard', '--out', 'report.html'],
  ['export'],
  ['doctor'],
  ['uninstall'],
];

describe('outside a project', () => {
  it.each(PROJECT_COMMANDS)('spec-session %s … refuses in one line and creates nothing', (...args) => {
    const dir = nowhere();
    const r = run(args, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `spec-session ${args[0]}: ${dir} is not inside a spec-session project (no .claude/spec-session/, spec-session hooks in .claude/settings.json, or .spec-workflow/ there or above): run it in your project, or pass --dir <project>\n`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [['eod', '--dir', 'missing/deep/folder'], 'spec-session eod: --dir missing/deep/folder: no such folder'],
    [['cost', '--dir', '/nonexistent'], 'spec-session cost: --dir /nonexistent: no such folder'],
    [['cost', '--json', '--dir', 'a-file'], 'spec-session cost: --dir a-file: not a folder'],
    [['export', '--dir', 'a-file/below'], 'spec-session export: --dir a-file/below: no such folder'],
    [['doctor', '--dir', 'missing'], 'spec-session doctor: --dir missing: no such folder'],
    [['install', '--dir', 'missing/deep'], 'spec-session install: --dir missing/deep: no such folder'],
    [['install', '--dir', 'a-file'], 'spec-session install: --dir a-file: not a folder'],
  ])('%j → %s, nothing created', (args, message) => {
    const dir = nowhere();
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = run(args, dir);
    expect([r.status, r.stderr]).toEqual([1, `${message}\n`]);
    expect(readdirSync(dir)).toEqual(['a-file']);
  });

  it('statusline shows its fallback line, exit 0, and creates nothing', () => {
    const dir = nowhere();
    const r = run(['statusline'], dir, JSON.stringify({ session_id: 'abc', cwd: dir }));
    expect([r.status, r.stdout]).toEqual([0, 'spec-session · (no data: run spec-session doctor)\n']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('install --dir into an existing plain folder is the way in', () => {
    const dir = nowhere();
    expect(run(['install', '--dir', dir, '--claude-version', '2.1.331'], tmpdir()).status).toBe(0);
    expect(run(['cost'], dir).status).toBe(0);
  });
});

describe('inside a project, from a subfolder', () => {
  it('cost and eod work on the project root, never on the subfolder', () => {
    const p = makeProject();
    p.specSession(['log-task', 'invoice-management/1.1', 'done', '45k', 'claude-haiku-4-5']);
    const src = join(p.project, 'src', 'invoice');
    mkdirSync(src, { recursive: true });
    const before = walk(src);

    const fromRoot = JSON.parse(run(['cost', '--json'], p.project).stdout) as { totals: { totalTokens: number } };
    const fromSrc = run(['cost', '--json'], src);
    expect(fromSrc.status).toBe(0);
    expect(JSON.parse(fromSrc.stdout).totals).toEqual(fromRoot.totals);
    expect(fromRoot.totals.totalTokens).toBe(45_000);

    const eod = run(['eod', '--date', '2026-11-25'], src);
    expect(eod.status).toBe(0);
    expect(existsSync(join(p.project, 'docs', 'PROGRESS.md'))).toBe(true);
    expect(existsSync(join(p.project, 'docs', 'sessions', 'daily', '2026-11-25.md'))).toBe(true);
    expect(walk(src)).toEqual(before);
    expect(run(['session-status', '--dir', 'src/invoice'], p.project).status).toBe(0);
  });

  it('a spec-workflow project without the install is a project too', () => {
    const dir = nowhere();
    mkdirSync(join(dir, '.spec-workflow', 'specs'), { recursive: true });
    mkdirSync(join(dir, 'lib'));
    const r = run(['knowledge', 'anything'], join(dir, 'lib'));
    expect([r.status, r.stdout]).toEqual([0, 'No artifact in the implementation logs matches "anything".\n']);
  });
});
