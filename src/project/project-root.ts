import fs from 'node:fs';
import path from 'node:path';

/** The hook script install registers; its path in `.claude/settings.json` marks an installed project. */
export const HOOK_SCRIPT = '.claude/spec-session/hook.cjs';

/**
 * Is `dir` a project spec-session works on: one it is installed in (`.claude/spec-session/`, or its
 * hooks in `.claude/settings.json`), or a spec-workflow project (`.spec-workflow/`)?
 */
export function isProjectRoot(dir: string): boolean {
  if (isDirectory(path.join(dir, '.claude', 'spec-session')) || isDirectory(path.join(dir, '.spec-workflow')))
    return true;
  try {
    return fs.readFileSync(path.join(dir, '.claude', 'settings.json'), 'utf8').includes(HOOK_SCRIPT);
  } catch {
    return false; // no settings file: not a marker
  }
}

/** The nearest folder from `start` upwards that is a project, as git finds its repository; undefined outside one. */
export function findProjectRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (isProjectRoot(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export interface ProjectRootSource {
  /** `--dir`: an existing folder, searched from upwards. */
  dir?: string | undefined;
  /** The project Claude Code names ($CLAUDE_PROJECT_DIR, the statusline's `workspace.project_dir`): taken as is. */
  claudeProjectDir?: string | undefined;
  /** Where to search from otherwise. */
  cwd?: string | undefined;
}

/**
 * The project a command or hook works on: Claude Code's project folder when it names one, else the
 * project around `--dir` or the working directory. Outside a project it throws one line: a
 * project-level command never creates a project folder (nor docs/ in a subfolder of one).
 */
export function resolveProjectRoot({
  dir,
  claudeProjectDir = process.env.CLAUDE_PROJECT_DIR,
  cwd = process.cwd(),
}: ProjectRootSource = {}): string {
  if (dir === undefined && claudeProjectDir) return path.resolve(claudeProjectDir);
  const start = dir === undefined ? cwd : assertFolder(dir, '--dir');
  const root = findProjectRoot(start);
  if (root) return root;
  throw new Error(
    `${path.resolve(start)} is not inside a spec-session project (no .claude/spec-session/, spec-session hooks in .claude/settings.json, or .spec-workflow/ there or above): run it in your project, or pass --dir <project>`,
  );
}

/** `folder` resolved, or one line saying why it is not an existing folder. */
export function assertFolder(folder: string, what: string): string {
  if (folder === '') throw new Error(`${what} is empty: give a folder`);
  const resolved = path.resolve(folder);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(resolved);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new Error(`${what} ${folder}: cannot read it (${code})`);
  }
  if (!stat) throw new Error(`${what} ${folder}: no such folder`);
  if (!stat.isDirectory()) throw new Error(`${what} ${folder}: not a folder`);
  return resolved;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false; // not there: not a folder
  }
}
