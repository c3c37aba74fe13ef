import type { ApiCall, CostState } from '../usage/api-call.js';
import { zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { LineFields } from './line-fields.js';
import { parseAssistantRow, parseCostStateRow, type AssistantRow, type CostStateRow } from './rows.js';
import { parseTime } from './parse-time.js';

/** What one pass over transcript bytes found. Only counts and ids: no content is kept. */
export interface Extracted {
  calls: ApiCall[];
  costStates: CostState[];
  /** Times of compact_boundary lines: the compaction call itself is never written as a line. */
  compactions: number[];
  /** `/do-task` prompts as the transcript records them (so a binding a failed hook missed can be recovered). */
  taskCommands: Array<{ time: number; args: string[] }>;
  /** File offsets of those lines, of the cost-state lines and of the calls' lines, in array order. */
  compactionOffsets: number[];
  costStateOffsets: number[];
  callOffsets: number[];
  /**
   * Copies of subagent calls embedded in `progress` lines (2.1.3x `agent_progress`), with the
   * offsets of those lines. The subagent's own file usually holds the same calls (same ids); when
   * it is gone, these copies are all that is left. Not in `calls`: a reader decides.
   */
  embeddedCalls: ApiCall[];
  embeddedCallOffsets: number[];
  /** Claude Code versions (`version` of the lines read that hold a call), in order of first appearance. */
  versions: string[];
  /** Lines that could hold usage but did not parse, did not fit the schema, or had an impossible time. */
  malformed: number;
}

export function emptyExtracted(): Extracted {
  return {
    calls: [],
    costStates: [],
    compactions: [],
    taskCommands: [],
    compactionOffsets: [],
    costStateOffsets: [],
    callOffsets: [],
    embeddedCalls: [],
    embeddedCallOffsets: [],
    versions: [],
    malformed: 0,
  };
}

export interface ExtractOptions {
  /** Look for `/do-task` prompts (hooks do; `report` does not need them). Default true. */
  taskCommands?: boolean;
  /**
   * Takes each call (embedded: from a progress line) as it is read, instead of `calls` and
   * `embeddedCalls`: a reader that folds copies at once keeps nothing per copy (a 200 MB transcript
   * holds tens of thousands of them).
   */
  onCall?: (call: ApiCall, embedded: boolean, offset: number) => void;
}

// Markers without their leading quote: `"` is the commonest byte in JSON. `"usage"` without the
// colon and brace, so pretty-printed lines are not missed; `"modelUsage"` does not match (capital U).
const USAGE_MARK = Buffer.from('usage"');
const COST_STATE_MARK = Buffer.from('cost-state"');
const COMPACT_MARK = Buffer.from('compact_boundary"');
// `<command-name>/do-task</command-name>` (or `/spec-session:do-task` from the plugin).
const DO_TASK_MARK = Buffer.from('do-task</command-name>');

/** Line types that never hold a call, a cost-state or a compaction: classified by their head alone. */
const NOTHING_TO_COUNT = new Set([
  'file-history-snapshot',
  'queue-operation',
  'attachment',
  'last-prompt',
  'tools-used',
  'summary',
  'api-request',
  'api-request-shape',
  'api-request-blob',
  'atis-latch',
  'custom-title',
  'tag',
  'agent-name',
  'permission-mode',
  'pr-link',
]);

const fields = new LineFields();

/**
 * Visits each whole line of `buf[start, end)` (a newline ends a line) and takes what it holds.
 * Most lines are classified by their first bytes (`LineFields.head`); an assistant line's fields
 * come from its head and its end; anything unexpected is parsed whole with JSON.parse.
 */
export function extractFromLines(
  buf: Buffer,
  start: number,
  end: number,
  into: Extracted,
  fileOffset = 0,
  options: ExtractOptions = {},
): void {
  const tasks = options.taskCommands !== false;
  onCall = options.onCall;
  try {
    let s = start;
    while (s < end) {
      let e = buf.indexOf(10, s);
      if (e < 0 || e > end) e = end;
      if (e > s) takeLine(buf, s, e, into, fileOffset + s, tasks);
      s = e + 1;
    }
  } finally {
    onCall = undefined;
  }
}

/** The caller's onCall while extractFromLines runs (it is synchronous). */
let onCall: ExtractOptions['onCall'];

// A `/do-task` prompt line is small: its command sits at the start of the message.
const TASK_WINDOW = 8192;

function takeLine(buf: Buffer, s: number, e: number, into: Extracted, offset: number, tasks: boolean): void {
  const stop = fields.head(buf, s, e);
  if (stop === 'message') {
    const call = fields.assistantCall(buf, e);
    if (call === 'invalid') into.malformed++;
    else if (call) takeCall(call, fields.version, into, offset, false);
    else if (call === null) takeWhole(buf, s, e, into, offset);
    return;
  }
  if (stop === 'typed' || (stop !== 'bad' && typeof fields.type === 'string')) {
    const type = fields.type!;
    if (type === 'user') {
      if (tasks && has(buf, s, Math.min(e, s + TASK_WINDOW), DO_TASK_MARK, [0x2f, 0x3a]))
        takeTaskCommand(line(buf, s, e), into);
      return;
    }
    if (NOTHING_TO_COUNT.has(type)) return;
  }
  if (stop === 'closed' && fields.type === undefined) return; // a small object with no type at all
  takeWhole(buf, s, e, into, offset);
}

/** A line whose head did not settle it: parse it whole if it holds one of the markers. */
function takeWhole(buf: Buffer, s: number, e: number, into: Extracted, offset: number): void {
  if (has(buf, s, e, USAGE_MARK)) takeAssistantLine(line(buf, s, e), into, offset);
  else if (has(buf, s, e, COST_STATE_MARK)) takeCostStateLine(line(buf, s, e), into, offset);
  else if (has(buf, s, e, COMPACT_MARK)) takeCompactLine(line(buf, s, e), into, offset);
}

const line = (buf: Buffer, s: number, e: number) => buf.toString('utf8', s, e);

/** Whether `buf[s, e)` holds `mark` right after one of the `before` bytes (a quote by default). */
function has(buf: Buffer, s: number, e: number, mark: Buffer, before: number[] = [0x22]): boolean {
  const region = buf.subarray(s, e);
  for (let from = 0; ; ) {
    const hit = region.indexOf(mark, from);
    if (hit < 0) return false;
    if (hit > 0 && before.includes(region[hit - 1]!)) return true;
    from = hit + 1;
  }
}

function takeTaskCommand(text: string, into: Extracted): void {
  const row = parseJson(text) as { type?: unknown; timestamp?: unknown; message?: { content?: unknown } } | undefined;
  if (row?.type !== 'user' || typeof row.timestamp !== 'string') return;
  const content = row.message?.content;
  const body =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((c: { text?: unknown }) => (typeof c?.text === 'string' ? c.text : '')).join('\n')
        : '';
  if (!/<command-name>\/(?:spec-session:)?do-task<\/command-name>/.test(body)) return;
  const args = /<command-args>([\s\S]*?)<\/command-args>/.exec(body)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
  const time = parseTime(row.timestamp);
  if (!Number.isNaN(time)) into.taskCommands.push({ time, args });
}

function takeCompactLine(text: string, into: Extracted, offset: number): void {
  const row = parseJson(text) as Record<string, unknown> | undefined;
  if (row?.type !== 'system' || row.subtype !== 'compact_boundary' || typeof row.timestamp !== 'string') return;
  const time = parseTime(row.timestamp);
  if (Number.isNaN(time)) return;
  into.compactions.push(time);
  into.compactionOffsets.push(offset);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // a malformed line: the caller counts it
  }
}

