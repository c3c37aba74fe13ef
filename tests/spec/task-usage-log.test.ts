/**
 * One task, one usage section, one dashboard entry: whichever comes first, the agent's log
 * (spec-workflow's log-implementation) or spec-session's placeholder, the usage ends in the
 * agent's log and the placeholder is gone. Logs are spec-workflow 2.2.7's own bytes, and what its
 * dashboard lists for each is its recorded reading (fixtures/spec-workflow-2.2.7/logs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptAgentLogs, writeTaskUsage } from '../../src/spec/task-usage-log.js';
import { usageSection } from '../../src/spec/usage-section.js';
import { listFiles, tempProject } from './temp-project.js';
import { USAGE } from './usage-fixture.js';

const FIXTURES = new URL('fixtures/spec-workflow-2.2.7/logs/', import.meta.url);
const fixture = (name: string) => fs.readFileSync(new URL(name, FIXTURES), 'utf8');
/** spec-workflow's dashboard reading of each fixture log. */
const DASHBOARD = JSON.parse(fixture('parsed.json')) as Record<
  string,
  { summary: string; statistics: { linesAdded: number; linesRemoved: number } }
>;

const LOGS = '.spec-workflow/specs/auth/Implementation Logs';
const AGENT = `${LOGS}/task-2-1_2025-11-10T1430_3f2a9c1d.md`; // the name spec-workflow gives agent-log.md
const PLACEHOLDER = `${LOGS}/task-2-1_2025-11-10T1420_0c5e7a9b.md`;
const TASKS = { '.spec-workflow/specs/auth/tasks.md': '- [x] 2.1 Session store\n' };
const AT_1420 = new Date('2025-11-10T14:20:00.000Z');
const PLACEHOLDER_ID = () => '0c5e7a9b-1d2f-4e6a-8b3c-5d7e9f1a2b3c';
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe("the dashboard's view of the usage section", () => {
  it('lists a log with the section exactly as without it', () => {
    expect(DASHBOARD['agent-log-with-usage.md']).toEqual(DASHBOARD['agent-log.md']);
    expect(fixture('agent-log-with-usage.md')).toContain(usageSection(USAGE));
  });

  it('lists the placeholder as an empty entry (+0/−0), which is why it must go once the agent logs', () => {
    expect(DASHBOARD['placeholder.md']).toMatchObject({
      summary: 'Task 2.1 completed; usage recorded by spec-session.',
      statistics: { linesAdded: 0, linesRemoved: 0 },
    });
  });
});

describe('the agent logs first, then the task is done', () => {
  it("puts the usage into the agent's log and writes no placeholder", () => {
    const dir = tempProject({ ...TASKS, [AGENT]: fixture('agent-log.md') });
    expect(writeTaskUsage(dir, 'auth', '2.1', USAGE, AT_1420, PLACEHOLDER_ID)).toBe(path.join(dir, AGENT));
    expect(listFiles(dir)).toEqual([AGENT, '.spec-workflow/specs/auth/tasks.md']);
    expect(read(dir, AGENT)).toBe(fixture('agent-log-with-usage.md'));
  });
});

describe('the task is done first, then the agent logs', () => {
  const doneThenLogged = () => {
    const dir = tempProject(TASKS);
    expect(writeTaskUsage(dir, 'auth', '2.1', USAGE, AT_1420, PLACEHOLDER_ID)).toBe(path.join(dir, PLACEHOLDER));
    expect(read(dir, PLACEHOLDER)).toBe(fixture('placeholder.md'));
    fs.writeFileSync(path.join(dir, AGENT), fixture('agent-log.md')); // log-implementation, later
    return dir;
  };

  it("adoptAgentLogs moves the usage into the agent's log and removes the placeholder", () => {
    const dir = doneThenLogged();
    expect(adoptAgentLogs(dir, 'auth')).toEqual([path.join(dir, AGENT)]);
    expect(listFiles(dir)).toEqual([AGENT, '.spec-workflow/specs/auth/tasks.md']);
    expect(read(dir, AGENT)).toBe(fixture('agent-log-with-usage.md'));
    expect(adoptAgentLogs(dir, 'auth')).toEqual([]);
  });

  it("prefers the agent's log even when its time is older (a teammate's log, merged later)", () => {
    const dir = tempProject(TASKS);
    writeTaskUsage(dir, 'auth', '2.1', USAGE, AT_1420, PLACEHOLDER_ID);
    const older = fixture('agent-log.md').replace('2025-11-10T14:30:12.345Z', '2025-11-10T14:10:00.000Z');
    fs.writeFileSync(path.join(dir, AGENT), older);
    expect(adoptAgentLogs(dir, 'auth')).toEqual([path.join(dir, AGENT)]);
    expect(listFiles(dir)).toEqual([AGENT, '.spec-workflow/specs/auth/tasks.md']);
    expect(read(dir, AGENT)).toBe(older.replace('## Files Modified', `${usageSection(USAGE)}## Files Modified`));
  });

  it('writing the usage again (a later turn, /eod) does the same', () => {
    const dir = doneThenLogged();
    expect(writeTaskUsage(dir, 'auth', '2.1', USAGE, AT_1420, () => 'unused')).toBe(path.join(dir, AGENT));
    expect(listFiles(dir)).toEqual([AGENT, '.spec-workflow/specs/auth/tasks.md']);
    expect(read(dir, AGENT)).toBe(fixture('agent-log-with-usage.md'));
  });
});

