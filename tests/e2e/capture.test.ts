/**
 * Capture, end to end: the real Claude Code CLI, real hooks from the installed bundles, a loopback
 * mock of the Messages API. Each scenario asserts that the tokens captured per task equal, exactly,
 * the usage the mock returned for the calls made while that task was active.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bash, startMockApi, text, type MockApi } from './support/mock-api.js';
import { runClaude } from './support/claude.js';
import { makeProject, markDoneCommand, readText } from './support/project.js';
import { sumReplies } from './support/tokens.js';

const TIMEOUT = 90_000;
let mock: MockApi;

beforeAll(async () => {
  mock = await startMockApi();
});
afterAll(async () => {
  await mock.close();
});

const pick = (o: {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}) => ({
  inputTokens: o.inputTokens,
  outputTokens: o.outputTokens,
  cacheCreationTokens: o.cacheCreationTokens,
  cacheReadTokens: o.cacheReadTokens,
  totalTokens: o.totalTokens,
});

describe('capture with the real Claude Code CLI', () => {
  it(
    "one task: every token the mock returned lands on the task, at Claude Code's own price",
    async () => {
      const p = makeProject();
      const sid = randomUUID();
      const run = (prompt: string, first = false) =>
        runClaude({
          cwd: p.project,
          home: p.home,
          baseUrl: mock.url,
          prompt,
          ...(first ? { sessionId: sid } : { resume: sid }),
        });
      mock.reset();

      const started = await run('/start-session inv-1000 spec invoice-management', true);
      expect(started.json?.result).toContain('Session inv-1000 created');
      expect(started.json?.result).toContain('Start with task 1.1');
      expect(mock.replies).toHaveLength(0); // answered by the hook: zero tokens

      mock.script(
        {
          content: [text('Marking the task done.'), bash(markDoneCommand('1.1'))],
          usage: {
            input_tokens: 1200,
            output_tokens: 340,
            cache_creation_input_tokens: 5100,
            cache_read_input_tokens: 9000,
          },
        },
        {
          content: [text('Task 1.1 is complete.')],
          usage: {
            input_tokens: 15,
            output_tokens: 42,
            cache_creation_input_tokens: 610,
            cache_read_input_tokens: 14100,
          },
        },
      );
      const worked = await run('/do-task invoice-management 1.1');
      expect(worked.code).toBe(0);
      expect(mock.replies).toHaveLength(2);
      // The hook handed the model the task's text.
      expect(JSON.stringify(mock.replies[0]!.requestBody)).toContain('Create invoice model in src/invoice/model.ts');
      expect(readText(p.tasksFile())).toContain('- [x] 1.1 Create invoice model');

      const cost = p.costJson();
      const expected = sumReplies(mock.replies);
      expect(cost.tasks).toHaveLength(1);
      expect(cost.tasks[0]).toMatchObject({ spec: 'invoice-management', taskId: '1.1', session: 'inv-1000' });
      expect(pick(cost.tasks[0]!)).toEqual(expected);
      expect(pick(cost.totals)).toEqual(expected);
      expect(cost.unattributed.totalTokens).toBe(0);
      // Claude Code's own table, for its default model, gives exactly its total_cost_usd.
      const cc = JSON.parse(p.specSession(['cost', '--json', '--prices', 'claude-code']).stdout) as {
        totals: { totalCost: number };
      };
      expect(cc.totals.totalCost).toBeCloseTo(worked.json!.total_cost_usd as number, 9);

      const shown = await run('/cost');
      expect(mock.replies).toHaveLength(2); // /cost costs no model tokens
      expect(shown.json?.result).toContain('inv-1000');
      // The Total row, every token column in full: what the mock returned.
      const totalRow = shown.json!.result!.split('\n').find((line) => /^\s*Total\s*│/.test(line));
      const count = (n: number) => n.toLocaleString('en-US');
      expect(
        totalRow
          ?.split('│')
          .map((cell) => cell.trim())
          .slice(0, 6),
      ).toEqual([
        'Total',
        count(expected.totalTokens),
        count(expected.inputTokens),
        count(expected.outputTokens),
        count(expected.cacheCreationTokens),
        count(expected.cacheReadTokens),
      ]);
    },
    TIMEOUT,
  );
});
