/**
 * A project with a real ledger, made the way users make one: the real Claude Code CLI (pinned)
 * against the loopback mock, with the installed hooks capturing every call. Two work sessions on
 * two specs running side by side, four tasks, three models, and one Claude session that never
 * starts a work session (its calls are unattributed).
 *
 * Every reply the mock gives is scripted below, with its usage and the task it belongs to, so
 * the suites derive what a user must see from this plan (expected-usage.ts), never from the program.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bash, startMockApi, text, type Block, type MockUsage } from '../e2e/support/mock-api.js';
import { runClaude } from '../e2e/support/claude.js';
import { INVOICE_TASKS, makeProject, markDoneCommand } from '../e2e/support/project.js';

export const BILLING_TASKS = `# Tasks Document

- [ ] 1.1 Add billing report query
- [ ] 1.2 Add billing report CSV view
`;

export const OPUS = 'claude-opus-4-5-20251101';
export const SONNET = 'claude-sonnet-4-5-20250929';
export const HAIKU = 'claude-haiku-4-5-20251001';

export type ClaudeSessionName = 'invoice' | 'billing' | 'loose';
export interface Usage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}
/** What a call is attributed to: a work session and task, or nothing (unattributed). */
export interface Attribution {
  ws: string | null;
  spec: string | null;
  task: string | null;
}
interface Run extends Attribution {
  session: ClaudeSessionName;
  prompt: string;
  model: string;
  replies: Array<{ content: Block[]; usage: Usage }>;
}

const u = (input: number, output: number, cacheWrite: number, cacheRead: number): Usage => ({
  input,
  output,
  cacheWrite,
  cacheRead,
});
const none = { ws: null, spec: null, task: null };
const invoice = (task: string) => ({ ws: 'inv-1000', spec: 'invoice-management', task });

/** The runs, in order. The model is chosen per run (--model), as a user would; the mock answers with it. */
export const RUNS: Run[] = [
  { session: 'invoice', prompt: '/start-session inv-1000 spec invoice-management', model: OPUS, ...none, replies: [] }, // answered by the hook
  {
    session: 'invoice',
    prompt: '/do-task invoice-management 1.1',
    model: OPUS,
    ...invoice('1.1'),
    replies: [
      { content: [text('Creating the model.'), bash(markDoneCommand('1.1'))], usage: u(1200, 340, 5100, 9000) },
      { content: [text('Task 1.1 is complete.')], usage: u(15, 42, 610, 14100) },
    ],
  },
  { session: 'billing', prompt: '/start-session rep-2000 spec billing-reports', model: OPUS, ...none, replies: [] },
  {
    session: 'billing',
    prompt: '/do-task billing-reports 1.1',
    model: HAIKU,
    ws: 'rep-2000',
    spec: 'billing-reports',
    task: '1.1',
    replies: [
      {
        content: [text('Writing the query.'), bash(markDoneCommand('1.1', 'billing-reports'))],
        usage: u(2400, 800, 12000, 3000),
      },
      { content: [text('Billing 1.1 done.')], usage: u(30, 120, 900, 15000) },
    ],
  },
  {
    session: 'invoice',
    prompt: '/do-task invoice-management 1.2',
    model: SONNET,
    ...invoice('1.2'),
    replies: [
      { content: [text('Totals next.'), bash(markDoneCommand('1.2'))], usage: u(800, 2200, 7000, 21000) },
      { content: [text('Task 1.2 is complete.')], usage: u(20, 64, 300, 28000) },
    ],
  },
  {
    session: 'invoice',
    prompt: '/do-task invoice-management 1.3',
    model: SONNET,
    ...invoice('1.3'),
    replies: [{ content: [text('Numbering started.')], usage: u(500, 900, 4000, 30000) }],
  },
  {
    session: 'loose',
    prompt: 'What does the invoice model hold?',
    model: HAIKU,
    ...none,
    replies: [{ content: [text('Just answering a question.')], usage: u(700, 150, 2500, 0) }],
  },
];

/** One API call of the plan, with the time Claude Code wrote it (its transcript's first line of it). */
export interface WorkedCall extends Attribution {
  session: ClaudeSessionName;
  model: string;
  usage: Usage;
  /** ISO time. */
  at: string;
}

