/**
 * hook.log travels with the project (copied, zipped for a bug report): its entries name files
 * relative to the project, so a copy's log names the copy's files and no home path leaks out.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION, makeReliabilityProject, removeProjects } from './support/harness.js';

afterAll(removeProjects);

describe('hook.log', () => {
  it('names the hook bundle and the files of the project relative to it', async () => {
    const p = makeReliabilityProject();
    // An error inside the project: a transcript path that is a folder in the project.
    const folder = join(p.project, 'not-a-transcript');
    mkdirSync(folder);
    const run = await p.startHook('PostToolUse', { ...p.hookInput(SESSION, 'PostToolUse'), transcript_path: folder })
      .done;
    expect(run.code).toBe(0);
    const entry = JSON.parse(p.hookLogText().trim()) as { error: string; where: string };
    expect(entry.error).toBe('transcript_path not-a-transcript is not a regular file (a folder); nothing was read');
    expect(entry.where).toMatch(/^at \S+ \(\.claude\/spec-session\/hook\.cjs:\d+:\d+\)/);
    expect(p.hookLogText()).not.toContain(p.project);
  });
});
