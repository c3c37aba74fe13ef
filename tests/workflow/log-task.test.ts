import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTokenCount, parseTokenSpec } from '../../src/workflow/log-task.js';
import { makeProject } from '../e2e/support/project.js';

describe('token counts typed by hand', () => {
  it.each([
    ['45k', 45_000],
    ['45K', 45_000],
    ['1.2M', 1_200_000],
    ['45000', 45_000],
    ['45,000', 45_000],
    ['0.5k', 500],
    ['abc', null],
    ['-5', null],
    ['12x', null],
  ])('%s → %s', (text, expected) => expect(parseTokenCount(text)).toBe(expected));

  it.each([
    ['1.5k', 1_500],
    ['1,5k', 1_500],
    ['0.001M', 1_000],
    ['1.000001M', 1_000_001],
    ['1000000000000', 1e12],
    ['1,000,000,000,000', 1e12],
    ['1000000M', 1e12],
  ])('%s → exactly %s', (text, expected) => expect(parseTokenCount(text)).toBe(expected));

  // Counts are summed as JS numbers: 10^12 per kind keeps thousands of entries exact (below 2^53).
  it.each([
    ['1.5', 'invalid token count "1.5": not a whole number of tokens'],
    ['1.2345k', 'invalid token count "1.2345k": not a whole number of tokens'],
    ['0.0000001M', 'invalid token count "0.0000001M": not a whole number of tokens'],
    ['9007199254740991', 'invalid token count "9007199254740991": more than 1,000,000,000,000 tokens of one kind'],
    ['9007199254740993', 'invalid token count "9007199254740993": more than 1,000,000,000,000 tokens of one kind'],
    ['1000000000001', 'invalid token count "1000000000001": more than 1,000,000,000,000 tokens of one kind'],
    ['1000001M', 'invalid token count "1000001M": more than 1,000,000,000,000 tokens of one kind'],
  ])('%s is refused: %s', (text, message) => expect(() => parseTokenSpec(text)).toThrow(message));

  it('splits by kind', () => {
    expect(parseTokenSpec('in:30k,out:15k,cw:1k,cr:100k')).toEqual({
      input: 30_000,
      output: 15_000,
      cacheWrite5m: 1_000,
      cacheWrite1h: 0,
      cacheRead: 100_000,
    });
    expect(parseTokenSpec('in:1.5k,cw1h:2')).toEqual({
      input: 1_500,
      output: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 2,
      cacheRead: 0,
    });
    expect(() => parseTokenSpec('in:lots')).toThrow('invalid token count "in:lots"');
  });

  it.each([
    ['out:1k,out:2k', 'invalid token count "out:1k,out:2k": output is given twice'],
    ['in:1k,input:2k', 'invalid token count "in:1k,input:2k": input is given twice'],
    ['cw:1k,cw5:1k', 'invalid token count "cw:1k,cw5:1k": cache write 5m is given twice'],
    ['in:1.5', 'invalid token count "in:1.5": not a whole number of tokens'],
    ['cr:2000000M', 'invalid token count "cr:2000000M": more than 1,000,000,000,000 tokens of one kind'],
  ])('%s is refused: %s', (text, message) => expect(() => parseTokenSpec(text)).toThrow(message));
});

