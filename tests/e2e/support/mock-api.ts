/**
 * Loopback mock of the Anthropic Messages API, good enough to drive the real
 * Claude Code CLI (2.1.331) headless or interactively.
 *
 * - `POST /v1/messages` (streaming SSE or plain JSON), `POST /v1/messages/count_tokens`.
 * - Anything else: 404, recorded in `unhandled`.
 * - Replies come from a script (a queue). Each scripted reply may carry `match(req)`;
 *   a request takes the FIRST queued reply whose matcher accepts it (the default matcher
 *   accepts every request). Requests no scripted reply accepts get a default text reply
 *   with its own, distinct usage.
 * - Every reply sent is recorded (`replies`), with a unique `msg_mock_<n>` message id and
 *   `req_mock_<n>` request id (sent in the `request-id` header, as the real API does;
 *   Claude Code writes it into the transcript as `requestId`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TextBlock {
  type: 'text';
  text: string;
}
export interface ToolUseBlock {
  type: 'tool_use';
  id?: string;
  name: string;
  input: Record<string, unknown>;
}
export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature?: string;
}
export type Block = TextBlock | ToolUseBlock | ThinkingBlock;

export interface MockUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export interface MockRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (whatever the CLI sent). */
  body: any;
  model: string;
  stream: boolean;
  toolNames: string[];
  hasTools: boolean;
  systemText: string;
  messageCount: number;
  /** Text of the last user message (all text parts joined). */
  lastUserText: string;
  /** Whole body serialised, handy for `includes` checks. */
  raw: string;
}

export interface ScriptedReply {
  content: Block[];
  usage?: Partial<MockUsage>;
  model?: string;
  stop_reason?: string;
  /** Only requests for which this returns true may take this reply. */
  match?: (req: MockRequest) => boolean;
  /** Free label, copied into the record. */
  label?: string;
}

export interface RecordedReply {
  /** 1-based order in which replies were sent. */
  n: number;
  messageId: string;
  requestId: string;
  model: string;
  usage: MockUsage;
  content: Block[];
  stop_reason: string;
  scripted: boolean;
  label?: string;
  request: {
    model: string;
    stream: boolean;
    hasTools: boolean;
    toolNames: string[];
    systemLength: number;
    messageCount: number;
    lastUserText: string;
  };
  /** Full request body, kept in memory for assertions. */
  requestBody: any;
}

export interface UnhandledRequest {
  method: string;
  url: string;
  body: string;
}

export interface UsageTotals {
  replies: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  ephemeral_5m_input_tokens: number;
  ephemeral_1h_input_tokens: number;
}

export interface MockApi {
  url: string;
  port: number;
  /** Queue more scripted replies. */
  script(...replies: ScriptedReply[]): void;
  /** Scripted replies not yet used. */
  pending(): ScriptedReply[];
  replies: RecordedReply[];
  countTokensCalls: any[];
  unhandled: UnhandledRequest[];
  totals(filter?: (r: RecordedReply) => boolean): UsageTotals;
  totalsByModel(filter?: (r: RecordedReply) => boolean): Record<string, UsageTotals>;
  /** Forget recorded replies and the queue (message/request counters keep running). */
  reset(): void;
  close(): Promise<void>;
}

export interface MockOptions {
  /** Default usage for the n-th reply (1-based). */
  defaultUsage?: (n: number) => MockUsage;
  /** Default text for a reply nobody scripted. */
  defaultText?: (n: number, req: MockRequest) => string;
  /** Delay between SSE events, ms (default 0). */
  eventDelayMs?: number;
}

export function defaultUsageFor(n: number): MockUsage {
  const write = 2000 + n;
  return {
    input_tokens: 1000 + n,
    output_tokens: 50 + n,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: 3000 + n,
    cache_creation: { ephemeral_5m_input_tokens: write, ephemeral_1h_input_tokens: 0 },
  };
}

// ---------------------------------------------------------------- helpers for tests

export const text = (t: string): TextBlock => ({ type: 'text', text: t });

export const toolUse = (name: string, input: Record<string, unknown>, id?: string): ToolUseBlock =>
  id === undefined ? { type: 'tool_use', name, input } : { type: 'tool_use', id, name, input };

export const bash = (command: string, description = 'Run a command'): ToolUseBlock =>
  toolUse('Bash', { command, description });

export const write = (file_path: string, content: string): ToolUseBlock => toolUse('Write', { file_path, content });

