/**
 * The interactive UI (tmux): what a user sees when a report command is answered by the hook,
 * and `/clear` keeping the work binding (a new Claude session in the same Claude Code process).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bash, startMockApi, text, type MockApi } from './support/mock-api.js';
import { startInteractive } from './support/claude.js';
import { makeProject, markDoneCommand } from './support/project.js';
import { sumReplies, tokenFields } from './support/tokens.js';
import { haveTmux, NO_TMUX, requireTool, skipWithout } from '../support/required-tools.js';

let mock: MockApi;
beforeAll(async () => {
  mock = await startMockApi();
});
afterAll(async () => {
  await mock.close();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Type a prompt, let the slash-command menu settle, then press Enter (twice if the menu took the first). */
async function submit(ui: ReturnType<typeof startInteractive>, prompt: string): Promise<void> {
  ui.send(prompt, { enter: false });
  await pause(400);
  ui.send('', { enter: true, literal: false });
  await pause(600);
  if (ui.capture().includes(`❯ ${prompt}`)) ui.send('', { enter: true, literal: false });
}

describe.skipIf(skipWithout(haveTmux))(`interactive Claude Code${haveTmux ? '' : ` (skipped: ${NO_TMUX})`}`, () => {
  it('/clear keeps the work session and task; /cost shows in the UI at zero tokens', async () => {
    requireTool(haveTmux, NO_TMUX);
    const p = makeProject();
    mock.reset();
    const ui = startInteractive({ cwd: p.project, home: p.home, baseUrl: mock.url });
    try {
      await ui.waitFor(/>|bypass/i, 30_000);
      await submit(ui, '/start-session inv-1000 spec invoice-management');
      await ui.waitFor(/Session inv-1000 created/);
      mock.script({ content: [text('Started 1.1, part one.')] });
      await submit(ui, '/do-task invoice-management 1.1');
      await ui.waitFor(/Started 1\.1, part one/);
      await submit(ui, '/clear');
      await new Promise((r) => setTimeout(r, 1500));
      mock.script(
        { content: [text('Part two.'), bash(markDoneCommand('1.1'))] },
        { content: [text('All done with 1.1.')] },
      );
      await submit(ui, 'finish task 1.1');
      await ui.waitFor(/All done with 1\.1/);
      await ui.waitFor(/Task 1\.1 completed \(/);
      await submit(ui, '/cost');
      const screen = await ui.waitFor(/Original prompt: \/cost/);
      expect(screen).toContain('inv-1000');
    } finally {
      ui.kill();
    }
    expect(mock.replies).toHaveLength(3);
    const cost = p.costJson();
    expect(tokenFields(cost.tasks.find((t) => t.taskId === '1.1')!)).toEqual(sumReplies(mock.replies));
    expect(cost.tasks.find((t) => t.taskId === '1.1')!.session).toBe('inv-1000');
  });
});