describe('/log-task from the command line', () => {
  it('records manual work, priced by the given model, marked manual in every report', () => {
    const p = makeProject();
    p.specSession(['start-session', 'inv-1000', 'spec', 'invoice-management']);
    const out = p.specSession(['log-task', '1.1', 'done', '1.2M', 'claude-haiku-4-5']).stdout;
    // 1,200,000 input tokens of Haiku 4.5 at $1 per million.
    expect(out).toBe(
      '✍ Task 1.1 (invoice-management) logged by hand: done, 1,200,000 tokens, $1.20 at claude-haiku-4-5 as input tokens; give in:…,out:… for an exact split [manual]\n',
    );
    const cost = p.costJson();
    expect(cost.tasks[0]).toMatchObject({
      taskId: '1.1',
      session: 'inv-1000',
      manual: true,
      inputTokens: 1_200_000,
      totalCost: 1.2,
    });
    expect(p.specSession(['eod']).stdout).toContain('├── Tasks: 1 done (1 worked on)');
  });

  it.each([
    [['log-task', '1.1', 'finished', '45k'], 'invalid status "finished": use done, in-progress, pending or blocked'],
    [['log-task', '1.1', 'done', 'lots'], 'invalid token count "lots"'],
    [['log-task', '1.1', 'done'], 'usage: /log-task <task id>'],
    [['log-task', '9.9', 'done', '45k', 'claude-haiku-4-5'], 'no task 9.9 in spec invoice-management'],
    [['log-task', '1.1', 'done', '45k', 'gpt-9'], 'no price for model "gpt-9"'],
    [
      ['log-task', '1.1', 'done', '9007199254740991'],
      'invalid token count "9007199254740991": more than 1,000,000,000,000 tokens of one kind',
    ],
    [['log-task', '1.1', 'done', '1.5'], 'invalid token count "1.5": not a whole number of tokens'],
    [['log-task', '1.1', 'done', 'out:1k,out:2k'], 'invalid token count "out:1k,out:2k": output is given twice'],
  ])('%j → one line: %s', (args, message) => {
    const p = makeProject();
    p.specSession(['start-session', 'inv-1000', 'spec', 'invoice-management']);
    const r = p.specSession(args, { allowFail: true });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it('undo takes the last entry back with a correcting entry, also once it is rolled up; the ledger keeps both', () => {
    const p = makeProject();
    p.specSession(['start-session', 'inv-1000', 'spec', 'invoice-management']);
    p.specSession(['log-task', '1.1', 'in-progress', '30k', 'claude-haiku-4-5']);
    p.specSession(['log-task', '1.1', 'done', 'in:1.2M,out:10k', 'claude-haiku-4-5']);
    // The wrong one: 1,200,000 in + 10,000 out. Undone, the task shows the first entry only.
    const undo = p.specSession(['log-task', '1.1', 'undo']).stdout;
    expect(undo).toMatch(
      /^↩ Task 1\.1 \(invoice-management\): the 1,210,000 tokens logged by hand at .* UTC are taken back/,
    );
    const task = () => p.costJson().tasks.find((t) => t.taskId === '1.1')!;
    expect(task()).toMatchObject({
      inputTokens: 30_000,
      outputTokens: 0,
      totalTokens: 30_000,
      totalCost: 0.03,
      manual: true,
    });
    expect(p.costJson().totals).toMatchObject({ totalTokens: 30_000, calls: 1 });
    const ledger = readdirSync(join(p.project, 'docs', 'sessions', 'ledger'), { recursive: true }) as string[];
    const text = ledger
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => readFileSync(join(p.project, 'docs', 'sessions', 'ledger', f), 'utf8'))
      .join('');
    expect(text.match(/"k":"manual"/g)).toHaveLength(3); // both entries kept, and the correcting one
    // The first entry, after its day is rolled up: undone the same way.
    p.specSession(['compact']);
    p.specSession(['log-task', '1.1', 'undo']);
    expect(task()).toMatchObject({ totalTokens: 0, totalCost: 0, manual: false });
    const r = p.specSession(['log-task', '1.1', 'undo'], { allowFail: true });
    expect(r.stderr).toBe('spec-session log-task: nothing logged by hand for task 1.1 (invoice-management) to undo\n');
  });

  it('needs a session or a spec/task name', () => {
    const p = makeProject();
    const r = p.specSession(['log-task', '1.1', 'done', '45k'], { allowFail: true });
    expect(r.stderr).toBe(
      'spec-session log-task: no active session to log against: /start-session first, or name the task as <spec>/<id>\n',
    );
    expect(p.specSession(['log-task', 'invoice-management/1.1', 'done', '45k']).stdout).toContain('45,000 tokens');
  });
});

describe("/log-task with Claude Code's model aliases", () => {
  it('records the model the alias stands for in Claude Code 2.1.331, and prices it', () => {
    const p = makeProject();
    const out = p.specSession(['log-task', 'invoice-management/1.1', 'done', '1M', 'opus']).stdout;
    // claude-opus-5-5: $4 per million input tokens.
    expect(out).toBe(
      '✍ Task 1.1 (invoice-management) logged by hand: done, 1,000,000 tokens, $4.00 at claude-opus-5-5 as input tokens; give in:…,out:… for an exact split [manual]\n',
    );
  });

  it('says which model an unpriced alias stands for, and a price file makes it work', () => {
    const p = makeProject();
    const r = p.specSession(['log-task', 'invoice-management/1.1', 'done', '1M', 'haiku'], { allowFail: true });
    expect([r.code, r.stderr]).toEqual([
      1,
      'spec-session log-task: no price for model "haiku" (Claude Code 2.1.331 runs claude-haiku-5-5 for it): give a priced model, or add claude-haiku-5-5 to .claude/spec-session/prices.json\n',
    ]);
    writeFileSync(
      join(p.project, '.claude', 'spec-session', 'prices.json'),
      JSON.stringify({ models: { 'claude-haiku-5-5': { input: 0.1, output: 0.5 } } }),
    );
    expect(p.specSession(['log-task', 'invoice-management/1.1', 'done', '1M', 'haiku']).stdout).toContain(
      '1,000,000 tokens, $0.10 at claude-haiku-5-5 ',
    );
  });
});
