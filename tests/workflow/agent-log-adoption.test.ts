/**
 * The turn's end (Claude Code's Stop hook) is where an agent's late log-implementation call is
 * noticed: spec-session's placeholder for the task goes, its usage moves into the agent's log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hookHandlers } from '../../src/workflow/hook-handlers.js';
import { listFiles, tempProject } from '../spec/temp-project.js';

const FIXTURES = new URL('../spec/fixtures/spec-workflow-2.2.7/logs/', import.meta.url);
const fixture = (name: string) => fs.readFileSync(new URL(name, FIXTURES), 'utf8');
const LOGS = '.spec-workflow/specs/auth/Implementation Logs';

describe('a turn ends after the agent logged a task spec-session had already logged', () => {
  it("leaves one log for the task: the agent's, with the usage", () => {
    const dir = tempProject({
      '.spec-workflow/specs/auth/tasks.md': '- [x] 2.1 Session store\n',
      [`${LOGS}/task-2-1_2025-11-10T1420_0c5e7a9b.md`]: fixture('placeholder.md'),
      [`${LOGS}/task-2-1_2025-11-10T1430_3f2a9c1d.md`]: fixture('agent-log.md'),
      'transcript.jsonl': '',
    });
    hookHandlers.afterTurn({
      projectDir: dir,
      sessionId: 'a1b2c3d4-0000-4000-8000-000000000001',
      transcriptPath: path.join(dir, 'transcript.jsonl'),
    });
    expect(listFiles(dir).filter((file) => file.startsWith('.spec-workflow'))).toEqual([
      `${LOGS}/task-2-1_2025-11-10T1430_3f2a9c1d.md`,
      '.spec-workflow/specs/auth/tasks.md',
    ]);
    expect(fs.readFileSync(path.join(dir, LOGS, 'task-2-1_2025-11-10T1430_3f2a9c1d.md'), 'utf8')).toBe(
      fixture('agent-log-with-usage.md'),
    );
  });
});
