/** The Claude Code plugin form (`.claude-plugin/`, `hooks/hooks.json`, `commands/`), loaded with --plugin-dir. */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bash, startMockApi, text, type MockApi } from './support/mock-api.js';
import { makeScratchHome, repoRoot, runClaude } from './support/claude.js';
import { INVOICE_TASKS, markDoneCommand } from './support/project.js';
import { sumReplies, tokenFields } from './support/tokens.js';
import { spawnSync } from 'node:child_process';

let mock: MockApi;
beforeAll(async () => {
  mock = await startMockApi();
});
afterAll(async () => {
  await mock.close();
});

it('works as a plugin without any install step', async () => {
  const s = makeScratchHome();
  const specDir = join(s.project, '.spec-workflow', 'specs', 'invoice-management');
  mkdirSync(specDir, { recursive: true });
  writeFileSync(join(specDir, 'tasks.md'), INVOICE_TASKS);
  const sid = randomUUID();
  let first = true;
  const run = (prompt: string) => {
    const r = runClaude({
      cwd: s.project,
      home: s.home,
      baseUrl: mock.url,
      prompt,
      args: ['--plugin-dir', repoRoot],
      ...(first ? { sessionId: sid } : { resume: sid }),
    });
    first = false;
    return r;
  };
  const started = await run('/spec-session:start-session inv-1000 spec invoice-management');
  expect(started.json?.result).toContain('Session inv-1000 created');
  mock.script({ content: [text('Working.'), bash(markDoneCommand('1.1'))] }, { content: [text('Done.')] });
  await run('/spec-session:do-task invoice-management 1.1');
  const r = spawnSync(
    process.execPath,
    [join(repoRoot, 'dist', 'spec-session.cjs'), 'cost', '--json', '--dir', s.project],
    { env: { ...process.env, HOME: s.home, TZ: 'UTC' }, encoding: 'utf8' },
  );
  const cost = JSON.parse(r.stdout) as {
    tasks: Array<Parameters<typeof tokenFields>[0] & { taskId: string; session: string }>;
  };
  expect(cost.tasks[0]!.session).toBe('inv-1000');
  expect(tokenFields(cost.tasks[0]!)).toEqual(sumReplies(mock.replies));
});
