/**
 * Through the real hook processes: a call whose lines first hold a placeholder output count
 * (Claude Code ≤2.1.85 writes 1–8 on a response's early lines) and whose final count arrives in a
 * later line, after a hook already recorded the call. The ledger must end with the final count.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION, expectExactTotals, makeReliabilityProject, removeProjects } from '../reliability/support/harness.js';
import { callLines, promptLine, type Call } from '../reliability/support/transcript-lines.js';

afterAll(removeProjects);

const FINAL_OUTPUT = 412;
const call: Call = {
  id: 'msg_grow_1',
  req: 'req_grow_1',
  time: Date.UTC(2026, 0, 15, 10),
  blocks: 3,
  input: 1500,
  output: FINAL_OUTPUT,
  cacheWrite5m: 2000,
  cacheWrite1h: 0,
  cacheRead: 30000,
};

/** The call's three block lines: the first two with a placeholder output count, the last with the final one. */
function linesWithPlaceholders(cwd: string): string[] {
  return callLines(call, SESSION, cwd).map((line, block) => {
    const row = JSON.parse(line) as { message: { usage: { output_tokens: number } } };
    if (block < 2) row.message.usage.output_tokens = [3, 8][block]!;
    return JSON.stringify(row);
  });
}

describe('a call whose usage grows after a hook recorded it', () => {
  it('the final output count, read by a later hook, is what the ledger and cost --json show', async () => {
    const p = makeReliabilityProject();
    const [first, second, last] = linesWithPlaceholders(p.project);
    p.appendLines(SESSION, [promptLine(SESSION, p.project), first!, second!]);
    expect((await p.runHook('PostToolUse')).code).toBe(0);
    expectExactTotals(p, [{ ...call, output: 8 }]); // so far, the placeholders' max is all there is

    p.appendLines(SESSION, [last!]);
    expect((await p.runHook('PostToolUse')).code).toBe(0);
    const ledgerOutputs = p.ledgerFiles().flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"k":"call"'))
        .map((l) => (JSON.parse(l) as { out: number }).out),
    );
    expect(Math.max(...ledgerOutputs)).toBe(FINAL_OUTPUT);
    const shown = expectExactTotals(p, [call]);
    expect(shown.totals.outputTokens).toBe(FINAL_OUTPUT);
    expect(p.hookLogText()).toBe('');
  });
});
