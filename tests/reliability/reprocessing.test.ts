/**
 * Exactly once across re-processing: transcript cursors are a cache. With state/ deleted (a new
 * clone, a wiped machine) or torn, hooks read every transcript again from the start and append
 * the same records again; the fold merges the copies, so every number and every attribution stays.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SESSION,
  expectExactTotals,
  expectWholeLedger,
  makeReliabilityProject,
  removeProjects,
  type ReliabilityProject,
} from './support/harness.js';
import { makeCalls, promptLine, seededRandom } from './support/transcript-lines.js';

afterAll(removeProjects);

const ledgerLineCount = (p: ReliabilityProject) =>
  p.ledgerFiles().reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').filter(Boolean).length, 0);

async function prompt(p: ReliabilityProject, text: string): Promise<void> {
  const run = await p.startHook('UserPromptSubmit', p.hookInput(SESSION, 'UserPromptSubmit', { prompt: text })).done;
  expect(run.code).toBe(0);
}

describe('exactly once when cursors are lost', () => {
  it.each([
    ['state/ deleted', (p: ReliabilityProject) => rmSync(p.stateDir, { recursive: true, force: true })],
    [
      'the session state file torn',
      (p: ReliabilityProject) => {
        const file = join(p.sessionsStateDir, `${SESSION}.json`);
        writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
      },
    ],
  ])('%s, twice: totals and attribution unchanged', async (_, lose) => {
    const p = makeReliabilityProject();
    const random = seededRandom(6);
    p.appendLines(SESSION, [promptLine(SESSION, p.project)]);
    const before = makeCalls('pre', 3, random, Date.now() - 3_600_000);
    p.appendCalls(SESSION, before); // made before any binding: unattributed
    await prompt(p, '/start-session inv-1 spec invoice-management');
    await prompt(p, '/do-task invoice-management 1.1');
    const onTask = makeCalls('task', 5, random, Date.now() + 1000); // after the bindings
    p.appendCalls(SESSION, onTask);
    expect((await p.runHook('PostToolUse')).code).toBe(0);
    const all = [...before, ...onTask];
    const shown = expectExactTotals(p, all);
    expect(shown.tasks).toMatchObject([{ spec: 'invoice-management', taskId: '1.1', session: 'inv-1' }]);
    expect(shown.unattributed.totalTokens).toBeGreaterThan(0);

    for (let round = 0; round < 2; round++) {
      const lines = ledgerLineCount(p);
      lose(p);
      expect((await p.runHook('PostToolUse')).code).toBe(0);
      expect(ledgerLineCount(p)).toBeGreaterThan(lines); // every call was written again
      expect(p.costJson()).toEqual(shown);
    }
    expect(p.ledgerFiles()).toHaveLength(1); // the session's file, reused rather than a new one
    expectWholeLedger(p);
    expect(p.hookLogText()).toBe('');
  });
});

describe('a catch-up of many sessions whose state is lost', () => {
  it('rebuilds each one’s bindings (read once for all of them): every new call on its own task', async () => {
    const p = makeReliabilityProject();
    const random = seededRandom(9);
    const sessions = [SESSION, '22222222-3333-4444-8555-666666666666', '33333333-4444-4555-8666-777777777777'];
    for (const [n, cs] of sessions.entries()) {
      p.appendLines(cs, [promptLine(cs, p.project)]);
      for (const text of [`/start-session s${n} spec invoice-management`, `/do-task invoice-management 1.${n + 1}`]) {
        const run = await p.startHook('UserPromptSubmit', p.hookInput(cs, 'UserPromptSubmit', { prompt: text })).done;
        expect(run.code).toBe(0);
      }
    }
    // The state goes (a new clone, a wiped machine), then calls come that no hook saw: the report's
    // catch-up reads them, each session's bindings rebuilt from the ledger.
    rmSync(p.stateDir, { recursive: true, force: true });
    const calls = sessions.flatMap((cs, n) => {
      const made = makeCalls(`c${n}`, 3, random, Date.now() + 1000);
      p.appendCalls(cs, made);
      return made;
    });
    const shown = expectExactTotals(p, calls);
    expect(shown.tasks.map((t) => `${t.taskId}@${t.session}`).sort()).toEqual(['1.1@s0', '1.2@s1', '1.3@s2']);
    expect(shown.unattributed.totalTokens).toBe(0);
    expectWholeLedger(p);
    expect(p.hookLogText()).toBe('');
  });
});
