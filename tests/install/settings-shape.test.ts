/**
 * Install reads everything it depends on before it writes anything: a settings file of the wrong
 * shape, or a Claude Code version it cannot place, is refused in one line and nothing is written.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectWith, run, tree } from './support/project-tree.js';

describe('a settings file of the wrong shape', () => {
  it.each([
    ['{"hooks":{"Stop":"echo x"}}', 'hooks.Stop must be an array, not a string'],
    ['{"hooks":{"Stop":[{"hooks":"x"}]}}', 'hooks.Stop[0].hooks must be an array, not a string'],
    ['{"hooks":[]}', 'hooks must be an object, not an array'],
    ['{"hooks":"x"}', 'hooks must be an object, not a string'],
    ['{"hooks":null}', 'hooks must be an object, not null'],
    ['{"hooks":{"Stop":[1]}}', 'hooks.Stop[0] must be an object, not a number'],
    ['{"hooks":{"Stop":[{}]}}', 'hooks.Stop[0].hooks must be an array, not missing'],
    ['{"hooks":{"Stop":[{"hooks":[null]}]}}', 'hooks.Stop[0].hooks[0] must be an object, not null'],
    [
      '{"model":"x","hooks":{"PostToolUse":[{"matcher":"Write","hooks":[{"type":"command","command":5}]}]}}',
      'hooks.PostToolUse[0].hooks[0].command must be a string, not a number',
    ],
    ['[]', 'must be a JSON object, not an array'],
    ['"text"', 'must be a JSON object, not a string'],
  ])('%s: install refuses in one line naming %s, and writes nothing', (settings, problem) => {
    const dir = projectWith({ '.claude/settings.json': settings });
    const before = tree(dir);
    const r = run(['install', '--dir', dir, '--claude-version', '2.1.331']);
    expect([r.status, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe(
      `spec-session install: ${dir}/.claude/settings.json: ${problem}; fix it first: nothing was changed\n`,
    );
    expect(tree(dir)).toEqual(before);
  });

  it('doctor and uninstall report it in one line instead of crashing', () => {
    const dir = projectWith({ '.claude/settings.json': '{}' });
    expect(run(['install', '--dir', dir, '--claude-version', '2.1.331']).status).toBe(0);
    const settings = `${dir}/.claude/settings.json`;
    writeFileSync(settings, '{"hooks":{"Stop":"echo x"}}'); // a hand edit after the install
    const doctor = run(['doctor', '--dir', dir]);
    expect(doctor.stdout).toContain(
      `✗ ${settings}: hooks.Stop must be an array, not a string; fix it first: nothing was changed\n`,
    );
    expect(doctor.stderr).not.toMatch(/is not a function/);
    const before = tree(dir);
    const uninstall = run(['uninstall', '--dir', dir]);
    expect([uninstall.status, uninstall.stderr]).toEqual([
      1,
      `spec-session uninstall: ${settings}: hooks.Stop must be an array, not a string; fix it first: nothing was changed\n`,
    ]);
    expect(tree(dir)).toEqual(before);
  });
});

describe('--claude-version', () => {
  it.each([
    ['abc', 'unknown Claude Code version "abc": give it as X.Y.Z, as `claude --version` prints it'],
    ['2.1', 'unknown Claude Code version "2.1": give it as X.Y.Z, as `claude --version` prints it'],
    ['', 'unknown Claude Code version "": give it as X.Y.Z, as `claude --version` prints it'],
    ['0.0.1', 'Claude Code 0.0.1 has no hooks (they came in 1.0.38): upgrade Claude Code, then install'],
    ['1.0.37', 'Claude Code 1.0.37 has no hooks (they came in 1.0.38): upgrade Claude Code, then install'],
  ])('%j is refused: %s', (version, message) => {
    const dir = projectWith();
    const r = run(['install', '--dir', dir, '--claude-version', version]);
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', `spec-session install: ${message}\n`]);
    expect(tree(dir)).toEqual({});
  });

  it.each([
    ['1.0.38', 'PostToolUse, Stop'],
    ['1.0.60', 'UserPromptSubmit, PostToolUse, Stop, SubagentStop'],
    ['2.1.331 (Claude Code)', 'SessionStart, UserPromptSubmit, PostToolUse, Stop, SubagentStop, SessionEnd'],
    ['v2.0.77', 'SessionStart, UserPromptSubmit, PostToolUse, Stop, SubagentStop, SessionEnd'],
  ])('%j registers %s', (version, events) => {
    const dir = projectWith();
    const r = run(['install', '--dir', dir, '--claude-version', version]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `  hooks: ${events} (Claude Code ${version.replace(/^v/, '').replace(/ .*/, '')}) → .claude/settings.json\n`,
    );
  });
});
