import fs from 'node:fs';
import path from 'node:path';
import { withClaudeSession } from '../capture/capture-session.js';
import { claudeConfigDirs } from '../transcript/discover.js';
import type { ProjectContext } from './context.js';
import { logHookError } from '../capture/hook-log.js';
import { listDir } from '../store/fs-utils.js';

/**
 * Before any report: read what hooks missed (a hook killed, a transcript written after the last
 * hook, sessions run before install). Covers every Claude session with state here, and every main
 * transcript in Claude Code's folder for this project.
 */
export function catchUpProject(ctx: ProjectContext): void {
  const sessions = new Map<string, string>();
  for (const name of listDir(ctx.paths.claudeSessionsState)) {
    if (!name.endsWith('.json')) continue;
    try {
      const state = JSON.parse(fs.readFileSync(path.join(ctx.paths.claudeSessionsState, name), 'utf8')) as { sessionId: string; transcript?: string };
      if (state.transcript) sessions.set(state.sessionId, state.transcript);
    } catch {
      // torn state: its transcript is found below if it lives in the project's folder
    }
  }
  for (const dir of projectTranscriptDirs(ctx.projectDir)) {
    for (const name of listDir(dir)) {
      if (name.endsWith('.jsonl') && !name.startsWith('agent-')) sessions.set(name.slice(0, -6), path.join(dir, name));
    }
  }
  for (const [sessionId, transcriptPath] of sessions) {
    try {
      withClaudeSession({ projectDir: ctx.projectDir, sessionId, transcriptPath }, () => undefined, { now: ctx.now });
    } catch (error) {
      logHookError(ctx.paths.hookLog, 'catch-up', error);
    }
  }
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
  return claudeConfigDirs().map((d) => path.join(d, 'projects', munged)).filter((d) => fs.existsSync(d));
}

