import type { ApiCall, CostState } from '../usage/api-call.js';
import { zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { parseAssistantRow, parseCostStateRow, type AssistantRow, type CostStateRow } from './rows.js';

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
  /** Lines that could hold usage but did not parse or did not fit the schema. */
  malformed: number;
}

export function emptyExtracted(): Extracted {
  return { calls: [], costStates: [], compactions: [], taskCommands: [], compactionOffsets: [], costStateOffsets: [], callOffsets: [], malformed: 0 };
}

// Markers without their leading quote: `"` is the commonest byte in JSON and makes a byte search
// slow; the quote before the hit is checked instead. `"usage"` without the colon and brace, so
// pretty-printed lines are not missed; `"modelUsage"` does not match (capital U).
const USAGE_MARK = Buffer.from('usage"');
const COST_STATE_MARK = Buffer.from('cost-state"');
const COMPACT_MARK = Buffer.from('compact_boundary"');
// `<command-name>/do-task</command-name>` (or `/spec-session:do-task` from the plugin); checked for
// its '/' or ':' the way the quote is for the other markers.
const DO_TASK_MARK = Buffer.from('do-task</command-name>');
const QUOTE = 0x22;

/**
 * Finds the lines of `buf[start, end)` worth parsing by searching for byte markers, so the bulk of
 * a transcript (tool results, file snapshots, progress lines without usage) is never parsed.
 */
export function extractFromLines(buf: Buffer, start: number, end: number, into: Extracted, fileOffset = 0): void {
  forEachLineWith(buf, start, end, USAGE_MARK, (line, at) => takeAssistantLine(line, into, fileOffset + at));
  forEachLineWith(buf, start, end, COST_STATE_MARK, (line, at) => takeCostStateLine(line, into, fileOffset + at));
  forEachLineWith(buf, start, end, COMPACT_MARK, (line, at) => takeCompactLine(line, into, fileOffset + at));
  forEachLineWith(buf, start, end, DO_TASK_MARK, (line) => takeTaskCommand(line, into), [0x2f, 0x3a]);
}

function takeTaskCommand(line: string, into: Extracted): void {
  const row = parseJson(line) as { type?: unknown; timestamp?: unknown; message?: { content?: unknown } } | undefined;
  if (!row || row.type !== 'user' || typeof row.timestamp !== 'string') return;
  const content = row.message?.content;
  const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((c: { text?: unknown }) => (typeof c?.text === 'string' ? c.text : '')).join('\n') : '';
  if (!/<command-name>\/(?:spec-session:)?do-task<\/command-name>/.test(text)) return;
  const args = /<command-args>([\s\S]*?)<\/command-args>/.exec(text)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
  const time = Date.parse(row.timestamp);
  if (!Number.isNaN(time)) into.taskCommands.push({ time, args });
}

function takeCompactLine(line: string, into: Extracted, offset: number): void {
  const row = parseJson(line) as Record<string, unknown> | undefined;
  if (!row || row.type !== 'system' || row.subtype !== 'compact_boundary' || typeof row.timestamp !== 'string') return;
  const time = Date.parse(row.timestamp);
  if (Number.isNaN(time)) return;
  into.compactions.push(time);
  into.compactionOffsets.push(offset);
}

function forEachLineWith(buf: Buffer, start: number, end: number, mark: Buffer, visit: (line: string, lineStart: number) => void, before: number[] = [QUOTE]): void {
  // Search [start, end) only: the rest of the read buffer is stale or uninitialised bytes.
  const region = buf.subarray(0, end);
  let from = start;
  while (from < end) {
    const hit = region.indexOf(mark, from);
    if (hit < 0) return;
    if (hit === 0 || !before.includes(region[hit - 1]!)) {
      from = hit + mark.length;
      continue;
    }
    const lineStart = region.lastIndexOf(10, hit) + 1;
    let lineEnd = region.indexOf(10, hit);
    if (lineEnd < 0) lineEnd = end;
    visit(buf.toString('utf8', Math.max(lineStart, start), lineEnd), Math.max(lineStart, start));
    from = lineEnd + 1;
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

export function takeAssistantLine(line: string, into: Extracted, offset = 0): void {
  const row = parseJson(line) as Record<string, unknown> | undefined;
  if (row === undefined || typeof row !== 'object' || row === null) {
    into.malformed++;
    return;
  }
  // progress lines embed subagent messages that the subagent's own file already holds.
  if (row.type !== 'assistant') return;
  const parsed = parseAssistantRow(row);
  if (!parsed) {
    into.malformed++;
    return;
  }
  const call = toApiCall(parsed);
  if (!call) return;
  into.calls.push(call);
  into.callOffsets.push(offset);
}

export function toApiCall(row: AssistantRow): ApiCall | undefined {
  const model = row.message.model ?? 'unknown';
  if (model === '<synthetic>') return undefined; // a local placeholder for an API error, not a billed call
  const time = Date.parse(row.timestamp);
  if (Number.isNaN(time)) return undefined;
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

function takeCostStateLine(line: string, into: Extracted, offset: number): void {
  const row = parseJson(line) as Record<string, unknown> | undefined;
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
    models[model] = { input: u.inputTokens, output: u.outputTokens, cacheWrite5m: u.cacheCreationInputTokens - oneHour, cacheWrite1h: oneHour, cacheRead: u.cacheReadInputTokens };
  }
  const time = row.timestamp ? Date.parse(row.timestamp) : NaN;
  return { sessionId: row.sessionId ?? null, time: Number.isNaN(time) ? null : time, models, totalCostUsd: row.totalCostUSD ?? null };
}
