/**
 * A transcript_path that is not a regular file (a FIFO nobody writes to, /dev/zero, a folder) must
 * not hold a hook until Claude Code's timeout kills it: the hook exits 0 in its usual time and logs
 * the problem for `doctor`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION, makeReliabilityProject, removeProjects, type ReliabilityProject } from './support/harness.js';

afterAll(removeProjects);

/** A hook takes ~0.15 s; 5 s leaves room for a loaded machine and is far below any Claude Code timeout. */
const USUAL_MS = 5_000;

async function hookWith(p: ReliabilityProject, event: string, transcriptPath: string) {
  const { child, done } = p.startHook(event, {
    ...p.hookInput(SESSION, event, { tool_name: 'Bash', tool_input: { command: 'x' } }),
    transcript_path: transcriptPath,
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const run = await done;
  clearTimeout(killer);
  return run;
}

describe('a transcript_path that is not a regular file', () => {
  const fifo = (p: ReliabilityProject) => {
    const path = join(p.transcriptDir, `${SESSION}.jsonl`);
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    return path;
  };
  const folder = (p: ReliabilityProject) => {
    const path = join(p.transcriptDir, 'a-folder.jsonl');
    mkdirSync(path);
    return path;
  };

  it.each([
    ['a FIFO', 'PostToolUse', fifo],
    ['a FIFO', 'Stop', fifo],
    ['/dev/zero', 'PostToolUse', () => '/dev/zero'],
    ['/dev/zero', 'SessionEnd', () => '/dev/zero'],
    ['a folder', 'PostToolUse', folder],
  ])('%s, %s: exit 0 in the usual time, and an entry in hook.log', async (_name, event, make) => {
    const p = makeReliabilityProject();
    const transcript = make(p);
    const run = await hookWith(p, event, transcript);
    expect({ code: run.code, signal: run.signal, stdout: run.stdout }).toEqual({ code: 0, signal: null, stdout: '' });
    expect(run.ms).toBeLessThan(USUAL_MS);
    const logged = p
      .hookLogText()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; error: string });
    expect(logged).toEqual([
      expect.objectContaining({ event, error: expect.stringContaining(`${transcript} is not a regular file`) }),
    ]);
  });
});