export const edit = (file_path: string, old_string: string, new_string: string): ToolUseBlock =>
  toolUse('Edit', { file_path, old_string, new_string, replace_all: false });

/** Subagent launch. 2.1.331 offers `Agent`; ≤2.1.56 called it `Task`. */
export const agent = (description: string, prompt: string, toolName = 'Agent'): ToolUseBlock =>
  toolUse(toolName, { description, prompt, subagent_type: 'general-purpose', run_in_background: false });

/** Matchers. */
export const hasTool = (name: string) => (req: MockRequest) => req.toolNames.includes(name);
export const lastUserIncludes = (s: string) => (req: MockRequest) => req.lastUserText.includes(s);
export const bodyIncludes = (s: string) => (req: MockRequest) => req.raw.includes(s);
/**
 * Requests a subagent makes. Verified on 2.1.331: a general-purpose subagent IS offered `Agent`,
 * but not `Workflow` / `ScheduleWakeup`, which the main thread always gets (its system prompt is
 * also about half as long).
 */
export const isSubagentRequest = (req: Pick<MockRequest, 'hasTools' | 'toolNames'>) =>
  req.hasTools && !req.toolNames.includes('Workflow') && !req.toolNames.includes('ScheduleWakeup');
/** Requests of the main thread (see isSubagentRequest). */
export const isMainThreadRequest = (req: Pick<MockRequest, 'hasTools' | 'toolNames'>) =>
  req.hasTools && !isSubagentRequest(req);
/** Compaction ("summarise the conversation") requests. */
export const isCompactRequest = (req: MockRequest) =>
  /create a detailed summary of the conversation|summary of the conversation so far|Your task is to create a detailed summary/i.test(
    req.lastUserText,
  );

// ---------------------------------------------------------------- server

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: any) => (p && typeof p === 'object' && typeof p.text === 'string' ? p.text : ''))
    .filter(Boolean)
    .join('\n');
}

function describe(path: string, headers: IncomingMessage['headers'], raw: string): MockRequest {
  let body: any = {};
  try {
    body = raw ? JSON.parse(raw) : {};
  } catch {
    body = { unparsable: raw };
  }
  const tools: any[] = Array.isArray(body?.tools) ? body.tools : [];
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  let lastUserText = '';
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') {
      lastUserText = textOf(messages[i].content);
      break;
    }
  }
  return {
    path,
    headers,
    body,
    model: typeof body?.model === 'string' ? body.model : 'claude-mock',
    stream: body?.stream === true,
    toolNames: tools.map((t) => String(t?.name ?? '')),
    hasTools: tools.length > 0,
    systemText: textOf(body?.system),
    messageCount: messages.length,
    lastUserText,
    raw,
  };
}

function fullUsage(n: number, partial: Partial<MockUsage> | undefined, defaults: (n: number) => MockUsage): MockUsage {
  const d = defaults(n);
  const u: MockUsage = {
    input_tokens: partial?.input_tokens ?? d.input_tokens,
    output_tokens: partial?.output_tokens ?? d.output_tokens,
    cache_creation_input_tokens: partial?.cache_creation_input_tokens ?? d.cache_creation_input_tokens,
    cache_read_input_tokens: partial?.cache_read_input_tokens ?? d.cache_read_input_tokens,
  };
  u.cache_creation = partial?.cache_creation ?? {
    ephemeral_5m_input_tokens: u.cache_creation_input_tokens,
    ephemeral_1h_input_tokens: 0,
  };
  return u;
}

