/**
 * A project with a real ledger, made the way users make one: the real Claude Code CLI (pinned)
 * against the loopback mock, with the installed hooks capturing every call. Two work sessions on
 * two specs running side by side, four tasks, three models, and one Claude session that never
 * starts a work session (its calls are unattributed).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { bash, startMockApi, text, type MockUsage } from '../../e2e/support/mock-api.js';
import { runClaude } from '../../e2e/support/claude.js';
import { INVOICE_TASKS, makeProject, markDoneCommand, type Project } from '../../e2e/support/project.js';

export const BILLING_TASKS = `# Tasks Document

- [ ] 1.1 Add billing report query
- [ ] 1.2 Add billing report CSV view
`;

export const OPUS = 'claude-opus-4-5-20251101';
export const SONNET = 'claude-sonnet-4-5-20250929';
export const HAIKU = 'claude-haiku-4-5-20251001';

const usage = (input: number, output: number, write: number, read: number): Partial<MockUsage> => ({ input_tokens: input, output_tokens: output, cache_creation_input_tokens: write, cache_read_input_tokens: read });

export interface WorkedProject extends Project {
  /** Claude session ids: invoice work, billing work, and the one with no work session. */
  sessions: { invoice: string; billing: string; loose: string };
}

/** Builds the project; about 30 s of real Claude Code runs. */
export async function makeWorkedProject(): Promise<WorkedProject> {
  const mock = await startMockApi();
  try {
    const p = makeProject({ 'invoice-management': INVOICE_TASKS, 'billing-reports': BILLING_TASKS });
    const sessions = { invoice: randomUUID(), billing: randomUUID(), loose: randomUUID() };
    const started = new Set<string>();
    // The model is chosen per run (--model), as a user would: the mock answers with the model asked for.
    const run = async (sid: string, prompt: string, model = OPUS) => {
      const first = !started.has(sid);
      started.add(sid);
      const r = await runClaude({ cwd: p.project, home: p.home, baseUrl: mock.url, prompt, model, ...(first ? { sessionId: sid } : { resume: sid }) });
      if (r.code !== 0) throw new Error(`claude "${prompt}" exited ${r.code}: ${r.stderr.slice(0, 400)}`);
      if (mock.pending().length) throw new Error(`claude "${prompt}" left ${mock.pending().length} scripted replies unused`);
    };

    await run(sessions.invoice, '/start-session inv-1000 spec invoice-management');
    mock.script(
      { content: [text('Creating the model.'), bash(markDoneCommand('1.1'))], usage: usage(1200, 340, 5100, 9000) },
      { content: [text('Task 1.1 is complete.')], usage: usage(15, 42, 610, 14100) },
    );
    await run(sessions.invoice, '/do-task invoice-management 1.1');

    await run(sessions.billing, '/start-session rep-2000 spec billing-reports');
    mock.script(
      { content: [text('Writing the query.'), bash(markDoneCommand('1.1', 'billing-reports'))], usage: usage(2400, 800, 12000, 3000) },
      { content: [text('Billing 1.1 done.')], usage: usage(30, 120, 900, 15000) },
    );
    await run(sessions.billing, '/do-task billing-reports 1.1', HAIKU);

    mock.script(
      { content: [text('Totals next.'), bash(markDoneCommand('1.2'))], usage: usage(800, 2200, 7000, 21000) },
      { content: [text('Task 1.2 is complete.')], usage: usage(20, 64, 300, 28000) },
    );
    await run(sessions.invoice, '/do-task invoice-management 1.2', SONNET);

    mock.script({ content: [text('Numbering started.')], usage: usage(500, 900, 4000, 30000) });
    await run(sessions.invoice, '/do-task invoice-management 1.3', SONNET);

    mock.script({ content: [text('Just answering a question.')], usage: usage(700, 150, 2500, 0) });
    await run(sessions.loose, 'What does the invoice model hold?', HAIKU);
    return { ...p, sessions };
  } finally {
    await mock.close();
  }
}

/** Removes the scratch folders; a Claude Code process still shutting down may hold on, then they stay. */
export function removeWorkedProject(p: WorkedProject | undefined): void {
  try {
    if (p) rmSync(p.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch {
    // left in the temp folder
  }
}
