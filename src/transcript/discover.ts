import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fg from 'fast-glob';

/** Where Claude Code keeps transcripts: CLAUDE_CONFIG_DIR (comma-separated, as Claude Code and
 * ccusage accept), else ~/.claude and ~/.config/claude. Only folders that hold `projects/` count. */
export function claudeConfigDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = env.CLAUDE_CONFIG_DIR?.split(',').map((d) => d.trim()).filter(Boolean);
  const home = env.HOME ?? os.homedir();
  const candidates = configured?.length ? configured : [path.join(home, '.claude'), path.join(home, '.config', 'claude')];
  return [...new Set(candidates.map((d) => path.resolve(d)))].filter((d) => isDir(path.join(d, 'projects')));
}

export interface TranscriptFile {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  /** The folder under projects/: Claude Code's name for the project (its cwd, munged). */
  project: string;
  /** The session the file belongs to, from its place in the tree. */
  sessionId: string;
}

/**
 * Every transcript, main and subagent, in every layout Claude Code has used:
 * `<project>/<session>.jsonl` (subagents inline as isSidechain lines in 1.0.x),
 * `<project>/agent-<id>.jsonl` (2.0.x), `<project>/<session>/subagents/agent-<id>.jsonl` (2.1.2+,
 * compaction agents as agent-acompact-<hex>.jsonl).
 */
export function discoverTranscripts(configDirs: string[]): TranscriptFile[] {
  const found: TranscriptFile[] = [];
  for (const dir of configDirs) {
    const root = path.join(dir, 'projects');
    const entries = fg.sync('**/*.jsonl', { cwd: root, absolute: false, stats: true, onlyFiles: true, followSymbolicLinks: false, suppressErrors: true });
    for (const entry of entries) {
      const stats = entry.stats!;
      const parts = entry.path.split('/');
      if (parts.length < 2) continue;
      found.push({
        path: path.join(root, entry.path),
        size: stats.size,
        mtimeMs: stats.mtimeMs,
        ino: stats.ino,
        project: parts[0]!,
        sessionId: sessionFromPath(parts),
      });
    }
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function sessionFromPath(parts: string[]): string {
  // <project>/<session>/subagents/agent-x.jsonl → <session>; <project>/<name>.jsonl → <name>
  if (parts.length >= 4 && parts[parts.length - 2] === 'subagents') return parts[parts.length - 3]!;
  return path.basename(parts[parts.length - 1]!, '.jsonl');
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
