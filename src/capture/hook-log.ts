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
    const where =
      error instanceof Error
        ? (error.stack ?? '')
            .split('\n')
            .slice(1, 3)
            .map((l) => l.trim())
            .join(' ')
        : '';
    const relative = relativePaths(logFile);
    fs.appendFileSync(
      logFile,
      `${JSON.stringify({ t: new Date().toISOString(), event, error: relative(message), where: relative(where) })}\n`,
    );
  } catch {
    // nowhere to log: stay silent rather than disturb Claude Code
  }
}

/**
 * The log travels with the project (copied, zipped into a bug report): paths in it are written
 * relative to the project, or to the running bundle when that lies elsewhere (a plugin), so a
 * copy's log names the copy's files and no home folder leaks out. The log is always
 * <project>/.claude/spec-session/state/hook.log.
 */
function relativePaths(logFile: string): (text: string) => string {
  const project = path.resolve(path.dirname(logFile), '..', '..', '..') + path.sep;
  const bundle =
    typeof __dirname === 'string' && !(__dirname + path.sep).startsWith(project) ? __dirname + path.sep : undefined;
  return (text) => {
    const inProject = text.split(project).join('');
    return bundle ? inProject.split(bundle).join('<bundle>/') : inProject;
  };
}

export function readHookLog(
  logFile: string,
  last = 20,
): Array<{ t: string; event: string; error: string; where?: string }> {
  try {
    return fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(-last)
      .map((l) => JSON.parse(l) as { t: string; event: string; error: string });
  } catch {
    return []; // no log yet, or torn: nothing to show
  }
}
