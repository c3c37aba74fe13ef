/**
 * What the hooks capture beyond calls written as assistant lines: the Claude Code versions the
 * transcripts came from (and whether they wrote cost-state, without which some billed calls are
 * in no transcript), kept in the committed ledger through rollups; and subagent calls that survive
 * only as copies inside the parent's progress lines.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configDir, session } from '../fixtures/transcripts/cases.js';
import { SESSION, makeReliabilityProject, removeProjects } from './support/harness.js';
import { callLines, expectedTotals, makeCalls, promptLine, seededRandom } from './support/transcript-lines.js';

afterAll(removeProjects);

const OTHER = '22222222-3333-4444-8555-666666666666';

describe('Claude Code versions in the ledger', () => {
  it('cost, cost --json and doctor name them, and say which wrote no cost-state; the same after compact and without the index', async () => {
    const p = makeReliabilityProject();
    const random = seededRandom(9);
    // An old session: its lines say 2.0.77, and it writes no cost-state line.
    const old = makeCalls('old', 3, random, Date.now() - 7_200_000);
    p.appendLines(
      SESSION,
      [promptLine(SESSION, p.project), ...old.flatMap((c) => callLines(c, SESSION, p.project))].map((l) =>
        l.replace('"version":"2.1.331"', '"version":"2.0.77"'),
      ),
    );
    expect((await p.runHook('PostToolUse')).code).toBe(0);
    // A current one: 2.1.331 lines and a cost-state line that matches them.
    const current = makeCalls('new', 2, random, Date.now() - 3_600_000);
    const sum = (f: (c: (typeof current)[number]) => number) => current.reduce((n, c) => n + f(c), 0);
    const costState = JSON.stringify({
      type: 'cost-state',
      sessionId: OTHER,
      modelUsage: {
        'claude-opus-5-5': {
          inputTokens: sum((c) => c.input),
          outputTokens: sum((c) => c.output),
          cacheReadInputTokens: sum((c) => c.cacheRead),
          cacheCreationInputTokens: sum((c) => c.cacheWrite5m + c.cacheWrite1h),
          cacheCreationEphemeral5mInputTokens: sum((c) => c.cacheWrite5m),
          cacheCreationEphemeral1hInputTokens: sum((c) => c.cacheWrite1h),
        },
      },
    });
    p.appendLines(OTHER, [
      promptLine(OTHER, p.project),
      ...current.flatMap((c) => callLines(c, OTHER, p.project)),
      costState,
    ]);
    expect(
      (
        await p.runHook(
          'PostToolUse',
          p.hookInput(OTHER, 'PostToolUse', { tool_name: 'Bash', tool_input: { command: 'x' } }),
        )
      ).code,
    ).toBe(0);

    const check = () => {
      const json = p.costJson() as unknown as {
        claudeCodeVersions: string[];
        versionsWithoutCostState: string[];
        totals: { totalTokens: number };
      };
      expect(json.claudeCodeVersions).toEqual(['2.0.77', '2.1.331']);
      expect(json.versionsWithoutCostState).toEqual(['2.0.77']);
      expect(json.totals.totalTokens).toBe(expectedTotals([...old, ...current]).totalTokens); // the cost-state line adds nothing: it matches the lines
      const cost = p.specSession(['cost', 'all']).stdout;
      expect(cost).toContain('Claude Code versions in the ledger: 2.0.77, 2.1.331');
      expect(cost).toContain('Claude Code 2.0.77 wrote no cost-state line');
      const doctor = p.specSession(['doctor'], { allowFail: true }).stdout;
      expect(doctor).toContain('Claude Code versions in the ledger: 2.0.77, 2.1.331');
      expect(doctor).toContain('⚠ Claude Code 2.0.77 wrote no cost-state line');
    };
    check();
    // Each session ends, its file is rolled up: the version records live on in the rollup.
    for (const cs of [SESSION, OTHER])
      expect((await p.runHook('SessionEnd', p.hookInput(cs, 'SessionEnd', { reason: 'other' }))).code).toBe(0);
    expect(p.specSession(['compact']).stdout).toContain('identical');
    expect(p.ledgerFiles()).toEqual([]);
    check();
    // The index is a cache: without it (a fresh clone) the same.
    rmSync(join(p.stateDir, 'index'), { recursive: true, force: true });
    check();
  });
});

type Totals = { inputTokens: number; outputTokens: number; cacheReadTokens: number; calls: number };

/** A fixture's transcripts as a Claude session's, captured by a real Stop hook; what cost --json then totals. */
async function capturedFixture(name: string, n: number): Promise<Totals> {
  const p = makeReliabilityProject();
  cpSync(join(configDir(name), 'projects', '-home-dev-shop'), p.transcriptDir, { recursive: true });
  expect((await p.runHook('Stop', p.hookInput(session(n), 'Stop'))).code).toBe(0);
  expect(p.hookLogText()).toBe('');
  return (p.costJson() as unknown as { totals: Totals }).totals;
}

