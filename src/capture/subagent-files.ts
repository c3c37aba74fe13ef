import path from 'node:path';
import { listDir } from '../store/fs-utils.js';

/**
 * The subagent transcripts of a session, in the layouts Claude Code has used: 2.1.2+ writes
 * `<session>/subagents/agent-<id>.jsonl` beside the main file (compaction agents as
 * agent-acompact-<hex>.jsonl); 2.0.x wrote `agent-<id>.jsonl` beside it (shared by the project's
 * sessions: their lines carry the sessionId); 1.0.x wrote sidechain lines inline in the main file.
 */
export function subagentTranscripts(mainTranscript: string, sessionId: string): string[] {
  const dir = path.dirname(mainTranscript);
  const nested = path.join(dir, sessionId, 'subagents');
  const found: string[] = [];
  for (const name of listDir(nested)) if (name.endsWith('.jsonl')) found.push(path.join(nested, name));
  for (const name of listDir(dir))
    if (name.startsWith('agent-') && name.endsWith('.jsonl')) found.push(path.join(dir, name));
  return found.sort();
}