function apiUsage(u: MockUsage, outputTokens: number) {
  return {
    input_tokens: u.input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
    cache_creation: u.cache_creation,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startMockApi(options: MockOptions = {}): Promise<MockApi> {
  const defaults = options.defaultUsage ?? defaultUsageFor;
  const defaultText = options.defaultText ?? ((n: number) => `Mock default reply ${n}.`);
  const delay = options.eventDelayMs ?? 0;
  let queue: ScriptedReply[] = [];
  const replies: RecordedReply[] = [];
  const countTokensCalls: any[] = [];
  const unhandled: UnhandledRequest[] = [];
  let counter = 0;
  let toolCounter = 0;

  function take(req: MockRequest): ScriptedReply | undefined {
    const i = queue.findIndex((r) => (r.match ? r.match(req) : true));
    if (i < 0) return undefined;
    return queue.splice(i, 1)[0];
  }

  async function handleMessages(req: MockRequest, res: ServerResponse) {
    const n = ++counter;
    const scripted = take(req);
    const content: Block[] = (scripted?.content ?? [text(defaultText(n, req))]).map((b) =>
      b.type === 'tool_use' && !b.id ? { ...b, id: `toolu_mock_${++toolCounter}` } : b,
    );
    const usage = fullUsage(n, scripted?.usage, defaults);
    const model = scripted?.model ?? req.model;
    const stop_reason = scripted?.stop_reason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
    const messageId = `msg_mock_${n}`;
    const requestId = `req_mock_${n}`;
    const record: RecordedReply = {
      n,
      messageId,
      requestId,
      model,
      usage,
      content,
      stop_reason,
      scripted: scripted !== undefined,
      request: {
        model: req.model,
        stream: req.stream,
        hasTools: req.hasTools,
        toolNames: req.toolNames,
        systemLength: req.systemText.length,
        messageCount: req.messageCount,
        lastUserText: req.lastUserText,
      },
      requestBody: req.body,
    };
    if (scripted?.label !== undefined) record.label = scripted.label;
    replies.push(record);

    const headers = { 'request-id': requestId, 'anthropic-request-id': requestId };
    if (!req.stream) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: messageId,
          type: 'message',
          role: 'assistant',
          model,
          content,
          stop_reason,
          stop_sequence: null,
          usage: apiUsage(usage, usage.output_tokens),
        }),
      );
      return;
    }

    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const send = async (event: string, data: unknown) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (delay > 0) await sleep(delay);
    };
    await send('message_start', {
      type: 'message_start',
      message: {
        id: messageId,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // Like the real API: input/cache counts final, output_tokens a small placeholder.
        usage: apiUsage(usage, 1),
      },
    });
    await send('ping', { type: 'ping' });
    for (const [index, b] of content.entries()) {
      if (b.type === 'text') {
        await send('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'text', text: '' },
        });
        await send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: b.text },
        });
      } else if (b.type === 'thinking') {
        await send('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        });
        await send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'thinking_delta', thinking: b.thinking },
        });
        await send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'signature_delta', signature: b.signature ?? 'mock-signature' },
        });
      } else {
        await send('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} },
        });
        await send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) },
        });
      }
      await send('content_block_stop', { type: 'content_block_stop', index });
    }
    await send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason, stop_sequence: null },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
      },
    });
    await send('message_stop', { type: 'message_stop' });
    res.end();
  }

  const server: Server = createServer(async (req, res) => {
    try {
      const raw = await readBody(req);
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (req.method === 'POST' && path === '/v1/messages') {
        await handleMessages(describe(path, req.headers, raw), res);
        return;
      }
      if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
        let body: any = {};
        try {
          body = JSON.parse(raw);
        } catch {
          /* keep {} */
        }
        countTokensCalls.push(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ input_tokens: 100 }));
        return;
      }
      unhandled.push({ method: req.method ?? '?', url: req.url ?? '?', body: raw.slice(0, 2000) });
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'error',
          error: { type: 'not_found_error', message: `mock: no route ${req.method} ${req.url}` },
        }),
      );
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(err) } }));
    }
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const sum = (list: RecordedReply[]): UsageTotals => {
    const t: UsageTotals = {
      replies: 0,
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: 0,
    };
    for (const r of list) {
      t.replies++;
      t.input_tokens += r.usage.input_tokens;
      t.output_tokens += r.usage.output_tokens;
      t.cache_creation_input_tokens += r.usage.cache_creation_input_tokens;
      t.cache_read_input_tokens += r.usage.cache_read_input_tokens;
      t.ephemeral_5m_input_tokens += r.usage.cache_creation?.ephemeral_5m_input_tokens ?? 0;
      t.ephemeral_1h_input_tokens += r.usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
    }
    return t;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    script: (...r) => {
      queue.push(...r);
    },
    pending: () => [...queue],
    replies,
    countTokensCalls,
    unhandled,
    totals: (filter) => sum(filter ? replies.filter(filter) : replies),
    totalsByModel: (filter) => {
      const by: Record<string, RecordedReply[]> = {};
      for (const r of filter ? replies.filter(filter) : replies) (by[r.model] ??= []).push(r);
      return Object.fromEntries(Object.entries(by).map(([m, l]) => [m, sum(l)]));
    },
    reset: () => {
      queue = [];
      replies.length = 0;
      countTokensCalls.length = 0;
      unhandled.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