describe('adoptAgentLogs over many turns', () => {
  const SECOND = `${LOGS}/task-2-1_2025-11-11T0900_5b6c7d8e.md`; // the agent logged 2.1 a second time
  it("does not read a task's logs again while their names stay, and adopts a placeholder that comes later", () => {
    const second = fixture('agent-log.md').replace('2025-11-10T14:30:12.345Z', '2025-11-11T09:00:00.000Z');
    const dir = tempProject({ ...TASKS, [AGENT]: fixture('agent-log.md'), [SECOND]: second });
    const settled: Record<string, string> = {};
    expect(adoptAgentLogs(dir, 'auth', settled)).toEqual([]);
    expect(settled).toEqual({ 'task-2-1': [path.basename(AGENT), path.basename(SECOND)].join('\n') });
    // Settled: a second turn does not read them (one made unreadable, as a folder, goes unnoticed).
    fs.rmSync(path.join(dir, SECOND));
    fs.mkdirSync(path.join(dir, SECOND));
    expect(adoptAgentLogs(dir, 'auth', settled)).toEqual([]);
    fs.rmdirSync(path.join(dir, SECOND));
    fs.writeFileSync(path.join(dir, SECOND), second);
    // A placeholder is a new name: the task's logs are read again and its usage lands in the newest agent log.
    fs.writeFileSync(path.join(dir, PLACEHOLDER), fixture('placeholder.md'));
    expect(adoptAgentLogs(dir, 'auth', settled)).toEqual([path.join(dir, SECOND)]);
    expect(listFiles(dir)).toEqual([AGENT, SECOND, '.spec-workflow/specs/auth/tasks.md']);
    expect(read(dir, SECOND)).toContain(usageSection(USAGE));
    expect(read(dir, AGENT)).toBe(fixture('agent-log.md'));
  });
});

describe('adoptAgentLogs leaves alone', () => {
  it.each([
    ['a placeholder with no agent log', { [PLACEHOLDER]: fixture('placeholder.md') }],
    ['an agent log with no placeholder', { [AGENT]: fixture('agent-log.md') }],
    [
      "another task's agent log",
      {
        [PLACEHOLDER]: fixture('placeholder.md'),
        [`${LOGS}/task-2-10_2025-11-10T1430_3f2a9c1d.md`]: fixture('agent-log.md').replace('Task 2.1', 'Task 2.10'),
      },
    ],
    ['no log folder', {}],
  ])('%s', (_name, logs) => {
    const dir = tempProject({ ...TASKS, ...logs });
    expect(adoptAgentLogs(dir, 'auth')).toEqual([]);
    for (const [file, text] of Object.entries(logs)) expect(read(dir, file)).toBe(text);
    expect(listFiles(dir)).toEqual([...Object.keys(logs), ...Object.keys(TASKS)].sort());
  });
});

describe('one usage section per task', () => {
  it('moves it from an older agent log into the newest one', () => {
    const newer = fixture('agent-log.md')
      .replace('2025-11-10T14:30:12.345Z', '2025-11-11T09:00:00.000Z')
      .replace('3f2a9c1d-8b4e', '7a7a7a7a-8b4e');
    const NEWER = `${LOGS}/task-2-1_2025-11-11T0900_7a7a7a7a.md`;
    const dir = tempProject({ ...TASKS, [AGENT]: fixture('agent-log-with-usage.md'), [NEWER]: newer });
    expect(writeTaskUsage(dir, 'auth', '2.1', USAGE, AT_1420, () => 'unused')).toBe(path.join(dir, NEWER));
    expect(read(dir, AGENT)).toBe(fixture('agent-log.md'));
    expect(read(dir, NEWER)).toBe(newer.replace('## Files Modified', `${usageSection(USAGE)}## Files Modified`));
  });
});
