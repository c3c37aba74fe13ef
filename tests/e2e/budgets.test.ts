/** Budget notices through the Stop hook: one per threshold crossed, not one per tool call. */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bash, startMockApi, text, type MockApi } from './support/mock-api.js';
import { runClaude } from './support/claude.js';
import { makeProject } from './support/project.js';

let mock: MockApi;
beforeAll(async () => {
  mock = await startMockApi();
});
afterAll(async () => {
  await mock.close();
});

const notices = (stdout: string) =>
  stdout.split('\n').filter((l) => l.includes('spec-session: Today') || l.includes('budget exceeded')).length;

it('warns once at 80% and once at 100% of the daily budget', async () => {
  const p = makeProject();
  // claude-opus-5-5 (Claude Code's default) at $4 per million input tokens; a 5-cent day budget.
  writeFileSync(
    join(p.project, '.claude', 'spec-session', 'config.json'),
    JSON.stringify({ timeZone: 'UTC', budgets: { daily: 0.05, weekly: null, monthly: null } }),
  );
  const sid = randomUUID();
  let first = true;
  const run = (prompt: string) => {
    const r = runClaude({
      cwd: p.project,
      home: p.home,
      baseUrl: mock.url,
      prompt,
      outputFormat: 'stream-json',
      ...(first ? { sessionId: sid } : { resume: sid }),
    });
    first = false;
    return r;
  };
  const usage = (input: number) => ({
    input_tokens: input,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  });
  mock.script(
    { content: [text('a'), bash('true')], usage: usage(6_000) },
    { content: [text('b')], usage: usage(4_500) },
  );
  const at84 = await run('spend'); // 10,500 tokens = $0.042
  expect(at84.stdout).toContain('⚠ spec-session: Today at $0.04 of $0.05 (84%), past 80% of the budget');
  expect(notices(at84.stdout)).toBe(1);
  mock.script(
    { content: [text('c'), bash('true')], usage: usage(1_000) },
    { content: [text('d')], usage: usage(2_000) },
  );
  const over = await run('spend more'); // 13,500 tokens = $0.054
  expect(over.stdout).toContain('⛔ spec-session: Today budget exceeded: $0.05 of $0.05 (108%)');
  expect(notices(over.stdout)).toBe(1);
  mock.script({ content: [text('e'), bash('true')], usage: usage(100) }, { content: [text('f')], usage: usage(100) });
  const quiet = await run('and more');
  expect(notices(quiet.stdout)).toBe(0); // both thresholds already said today
  expect(JSON.parse(p.specSession(['cost', '--json']).stdout).totals.totalCost).toBeCloseTo(0.0548, 9);
});
