/**
 * Issue #3 scenarios with the real Claude Code CLI: tokens captured per task equal, exactly, the
 * usage the mock returned while that task was active.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agent,
  bash,
  isCompactRequest,
  isSubagentRequest,
  startMockApi,
  text,
  type MockApi,
} from './support/mock-api.js';
import { runClaude } from './support/claude.js';
import { makeProject, markDoneCommand, type Project } from './support/project.js';
import { sumReplies, tokenFields, ZERO } from './support/tokens.js';

let mock: MockApi;
beforeAll(async () => {
  mock = await startMockApi();
});
afterAll(async () => {
  await mock.close();
});

function session(p: Project, env: Record<string, string> = {}) {
  const sid = randomUUID();
  let first = true;
  return {
    sid,
    run(prompt: string, extraEnv: Record<string, string> = {}) {
      const o = {
        cwd: p.project,
        home: p.home,
        baseUrl: mock.url,
        prompt,
        env: { ...env, ...extraEnv },
        ...(first ? { sessionId: sid } : { resume: sid }),
      };
      first = false;
      return runClaude(o);
    },
  };
}

const taskRow = (p: Project, id: string) => p.costJson().tasks.filter((t) => t.taskId === id);

describe('capture scenarios (real CLI)', () => {
  it('two tasks in sequence in one Claude session', async () => {
    const p = makeProject();
    const s = session(p);
    mock.reset();
    await s.run('/start-session inv-1000 spec invoice-management');
    mock.script({ content: [text('On it.'), bash(markDoneCommand('1.1'))] }, { content: [text('1.1 done.')] });
    await s.run('/do-task invoice-management 1.1');
    const first = [...mock.replies];
    mock.script({ content: [text('Next.'), bash(markDoneCommand('1.2'))] }, { content: [text('1.2 done.')] });
    await s.run('/do-task invoice-management 1.2');
    const second = mock.replies.slice(first.length);
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    const cost = p.costJson();
    expect(tokenFields(cost.tasks.find((t) => t.taskId === '1.1')!)).toEqual(sumReplies(first));
    expect(tokenFields(cost.tasks.find((t) => t.taskId === '1.2')!)).toEqual(sumReplies(second));
    expect(tokenFields(cost.sessions.find((x) => x.name === 'inv-1000')!)).toEqual(sumReplies(mock.replies));
    expect(tokenFields(cost.unattributed)).toEqual(ZERO);
  });

  it('a session started from a terminal is picked up by /do-task in Claude Code', async () => {
    const p = makeProject();
    p.specSession(['start-session', 'inv-0900', 'spec', 'invoice-management']);
    const s = session(p);
    mock.reset();
    mock.script({ content: [text('On it.'), bash(markDoneCommand('1.1'))] }, { content: [text('Done.')] });
    await s.run('/do-task invoice-management 1.1');
    const row = p.costJson().tasks.find((t) => t.taskId === '1.1')!;
    expect(row.session).toBe('inv-0900');
    expect(tokenFields(row)).toEqual(sumReplies(mock.replies));
  });

  it('a subagent: its calls go to the parent task', async () => {
    const p = makeProject();
    const s = session(p);
    mock.reset();
    await s.run('/start-session inv-1000 spec invoice-management');
    mock.script(
      { content: [text('Delegating.'), agent('Write model', 'Create the invoice model file.')], label: 'main' },
      { content: [text('Sub: writing.'), bash('echo model > /dev/null')], match: isSubagentRequest, label: 'sub' },
      { content: [text('Sub: done.')], match: isSubagentRequest, label: 'sub' },
      { content: [text('Marking done.'), bash(markDoneCommand('1.1'))], label: 'main' },
      { content: [text('Done.')], label: 'main' },
    );
    await s.run('/do-task invoice-management 1.1');
    expect(mock.replies.filter((r) => r.label === 'sub')).toHaveLength(2);
    expect(tokenFields(taskRow(p, '1.1')[0]!)).toEqual(sumReplies(mock.replies));
  });

  it('a compaction: the summary call, never written as an assistant line, is captured on the active task', async () => {
    const p = makeProject();
    const s = session(p);
    mock.reset();
    await s.run('/start-session inv-1000 spec invoice-management');
    mock.script({ content: [text('Started on 1.1.')] });
    await s.run('/do-task invoice-management 1.1');
    mock.script({
      content: [text('<analysis>a</analysis><summary>s</summary>')],
      match: isCompactRequest,
      label: 'compact',
      usage: { input_tokens: 9100, output_tokens: 777, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    const compacted = await s.run('/compact');
    expect(compacted.code).toBe(0);
    mock.script({ content: [text('Finishing.'), bash(markDoneCommand('1.1'))] }, { content: [text('Done.')] });
    await s.run('continue with the task');
    expect(mock.replies.filter((r) => r.label === 'compact')).toHaveLength(1);
    const cost = p.costJson();
    expect(tokenFields(taskRow(p, '1.1')[0]!)).toEqual(sumReplies(mock.replies));
    expect(tokenFields(cost.totals)).toEqual(sumReplies(mock.replies));
  });

  it('a forked session (--fork-session) keeps the binding, and its copies of earlier calls count once', async () => {
    const p = makeProject();
    const s = session(p);
    mock.reset();
    await s.run('/start-session inv-1000 spec invoice-management');
    mock.script({ content: [text('Part one.'), bash('true')] }, { content: [text('Paused.')] });
    await s.run('/do-task invoice-management 1.1');
    mock.script({ content: [text('Forked: part two.'), bash('true')] }, { content: [text('Forked: done.')] });
    const forked = await runClaude({
      cwd: p.project,
      home: p.home,
      baseUrl: mock.url,
      prompt: 'carry on in a fork',
      resume: s.sid,
      args: ['--fork-session'],
    });
    expect(forked.json?.session_id).not.toBe(s.sid);
    expect(mock.replies).toHaveLength(4);
    const cost = p.costJson();
    expect(tokenFields(cost.tasks.find((t) => t.taskId === '1.1')!)).toEqual(sumReplies(mock.replies));
    expect(tokenFields(cost.totals)).toEqual(sumReplies(mock.replies));
  });

  it('two Claude sessions at the same time on different tasks stay apart', async () => {
    const p = makeProject({
      'invoice-management': (await import('./support/project.js')).INVOICE_TASKS,
      'patient-search': '# Tasks\n\n- [ ] 2.1 Search patients by name\n- [ ] 2.2 Paginate results\n',
    });
    const a = session(p);
    const b = session(p);
    mock.reset();
    await Promise.all([
      a.run('/start-session inv-1000 spec invoice-management'),
      b.run('/start-session pat-1000 spec patient-search'),
    ]);
    const isA = (r: { raw: string }) => r.raw.includes('Create invoice model');
    const isB = (r: { raw: string }) => r.raw.includes('Search patients by name');
    mock.script(
      { content: [text('A working.'), bash('sleep 0.3')], match: isA, label: 'A' },
      { content: [text('B working.'), bash('sleep 0.3')], match: isB, label: 'B' },
      { content: [text('A more.'), bash('sleep 0.2')], match: isA, label: 'A' },
      { content: [text('B more.'), bash('sleep 0.2')], match: isB, label: 'B' },
      { content: [text('A done.')], match: isA, label: 'A' },
      { content: [text('B done.')], match: isB, label: 'B' },
    );
    await Promise.all([a.run('/do-task invoice-management 1.1'), b.run('/do-task patient-search 2.1')]);
    const cost = p.costJson();
    expect(tokenFields(cost.tasks.find((t) => t.taskId === '1.1')!)).toEqual(
      sumReplies(mock.replies.filter((r) => r.label === 'A')),
    );
    expect(tokenFields(cost.tasks.find((t) => t.taskId === '2.1')!)).toEqual(
      sumReplies(mock.replies.filter((r) => r.label === 'B')),
    );
    expect(cost.tasks.find((t) => t.taskId === '1.1')!.session).toBe('inv-1000');
    expect(cost.tasks.find((t) => t.taskId === '2.1')!.session).toBe('pat-1000');
  });

  for (const fault of ['before-ledger-append', 'mid-ledger-append', 'before-state-save']) {
    it(`hooks SIGKILLed at ${fault}: the next hook catches up, nothing lost or doubled`, async () => {
      const p = makeProject();
      const s = session(p);
      mock.reset();
      await s.run('/start-session inv-1000 spec invoice-management');
      mock.script({ content: [text('Working.'), bash('true')] }, { content: [text('Part one.')] });
      await s.run('/do-task invoice-management 1.1');
      mock.script({ content: [text('Still working.'), bash('true')] }, { content: [text('Part two.')] });
      // Every hook of this run dies at the fault point: PostToolUse, Stop, SessionEnd alike.
      const crashed = await s.run('keep going', { SPEC_SESSION_FAULT: fault });
      expect(crashed.code).toBe(0); // a dying hook never breaks Claude Code
      const during = mock.replies.length;
      mock.script({ content: [text('Finishing.'), bash(markDoneCommand('1.1'))] }, { content: [text('Done.')] });
      await s.run('finish the task');
      const cost = p.costJson();
      expect(tokenFields(cost.tasks.find((t) => t.taskId === '1.1')!)).toEqual(sumReplies(mock.replies));
      expect(tokenFields(cost.totals)).toEqual(sumReplies(mock.replies));
      expect(during).toBe(4);
    });
  }

  it('a /do-task whose hooks all died is still attributed: the binding is recovered from the transcript', async () => {
    const p = makeProject();
    const s = session(p);
    mock.reset();
    await s.run('/start-session inv-1000 spec invoice-management');
    mock.script({ content: [text('Working.'), bash('true')] }, { content: [text('Part one.')] });
    const crashed = await s.run('/do-task invoice-management 1.1', { SPEC_SESSION_FAULT: 'before-ledger-append' });
    expect(crashed.code).toBe(0);
    mock.script({ content: [text('Finishing.'), bash(markDoneCommand('1.1'))] }, { content: [text('Done.')] });
    await s.run('finish the task');
    const cost = p.costJson();
    const row = cost.tasks.find((t) => t.taskId === '1.1')!;
    expect(row.session).toBe('inv-1000');
    expect(tokenFields(row)).toEqual(sumReplies(mock.replies));
    expect(tokenFields(cost.unattributed)).toEqual(ZERO);
  });

  it('a Stop hook that runs before the transcript has the last message: the next hook picks it up', async () => {
    const p = makeProject();
    const s = session(p);
    mock.reset();
    await s.run('/start-session inv-1000 spec invoice-management');
    mock.script({ content: [text('Working.'), bash('true')] }, { content: [text('Done for now.')] });
    await s.run('/do-task invoice-management 1.1');
    // Replay the lag: cut the transcript back to before the last assistant message, run the Stop
    // hook on it, then let the message "arrive" and run the next hook.
    const { cutLastAssistantMessage, runHook } = await import('./support/hooks.js');
    const restore = cutLastAssistantMessage(p, s.sid);
    runHook(p, 'Stop', s.sid);
    restore();
    mock.script({ content: [text('More.')] });
    await s.run('one more thing');
    expect(tokenFields(p.costJson().tasks.find((t) => t.taskId === '1.1')!)).toEqual(sumReplies(mock.replies));
  });
});
