import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, readCorpus, totalsOf } from '../transcript/corpus.js';
import { cliEnv, ensureBuilt, REPO, runCli } from './cli.js';

/**
 * Transcripts written by the real Claude Code 2.1.331 against a mock whose usage is known to the
 * token (tests/fixtures/real-2.1.331/README.md): the report must show exactly those numbers, and
 * its cost must equal Claude Code's own total_cost_usd for the same calls.
 */
const REAL = path.join(REPO, 'tests', 'fixtures', 'real-2.1.331');
const configOf = (name: string) => path.join(REAL, name, 'claude-config');
const S = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const FORK = '27f6ce2f-9d3a-4330-b27b-8838cb55939b';

beforeAll(() => ensureBuilt());

interface Tokens {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cacheCreation5mTokens: number;
  cacheCreation1hTokens: number;
  totalCost: number;
}
interface SessionReport {
  sessions: Array<
    Tokens & {
      sessionId: string;
      projectPath: string;
      modelBreakdowns: Array<{ modelName: string; inputTokens: number; outputTokens: number; calls: number }>;
    }
  >;
  totals: Tokens;
}

function sessionReport(name: string, prices = 'anthropic'): SessionReport {
  const r = runCli(
    ['report', 'session', '--json', '--prices', prices, '--config-dir', configOf(name)],
    cliEnv(tempDir('spec-session-real-')),
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as SessionReport;
}

/** in / out / cache write / cache read, as the fixture README writes them. */
const four = (t: Tokens) => [t.inputTokens, t.outputTokens, t.cacheCreationTokens, t.cacheReadTokens];

/** Claude Code's own figure for the fixture: the last run's total_cost_usd (cumulative over --resume). */
function claudeCodeCost(name: string): number {
  const runs = JSON.parse(fs.readFileSync(path.join(REAL, name, 'runs.json'), 'utf8')) as Array<{
    result: { total_cost_usd: number };
  }>;
  return runs.at(-1)!.result.total_cost_usd;
}

describe('report on the real 2.1.331 transcripts equals the README, token for token', () => {
  it.each([
    // [fixture, in / out / cache write / cache read, sessions]
    ['text-reply', [1101, 1102, 1103, 1104], 1],
    ['bash-tool-use', [4302, 4304, 4306, 4308], 1],
    ['subagent', [13004, 13008, 13012, 13016], 1],
    ['slash-command', [18603, 18606, 18609, 18612], 1],
    ['blocked-cost', [0, 0, 0, 0], 0],
  ] as const)('%s', (name, totals, sessions) => {
    const report = sessionReport(name);
    expect(four(report.totals)).toEqual(totals);
    expect(report.sessions).toHaveLength(sessions);
    expect(report.totals.totalCost).toBeCloseTo(claudeCodeCost(name), 9);
    expect(sessionReport(name, 'claude-code').totals.totalCost).toBeCloseTo(claudeCodeCost(name), 9);
  });

  it('subagent: the subagent file counts, in the parent session', () => {
    const report = sessionReport('subagent');
    expect(report.sessions.map((s) => [s.sessionId, s.modelBreakdowns.map((b) => [b.modelName, b.calls])])).toEqual([
      [S(3), [['claude-opus-5-5', 4]]],
    ]);
  });

  it('slash-command: the 1h cache write stays apart (5m 18506, 1h 103) and is priced at 2 × input', () => {
    const report = sessionReport('slash-command');
    expect(report.totals).toMatchObject({
      cacheCreation5mTokens: 18506,
      cacheCreation1hTokens: 103,
      totalCost: 0.5436084,
    });
  });

  it('resumed: the fork copies msg 1–3 but every reply counts once; the copies stay with the original session', () => {
    const report = sessionReport('resumed');
    expect(four(report.totals)).toEqual([21004, 21008, 21012, 21016]);
    const bySession = Object.fromEntries(
      report.sessions.map((s) => [s.sessionId, s.modelBreakdowns.map((b) => [b.modelName, b.inputTokens, b.calls])]),
    );
    expect(bySession).toEqual({
      [S(5)]: [
        ['claude-opus-5-5', 10302, 2],
        ['claude-sonnet-4-5', 5301, 1],
      ],
      [FORK]: [['claude-sonnet-4-5', 5401, 1]],
    });
    // What the API billed for all 4 replies, and what the fork's last cost-state says.
    expect(report.totals.totalCost).toBeCloseTo(0.5369055, 9);
    expect(report.totals.totalCost).toBeCloseTo(claudeCodeCost('resumed'), 9);
  });

  describe('compaction: the /compact summary call (msg_mock_2) is in no assistant line', () => {
    it('the assistant lines alone hold runs 1 and 3: 8402 / 8404 / 8406 / 8408', () => {
      const { calls } = readCorpus([configOf('compaction')]);
      const t = totalsOf(calls);
      expect([t.input, t.output, t.cacheWrite5m + t.cacheWrite1h, t.cacheRead]).toEqual([8402, 8404, 8406, 8408]);
      expect([...calls.entries.keys()].sort()).toEqual(['msg_mock_1', 'msg_mock_3']);
    });

    it('report adds it from the cost-state lines: all 3 calls, 12603 / 12606 / 12609 / 12612, = Claude Code total_cost_usd', () => {
      const report = sessionReport('compaction');
      expect(four(report.totals)).toEqual([12603, 12606, 12609, 12612]);
      expect(
        report.sessions.map((s) => [s.sessionId, s.modelBreakdowns.map((b) => [b.modelName, b.inputTokens, b.calls])]),
      ).toEqual([[S(4), [['claude-opus-5-5', 12603, 3]]]]);
      expect(report.totals.totalCost).toBeCloseTo(0.3680994, 9);
      expect(report.totals.totalCost).toBeCloseTo(claudeCodeCost('compaction'), 9);
    });
  });
});
