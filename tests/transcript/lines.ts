/** Transcript lines as Claude Code writes them (2.1.331 key order: message first, type, uuid, timestamp after it). */
export interface LineUsage {
  input?: number;
  output?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
  speed?: 'standard' | 'fast';
}

export interface AssistantLine {
  id: string;
  requestId?: string | null;
  usage: LineUsage;
  sessionId?: string;
  timestamp?: string;
  model?: string;
  text?: string;
  sidechain?: boolean;
  agentId?: string;
}

export function assistantLine(a: AssistantLine): string {
  const u = a.usage;
  const cw5 = u.cacheWrite5m ?? 0;
  const cw1 = u.cacheWrite1h ?? 0;
  const row: Record<string, unknown> = {
    parentUuid: null,
    isSidechain: a.sidechain ?? false,
    ...(a.agentId ? { agentId: a.agentId } : {}),
    message: {
      id: a.id,
      type: 'message',
      role: 'assistant',
      model: a.model ?? 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: a.text ?? 'ok' }],
      stop_reason: 'end_turn',
      usage: {
        input_tokens: u.input ?? 0,
        cache_creation_input_tokens: cw5 + cw1,
        cache_read_input_tokens: u.cacheRead ?? 0,
        output_tokens: u.output ?? 0,
        server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
        service_tier: 'standard',
        cache_creation: { ephemeral_1h_input_tokens: cw1, ephemeral_5m_input_tokens: cw5 },
        iterations: [],
        speed: u.speed ?? 'standard',
      },
    },
    ...(a.requestId === null ? {} : { requestId: a.requestId ?? `req_${a.id.replace(/^msg_/, '')}` }),
    type: 'assistant',
    uuid: '5f2f8eef-2170-4417-9bc0-d8aac13438eb',
    timestamp: a.timestamp ?? '2026-11-20T10:00:00.000Z',
    sessionId: a.sessionId ?? '20000000-0000-4000-8000-000000000001',
    version: '2.1.331',
  };
  return JSON.stringify(row);
}

export function userLine(text: string, sessionId = '20000000-0000-4000-8000-000000000001'): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    type: 'user',
    message: { role: 'user', content: text },
    uuid: 'u',
    timestamp: '2026-11-20T09:59:00.000Z',
    sessionId,
    version: '2.1.331',
  });
}
