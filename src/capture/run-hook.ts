import fs from 'node:fs';
import { projectPaths } from '../project/paths.js';
import { resolveProjectRoot } from '../project/project-root.js';
import { currentBinding, loadSessionState } from './claude-session-state.js';
import { withClaudeSession, type ClaudeSessionRef } from './capture-session.js';
import { claudeProcessId, lastSessionOfProcess, rememberSessionOfProcess } from './claude-process.js';
import { logHookError } from './hook-log.js';
import { parseHookInput, type HookInput } from './hook-input.js';
import { LockTimeoutError } from '../store/lock.js';
import { noteEdit, notePlanning } from './tool-use.js';

/** The JSON a hook prints for Claude Code (block a prompt, add context, show a message). */
export type HookResponse = Record<string, unknown>;

/** The parts of hook handling that need the full library (specs, prices, reports). Loaded only
 * for prompts and turn ends, never on the per-tool-call path. */
export interface HeavyHooks {
  onPrompt(ref: ClaudeSessionRef, prompt: string): HookResponse | undefined;
  afterTurn(ref: ClaudeSessionRef): HookResponse | undefined;
  afterTasksEdit(ref: ClaudeSessionRef): void;
  /** A Claude session started: docs/ files a pull merged are written again from the ledger. */
  afterStart(ref: ClaudeSessionRef): void;
}

/**
 * Runs one hook event and returns what to print. Never throws: a hook must not break Claude Code.
 * Whatever fails here is logged for `spec-session doctor`, and the next hook or report catches up,
 * because nothing advances a transcript cursor until its records are in the ledger. `now` is the
 * clock for every time this file and the capture record (the hook runs on Date.now; tests inject one).
 */
export function runHook(
  stdin: string,
  eventArg: string | undefined,
  heavy: () => HeavyHooks,
  now: () => number = Date.now,
): string | undefined {
  let input: HookInput | undefined;
  let projectDir = projectAround(process.cwd());
  try {
    input = parseHookInput(stdin, eventArg);
    projectDir = resolveProjectRoot({ cwd: input.cwd });
    const ref: ClaudeSessionRef = { projectDir, sessionId: input.sessionId, transcriptPath: input.transcriptPath };
    assertRegularTranscript(input.transcriptPath);
    const response = dispatch(input, ref, heavy, now);
    return response ? JSON.stringify(response) : undefined;
  } catch (error) {
    // Another hook of the same session holds the lock and is capturing the same bytes: not an error.
    if (projectDir && !(error instanceof LockTimeoutError))
      logHookError(projectPaths(projectDir).hookLog, input?.event ?? eventArg ?? 'unknown', error);
    return undefined;
  }
}

/** Where a hook logs before its input is read: $CLAUDE_PROJECT_DIR, else the project around `cwd`.
 * Outside any project there is nowhere to log, and nothing is created. */
function projectAround(cwd: string): string | undefined {
  try {
    return resolveProjectRoot({ cwd });
  } catch {
    return undefined; // not inside a project: the hook has nowhere to write
  }
}

/**
 * A transcript path that exists but is not a regular file (a FIFO nobody writes to, /dev/zero, a
 * folder) would hold the reader until Claude Code's timeout kills the hook: refuse it at once. A
 * path that does not exist yet is fine: Claude Code writes the transcript asynchronously.
 */
function assertRegularTranscript(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return; // not there yet: Claude Code writes it asynchronously
  }
  if (stat.isFile()) return;
  const kind = stat.isDirectory()
    ? 'a folder'
    : stat.isFIFO()
      ? 'a FIFO'
      : stat.isCharacterDevice()
        ? 'a character device'
        : stat.isSocket()
          ? 'a socket'
          : 'a block device';
  throw new Error(`transcript_path ${file} is not a regular file (${kind}); nothing was read`);
}

function dispatch(
  input: HookInput,
  ref: ClaudeSessionRef,
  heavy: () => HeavyHooks,
  now: () => number,
): HookResponse | undefined {
  switch (input.event) {
    case 'UserPromptSubmit':
      return heavy().onPrompt(ref, input.prompt ?? '');
    case 'Stop':
      return heavy().afterTurn(ref);
    case 'PostToolUse': {
      const at = now();
      let shared: ReturnType<typeof noteEdit>;
      withClaudeSession(
        ref,
        (w) => {
          notePlanning(ref.projectDir, input, w, at);
          shared = noteEdit(ref.projectDir, input, w.state, at);
        },
        { lockTimeoutMs: 1500, now },
      );
      if (input.toolFilePath && /(^|[\\/])tasks\.md$/.test(input.toolFilePath)) heavy().afterTasksEdit(ref);
      return shared
        ? {
            systemMessage: shared.user,
            hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: shared.model },
          }
        : undefined;
    }
    case 'SessionStart':
      startSession(input, ref, now);
      heavy().afterStart(ref);
      return undefined;
    case 'SessionEnd':
      // The session's ledger file is closed: it can be rolled up, and a resumed session writes a new one.
      withClaudeSession(ref, (writer) => writer.end(input.reason ?? '', now()), { lockTimeoutMs: 1500, now });
      return undefined;
    default:
      // SubagentStop, SessionEnd, and any other event: catch up.
      withClaudeSession(ref, () => undefined, { lockTimeoutMs: 1500, now });
      return undefined;
  }
}

/** A session started by /clear in the same Claude Code process keeps the previous one's binding. */
function startSession(input: HookInput, ref: ClaudeSessionRef, now: () => number): void {
  const paths = projectPaths(ref.projectDir);
  const pid = claudeProcessId();
  const previous = pid === undefined ? undefined : lastSessionOfProcess(paths.state, pid);
  withClaudeSession(
    ref,
    (writer) => {
      if (input.source !== 'clear' || !previous || previous === ref.sessionId || writer.state.bindings.length > 0)
        return;
      const before = loadSessionState(paths.claudeSessionsState, previous);
      const binding = before ? currentBinding(before) : undefined;
      if (binding?.ws) writer.bind(binding, `clear:${previous}`, now());
    },
    { now },
  );
  if (pid !== undefined) rememberSessionOfProcess(paths.state, pid, ref.sessionId);
}
