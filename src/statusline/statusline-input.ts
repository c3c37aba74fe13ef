import * as z from 'zod/mini';
import '../store/zod-english.js';
import { resolveProjectRoot } from '../project/project-root.js';
import { SESSION_ID } from '../project/names.js';

/**
 * What Claude Code sends a `statusLine` command on stdin: the fields relied on here (checked on
 * 2.1.331; a whole captured example is tests/statusline/fixtures/statusline-input-2.1.331.json).
 * Lenient: unknown fields are fine, and a missing one only makes the line say less.
 */
export const StatusLineInputSchema = z.looseObject({
  session_id: z.optional(z.string().check(z.regex(SESSION_ID))),
  transcript_path: z.optional(z.string()),
  cwd: z.optional(z.string()),
  workspace: z.optional(z.looseObject({ project_dir: z.optional(z.string()), current_dir: z.optional(z.string()) })),
  model: z.optional(z.looseObject({ id: z.optional(z.string()), display_name: z.optional(z.string()) })),
});
export type StatusLineInput = z.infer<typeof StatusLineInputSchema>;

export function parseStatusLineInput(text: string): StatusLineInput {
  if (!text.trim()) return {};
  return StatusLineInputSchema.parse(JSON.parse(text));
}

/** The project: the one Claude Code names, else $CLAUDE_PROJECT_DIR, else the project around the
 * working directory (throws outside one: the statusline then shows its fallback line). */
export function statusLineProjectDir(
  input: StatusLineInput,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string {
  return resolveProjectRoot({
    claudeProjectDir: input.workspace?.project_dir ?? env.CLAUDE_PROJECT_DIR,
    cwd: input.cwd ?? cwd,
  });
}
