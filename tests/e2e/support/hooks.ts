import { spawnSync } from 'node:child_process';
import { readFileSync, truncateSync, appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { transcriptPath } from './claude.js';
import type { Project } from './project.js';

/** Runs the installed hook as Claude Code does, and returns its stdout. */
export function runHook(p: Project, event: string, sessionId: string, extra: Record<string, unknown> = {}): string {
  const input = {
    session_id: sessionId,
    transcript_path: transcriptPath(p.home, p.project, sessionId),
    cwd: p.project,
    hook_event_name: event,
    ...extra,
  };
  const r = spawnSync(process.execPath, [join(p.project, '.claude', 'spec-session', 'hook.cjs'), event], {
    input: JSON.stringify(input),
    env: { ...p.env, CLAUDE_PROJECT_DIR: p.project },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`hook exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Removes the last assistant message's lines (and all after) from a transcript; returns a function that puts them back. */
export function cutLastAssistantMessage(p: Project, sessionId: string): () => void {
  const file = transcriptPath(p.home, p.project, sessionId);
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  let lastId: string | undefined;
  for (const l of lines)
    if (l.includes('"type":"assistant"')) lastId = (JSON.parse(l) as { message: { id: string } }).message.id;
  const cutAt = lines.findIndex((l) => l.includes('"type":"assistant"') && l.includes(`"id":"${lastId}"`));
  const kept = Buffer.from(`${lines.slice(0, cutAt).join('\n')}\n`);
  const removed = readFileSync(file).subarray(kept.length); // bytes, not characters: transcripts hold UTF-8
  truncateSync(file, kept.length);
  if (statSync(file).size !== kept.length) throw new Error('truncate failed');
  return () => appendFileSync(file, removed);
}
