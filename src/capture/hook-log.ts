import fs from 'node:fs';
import path from 'node:path';

const MAX_BYTES = 512 * 1024;

/** Hooks never break Claude Code: their errors go here, and `spec-session doctor` shows them. */
export function logHookError(logFile: string, event: string, error: unknown): void {
  try {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    try {
      if (fs.statSync(logFile).size > MAX_BYTES) fs.renameSync(logFile, `${logFile}.1`);
    } catch {
      // no log yet
    }
    const message = error instanceof Error ? error.message : String(error);
    const where = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 3).map((l) => l.trim()).join(' ') : '';
    fs.appendFileSync(logFile, `${JSON.stringify({ t: new Date().toISOString(), event, error: message, where })}\n`);
  } catch {
    // nowhere to log: stay silent rather than disturb Claude Code
  }
}

export function readHookLog(logFile: string, last = 20): Array<{ t: string; event: string; error: string; where?: string }> {
  try {
    return fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(-last)
      .map((l) => JSON.parse(l) as { t: string; event: string; error: string });
  } catch {
    return [];
  }
}
