#!/usr/bin/env node
// Measures Claude Code's own price table (src/pricing/price-tables.ts: claudeCodeTable) with the
// pinned CLI: one `claude -p` run per model and token kind against a loopback mock that reports
// 1,000,000 tokens of that kind; `total_cost_usd` is then the rate in USD per million tokens.
// Not a vitest test (slow, needs the native binary). Run again when the pinned CLI changes:
//   node tests/pricing/measure-claude-code-prices.mjs [--fast] [model ...]
// A cell marked "?" means Claude Code warned `unrecognized_model` (it still bills its default rates).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLAUDE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../node_modules/@anthropic-ai/claude-code/bin/claude.exe',
);
const M = 1_000_000;
const KINDS = {
  input: { input_tokens: M },
  output: { output_tokens: M },
  cacheWrite5m: {
    cache_creation_input_tokens: M,
    cache_creation: { ephemeral_5m_input_tokens: M, ephemeral_1h_input_tokens: 0 },
  },
  cacheWrite1h: {
    cache_creation_input_tokens: M,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: M },
  },
  cacheRead: { cache_read_input_tokens: M },
};
const args = process.argv.slice(2);
const fast = args.includes('--fast');
const models = args.filter((a) => a !== '--fast');
if (models.length === 0)
  models.push('claude-opus-5-5', 'claude-opus-4-6', 'claude-sonnet-4-5-20250929', 'claude-nonexistent-9');

let usage = {};
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) return void res.writeHead(404).end('{}');
    const model = JSON.parse(body || '{}').model;
    const full = {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      ...usage,
      ...(fast ? { speed: 'fast' } : {}),
    };
    const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    send('message_start', {
      message: {
        id: `msg_${Date.now()}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: full,
      },
    });
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'ok' } });
    send('content_block_stop', { index: 0 });
    send('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: full });
    send('message_stop', {});
    res.end();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;

function costOf(model) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-price-'));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`,
    ANTHROPIC_API_KEY: 'sk-test',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
  };
  // Async spawn: the mock server runs in this process, a sync spawn would block it.
  return new Promise((resolve) => {
    const child = spawn(CLAUDE, ['-p', 'hi', '--model', model, '--output-format', 'json'], {
      cwd: home,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', () => {
      fs.rmSync(home, { recursive: true, force: true });
      let cost = 'ERR';
      try {
        cost = String(JSON.parse(out).total_cost_usd);
      } catch {
        /* keep ERR */
      }
      resolve(err.includes('unrecognized_model') ? `${cost}?` : cost);
    });
  });
}

console.log(`model | ${Object.keys(KINDS).join(' | ')}${fast ? ' (fast)' : ''}`);
for (const model of models) {
  const cells = [];
  for (const kind of Object.values(KINDS)) {
    usage = kind;
    cells.push(await costOf(model));
  }
  console.log(`${model} | ${cells.join(' | ')}`);
}
server.close();
