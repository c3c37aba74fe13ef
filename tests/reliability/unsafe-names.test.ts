/**
 * Names become path segments (specs, sessions, tasks, Claude session ids), so a name that tries to
 * leave its folder or smuggle shell syntax is refused: the CLI with one line and exit 1, a hook
 * with exit 0 and a logged error, a slash command with a blocked prompt. Nothing is written
 * outside the project, and inside it nothing but hook state.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReliabilityProject, newFiles, removeProjects, walk, type ReliabilityProject } from './support/harness.js';

afterAll(removeProjects);

let p: ReliabilityProject;
beforeAll(() => {
  p = makeReliabilityProject();
});

const NAME_RULE = `use letters, digits, '.', '_' and '-'`;
const pwned = () => join(p.root, 'pwned');

/** Runs `check` and asserts it created nothing outside state/ (hook state and the hook log), in the
 * project or in the scratch folder around it (which holds HOME too). */
async function expectNothingWritten(check: () => unknown | Promise<unknown>): Promise<void> {
  const before = walk(p.root);
  const tasksBefore = readFileSync(p.tasksFile(), 'utf8');
  await check();
  const state = relative(p.root, p.stateDir);
  expect(newFiles(p.root, before).filter((f) => !f.startsWith(`${state}/`))).toEqual([]);
  expect(readFileSync(p.tasksFile(), 'utf8')).toBe(tasksBefore);
  expect(existsSync(pwned())).toBe(false);
}

describe('unsafe names on the command line: one line, exit 1, nothing written', () => {
  it.each([
    [['start-session', '../../etc', 'spec', 'invoice-management'], 'start-session', 'invalid session name "../../etc"'],
    [
      ['start-session', 'a;rm -rf ~', 'spec', 'invoice-management'],
      'start-session',
      'invalid session name "a;rm -rf ~"',
    ],
    [['start-session', 'ok-1', 'spec', '../x'], 'start-session', 'invalid spec name "../x"'],
    [['start-session', 'ok-1', 'spec', '$(touch PWNED)'], 'start-session', 'invalid spec name "$(touch PWNED)"'],
    [['do-task', 'invoice-management', '1.1/../../x'], 'do-task', 'invalid task name "1.1/../../x"'],
    [['do-task', '../x', '1.1'], 'do-task', 'invalid spec name "../x"'],
    [['log-task', '1.1/../../x', 'done', '1k'], 'log-task', 'invalid task name'],
    [['log-task', 'invoice-management/1.1/../../x', 'done', '1k'], 'log-task', 'invalid task name "1.1/../../x"'],
    [['log-task', '../x/1.1', 'done', '1k'], 'log-task', 'invalid spec name'],
  ])('spec-session %j', async (args, command, message) => {
    const argv = args.map((a) => a.replace('PWNED', pwned()));
    await expectNothingWritten(() => {
      const run = p.specSession(argv, { allowFail: true });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')).toEqual([expect.stringMatching(`^spec-session ${command}: `), '']);
      expect(run.stderr).toContain(message.replace('PWNED', pwned()));
    });
  });
});

describe('unsafe names through the hook', () => {
  it.each(['../../x', '..', 'x/../../y', 'a;rm -rf ~', '$(touch PWNED)', 'x'.repeat(200)])(
    'session_id %j: rejected on every event (exit 0, logged), nothing written outside state/',
    async (sessionId) => {
      const events = ['PostToolUse', 'UserPromptSubmit', 'SessionStart', 'Stop'];
      const logged = p.hookLogText().split('\n').filter(Boolean).length;
      await expectNothingWritten(async () => {
        const runs = await Promise.all(
          events.map((event) => {
            const input = {
              ...p.hookInput('00000000-aaaa-4bbb-8ccc-000000000000', event, { prompt: '/cost', source: 'startup' }),
              session_id: sessionId.replace('PWNED', pwned()),
            };
            return p.startHook(event, input).done;
          }),
        );
        for (const run of runs) expect(run).toMatchObject({ code: 0, signal: null, stdout: '', stderr: '' });
      });
      const log = p
        .hookLogText()
        .split('\n')
        .filter(Boolean)
        .slice(logged)
        .map((l) => JSON.parse(l) as { event: string; error: string });
      expect(log.map((l) => l.event).sort()).toEqual([...events].sort());
      for (const l of log) expect(l.error).toBe('hook stdin has no valid session_id');
    },
  );

  it.each([
    ['/start-session ../../x spec y', `spec-session /start-session: invalid session name "../../x": ${NAME_RULE}`],
    [
      '/start-session a;reboot spec invoice-management',
      `spec-session /start-session: invalid session name "a;reboot": ${NAME_RULE}`,
    ],
    ['/start-session ok-1 spec ../x', `spec-session /start-session: invalid spec name "../x": ${NAME_RULE}`],
    ['/start-session ok-1 spec $(reboot)', `spec-session /start-session: invalid spec name "$(reboot)": ${NAME_RULE}`],
    ['/do-task invoice-management 1.1/../../x', `spec-session /do-task: invalid task name "1.1/../../x": ${NAME_RULE}`],
    [
      '/log-task invoice-management/1.1/../../x done 1k',
      `spec-session /log-task: invalid task name "1.1/../../x": ${NAME_RULE}`,
    ],
  ])('prompt %j is blocked with one clear line', async (prompt, reason) => {
    await expectNothingWritten(async () => {
      const run = await p.startHook(
        'UserPromptSubmit',
        p.hookInput('00000000-aaaa-4bbb-8ccc-000000000001', 'UserPromptSubmit', { prompt }),
      ).done;
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ decision: 'block', reason });
    });
  });
});
