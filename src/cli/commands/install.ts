/**
 * `spec-session install [--dir <project>] [--statusline] [--claude-version X]` and
 * `spec-session uninstall [--dir <project>]`: thin CLI glue over src/install/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../../args/parse-args.js';
import { installProject, uninstallProject } from '../../install/install-project.js';
import { assertFolder, findProjectRoot, resolveProjectRoot } from '../../project/project-root.js';

export function installCommand(argv: string[]): string {
  const { values } = parse(
    argv,
    { dir: { type: 'string' }, statusline: { type: 'boolean' }, 'claude-version': { type: 'string' } },
    0,
  );
  const bundleDir = __dirname;
  return installProject({
    // --dir P installs into the existing folder P; without it, into the project around the working
    // directory (a re-install from a subfolder), else the working directory itself, as `git init`.
    projectDir:
      values.dir !== undefined ? assertFolder(values.dir, '--dir') : (findProjectRoot(process.cwd()) ?? process.cwd()),
    bundleDir,
    commandsDir: findCommandsDir(bundleDir),
    ...(values['claude-version'] !== undefined ? { claudeVersion: values['claude-version'] } : {}),
    ...(values.statusline ? { statusline: true } : {}),
  });
}

export function uninstallCommand(argv: string[]): string {
  const { values } = parse(argv, { dir: { type: 'string' } }, 0);
  return uninstallProject(resolveProjectRoot({ dir: values.dir }));
}

/** The package's commands/ folder: beside dist/ in the npm package and in the repo (`__dirname` is dist/ in every bundle). */
function findCommandsDir(from: string): string {
  for (const candidate of [path.join(from, '..', 'commands'), path.join(from, 'commands')]) {
    if (fs.existsSync(path.join(candidate, 'do-task.md'))) return candidate;
  }
  throw new Error(`cannot find spec-session's commands/ folder near ${from}`);
}