describe('subagent calls only progress lines hold', () => {
  it('are captured by the hooks; with the subagent file there, its calls count once', async () => {
    // The fixture: 2.1.34 progress lines embed two subagents' calls; a1's own file is there, a2's is gone.
    expect(
      readFileSync(join(configDir('progress-only'), 'projects', '-home-dev-shop', `${session(24)}.jsonl`), 'utf8'),
    ).toContain('agent_progress');
    const totals = await capturedFixture('progress-only', 24);
    // Written down from the fixture (tests/fixtures/transcripts/cases.ts): 4 calls, 1,000 input, 100 output.
    expect(totals).toMatchObject({ inputTokens: 1000, outputTokens: 100, calls: 4 });
  });
});

describe('one message id answered to two requests', () => {
  it('is two calls in the ledger, both counted; a copy without requestId adds nothing', async () => {
    const totals = await capturedFixture('two-request-ids', 25);
    // Written down from the fixture (tests/fixtures/transcripts/cases.ts): req_tr_1a 100/20/1000 read, req_tr_1b 300/50/2000 read.
    expect(totals).toMatchObject({ inputTokens: 400, outputTokens: 70, cacheReadTokens: 3000, calls: 2 });
  });
});

describe('a session whose bindings are only in a rollup', () => {
  it('gets them back when its state is lost: its next calls still go to its task', async () => {
    const p = makeReliabilityProject();
    const random = seededRandom(12);
    p.appendLines(SESSION, [promptLine(SESSION, p.project)]);
    for (const prompt of ['/start-session inv-1 spec invoice-management', '/do-task invoice-management 1.1']) {
      expect((await p.runHook('UserPromptSubmit', p.hookInput(SESSION, 'UserPromptSubmit', { prompt }))).code).toBe(0);
    }
    const first = makeCalls('first', 3, random, Date.now() + 1000);
    p.appendCalls(SESSION, first);
    expect((await p.runHook('SessionEnd', p.hookInput(SESSION, 'SessionEnd', { reason: 'other' }))).code).toBe(0);
    p.specSession(['compact']);
    expect(p.ledgerFiles()).toEqual([]); // every record of the session is in a rollup now
    rmSync(p.stateDir, { recursive: true, force: true });
    // The session is resumed on another machine (or after the state folder was deleted) and goes on.
    const later = makeCalls('later', 2, random, Date.now() + 60_000);
    p.appendCalls(SESSION, later);
    expect((await p.runHook('PostToolUse')).code).toBe(0);
    const tasks = (p.costJson() as unknown as { taskTotals: Array<{ taskId: string; totalTokens: number }> })
      .taskTotals;
    expect(tasks.map((t) => [t.taskId, t.totalTokens])).toEqual([
      ['1.1', expectedTotals([...first, ...later]).totalTokens],
    ]);
  });
});
