/**
 * `spec-session statusline` on a ledger the real Claude Code CLI made: the line each Claude
 * session gets, the figures in it equal to `cost --json`, read without a transcript rescan, and
 * shown by Claude Code itself under its prompt.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/render/format.js';
import { startInteractive } from '../e2e/support/claude.js';
import { startMockApi } from '../e2e/support/mock-api.js';
import { cli } from '../e2e/support/project.js';
import { makeWorkedProject, removeWorkedProject, type WorkedProject } from '../dashboard/support/worked-project.js';

const CAPTURED = readFileSync(new URL('fixtures/statusline-input-2.1.331.json', import.meta.url), 'utf8');
const haveTmux = spawnSync('tmux', ['-V']).status === 0;
let p: WorkedProject;

beforeAll(async () => {
  p = await makeWorkedProject();
}, 180_000);
afterAll(() => removeWorkedProject(p));

/** What Claude Code 2.1.331 sends, for this project and Claude session. */
const inputFor = (sessionId: string, project = p.project) => CAPTURED.replaceAll('{PROJECT}', project).replaceAll('{SESSION_ID}', sessionId).replaceAll('{TRANSCRIPTS}', join(p.home, '.claude', 'projects'));

function statusline(stdin: string) {
  const r = spawnSync(process.execPath, [cli, 'statusline'], { input: stdin, env: p.env, cwd: p.project, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectedLine(ws: string | null, spec?: string, task?: string) {
  const cost = JSON.parse(p.specSession(['cost', '--json']).stdout) as { tasks: Array<{ spec: string; taskId: string; totalCost: number }>; days: Array<{ date: string; totalCost: number }> };
  const today = cost.days.find((d) => d.date === new Date().toISOString().slice(0, 10))!.totalCost;
  const taskCost = cost.tasks.filter((t) => t.spec === spec && t.taskId === task).reduce((sum, t) => sum + t.totalCost, 0);
  return [ws ?? 'spec-session', ...(task ? [`${task} ${formatUsd(taskCost)}`] : []), `today ${formatUsd(today)}/$5.00`].join(' · ') + '\n';
}

describe('spec-session statusline', () => {
  it("shows each Claude session's work session, its task's cost, and today against the budget", () => {
    expect(statusline(inputFor(p.sessions.invoice))).toEqual({ code: 0, stdout: expectedLine('inv-1000', 'invoice-management', '1.3'), stderr: '' });
    expect(statusline(inputFor(p.sessions.billing)).stdout).toBe(expectedLine('rep-2000', 'billing-reports', '1.1'));
    expect(statusline(inputFor(p.sessions.loose)).stdout).toBe(expectedLine(null));
    expect(statusline(inputFor(p.sessions.invoice)).stdout).toMatch(/^inv-1000 · 1\.3 \$0\.04 · today \$0\.21\/\$5\.00\n$/);
  });

  it('reads state and the ledger only: no transcript catch-up, nothing written but the ledger index', () => {
    const index = join(p.project, '.claude', 'spec-session', 'state', 'index');
    const files = () => {
      const dirs = [join(p.project, '.claude', 'spec-session', 'state'), join(p.project, 'docs', 'sessions')];
      return dirs.flatMap((dir) => (readdirSync(dir, { recursive: true }) as string[]).map((f) => join(dir, f))).filter((f) => !f.startsWith(index)).map((f) => `${f} ${statSync(f).size} ${statSync(f).mtimeMs}`).sort();
    };
    rmSync(index, { recursive: true, force: true }); // computed afresh from the ledger
    const todayOf = (line: string) => /today \$([\d.]+)/.exec(line)?.[1];
    const before = files();
    const first = statusline(inputFor(p.sessions.invoice));
    expect(files()).toEqual(before);
    expect(statusline(inputFor(p.sessions.invoice))).toEqual(first); // and from the index, the same line
    // A new ledger record is folded in: $1.00 more today (1M Haiku 4.5 input tokens).
    p.specSession(['log-task', 'invoice-management/1.5', 'in-progress', '1M', 'claude-haiku-4-5']);
    const after = statusline(inputFor(p.sessions.invoice));
    expect(Number(todayOf(after.stdout)) - Number(todayOf(first.stdout))).toBeCloseTo(1, 2);
  });

  it('never fails loudly: a short line and exit 0, the error logged for doctor', () => {
    for (const stdin of ['not json', '{"session_id": 42}', '']) expect(statusline(stdin)).toMatchObject({ code: 0, stderr: '' });
    expect(statusline('not json').stdout).toBe('spec-session · (no data: run spec-session doctor)\n');
    const config = join(p.project, '.claude', 'spec-session', 'config.json');
    const saved = readFileSync(config, 'utf8');
    writeFileSync(config, '{ broken');
    try {
      expect(statusline(inputFor(p.sessions.invoice))).toEqual({ code: 0, stdout: 'spec-session · (no data: run spec-session doctor)\n', stderr: '' });
      expect(p.specSession(['doctor'], { allowFail: true }).stdout).toMatch(/statusline: .*config\.json is not valid JSON/); // a logged error fails doctor
    } finally {
      writeFileSync(config, saved);
    }
  });

  it.skipIf(!haveTmux)('is what Claude Code shows under its prompt (install --statusline)', async () => {
    spawnSync(process.execPath, [cli, 'install', '--dir', p.project, '--statusline', '--claude-version', '2.1.331'], { env: p.env });
    const mock = await startMockApi();
    const claude = startInteractive({ cwd: p.project, home: p.home, baseUrl: mock.url, args: ['--resume', p.sessions.invoice] });
    try {
      const line = expectedLine('inv-1000', 'invoice-management', '1.3').trim();
      await claude.waitFor(new RegExp(line.replace(/[.$*+?()[\]{}|^\\/]/g, '\\$&')), 30_000);
    } finally {
      claude.kill();
      await mock.close();
    }
  }, 60_000);
});
