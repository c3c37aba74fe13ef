import { childProcess } from '../store/lazy-builtins.js';

/** What a hook's stdout asked Claude Code to do, in the fields Claude Code reads. */
export interface HookAnswer {
  /** `decision: "block"`: the prompt stops here and the user sees this text. */
  blocked?: string;
  /** Shown to the user under the prompt or the turn. */
  systemMessage?: string;
  /** Added to the model's input with the prompt. */
  additionalContext?: string;
  /** The process failed or printed something Claude Code would not understand. */
  problem?: string;
}

/**
 * Runs one installed hook the way Claude Code does: `node .claude/spec-session/hook.cjs <Event>`,
 * the event's JSON on stdin, `CLAUDE_PROJECT_DIR` in the environment, stdout parsed as JSON.
 */
export function runHookProcess(
  hookFile: string,
  event: string,
  input: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  cwd: string,
): HookAnswer {
  const run = childProcess().spawnSync(process.execPath, [hookFile, event], {
    input: JSON.stringify(input),
    env,
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.error) return { problem: `${event} hook did not run: ${run.error.message}` };
  const stderr = run.stderr.trim();
  const problem =
    run.status !== 0
      ? `${event} hook exited ${run.status}${stderr ? `: ${firstLine(stderr)}` : ''}`
      : stderr
        ? `${event} hook wrote to stderr: ${firstLine(stderr)}`
        : undefined;
  const stdout = run.stdout.trim();
  if (!stdout) return problem ? { problem } : {};
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return { problem: `${event} hook printed something that is not JSON: ${firstLine(stdout)}` };
  }
  const specific = json.hookSpecificOutput as Record<string, unknown> | undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const answer: HookAnswer = {};
  if (json.decision === 'block') answer.blocked = text(json.reason) ?? '';
  if (text(json.systemMessage)) answer.systemMessage = text(json.systemMessage)!;
  if (text(specific?.additionalContext)) answer.additionalContext = text(specific?.additionalContext)!;
  if (problem) answer.problem = problem;
  return answer;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}
