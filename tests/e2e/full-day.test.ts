/**
 * Issue #4: the guide's "Full day" through the real Claude Code CLI against the mock, asserting
 * every file and number: spec invoice-management 1.1–1.5, session inv-1000 does 1.1 and 1.2,
 * session inv-1300 does 1.3–1.5, then /session-status, /cost and /eod.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bash, startMockApi, text, type MockApi, type RecordedReply } from './support/mock-api.js';
import { runClaude } from './support/claude.js';
import { INVOICE_TASKS, makeProject, markDoneCommand, type Project } from './support/project.js';
import { sumReplies, tokenFields } from './support/tokens.js';

const HAIKU = 'claude-haiku-4-5-20251001';
// Anthropic list prices for Haiku 4.5, USD per million tokens: input, output, 5m write, read.
const haikuCost = (r: RecordedReply[]) =>
  r.reduce(
    (s, x) =>
      s +
      (x.usage.input_tokens * 1 +
        x.usage.output_tokens * 5 +
        x.usage.cache_creation_input_tokens * 1.25 +
        x.usage.cache_read_input_tokens * 0.1) /
        1e6,
    0,
  );
const usd = (n: number) => `$${n.toFixed(2)}`;

let mock: MockApi;
beforeAll(async () => {
  mock = await startMockApi();
});
afterAll(async () => {
  await mock.close();
});

function claudeSession(p: Project) {
  const sid = randomUUID();
  let first = true;
  return (prompt: string, outputFormat: 'json' | 'stream-json' = 'json') => {
    const r = runClaude({
      cwd: p.project,
      home: p.home,
      baseUrl: mock.url,
      prompt,
      model: HAIKU,
      outputFormat,
      ...(first ? { sessionId: sid } : { resume: sid }),
    });
    first = false;
    return r;
  };
}

async function doTask(
  run: ReturnType<typeof claudeSession>,
  id: string,
  calls: number,
): Promise<{ replies: RecordedReply[]; out: string }> {
  const before = mock.replies.length;
  const replies = Array.from({ length: calls - 1 }, (_, i) => ({
    content: [text(`Working on ${id} (${i + 1}).`), bash('true')],
  }));
  mock.script(
    ...replies,
    { content: [text(`Marking ${id} done.`), bash(markDoneCommand(id))] },
    { content: [text(`Task ${id} complete.`)] },
  );
  const r = await run(`/do-task invoice-management ${id}`, 'stream-json');
  return { replies: mock.replies.slice(before), out: r.stdout };
}

describe("the guide's full day", () => {
  it('two sessions, five tasks, status, cost and eod with measured numbers', { timeout: 240_000 }, async () => {
    const p = makeProject({ 'invoice-management': INVOICE_TASKS });
    mock.reset();
    const morning = claudeSession(p);
    const started = await morning('/start-session inv-1000 spec invoice-management');
    expect(started.json?.result).toContain('Session inv-1000 created');
    expect(started.json?.result).toContain('Tasks: 1.1, 1.2, 1.3, 1.4, 1.5 (0/5 done)');

    const t11 = await doTask(morning, '1.1', 2);
    const t12 = await doTask(morning, '1.2', 3);
    // The Stop hook announces the completion with the measured numbers.
    expect(t11.out).toContain(
      `✅ Task 1.1 completed (${sumReplies(t11.replies).totalTokens.toLocaleString('en-US')} tokens, ${usd(haikuCost(t11.replies))})`,
    );

    const status = await morning('/session-status');
    expect(status.json?.result).toContain('Session: inv-1000');
    expect(status.json?.result).toContain('Tasks: 2/5 done');
    expect(status.json?.result).toContain(
      `Tokens: ${sumReplies([...t11.replies, ...t12.replies]).totalTokens.toLocaleString('en-US')}`,
    );

    // The same, for a script: this window's session, its measured tokens and cost.
    // Claude Code shows a hook's answer between its own lines ("UserPromptSubmit operation blocked
    // by hook:" before, "Original prompt: …" after).
    const shownJson = (await morning('/session-status --json')).json!.result as string;
    const statusJson = JSON.parse(shownJson.slice(shownJson.indexOf('{'), shownJson.lastIndexOf('}') + 1));
    expect(statusJson.sessions).toHaveLength(1);
    expect(statusJson.sessions[0]).toMatchObject({ name: 'inv-1000', thisWindow: true, tasks: { done: 2, total: 5 } });
    expect(tokenFields(statusJson.sessions[0])).toEqual(sumReplies([...t11.replies, ...t12.replies]));
    expect(statusJson.sessions[0].totalCost).toBeCloseTo(haikuCost([...t11.replies, ...t12.replies]), 9);

    const afternoon = claudeSession(p);
    const resumed = await afternoon('/start-session inv-1300 spec invoice-management');
    expect(resumed.json?.result).toContain('Continue from task 1.3');
    expect(resumed.json?.result).toContain('⚠ Session inv-1000 is also active on spec invoice-management');
    const t13 = await doTask(afternoon, '1.3', 2);
    const t14 = await doTask(afternoon, '1.4', 2);
    const t15 = await doTask(afternoon, '1.5', 2);
    const all = mock.replies;
    expect(all).toHaveLength(16);

    const cost = p.costJson();
    for (const [id, t, ws] of [
      ['1.1', t11, 'inv-1000'],
      ['1.2', t12, 'inv-1000'],
      ['1.3', t13, 'inv-1300'],
      ['1.4', t14, 'inv-1300'],
      ['1.5', t15, 'inv-1300'],
    ] as const) {
      const row = cost.tasks.find((x) => x.taskId === id)!;
      expect(row.session).toBe(ws);
      expect(tokenFields(row)).toEqual(sumReplies(t.replies));
      expect(row.totalCost).toBeCloseTo(haikuCost(t.replies), 9);
    }
    expect(tokenFields(cost.totals)).toEqual(sumReplies(all));
    expect(cost.totals.totalCost).toBeCloseTo(haikuCost(all), 9);

    const shown = await afternoon('/cost');
    expect(shown.json?.result).toContain(`Today       ${usd(haikuCost(all))} of $5.00`);
    // Every call of the day was task work, on haiku: the guide's split (haiku runs tasks) is what it cost.
    expect([t11, t12, t13, t14, t15].flatMap((t) => t.replies)).toHaveLength(all.length);
    expect(shown.json?.result).toContain(
      `Guide's split (haiku-4-5 runs tasks, sonnet-4-6 plans): ${usd(haikuCost(all))}; actual ${usd(haikuCost(all))}`,
    );
    expect(mock.replies).toHaveLength(16); // report commands cost no model tokens

    const eod = await afternoon('/eod');
    const day = new Date().toISOString().slice(0, 10);
    const summary = eod.json!.result as string;
    expect(summary).toContain(`📊 EOD Summary: ${day}`);
    expect(summary).toContain('├── Sessions: 2');
    expect(summary).toContain('├── Tasks: 5 done (5 worked on)');
    expect(summary).toContain(`├── Tokens: ${sumReplies(all).totalTokens.toLocaleString('en-US')}`);
    expect(summary).toContain(`└── Cost: ${usd(haikuCost(all))}`);
    expect(summary).toContain('✅ Session logs archived: inv-1000, inv-1300');

    const docs = join(p.project, 'docs');
    const daily = readFileSync(join(docs, 'sessions', 'daily', `${day}.md`), 'utf8');
    expect(daily).toContain(`- Tokens: ${sumReplies(all).totalTokens.toLocaleString('en-US')}`);
    expect(daily).toContain('| inv-1000 | invoice-management |');
    expect(daily).toContain('| inv-1300 | invoice-management |');
    const progress = readFileSync(join(docs, 'PROGRESS.md'), 'utf8');
    expect(progress).toContain(
      `| invoice-management | 5/5 | ${sumReplies(all).totalTokens.toLocaleString('en-US')} | ${usd(haikuCost(all))} |`,
    );
    expect(progress).toContain(
      `| [x] 1.2 Add invoice totals calculation | done | ${sumReplies(t12.replies).totalTokens.toLocaleString('en-US')} |`,
    );
    expect(existsSync(join(docs, 'sessions', 'archive', day, 'inv-1000.md'))).toBe(true);
    expect(existsSync(join(docs, 'sessions', 'archive', day, 'inv-1300.md'))).toBe(true);
    expect(readdirSync(join(docs, 'sessions', '.current'))).toEqual([]);
    const logs = join(p.project, '.spec-workflow', 'specs', 'invoice-management', 'Implementation Logs');
    const log13 = readdirSync(logs).find((f) => f.startsWith('task-1-3_'))!;
    const log = readFileSync(join(logs, log13), 'utf8');
    expect(log).toContain('# Implementation Log: Task 1.3');
    expect(log).toContain('## Usage');
    expect(log).toContain(sumReplies(t13.replies).totalTokens.toLocaleString('en-US'));

    // Running /eod again writes the same files and doubles nothing.
    const again = await afternoon('/eod');
    expect(again.json?.result).toContain(`├── Tokens: ${sumReplies(all).totalTokens.toLocaleString('en-US')}`);
    expect(readFileSync(join(docs, 'sessions', 'daily', `${day}.md`), 'utf8')).toBe(daily);
    expect(readFileSync(join(docs, 'PROGRESS.md'), 'utf8')).toBe(progress);
  });

  it('parallel sessions: different specs are quiet, the same spec warns', async () => {
    const p = makeProject({
      'invoice-management': INVOICE_TASKS,
      'patient-search': '# Tasks\n\n- [ ] 2.1 Search patients by name\n',
    });
    const a = claudeSession(p);
    const b = claudeSession(p);
    const c = claudeSession(p);
    const [ra, rb] = await Promise.all([
      a('/start-session inv-1030 spec invoice-management'),
      b('/start-session pat-1030 spec patient-search'),
    ]);
    expect(ra.json?.result).not.toContain('⚠');
    expect(rb.json?.result).not.toContain('⚠');
    const rc = await c('/start-session inv-1031 spec invoice-management');
    expect(rc.json?.result).toContain(
      '⚠ Session inv-1030 is also active on spec invoice-management: same module = conflict risk',
    );
    const dup = await c('/start-session inv-1030 spec invoice-management');
    expect(dup.json?.result).toContain('session "inv-1030" is already active');
    const unknown = await c('/start-session x-1 spec nope');
    expect(unknown.json?.result).toContain('unknown spec "nope"; specs here: invoice-management, patient-search');
  });
});
