/**
 * What Claude Code sends a hook on stdin (checked against 2.1.331; see docs/claude-code-contract.md).
 * Every event has session_id, transcript_path, cwd and hook_event_name; the rest depends on it.
 * Hand-validated, not zod: this runs after every tool call and must start fast.
 */
import { isSessionId } from '../project/names.js';
export interface HookInput {
  event: string;
  sessionId: string;
  transcriptPath: string;
  cwd: string;
  prompt?: string;
  source?: string;
  reason?: string;
  toolName?: string;
  toolFilePath?: string;
  /** The names a spec-workflow MCP tool call carries (never a document's content). */
  toolSpec?: { spec?: string; file?: string; document?: string };
  agentId?: string;
}

export class HookInputError extends Error {}

export function parseHookInput(text: string, eventArg?: string): HookInput {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HookInputError('hook stdin is not JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw new HookInputError('hook stdin is not a JSON object');
  const r = raw as Record<string, unknown>;
  const s = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
  const sessionId = s('session_id');
  const transcriptPath = s('transcript_path');
  const event = s('hook_event_name') ?? eventArg;
  if (!isSessionId(sessionId)) throw new HookInputError('hook stdin has no valid session_id');
  if (!transcriptPath) throw new HookInputError('hook stdin has no transcript_path');
  if (!event) throw new HookInputError('hook stdin has no hook_event_name');
  const toolInput =
    typeof r.tool_input === 'object' && r.tool_input !== null ? (r.tool_input as Record<string, unknown>) : undefined;
  const field = (k: string) => (toolInput && typeof toolInput[k] === 'string' ? (toolInput[k] as string) : undefined);
  const filePath = field('file_path') ?? field('notebook_path');
  const spec = field('specName') ?? field('categoryName');
  const toolSpec =
    spec === undefined
      ? undefined
      : { spec, ...optional('file', field('filePath')), ...optional('document', field('document')) };
  return {
    event,
    sessionId,
    transcriptPath,
    cwd: s('cwd') ?? process.cwd(),
    ...optional('prompt', s('prompt')),
    ...optional('source', s('source')),
    ...optional('reason', s('reason')),
    ...optional('toolName', s('tool_name')),
    ...optional('toolFilePath', filePath),
    ...(toolSpec ? { toolSpec } : {}),
    ...optional('agentId', s('agent_id')),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
