/**
 * The ledger's life with the real Claude Code CLI: a Claude session that exits writes its end, its
 * file is rolled up (compact), and when the machine-local state is lost the transcripts are read
 * again: every call the mock answered is counted once, whatever was rolled up and re-captured.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClaude } from './support/claude.js';
import { bash, startMockApi, text, type MockApi } from './support/mock-api.js';
import { makeProject, markDoneCommand } from './support/project.js';
import { sumReplies, tokenFields } from './support/tokens.js';

let mock: MockApi;
beforeAll(async () => {
  mock = await startMockApi();
});
afterAll(async () => {
  await mock.close();
});

const ledgerFiles = (dir: string) =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.jsonl?$/.test(f)).sort();

/** A scratch project, its ledger folder, and the real CLI run in it against the mock (reset). */
function realProject() {
  const p = makeProject();
  mock.reset();
  const claude = (prompt: string, session: { sessionId: string } | { resume: string }) =>
    runClaude({ cwd: p.project, home: p.home, baseUrl: mock.url, prompt, ...session });
  return { p, ledger: join(p.project, 'docs', 'sessions', 'ledger'), claude };
}

describe('rolled up, then captured again (real CLI)', () => {
  it('a rolled-up session whose transcript is read again after the state is lost counts once', async () => {
    const { p, ledger, claude } = realProject();
    const sid = randomUUID();
    const run = (prompt: string, first = false) => claude(prompt, first ? { sessionId: sid } : { resume: sid });
    await run('/start-session inv-1000 spec invoice-management', true);
    mock.script(
      { content: [text('Marking it done.'), bash(markDoneCommand('1.1'))] },
      { content: [text('Task 1.1 is complete.')] },
    );
    await run('/do-task invoice-management 1.1');
    const expected = sumReplies(mock.replies);
    expect(mock.replies).toHaveLength(2);

    // Claude Code ran SessionEnd at exit: the session's file ends with its end record.
    const [raw] = ledgerFiles(ledger);
    expect(readFileSync(join(ledger, raw!), 'utf8').trimEnd().split('\n').at(-1)).toMatch(/^\{"k":"end",/);
    const compact = p.specSession(['compact']);
    expect(compact.stdout).toContain('every figure compared before and after: identical');
    expect(ledgerFiles(ledger).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
    expect(tokenFields(p.costJson().tasks[0]!)).toEqual(expected);
    // The version that wrote the transcript, which writes cost-state: nothing it made is missing.
    expect(p.costJson()).toMatchObject({ claudeCodeVersions: ['2.1.331'], versionsWithoutCostState: [] });

    // A new clone, a deleted folder: the next report reads the transcript from its start again.
    rmSync(join(p.project, '.claude', 'spec-session', 'state'), { recursive: true });
    const cost = p.costJson();
    const recaptured = ledgerFiles(ledger).filter((f) => f.endsWith('.jsonl'));
    expect(recaptured).toHaveLength(1); // the calls were written again, to a new file...
    expect(readFileSync(join(ledger, recaptured[0]!), 'utf8')).toContain('"k":"call"');
    expect(tokenFields(cost.totals)).toEqual(expected); // ...and count once
    expect(cost.tasks.map((t) => [t.taskId, t.session])).toEqual([['1.1', 'inv-1000']]);

    // The session goes on after all that: its new calls count.
    mock.script({
      content: [text('One more thing.')],
      usage: { input_tokens: 7, output_tokens: 11, cache_creation_input_tokens: 13, cache_read_input_tokens: 17 },
    });
    await run('what else?');
    expect(tokenFields(p.costJson().totals)).toEqual(sumReplies(mock.replies));
  }, 120_000);
});

describe("a Claude session's start (real CLI)", () => {
  it('rolls up a closed day, and every figure stays what the mock returned', async () => {
    const { p, ledger, claude } = realProject();
    const sid = randomUUID();
    await claude('/start-session inv-1000 spec invoice-management', { sessionId: sid });
    mock.script({
      content: [text('Working on it.')],
      usage: { input_tokens: 11, output_tokens: 22, cache_creation_input_tokens: 33, cache_read_input_tokens: 44 },
    });
    await claude('/do-task invoice-management 1.1', { resume: sid });
    const worked = sumReplies(mock.replies);

    // The session exited (its file ends with its end record); its folder becomes a day long over.
    const [today] = readdirSync(ledger);
    const past = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    renameSync(join(ledger, today!), join(ledger, past));
    expect(p.specSession(['doctor'], { allowFail: true }).stdout).toContain('closed days not rolled up yet: 1 ');

    // The next Claude session's start rolls that day up; its own call counts on top.
    mock.script({
      content: [text('Hello.')],
      usage: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 3, cache_read_input_tokens: 4 },
    });
    await claude('hello', { sessionId: randomUUID() });
    expect(readdirSync(join(ledger, past))).toEqual([expect.stringMatching(/^rollup-[0-9a-f]{12}\.json$/)]);
    const cost = p.costJson();
    expect(tokenFields(cost.totals)).toEqual(sumReplies(mock.replies));
    expect(tokenFields(cost.tasks[0]!)).toEqual(worked);
    const doctor = p.specSession(['doctor'], { allowFail: true }).stdout;
    expect(doctor).toContain('ledger: 2 API calls, 1 work session\n');
    expect(doctor).not.toContain('closed days not rolled up');
    expect(doctor).toContain('✓ no hook errors logged');
  }, 120_000);
});
