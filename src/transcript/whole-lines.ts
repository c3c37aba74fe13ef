/**
 * Lines parsed whole with JSON.parse: the ones the byte-level pass (extract.ts) could not settle from
 * their bytes, and the small rows read-transcript.ts rebuilds from an oversized line. What each
 * holds is taken as the byte-level pass takes it: calls (also those embedded in progress lines),
 * cost-states, compaction times, `/do-task` prompts; a row that does not fit counts as malformed.
 */
import type { ApiCall, CostState } from '../usage/api-call.js';
import { zeroTokens, type TokenCounts } from '../usage/tokens.js';
import { takeCall, type Extracted, type OnCall } from './extracted.js';
import { parseAssistantRow, parseCostStateRow, type AssistantRow, type CostStateRow } from './rows.js';
import { parseTime } from './parse-time.js';

export function takeTaskCommand(text: string, into: Extracted): void {
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

export function takeCompactLine(text: string, into: Extracted, offset: number): void {
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
export function takeAssistantLine(text: string, into: Extracted, offset = 0, onCall?: OnCall): void {
  const row = parseJson(text) as Record<string, unknown> | undefined;
  if (row === undefined || typeof row !== 'object' || row === null) {
    into.malformed++;
    return;
  }
  if (row.type === 'progress') {
    takeProgressLine(row, into, offset, onCall);
    return;
  }
  if (row.type !== 'assistant') return;
  const parsed = parseAssistantRow(row);
  if (!parsed) {
    into.malformed++;
    return;
  }
  takeRow(parsed, row.version, into, offset, false, onCall);
}

/** 2.1.3x `agent_progress`: `data.message` is a copy of a subagent's assistant line. */
function takeProgressLine(
  row: Record<string, unknown>,
  into: Extracted,
  offset: number,
  onCall: OnCall | undefined,
): void {
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
  if (parsed) takeRow(parsed, row.version, into, offset, true, onCall);
}

function takeRow(
  row: AssistantRow,
  version: unknown,
  into: Extracted,
  offset: number,
  embedded: boolean,
  onCall: OnCall | undefined,
): void {
  const call = toApiCall(row);
  if (call === 'invalid') into.malformed++;
  else if (call) takeCall(call, typeof version === 'string' ? version : null, into, offset, embedded, onCall);
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

export function takeCostStateLine(text: string, into: Extracted, offset: number): void {
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