/** A line parsed whole: an assistant row, or a progress line that embeds one. */
export function takeAssistantLine(text: string, into: Extracted, offset = 0): void {
  const row = parseJson(text) as Record<string, unknown> | undefined;
  if (row === undefined || typeof row !== 'object' || row === null) {
    into.malformed++;
    return;
  }
  if (row.type === 'progress') {
    takeProgressLine(row, into, offset);
    return;
  }
  if (row.type !== 'assistant') return;
  const parsed = parseAssistantRow(row);
  if (!parsed) {
    into.malformed++;
    return;
  }
  takeRow(parsed, row.version, into, offset, false);
}

/** 2.1.3x `agent_progress`: `data.message` is a copy of a subagent's assistant line. */
function takeProgressLine(row: Record<string, unknown>, into: Extracted, offset: number): void {
  const data = row.data as { message?: unknown; agentId?: unknown } | null | undefined;
  const inner = data?.message as Record<string, unknown> | null | undefined;
  if (typeof inner !== 'object' || inner === null || inner.type !== 'assistant') return;
  const parsed = parseAssistantRow({
    timestamp: row.timestamp,
    sessionId: row.sessionId,
    agentId: data!.agentId,
    ...inner,
    isSidechain: true,
  });
  if (parsed) takeRow(parsed, row.version, into, offset, true);
}