/** What the build hands to the suites (through vitest's provide/inject): plain JSON. */
export interface WorkedProjectInfo {
  root: string;
  home: string;
  project: string;
  /** Claude session ids. */
  sessions: Record<ClaudeSessionName, string>;
  calls: WorkedCall[];
  /** When the build ended: the suites' "now" (SPEC_SESSION_NOW), so "today" is the day it was worked. */
  now: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    workedProject: WorkedProjectInfo;
  }
}

/** Builds the project; about 30 s of real Claude Code runs. */
export async function buildWorkedProject(): Promise<WorkedProjectInfo> {
  const mock = await startMockApi();
  const p = makeProject({ 'invoice-management': INVOICE_TASKS, 'billing-reports': BILLING_TASKS });
  try {
    const sessions = { invoice: randomUUID(), billing: randomUUID(), loose: randomUUID() };
    const started = new Set<string>();
    const calls: Array<Omit<WorkedCall, 'at'> & { messageId: string }> = [];
    for (const run of RUNS) {
      const sid = sessions[run.session];
      const first = !started.has(sid);
      started.add(sid);
      mock.script(...run.replies.map((r) => ({ content: r.content, usage: mockUsage(r.usage) })));
      const sent = mock.replies.length;
      const r = await runClaude({
        cwd: p.project,
        home: p.home,
        baseUrl: mock.url,
        prompt: run.prompt,
        model: run.model,
        ...(first ? { sessionId: sid } : { resume: sid }),
      });
      if (r.code !== 0) throw new Error(`claude "${run.prompt}" exited ${r.code}: ${r.stderr.slice(0, 400)}`);
      if (mock.pending().length)
        throw new Error(`claude "${run.prompt}" left ${mock.pending().length} scripted replies unused`);
      const made = mock.replies.slice(sent);
      if (made.length !== run.replies.length)
        throw new Error(`claude "${run.prompt}" made ${made.length} API calls; the plan has ${run.replies.length}`);
      for (const [i, reply] of made.entries())
        calls.push({
          session: run.session,
          model: run.model,
          usage: run.replies[i]!.usage,
          ws: run.ws,
          spec: run.spec,
          task: run.task,
          messageId: reply.messageId,
        });
    }
    const times = firstLineTimes(join(p.home, '.claude', 'projects'));
    const worked = calls.map(({ messageId, ...call }) => {
      const at = times.get(messageId);
      if (!at) throw new Error(`no transcript line holds ${messageId}`);
      return { ...call, at };
    });
    return { root: p.root, home: p.home, project: p.project, sessions, calls: worked, now: new Date().toISOString() };
  } catch (error) {
    removeWorkedProject(p.root);
    throw error;
  } finally {
    await mock.close();
  }
}

const mockUsage = (x: Usage): Partial<MockUsage> => ({
  input_tokens: x.input,
  output_tokens: x.output,
  cache_creation_input_tokens: x.cacheWrite,
  cache_read_input_tokens: x.cacheRead,
});

/** The earliest timestamp of each message id in Claude Code's transcripts: when the call is dated. */
function firstLineTimes(transcripts: string): Map<string, string> {
  const times = new Map<string, string>();
  const files = (readdirSync(transcripts, { recursive: true }) as string[]).filter((f) => f.endsWith('.jsonl'));
  for (const file of files) {
    for (const line of readFileSync(join(transcripts, file), 'utf8').split('\n')) {
      if (!line.includes('"assistant"')) continue;
      const row = JSON.parse(line) as { type?: string; timestamp?: string; message?: { id?: string } };
      const id = row.message?.id;
      if (row.type !== 'assistant' || !id || !row.timestamp) continue;
      const seen = times.get(id);
      if (!seen || row.timestamp < seen) times.set(id, row.timestamp);
    }
  }
  return times;
}

/** Removes a scratch folder; a Claude Code process still shutting down may hold on, then it stays. */
export function removeWorkedProject(root: string | undefined): void {
  try {
    if (root) rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch {
    // left in the temp folder
  }
}
