#!/usr/bin/env node
// Appends one small Claude Code 2.1.331 turn (2 API calls, 8 lines, ~4 KB) to a transcript, as
// the CLI would between two hook invocations. Used as hyperfine's --prepare step by bench/hook.mjs.
//
//   node bench/append-turn.mjs <transcript.jsonl> <sessionId> <cwd>
import fs from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';

const [file, sessionId, cwd] = process.argv.slice(2);
if (!file || !sessionId || !cwd) {
  console.error('usage: append-turn.mjs <transcript.jsonl> <sessionId> <cwd>');
  process.exit(2);
}
const b62 = (n) => {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(n)].map((x) => A[x % 62]).join('');
};
let t = Date.now();
let parent = null;
const tail = { userType: 'external', entrypoint: 'cli', cwd, sessionId, version: '2.1.331', gitBranch: 'main' };
const lines = [];
const push = (o) => {
  lines.push(JSON.stringify(o));
  if (o.uuid) parent = o.uuid;
};
const promptId = randomUUID();
push({
  type: 'queue-operation',
  operation: 'enqueue',
  timestamp: new Date(t).toISOString(),
  sessionId,
  content: 'run the tests',
});
push({
  parentUuid: parent,
  isSidechain: false,
  promptId,
  type: 'user',
  message: { role: 'user', content: 'run the tests' },
  uuid: randomUUID(),
  timestamp: new Date(t).toISOString(),
  ...tail,
});
const call = (blocks, stop) => {
  const id = `msg_01${b62(22)}`;
  const requestId = `req_011C${b62(20)}`;
  const requestRef = randomUUID();
  t += 1500;
  push({
    type: 'api-request',
    id: requestRef,
    timestamp: new Date(t - 1000).toISOString(),
    sessionId,
    model: 'claude-opus-5-5',
    querySource: 'repl_main_thread',
  });
  const usage = {
    input_tokens: 3,
    cache_creation_input_tokens: 812,
    cache_read_input_tokens: 41230,
    output_tokens: 164,
    output_tokens_details: { thinking_tokens: 0 },
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: 'standard',
    cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 812 },
    inference_geo: '',
    iterations: [],
    speed: 'standard',
    fallback_credit: null,
  };
  for (const [i, block] of blocks.entries())
    push({
      parentUuid: parent,
      isSidechain: false,
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-5-5',
        content: [block],
        stop_reason: stop,
        stop_sequence: null,
        usage,
        stop_details: null,
      },
      apiBlockIndex: i,
      requestId,
      requestRef,
      requestedModel: 'claude-opus-5-5',
      promptCacheRequested: '5m',
      type: 'assistant',
      uuid: randomUUID(),
      timestamp: new Date(t + i).toISOString(),
      effort: 'medium',
      perTurnEffort: 'medium',
      madeBy: 'model',
      ...tail,
    });
};
const toolId = `toolu_01${b62(22)}`;
call(
  [
    { type: 'text', text: 'Running the test suite now.' },
    { type: 'tool_use', id: toolId, name: 'Bash', input: { command: 'npm test', description: 'Run the tests' } },
  ],
  'tool_use',
);
const out = 'PASS tests/invoice.test.ts\n'.repeat(40);
push({
  parentUuid: parent,
  isSidechain: false,
  promptId,
  type: 'user',
  message: { role: 'user', content: [{ tool_use_id: toolId, type: 'tool_result', content: out }] },
  uuid: randomUUID(),
  timestamp: new Date(t + 800).toISOString(),
  toolUseResult: { stdout: out, stderr: '', interrupted: false, isImage: false, noOutputExpected: false },
  sourceToolAssistantUUID: parent,
  ...tail,
});
call([{ type: 'text', text: 'All 40 tests pass.' }], 'end_turn');
fs.appendFileSync(file, `${lines.join('\n')}\n`);
