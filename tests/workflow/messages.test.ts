/**
 * Bad input and odd files get one line that names the problem, never a raw errno string
 * (ENOTDIR, EISDIR, ENOENT) or a rule the input did not break; and input that makes no sense
 * (an inverted range, an empty zone) is refused, not silently ignored.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject, type Project } from '../e2e/support/project.js';

const long = 'a'.repeat(65);

describe('one line naming the problem', () => {
  it.each<[string, string[], string, ((p: Project) => void)?]>([
    [
      'a 65-character name',
      ['start-session', long, 'spec', 'invoice-management'],
      `spec-session start-session: invalid session name "${long}": 65 characters; at most 64`,
    ],
    [
      'a name starting with -',
      ['log-task', 'invoice-management/-rf', 'done', '1k'],
      'spec-session log-task: invalid task name "-rf": it must start with a letter or digit',
    ],
    [
      'a name with ..',
      ['do-task', 'invoice-management', '1..1'],
      'spec-session do-task: invalid task name "1..1": it must not contain ".."',
    ],
    [
      'a tasks.md that is a folder',
      ['do-task', 'broken', '1.1'],
      'spec-session do-task: {project}/.spec-workflow/specs/broken/tasks.md: a folder, not a file',
      (p) => mkdirSync(join(p.project, '.spec-workflow', 'specs', 'broken', 'tasks.md'), { recursive: true }),
    ],
    [
      '--out into a missing folder',
      ['dashboard', '--out', 'missing/report.html'],
      'spec-session dashboard: --out missing/report.html: its folder does not exist',
    ],
    ['--out onto a folder', ['dashboard', '--out', '.'], 'spec-session dashboard: --out .: a folder, not a file'],
    [
      'an inverted range in cost',
      ['cost', '--since', '2026-11-25', '--until', '2026-11-20'],
      'spec-session cost: --since 2026-11-25 is after --until 2026-11-20',
    ],
    [
      'an inverted range in cost --json',
      ['cost', '--json', '--since', '2026-11-25', '--until', '2026-11-20'],
      'spec-session cost: --since 2026-11-25 is after --until 2026-11-20',
    ],
    [
      'an empty --tz in cost',
      ['cost', '--tz', ''],
      'spec-session cost: --tz is empty: give an IANA zone such as Europe/Berlin or UTC',
    ],
    [
      'an empty --tz in export',
      ['export', '--tz', ''],
      'spec-session export: --tz is empty: give an IANA zone such as Europe/Berlin or UTC',
    ],
    [
      'an empty --prices',
      ['cost', '--prices', ''],
      'spec-session cost: --prices is empty: give anthropic or claude-code',
    ],
    [
      'an empty --prices-file',
      ['session-status', '--prices-file', ''],
      'spec-session session-status: --prices-file is empty: give a price file',
    ],
    [
      'a price file that is a folder',
      ['cost', '--prices-file', '.'],
      'spec-session cost: Cannot read price file .: a folder, not a file',
    ],
    [
      'a config.json that is a folder',
      ['cost'],
      'spec-session cost: {project}/.claude/spec-session/config.json: a folder, not a file',
      (p) => {
        rmSync(join(p.project, '.claude', 'spec-session', 'config.json'));
        mkdirSync(join(p.project, '.claude', 'spec-session', 'config.json'));
      },
    ],
    [
      // zod's message, in English: the bundle carries only its English locale.
      'a config.json whose budget is a word',
      ['cost'],
      'spec-session cost: {project}/.claude/spec-session/config.json: budgets.daily: Invalid input: expected number, received string',
      (p) => writeFileSync(join(p.project, '.claude', 'spec-session', 'config.json'), '{"budgets":{"daily":"five"}}'),
    ],
    [
      'docs/ that is a file',
      ['eod'],
      'spec-session eod: {project}/docs/sessions/daily: a part of the path is a file, not a folder',
      (p) => writeFileSync(join(p.project, 'docs'), 'x'),
    ],
  ])('%s', (_name, args, message, prepare) => {
    const p = makeProject();
    prepare?.(p);
    const r = p.specSession(args, { allowFail: true });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', `${message.replace('{project}', p.project)}\n`]);
  });
});

it('an empty --dir is refused, not taken as the working directory', () => {
  const p = makeProject();
  const r = spawnSync(process.execPath, [cli, 'cost', '--dir', ''], { cwd: p.project, env: p.env, encoding: 'utf8' });
  expect([r.status, r.stderr]).toEqual([1, 'spec-session cost: --dir is empty: give a folder\n']);
});

it('an inverted range in report', () => {
  const p = makeProject();
  const r = spawnSync(process.execPath, [cli, 'report', 'daily', '--since', '2026-11-25', '--until', '2026-11-20'], {
    env: p.env,
    encoding: 'utf8',
  });
  expect([r.status, r.stderr]).toEqual([1, 'spec-session report: --since 2026-11-25 is after --until 2026-11-20\n']);
});
