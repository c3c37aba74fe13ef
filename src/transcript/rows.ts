/**
 * The transcript rows spec-session reads, as Claude Code writes them (checked against CLI 2.1.331,
 * 2.1.112, 2.1.85, 2.1.56, 2.0.77 and 1.0.128; see docs/claude-code-contract.md).
 *
 * Lenient on purpose: Claude Code adds fields all the time, any usage field may be missing or null,
 * and an unknown field is never an error. Only the fields used here are checked.
 *
 * Hand-written rather than zod: this runs on every usage line of multi-GB histories and inside
 * hooks that must start in a few milliseconds; loading zod alone costs a hook ~80 ms.
 */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | null;
  speed: string | null;
}

export interface AssistantRow {
  type: 'assistant';
  timestamp: string;
  sessionId: string | null;
  requestId: string | null;
  /** 2.1.331: on a forked session's copy of an earlier call, the session that made it. */
  requestSessionId: string | null;
  isSidechain: boolean;
  agentId: string | null;
  message: { id: string; model: string | null; usage: Usage };
}

export interface CostStateRow {
  type: 'cost-state';
  sessionId: string | null;
  timestamp: string | null;
  totalCostUSD: number | null;
  modelUsage: Record<
    string,
    {
      inputTokens: number;
      outputTokens: number;
      cacheReadInputTokens: number;
      cacheCreationInputTokens: number;
      cacheCreation1hInputTokens: number;
    }
  >;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A token count: missing or null is 0; anything else that is not a whole non-negative number is invalid. */
function count(v: unknown): number | undefined {
  if (v === undefined || v === null) return 0;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

export function parseUsage(raw: unknown): Usage | undefined {
  if (!isObj(raw)) return undefined;
  const input = count(raw.input_tokens);
  const output = count(raw.output_tokens);
  const write = count(raw.cache_creation_input_tokens);
  const read = count(raw.cache_read_input_tokens);
  if (input === undefined || output === undefined || write === undefined || read === undefined) return undefined;
  let split: Usage['cache_creation'] = null;
  if (isObj(raw.cache_creation)) {
    const m5 = count(raw.cache_creation.ephemeral_5m_input_tokens);
    const h1 = count(raw.cache_creation.ephemeral_1h_input_tokens);
    if (m5 === undefined || h1 === undefined) return undefined;
    split = { ephemeral_5m_input_tokens: m5, ephemeral_1h_input_tokens: h1 };
  }
  return {
    input_tokens: input,
    output_tokens: output,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
    cache_creation: split,
    speed: str(raw.speed),
  };
}

/** An assistant row with usage, or undefined when the row does not have the fields a call needs. */
export function parseAssistantRow(row: Obj): AssistantRow | undefined {
  const message = row.message;
  const timestamp = str(row.timestamp);
  if (!isObj(message) || timestamp === null) return undefined;
  const id = str(message.id);
  const usage = parseUsage(message.usage);
  if (id === null || usage === undefined) return undefined;
  return {
    type: 'assistant',
    timestamp,
    sessionId: str(row.sessionId),
    requestId: str(row.requestId),
    requestSessionId: str(row.requestSessionId),
    isSidechain: row.isSidechain === true,
    agentId: str(row.agentId),
    message: { id, model: str(message.model), usage },
  };
}

export function parseCostStateRow(row: Obj): CostStateRow | undefined {
  if (!isObj(row.modelUsage)) return undefined;
  const modelUsage: CostStateRow['modelUsage'] = {};
  for (const [model, u] of Object.entries(row.modelUsage)) {
    if (!isObj(u)) return undefined;
    const inputTokens = count(u.inputTokens);
    const outputTokens = count(u.outputTokens);
    const cacheReadInputTokens = count(u.cacheReadInputTokens);
    const cacheCreationInputTokens = count(u.cacheCreationInputTokens);
    const cacheCreation1hInputTokens = count(u.cacheCreationEphemeral1hInputTokens);
    if (
      inputTokens === undefined ||
      outputTokens === undefined ||
      cacheReadInputTokens === undefined ||
      cacheCreationInputTokens === undefined ||
      cacheCreation1hInputTokens === undefined
    )
      return undefined;
    modelUsage[model] = {
      inputTokens,
      outputTokens,
      cacheReadInputTokens,
      cacheCreationInputTokens,
      cacheCreation1hInputTokens,
    };
  }
  const total = row.totalCostUSD;
  return {
    type: 'cost-state',
    sessionId: str(row.sessionId),
    timestamp: str(row.timestamp),
    totalCostUSD: typeof total === 'number' ? total : null,
    modelUsage,
  };
}
