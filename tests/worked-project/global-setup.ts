/**
 * vitest globalSetup of the e2e-worked project: builds the worked project once per run (about
 * 30 s of real Claude Code runs) and hands it to the dashboard, export and statusline suites,
 * each of which works on a copy of its own (copy-worked-project.ts).
 */
import type { TestProject } from 'vitest/node';
import { ensureBuilt } from '../report/cli.js';
import { buildWorkedProject, removeWorkedProject } from './worked-project.js';

export default async function setup(project: TestProject): Promise<() => void> {
  ensureBuilt(); // the hooks and CLI it installs are dist/'s
  const info = await buildWorkedProject();
  project.provide('workedProject', info);
  return () => {
    if (!process.env.E2E_KEEP) removeWorkedProject(info.root);
  };
}