function takeRow(row: AssistantRow, version: unknown, into: Extracted, offset: number, embedded: boolean): void {
  const call = toApiCall(row);
  if (call === 'invalid') into.malformed++;
  else if (call) takeCall(call, typeof version === 'string' ? version : null, into, offset, embedded);
}

function takeCall(
  call: ApiCall,
  version: string | null | undefined,
  into: Extracted,
  offset: number,
  embedded: boolean,
): void {
  if (onCall) onCall(call, embedded, offset);
  else if (embedded) {
    into.embeddedCalls.push(call);
    into.embeddedCallOffsets.push(offset);
  } else {
    into.calls.push(call);
    into.callOffsets.push(offset);
  }
  if (version && !into.versions.includes(version)) into.versions.push(version);
}

/** A call, undefined for a `<synthetic>` placeholder, 'invalid' for a time no calendar can show. */
export function toApiCall(row: AssistantRow): ApiCall | undefined | 'invalid' {
  const model = row.message.model ?? 'unknown';
  if (model === '<synthetic>') return undefined; // a local placeholder for an API error, not a billed call
  const time = parseTime(row.timestamp);
  if (Number.isNaN(time)) return 'invalid';
  return {
    messageId: row.message.id,
    requestId: row.requestId ?? null,
    time,
    model,
    sessionId: row.sessionId ?? null,
    agentId: row.agentId ?? null,
    sidechain: row.isSidechain,
    copiedFrom: row.requestSessionId !== null && row.requestSessionId !== row.sessionId ? row.requestSessionId : null,
    tokens: usageToTokens(row.message.usage),
    speed: row.message.usage.speed === 'fast' ? 'fast' : 'standard',
  };
}

export function usageToTokens(usage: AssistantRow['message']['usage']): TokenCounts {
  const tokens = zeroTokens();
  tokens.input = usage.input_tokens;
  tokens.output = usage.output_tokens;
  tokens.cacheRead = usage.cache_read_input_tokens;
  const split = usage.cache_creation;
  const oneHour = split?.ephemeral_1h_input_tokens ?? 0;
  const fiveMinutes = split?.ephemeral_5m_input_tokens ?? 0;
  // Older versions give only the total; whatever the split does not explain is a 5-minute write.
  tokens.cacheWrite1h = oneHour;
  tokens.cacheWrite5m = Math.max(fiveMinutes, usage.cache_creation_input_tokens - oneHour);
  return tokens;
}

function takeCostStateLine(text: string, into: Extracted, offset: number): void {
  const row = parseJson(text) as Record<string, unknown> | undefined;
  if (row === undefined || typeof row !== 'object' || row === null) {
    into.malformed++;
    return;
  }
  if (row.type !== 'cost-state') return;
  const parsed = parseCostStateRow(row);
  if (!parsed) {
    into.malformed++;
    return;
  }
  into.costStates.push(toCostState(parsed));
  into.costStateOffsets.push(offset);
}

function toCostState(row: CostStateRow): CostState {
  const models: Record<string, TokenCounts> = {};
  for (const [model, u] of Object.entries(row.modelUsage)) {
    const oneHour = Math.min(u.cacheCreation1hInputTokens, u.cacheCreationInputTokens);
    models[model] = {
      input: u.inputTokens,
      output: u.outputTokens,
      cacheWrite5m: u.cacheCreationInputTokens - oneHour,
      cacheWrite1h: oneHour,
      cacheRead: u.cacheReadInputTokens,
    };
  }
  const time = row.timestamp ? parseTime(row.timestamp) : NaN;
  return {
    sessionId: row.sessionId ?? null,
    time: Number.isNaN(time) ? null : time,
    models,
    totalCostUsd: row.totalCostUSD ?? null,
  };
}
