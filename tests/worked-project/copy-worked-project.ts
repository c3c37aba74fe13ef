/**
 * A suite's own copy of the worked project, so what one suite writes (a manual record, a broken
 * config, a statusline install, the ledger index) never changes what another suite sees. The copy
 * is the same project moved to a new folder: Claude Code's transcript folder, named after the
 * project's path, is renamed, and every path the files hold is rewritten to the new place.
 */
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inject } from 'vitest';
import { mungePath } from '../e2e/support/claude.js';
import { openProject, type Project } from '../e2e/support/project.js';
import { removeWorkedProject, type WorkedProjectInfo } from './worked-project.js';

export interface WorkedProject extends Project {
  sessions: WorkedProjectInfo['sessions'];
  /** The plan's calls and the build's end, as built (see worked-project.ts). */
  info: WorkedProjectInfo;
  remove(): void;
}

/** A fresh copy of the project the globalSetup built; CLI runs see SPEC_SESSION_NOW = the build's end. */
export function copyWorkedProject(): WorkedProject {
  const info = inject('workedProject');
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'spec-session-worked-')));
  cpSync(info.root, root, { recursive: true });
  const moved = {
    root,
    home: join(root, relative(info.root, info.home)),
    project: join(root, relative(info.root, info.project)),
  };
  const transcripts = join(moved.home, '.claude', 'projects');
  renameSync(join(transcripts, mungePath(info.project)), join(transcripts, mungePath(moved.project)));
  const replacements: Array<[string, string]> = [
    [mungePath(info.project), mungePath(moved.project)],
    [info.root, root],
  ];
  for (const name of readdirSync(root, { recursive: true }) as string[]) {
    const file = join(root, name);
    if (!statSync(file).isFile()) continue;
    const text = readFileSync(file, 'utf8');
    const rewritten = replacements.reduce((t, [from, to]) => t.replaceAll(from, to), text);
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
  const project = openProject(moved, 'UTC', { SPEC_SESSION_NOW: info.now });
  return { ...project, sessions: info.sessions, info, remove: () => removeWorkedProject(root) };
}
