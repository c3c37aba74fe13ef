import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * The Claude Code process a hook runs under: the hook's parent is `/bin/sh -c`, whose parent is
 * claude (checked on 2.1.331, Linux). `/clear` ends one session and starts another in the same
 * process, so the process id links them and the work binding carries over. Without /proc (macOS)
 * there is no carry-over: the user runs /start-session again.
 */
export function claudeProcessId(): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const grandparent = Number(fields[1]);
    return ['sh', 'bash', 'dash', 'zsh'].includes(comm) ? grandparent : process.ppid;
  } catch {
    return undefined; // no /proc (not Linux): the process is not known
  }
}

export function lastSessionOfProcess(stateDir: string, pid: number): string | undefined {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(stateDir, 'claude-processes', `${pid}.json`), 'utf8')) as {
        sessionId: string;
      }
    ).sessionId;
  } catch {
    return undefined; // none recorded, or torn: no earlier session of this process
  }
}

export function rememberSessionOfProcess(stateDir: string, pid: number, sessionId: string): void {
  writeFileAtomic(
    path.join(stateDir, 'claude-processes', `${pid}.json`),
    JSON.stringify({ sessionId, t: new Date().toISOString() }),
  );
}
