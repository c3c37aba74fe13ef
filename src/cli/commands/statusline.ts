import { logHookError } from '../../capture/hook-log.js';
import { projectPaths } from '../../project/paths.js';
import { parseStatusLineInput, statusLineProjectDir } from '../../statusline/statusline-input.js';
import { STATUS_LINE_FALLBACK, statusLine } from '../../statusline/status-line.js';
import { projectContext } from '../../workflow/context.js';

/**
 * `spec-session statusline`, for Claude Code's statusLine setting. Fails open like a hook: on any
 * error it prints a short fallback line, logs the error for `doctor`, and exits 0.
 */
export async function statuslineCommand(argv: string[]): Promise<string> {
  return statuslineText(await readStdin(), argv);
}

/**
 * The status line for Claude Code's stdin JSON. Installed as `node .claude/spec-session/hook.cjs
 * statusline`, so it runs through the hook's V8 code cache, as prompts and turn ends do.
 */
export function statuslineText(stdin: string, argv: string[] = []): string {
  let projectDir: string | undefined;
  try {
    const input = parseStatusLineInput(stdin);
    projectDir = statusLineProjectDir(input);
    if (argv.length) throw new Error(`statusline takes no arguments, got "${argv[0]}"`);
    return `${statusLine(projectContext(projectDir), input.session_id)}\n`;
  } catch (error) {
    if (projectDir) logHookError(projectPaths(projectDir).hookLog, 'statusline', error);
    return `${STATUS_LINE_FALLBACK}\n`;
  }
}

function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (text += chunk));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}
