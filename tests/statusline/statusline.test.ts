/**
 * `spec-session statusline` on a ledger the real Claude Code CLI made: the line each Claude
 * session gets, its figures those of the plan the mock was scripted with, read without a
 * transcript rescan, and shown by Claude Code itself under its prompt.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInteractive } from '../e2e/support/claude.js';
import { startMockApi } from '../e2e/support/mock-api.js';
import { cli } from '../e2e/support/project.js';
import { haveTmux, NO_TMUX, requireTool, skipWithout } from '../support/required-tools.js';
import { copyWorkedProject, type WorkedProject } from '../worked-project/copy-worked-project.js';
import { dayOf, sumOf } from '../worked-project/expected-usage.js';

const CAPTURED = readFileSync(new URL('fixtures/statusline-input-2.1.331.json', import.meta.url), 'utf8');
let p: WorkedProject;

beforeAll(() => {
  p = copyWorkedProject();
});
afterAll(() => p.remove());

/** What Claude Code 2.1.331 sends, for this project and Claude session. */
const inputFor = (sessionId: string, project = p.project) =>
  CAPTURED.replaceAll('{PROJECT}', project)
    .replaceAll('{SESSION_ID}', sessionId)
    .replaceAll('{TRANSCRIPTS}', join(p.home, '.claude', 'projects'));

