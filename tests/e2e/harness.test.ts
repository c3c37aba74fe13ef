/**
 * Proves the e2e harness: the REAL Claude Code CLI (pinned devDependency) runs against the
 * loopback mock, and what it writes to its transcripts matches what the mock returned.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agent,
  bash,
  isCompactRequest,
  isSubagentRequest,
  isMainThreadRequest,
  startMockApi,
  text,
  type MockApi,
  type UsageTotals,
} from './support/mock-api.js';
import {
  claudeBin,
  makeScratchHome,
  mungePath,
  projectTranscriptDir,
  readJsonl,
  runClaude,
  subagentFiles,
  transcriptPath,
  type Scratch,
} from './support/claude.js';

const TIMEOUT = 60_000;

/** Sum assistant usage over transcript files, counting each (message.id, requestId) once. */
function transcriptTotals(files: string[]): UsageTotals {
  const seen = new Map<string, any>();
  for (const f of files) {
    for (const l of readJsonl(f)) {
      if (l.type !== 'assistant' || !l.message?.usage || l.message.model === '<synthetic>') continue;
      const key = `${l.message.id}|${l.requestId ?? ''}`;
      const prev = seen.get(key);
      const u = l.message.usage;
      if (!prev) seen.set(key, { ...u });
      else
        for (const k of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'])
          prev[k] = Math.max(prev[k] ?? 0, u[k] ?? 0);
    }
  }
  const t: UsageTotals = {
    replies: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    ephemeral_5m_input_tokens: 0,
    ephemeral_1h_input_tokens: 0,
  };
  for (const u of seen.values()) {
    t.replies++;
    t.input_tokens += u.input_tokens ?? 0;
    t.output_tokens += u.output_tokens ?? 0;
    t.cache_creation_input_tokens += u.cache_creation_input_tokens ?? 0;
    t.cache_read_input_tokens += u.cache_read_input_tokens ?? 0;
    t.ephemeral_5m_input_tokens += u.cache_creation?.ephemeral_5m_input_tokens ?? 0;
    t.ephemeral_1h_input_tokens += u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  }
  return t;
}

function costStates(file: string): any[] {
  return readJsonl(file).filter((l) => l.type === 'cost-state');
}

/** Last cost-state of a file, as the mock's UsageTotals (single model). */
function lastCostState(file: string, model: string) {
  const cs = costStates(file).at(-1);
  const m = cs?.modelUsage?.[model];
  return m
    ? {
        input_tokens: m.inputTokens,
        output_tokens: m.outputTokens,
        cache_creation_input_tokens: m.cacheCreationInputTokens,
        cache_read_input_tokens: m.cacheReadInputTokens,
      }
    : undefined;
}

const pick = (t: UsageTotals) => ({
  input_tokens: t.input_tokens,
  output_tokens: t.output_tokens,
  cache_creation_input_tokens: t.cache_creation_input_tokens,
  cache_read_input_tokens: t.cache_read_input_tokens,
});

describe('e2e harness: real Claude Code CLI against the loopback mock', () => {
  let mock: MockApi;
  let s: Scratch;

  beforeAll(async () => {
    expect(existsSync(claudeBin), `${claudeBin} missing: run npm install`).toBe(true);
    mock = await startMockApi();
  });
  const scratches: Scratch[] = [];
  const scratch = () => {
    const x = makeScratchHome();
    scratches.push(x);
    return x;
  };
  afterAll(async () => {
    await mock?.close();
    if (!process.env.E2E_KEEP) for (const x of scratches) rmSync(x.root, { recursive: true, force: true });
  });

  const run = (prompt: string, extra: Partial<Parameters<typeof runClaude>[0]> = {}) =>
    runClaude({ cwd: s.project, home: s.home, baseUrl: mock.url, prompt, ...extra });

  it('one prompt, one two-block text reply: transcript usage == what the mock sent', { timeout: TIMEOUT }, async () => {
    mock.reset();
    s = scratch();
    const sessionId = randomUUID();
    mock.script({
      content: [text('Hello from the mock.'), text('A second block.')],
      usage: { input_tokens: 11, output_tokens: 22, cache_creation_input_tokens: 33, cache_read_input_tokens: 44 },
    });
    const r = await run('say hello', { sessionId });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json?.session_id).toBe(sessionId);
    expect(typeof r.json?.total_cost_usd).toBe('number');
    expect(r.json?.result).toBe('A second block.');
    expect(mock.replies).toHaveLength(1);
    expect(mock.unhandled).toEqual([]);

    const file = transcriptPath(s.home, s.project, sessionId);
    expect(file).toBe(`${s.home}/.claude/projects/${mungePath(s.project)}/${sessionId}.jsonl`);
    expect(existsSync(file)).toBe(true);

    const assistant = readJsonl(file).filter((l) => l.type === 'assistant');
    expect(assistant).toHaveLength(2); // one line per content block
    for (const l of assistant) {
      expect(l.message.id).toBe('msg_mock_1');
      expect(l.requestId).toBe('req_mock_1');
      expect(l.sessionId).toBe(sessionId);
    }
    expect(pick(transcriptTotals([file]))).toEqual(pick(mock.totals()));
    expect(lastCostState(file, mock.replies[0]!.model)).toEqual(pick(mock.totals()));
    expect(r.json?.usage).toMatchObject(pick(mock.totals()));
  });

  it('Bash tool_use round trip', { timeout: TIMEOUT }, async () => {
    mock.reset();
    s = scratch();
    mock.script({ content: [text('Running it.'), bash('echo hi')] }, { content: [text('It printed hi.')] });
    const r = await run('run echo hi');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json?.result).toBe('It printed hi.');
    expect(mock.replies).toHaveLength(2);
    // The second request carries the tool result.
    const second = JSON.stringify(mock.replies[1]!.requestBody);
    expect(second).toContain('"tool_result"');
    expect(second).toMatch(/"content":"hi"/);

    const file = transcriptPath(s.home, s.project, r.json!.session_id);
    const lines = readJsonl(file);
    const toolResult = lines.find(
      (l) => l.type === 'user' && Array.isArray(l.message?.content) && l.message.content[0]?.type === 'tool_result',
    );
    expect(toolResult?.message.content[0].content).toBe('hi');
    expect(pick(transcriptTotals([file]))).toEqual(pick(mock.totals()));
    expect(lastCostState(file, mock.replies[0]!.model)).toEqual(pick(mock.totals()));
  });

  it('subagent round trip writes <session>/subagents/agent-<id>.jsonl', { timeout: TIMEOUT }, async () => {
    mock.reset();
    s = scratch();
    mock.script(
      { label: 'main-1', content: [text('Delegating.'), agent('Echo task', 'Run echo sub and report.')] },
      { label: 'sub-1', content: [text('Subagent running.'), bash('echo sub')] },
      { label: 'sub-2', content: [text('Subagent done.'), text('It printed sub.')] },
      { label: 'main-2', content: [text('The subagent reported sub.')] },
    );
    const r = await run('delegate to a subagent');
    expect(r.code, r.stderr).toBe(0);
    expect(mock.replies.map((x) => x.label)).toEqual(['main-1', 'sub-1', 'sub-2', 'main-2']);
    expect(mock.replies[0]!.request.toolNames).toContain('Agent');
    expect(mock.replies.map((x) => isSubagentRequest(x.request))).toEqual([false, true, true, false]);
    expect(mock.replies.filter((x) => isMainThreadRequest(x.request)).map((x) => x.label)).toEqual([
      'main-1',
      'main-2',
    ]);
    expect(mock.pending()).toHaveLength(0);

    const sid = r.json!.session_id;
    const main = transcriptPath(s.home, s.project, sid);
    const subs = subagentFiles(s.home, s.project, sid);
    const jsonl = subs.filter((f) => /agent-[a-z0-9]+\.jsonl$/.test(f));
    expect(jsonl).toHaveLength(1);
    expect(subs.some((f) => f.endsWith('.meta.json'))).toBe(true);

    const subLines = readJsonl(jsonl[0]!).filter((l) => l.type === 'assistant');
    expect(subLines.length).toBe(4);
    for (const l of subLines) {
      expect(l.sessionId).toBe(sid); // the parent's session id
      expect(l.isSidechain).toBe(true);
      expect(typeof l.agentId).toBe('string');
    }
    // Main file holds the main thread only; main + subagent files hold everything.
    expect(transcriptTotals([main]).replies).toBe(2);
    expect(pick(transcriptTotals([main, ...jsonl]))).toEqual(pick(mock.totals()));
    expect(lastCostState(main, mock.replies[0]!.model)).toEqual(pick(mock.totals()));
    expect(r.json?.modelUsage[mock.replies[0]!.model]?.inputTokens).toBe(mock.totals().input_tokens);
  });

  it('/compact on a resumed session: cost-state counts the unwritten summary call', { timeout: TIMEOUT }, async () => {
    mock.reset();
    s = scratch();
    const sessionId = randomUUID();
    mock.script({ label: 'turn-1', content: [text('First answer.')] });
    expect((await run('first question', { sessionId })).code).toBe(0);

    mock.script({
      label: 'compact',
      match: isCompactRequest,
      content: [text('<summary>A first question was answered.</summary>')],
    });
    const c = await run('/compact', { resume: sessionId });
    expect(c.code, c.stderr).toBe(0);
    expect(c.json?.session_id).toBe(sessionId);
    expect(mock.replies.map((x) => x.label)).toEqual(['turn-1', 'compact']);

    mock.script({ label: 'turn-2', content: [text('After compaction.')] });
    expect((await run('second question', { resume: sessionId })).code).toBe(0);

    const file = transcriptPath(s.home, s.project, sessionId);
    const lines = readJsonl(file);
    expect(lines.some((l) => l.type === 'system' && l.subtype === 'compact_boundary')).toBe(true);
    expect(lines.some((l) => l.type === 'user' && l.isCompactSummary === true)).toBe(true);

    const model = mock.replies[0]!.model;
    const states = costStates(file);
    expect(states).toHaveLength(3); // one per run, same file
    const compactCall = mock.replies.find((x) => x.label === 'compact')!;
    // The summary call is not an assistant line...
    expect(lines.some((l) => l.type === 'assistant' && l.message?.id === compactCall.messageId)).toBe(false);
    expect(pick(transcriptTotals([file]))).toEqual(pick(mock.totals((x) => x.label !== 'compact')));
    // ...but cost-state counts it: last cost-state == everything the mock returned.
    expect(lastCostState(file, model)).toEqual(pick(mock.totals()));
    expect(states[1].modelUsage[model].inputTokens - states[0].modelUsage[model].inputTokens).toBe(
      compactCall.usage.input_tokens,
    );
    expect(readFileSync(file, 'utf8')).toContain('<command-name>/compact</command-name>');
    expect(projectTranscriptDir(s.home, s.project)).toContain(mungePath(s.project));
  });
});
