import fs from 'node:fs';
import path from 'node:path';
import { withClaudeSession } from '../capture/capture-session.js';
import { subagentTranscripts } from '../capture/subagent-files.js';
import { logHookError } from '../capture/hook-log.js';
import { readJsonFile, writeFileAtomic } from '../store/atomic-file.js';
import { listDir } from '../store/fs-utils.js';
import { claudeConfigDirs } from '../transcript/discover.js';
import type { ProjectContext } from './context.js';
import { loadSessionState, sessionStatePath, sessionStateIds } from '../capture/claude-session-state.js';
import { withBindingBatch } from '../capture/rebuild-bindings.js';

/**
 * Before any report: read what hooks missed (a hook killed, a transcript written after the last
 * hook, sessions run before install). Covers every Claude session with state here, and every main
 * transcript in Claude Code's folder for this project.
 *
 * Only sessions whose transcripts changed since the last catch-up are opened: a year of sessions
 * costs a directory listing and a stat per live transcript, not a lock and a state file each.
 * Sizes and inodes tell a change, never mtimes.
 */
export function catchUpProject(ctx: ProjectContext): void {
  const sessions = new Map<string, string>();
  const memoFile = path.join(ctx.paths.state, 'catch-up.json');
  const memo = readMemo(memoFile);
  for (const sessionId of sessionStateIds(ctx.paths.claudeSessionsState)) {
    const known = memo.transcripts[sessionId];
    if (known !== undefined) {
      sessions.set(sessionId, known);
      continue;
    }
    // A torn state reads as none: its transcript is found below if it lives in the project's folder.
    const state = loadSessionState(ctx.paths.claudeSessionsState, sessionId);
    if (state?.transcript) sessions.set(sessionId, state.transcript);
  }
  for (const dir of projectTranscriptDirs(ctx.projectDir)) {
    for (const name of listDir(dir)) {
      if (name.endsWith('.jsonl') && !name.startsWith('agent-')) sessions.set(name.slice(0, -6), path.join(dir, name));
    }
  }
  const next: Memo = { transcripts: {}, signatures: {} };
  const toRead: Array<{ sessionId: string; transcriptPath: string; signature: string }> = [];
  for (const [sessionId, transcriptPath] of sessions) {
    next.transcripts[sessionId] = transcriptPath;
    const signature = transcriptSignature(transcriptPath, sessionId);
    if (signature === null) continue; // gone (Claude Code cleans up after 30 days): nothing to read
    if (memo.signatures[sessionId] === signature) next.signatures[sessionId] = signature;
    else toRead.push({ sessionId, transcriptPath, signature });
  }
  // Sessions with no state here (a new clone, a deleted folder) rebuild their bindings from the
  // ledger: from one read of its rollups for all of them, not one each.
  const stateless = toRead
    .map((r) => r.sessionId)
    .filter((id) => !fs.existsSync(sessionStatePath(ctx.paths.claudeSessionsState, id)));
  withBindingBatch(ctx.paths.ledger, stateless, () => {
    for (const { sessionId, transcriptPath, signature } of toRead) {
      try {
        withClaudeSession({ projectDir: ctx.projectDir, sessionId, transcriptPath }, () => undefined, { now: ctx.now });
        next.signatures[sessionId] = signature;
      } catch (error) {
        logHookError(ctx.paths.hookLog, 'catch-up', error);
      }
    }
  });
  try {
    writeFileAtomic(memoFile, JSON.stringify(next), { durable: false });
  } catch (error) {
    logHookError(ctx.paths.hookLog, 'catch-up', error); // only costs a slower next catch-up
  }
}

interface Memo {
  /** Claude session → its main transcript. */
  transcripts: Record<string, string>;
  /** Claude session → its transcripts' sizes and inodes when last caught up. */
  signatures: Record<string, string>;
}

function readMemo(file: string): Memo {
  try {
    const memo = readJsonFile<Memo>(file);
    if (memo && typeof memo.transcripts === 'object' && typeof memo.signatures === 'object') return memo;
  } catch {
    // torn: every session is looked at once more
  }
  return { transcripts: {}, signatures: {} };
}

function transcriptSignature(transcript: string, sessionId: string): string | null {
  const parts: string[] = [];
  for (const file of [transcript, ...subagentTranscripts(transcript, sessionId)]) {
    try {
      const st = fs.statSync(file);
      parts.push(`${st.ino}:${st.size}`);
    } catch {
      // gone: a missing main transcript has nothing to read; a missing subagent file just is not part of it
      if (file === transcript) return null;
    }
  }
  return parts.join(',');
}

/** Claude Code's transcript folder for a project: its path with every non-alphanumeric char as '-'. */
export function projectTranscriptDirs(projectDir: string): string[] {
  let real = projectDir;
  try {
    real = fs.realpathSync(projectDir);
  } catch {
    // keep as given
  }
  const munged = real.replace(/[^A-Za-z0-9]/g, '-');
  return claudeConfigDirs()
    .map((d) => path.join(d, 'projects', munged))
    .filter((d) => fs.existsSync(d));
}
