import fs from 'node:fs';
import path from 'node:path';
import { fileProblem } from '../store/fs-utils.js';
import { SpecError } from './errors.js';
import { parseTasks, type SpecTask } from './tasks-file.js';
import { isSafeName } from '../project/names.js';

/**
 * Where spec-workflow-mcp 2.2.x keeps a project's specs (checked 2025-11):
 *   .spec-workflow/specs/<spec>/tasks.md
 *   .spec-workflow/specs/<spec>/Implementation Logs/   (the folder name has a space)
 */
const SPECS_DIR = path.join('.spec-workflow', 'specs');
const LOGS_FOLDER = 'Implementation Logs';

/**
 * Spec, session and task names become path segments: only plain names, no `..`, so a typed or
 * hook-supplied name can never reach outside the spec folder. The refusal names the rule broken:
 * letters, digits, '.', '_' and '-'; at most 64 characters; a letter or digit first; no '..'.
 */
export function assertSafeName(kind: 'spec' | 'session' | 'task', name: string): void {
  if (isSafeName(name)) return;
  const problem =
    name === ''
      ? 'it is empty'
      : !/^[A-Za-z0-9._-]*$/.test(name)
        ? "use letters, digits, '.', '_' and '-'"
        : name.length > 64
          ? `${name.length} characters; at most 64`
          : !/^[A-Za-z0-9]/.test(name)
            ? 'it must start with a letter or digit'
            : 'it must not contain ".."';
  throw new SpecError(`invalid ${kind} name ${JSON.stringify(name)}: ${problem}`);
}

export function specsRoot(projectDir: string): string {
  return path.join(projectDir, SPECS_DIR);
}

export function specDir(projectDir: string, spec: string): string {
  assertSafeName('spec', spec);
  return path.join(specsRoot(projectDir), spec);
}

export function tasksPath(projectDir: string, spec: string): string {
  return path.join(specDir(projectDir, spec), 'tasks.md');
}

export function logsDir(projectDir: string, spec: string): string {
  return path.join(specDir(projectDir, spec), LOGS_FOLDER);
}

/** Every folder under .spec-workflow/specs with a usable name, sorted; [] when there is none. */
export function listSpecDirs(projectDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(specsRoot(projectDir), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isDirectory() && isSafeName(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** The specs that have a tasks.md (a spec still at requirements or design has none yet). */
export function listSpecs(projectDir: string): string[] {
  return listSpecDirs(projectDir).filter((spec) => fs.existsSync(tasksPath(projectDir, spec)));
}

/** The text of the spec's tasks.md; a spec without one is reported with the specs that exist. */
export function readTasksText(projectDir: string, spec: string): string {
  const file = tasksPath(projectDir, spec);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileProblem(file, error); // e.g. a folder named tasks.md
  }
  throw unknownSpecError(projectDir, spec);
}

/** The one wording for a spec that is not there, naming the ones that are. */
export function unknownSpecError(projectDir: string, spec: string): SpecError {
  const known = listSpecs(projectDir);
  const here =
    known.length > 0 ? `specs here: ${known.join(', ')}` : `no spec in ${specsRoot(projectDir)} has a tasks.md`;
  return new SpecError(`unknown spec ${JSON.stringify(spec)}; ${here}`);
}

export function readSpecTasks(projectDir: string, spec: string): SpecTask[] {
  return parseTasks(readTasksText(projectDir, spec));
}
