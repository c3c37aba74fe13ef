/**
 * Through the real hook processes: each call goes to the binding in force at the call's own time,
 * even when the hook reads it only after later bindings were made (a long turn, a missed hook).
 * The prompt hooks run with SPEC_SESSION_NOW, so each binding has a known time; the calls are
 * written around those times and read by one PostToolUse hook at the end.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  SESSION,
  expectExactTotals,
  makeReliabilityProject,
  removeProjects,
  type ReliabilityProject,
} from '../reliability/support/harness.js';
import { expectedTotals, promptLine, type Call } from '../reliability/support/transcript-lines.js';

afterAll(removeProjects);

const at = (hhmmss: string) => Date.parse(`2026-01-15T${hhmmss}.000Z`);

async function prompt(p: ReliabilityProject, text: string, time: number): Promise<void> {
  const run = await p.startHook('UserPromptSubmit', p.hookInput(SESSION, 'UserPromptSubmit', { prompt: text }), {
    env: { SPEC_SESSION_NOW: new Date(time).toISOString() },
  }).done;
  expect([run.code, run.stderr]).toEqual([0, '']);
}

const call = (id: string, time: number, input: number): Call => ({
  id: `msg_${id}`,
  req: `req_${id}`,
  time,
  blocks: 1,
  input,
  output: 10,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
});

/** Token fields of cost --json rows, for exact comparison with expectedTotals. */
const tokens = (r: { inputTokens: number; outputTokens: number; totalTokens: number }) => ({
  inputTokens: r.inputTokens,
  outputTokens: r.outputTokens,
  totalTokens: r.totalTokens,
});

describe('a call is attributed to the binding at its time', () => {
  it('calls straddling two /do-task bindings, read after both: each keeps its own task', async () => {
    const p = makeReliabilityProject();
    p.appendLines(SESSION, [promptLine(SESSION, p.project)]);
    await prompt(p, '/start-session inv-1 spec invoice-management', at('10:00:00'));
    await prompt(p, '/do-task invoice-management 1.1', at('10:01:00'));
    await prompt(p, '/do-task invoice-management 1.2', at('10:05:00'));

    const sessionWork = call('sw', at('10:00:30'), 100);
    const on11 = call('t11', at('10:03:00'), 200);
    const atSwitch = call('sw12', at('10:05:00'), 400); // the very millisecond of /do-task 1.2
    const on12 = call('t12', at('10:07:00'), 800);
    p.appendCalls(SESSION, [sessionWork, on11, atSwitch, on12]);
    expect((await p.runHook('PostToolUse')).code).toBe(0);

    const shown = expectExactTotals(p, [sessionWork, on11, atSwitch, on12]);
    const byTask = Object.fromEntries(shown.tasks.map((t) => [t.taskId, { session: t.session, ...tokens(t) }]));
    expect(byTask).toEqual({
      '1.1': { session: 'inv-1', ...tokens(expectedTotals([on11])) },
      '1.2': { session: 'inv-1', ...tokens(expectedTotals([atSwitch, on12])) },
    });
    // The call before /do-task 1.1 is the work session's, on no task.
    expect(shown.sessions.map((s) => [s.name, s.totalTokens])).toEqual([
      ['inv-1', expectedTotals([sessionWork, on11, atSwitch, on12]).totalTokens],
    ]);
    expect(shown.unattributed.totalTokens).toBe(0);
    expect(p.hookLogText()).toBe('');
  });
});
