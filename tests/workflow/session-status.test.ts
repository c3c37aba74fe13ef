/**
 * `/session-status` with parallel work sessions on two specs, from the command line: the JSON form
 * for scripts carries the figures the text shows (and `cost --json` has for the same sessions), and
 * `/log-task` outside Claude Code picks the session of the spec it names.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INVOICE_TASKS, makeProject, type TokenFields } from '../e2e/support/project.js';

const BILLING_TASKS = `# Tasks Document

- [ ] 2.1 Add billing run
- [x] 2.2 Add billing export
- [ ] 2.3 Add dunning
`;

interface StatusJson {
  sessions: Array<
    TokenFields & {
      name: string;
      spec: string;
      started: string;
      thisWindow: boolean;
      activeTask: string | null;
      tasks: { done: number; total: number } | null;
      unpricedModels: string[];
      modelBreakdowns: Array<{ modelName: string; inputTokens: number; outputTokens: number; cost: number | null }>;
    }
  >;
  sameSpec: Array<{ spec: string; sessions: string[] }>;
  budgets: Array<{ period: string; key: string; spent: number; limit: number | null; level: string }>;
  timeZone: string;
  skippedLedgerLines: number;
}

function twoSessions() {
  const p = makeProject({ 'invoice-management': INVOICE_TASKS, billing: BILLING_TASKS });
  p.specSession(['start-session', 'inv-0900', 'spec', 'invoice-management']);
  p.specSession(['start-session', 'bill-0915', 'spec', 'billing']);
  return p;
}

describe('/log-task with two work sessions active and no Claude session bound', () => {
  it('a bare task id names both sessions and asks for <spec>/<id>', () => {
    const p = twoSessions();
    const r = p.specSession(['log-task', '1.1', 'done', '1k', 'claude-haiku-4-5'], { allowFail: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'spec-session log-task: 2 work sessions are active (inv-0900, bill-0915): name the task as <spec>/<id>\n',
    );
  });

  it('<spec>/<id> is logged against the session working on that spec', () => {
    const p = twoSessions();
    p.specSession(['log-task', 'billing/2.1', 'in-progress', 'in:4000,out:1000', 'claude-haiku-4-5']);
    const cost = p.costJson();
    expect(cost.tasks).toEqual([
      expect.objectContaining({ spec: 'billing', taskId: '2.1', session: 'bill-0915', inputTokens: 4000 }),
    ]);
  });
});

describe('session-status --json', () => {
  it('has the figures of the text and of cost --json, per active session', () => {
    const p = twoSessions();
    // Haiku 4.5: $1 per million input tokens, $5 per million output tokens.
    p.specSession(['log-task', 'invoice-management/1.1', 'done', 'in:1200,out:300', 'claude-haiku-4-5']);
    p.specSession(['log-task', 'billing/2.1', 'in-progress', 'in:4000,out:1000', 'claude-haiku-4-5']);
    p.specSession(['log-task', 'billing/2.3', 'pending', 'in:1000', 'claude-haiku-4-5']);
    const status = JSON.parse(p.specSession(['session-status', '--json']).stdout) as StatusJson;

    expect(
      status.sessions.map((s) => [s.name, s.spec, s.inputTokens, s.outputTokens, s.totalTokens, s.totalCost]),
    ).toEqual([
      ['inv-0900', 'invoice-management', 1200, 300, 1500, 0.0027],
      ['bill-0915', 'billing', 5000, 1000, 6000, 0.01],
    ]);
    expect(status.sessions.map((s) => s.tasks)).toEqual([
      { done: 1, total: 5 },
      { done: 1, total: 3 },
    ]);
    expect(status.sessions[1]!.modelBreakdowns).toEqual([
      expect.objectContaining({ modelName: 'claude-haiku-4-5', inputTokens: 5000, outputTokens: 1000, cost: 0.01 }),
    ]);
    expect(status.sessions.every((s) => !s.thisWindow && s.unpricedModels.length === 0)).toBe(true);
    expect(status.sameSpec).toEqual([]);
    expect(status.budgets.map((b) => [b.period, b.spent])).toEqual([
      ['daily', 0.0127],
      ['weekly', 0.0127],
      ['monthly', 0.0127],
    ]);
    expect(status.timeZone).toBe('UTC');
    expect(status.skippedLedgerLines).toBe(0);

    // The same sessions in cost --json.
    const sessions = p.costJson().sessions;
    for (const s of status.sessions)
      expect(sessions.find((c) => c.name === s.name)).toMatchObject({
        inputTokens: s.inputTokens,
        outputTokens: s.outputTokens,
        cacheCreationTokens: s.cacheCreationTokens,
        cacheReadTokens: s.cacheReadTokens,
        totalCost: s.totalCost,
      });

    // And in the text.
    const text = p.specSession(['session-status']).stdout;
    expect(text).toContain('Session: bill-0915 · spec billing · since');
    expect(text).toContain('  Tokens: 6,000 (in 5,000 · out 1,000 · cache write 0 · cache read 0)\n  Cost: $0.01\n');
    expect(text).toContain('  Active task: none · Tasks: 1/3 done\n');
  });

  it('names two sessions on one spec, and a session whose tasks.md is gone', () => {
    const p = twoSessions();
    p.specSession(['start-session', 'inv-1400', 'spec', 'invoice-management']);
    const status = JSON.parse(p.specSession(['session-status', '--json']).stdout) as StatusJson;
    expect(status.sameSpec).toEqual([{ spec: 'invoice-management', sessions: ['inv-0900', 'inv-1400'] }]);
    expect(p.specSession(['session-status']).stdout).toContain(
      '⚠ inv-0900 and inv-1400 work on the same spec invoice-management: conflict risk\n',
    );
    rmSync(p.tasksFile('billing'));
    const gone = JSON.parse(p.specSession(['session-status', '--json']).stdout) as StatusJson;
    expect(gone.sessions.map((s) => [s.name, s.tasks])).toEqual([
      ['inv-0900', { done: 0, total: 5 }],
      ['bill-0915', null],
      ['inv-1400', { done: 0, total: 5 }],
    ]);
    expect(p.specSession(['session-status']).stdout).toContain('  Active task: none · Tasks: tasks.md missing\n');
  });

  it('a bad option is one line and exit 1', () => {
    const p = twoSessions();
    const r = p.specSession(['session-status', '--jsno'], { allowFail: true });
    expect([r.code, r.stderr, r.stdout]).toEqual([
      1,
      "spec-session session-status: unknown option '--jsno' (--help lists the options)\n",
      '',
    ]);
  });
});