function statusline(stdin: string) {
  const r = spawnSync(process.execPath, [cli, 'statusline'], {
    input: stdin,
    env: p.env,
    cwd: p.project,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Dollars as the status line writes them: cents, or four places below a cent. */
const dollars = (usd: number) => `$${usd > 0 && usd < 0.01 ? usd.toFixed(4) : usd.toFixed(2)}`;

/** The line the plan says a session must get: its task's cost (all days) and today's cost (the build's day, plus `loggedToday` by hand). */
function expectedLine(ws: string | null, spec?: string, task?: string, loggedToday = 0) {
  const today = sumOf(p.info.calls.filter((c) => dayOf(c.at) === dayOf(p.info.now))).totalCost + loggedToday;
  const taskCost = sumOf(p.info.calls.filter((c) => c.spec === spec && c.task === task)).totalCost;
  return `${[ws ?? 'spec-session', ...(task ? [`${task} ${dollars(taskCost)}`] : []), `today ${dollars(today)}/$5.00`].join(' · ')}\n`;
}

describe('spec-session statusline', () => {
  it("shows each Claude session's work session, its task's cost, and today against the budget", () => {
    expect(statusline(inputFor(p.sessions.invoice))).toEqual({
      code: 0,
      stdout: expectedLine('inv-1000', 'invoice-management', '1.3'),
      stderr: '',
    });
    expect(statusline(inputFor(p.sessions.billing)).stdout).toBe(expectedLine('rep-2000', 'billing-reports', '1.1'));
    expect(statusline(inputFor(p.sessions.loose)).stdout).toBe(expectedLine(null));
    // By hand, when the build ran within one day: 1.3 is one Sonnet 4.5 call ($0.039); the day is all eight calls ($0.2098875).
    if (p.info.calls.every((c) => dayOf(c.at) === dayOf(p.info.now)))
      expect(statusline(inputFor(p.sessions.invoice)).stdout).toBe('inv-1000 · 1.3 $0.04 · today $0.21/$5.00\n');
  });

  it('reads state and the ledger only: no transcript catch-up, nothing written but the ledger index', () => {
    const index = join(p.project, '.claude', 'spec-session', 'state', 'index');
    const files = () => {
      const dirs = [join(p.project, '.claude', 'spec-session', 'state'), join(p.project, 'docs', 'sessions')];
      return dirs
        .flatMap((dir) => (readdirSync(dir, { recursive: true }) as string[]).map((f) => join(dir, f)))
        .filter((f) => !f.startsWith(index))
        .map((f) => `${f} ${statSync(f).size} ${statSync(f).mtimeMs}`)
        .sort();
    };
    rmSync(index, { recursive: true, force: true }); // computed afresh from the ledger
    const before = files();
    const first = statusline(inputFor(p.sessions.invoice));
    expect(first.stdout).toBe(expectedLine('inv-1000', 'invoice-management', '1.3'));
    expect(files()).toEqual(before);
    expect(statusline(inputFor(p.sessions.invoice))).toEqual(first); // and from the index, the same line
    // A new ledger record is folded in: $1.00 more today (1M Haiku 4.5 input tokens).
    p.specSession(['log-task', 'invoice-management/1.5', 'in-progress', '1M', 'claude-haiku-4-5']);
    expect(statusline(inputFor(p.sessions.invoice)).stdout).toBe(
      expectedLine('inv-1000', 'invoice-management', '1.3', 1),
    );
  });

  it('a Claude session whose state file is lost: its last binding from the ledger, kept until the index changes', () => {
    const own = join(p.project, '.claude', 'spec-session', 'state');
    const stateFile = join(own, 'claude-sessions', `${p.sessions.invoice}.json`);
    const kept = join(own, 'index', `statusline-${p.sessions.invoice}.json`);
    // The session and its task's cost (today's is another test's to check: it logs an hour by hand).
    const shown = () => statusline(inputFor(p.sessions.invoice)).stdout.split(' · today ')[0];
    const expected = (task: string) => expectedLine('inv-1000', 'invoice-management', task).split(' · today ')[0];
    const saved = readFileSync(stateFile);
    rmSync(stateFile);
    try {
      expect(shown()).toBe(expected('1.3'));
      expect(JSON.parse(readFileSync(kept, 'utf8')).binding).toEqual({
        ws: 'inv-1000',
        spec: 'invoice-management',
        task: '1.3',
      });
      expect(shown()).toBe(expected('1.3'));
      // A later binding of the session reaches the ledger (another clone's, say): the index changes,
      // and the line follows it.
      const day = join(p.project, 'docs', 'sessions', 'ledger', dayOf(p.info.now));
      mkdirSync(day, { recursive: true });
      const t = new Date(Date.parse(p.info.now) + 1000).toISOString();
      const bind = { k: 'bind', t, cs: p.sessions.invoice, ws: 'inv-1000', spec: 'invoice-management', task: '1.4' };
      writeFileSync(join(day, 'statusline-test.jsonl'), `${JSON.stringify(bind)}\n`);
      expect(shown()).toBe(expected('1.4'));
      writeFileSync(kept, '{"version": torn');
      expect(shown()).toBe(expected('1.4'));
      rmSync(join(day, 'statusline-test.jsonl'));
    } finally {
      writeFileSync(stateFile, saved);
    }
  });

  it('never fails loudly: a short line and exit 0, the error logged for doctor', () => {
    for (const stdin of ['not json', '{"session_id": 42}', ''])
      expect(statusline(stdin)).toMatchObject({ code: 0, stderr: '' });
    expect(statusline('not json').stdout).toBe('spec-session · (no data: run spec-session doctor)\n');
    const config = join(p.project, '.claude', 'spec-session', 'config.json');
    const saved = readFileSync(config, 'utf8');
    writeFileSync(config, '{ broken');
    try {
      expect(statusline(inputFor(p.sessions.invoice))).toEqual({
        code: 0,
        stdout: 'spec-session · (no data: run spec-session doctor)\n',
        stderr: '',
      });
      expect(p.specSession(['doctor'], { allowFail: true }).stdout).toMatch(
        /statusline: .*config\.json is not valid JSON/,
      ); // a logged error fails doctor
    } finally {
      writeFileSync(config, saved);
    }
  });

  it.skipIf(skipWithout(haveTmux))(
    `is what Claude Code shows under its prompt (install --statusline)${haveTmux ? '' : ` (skipped: ${NO_TMUX})`}`,
    async () => {
      requireTool(haveTmux, NO_TMUX);
      const fresh = copyWorkedProject(); // without the hand-logged hour above
      spawnSync(
        process.execPath,
        [cli, 'install', '--dir', fresh.project, '--statusline', '--claude-version', '2.1.331'],
        { env: fresh.env },
      );
      const mock = await startMockApi();
      // The status line command inherits Claude Code's environment: the same pinned "now" as the CLI runs here.
      const claude = startInteractive({
        cwd: fresh.project,
        home: fresh.home,
        baseUrl: mock.url,
        args: ['--resume', fresh.sessions.invoice],
        env: { SPEC_SESSION_NOW: fresh.info.now },
      });
      try {
        const line = expectedLine('inv-1000', 'invoice-management', '1.3').trim();
        await claude.waitFor(new RegExp(line.replace(/[.$*+?()[\]{}|^\\/]/g, '\\$&')), 30_000);
      } finally {
        claude.kill();
        await mock.close();
        fresh.remove();
      }
    },
    60_000,
  );
});
