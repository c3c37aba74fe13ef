/** `spec-session doctor` prints every check, and its exit code says whether any failed. */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../e2e/support/project.js';

describe('spec-session doctor', () => {
  it('a fresh install passes: exit 0 (no transcripts yet is not a failure)', () => {
    const p = makeProject();
    const r = p.specSession(['doctor'], { allowFail: true });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).not.toContain('✗');
    expect(r.stdout).toContain(
      '✓ hooks registered: SessionStart, UserPromptSubmit, PostToolUse, Stop, SubagentStop, SessionEnd\n',
    );
    expect(r.stdout).toContain('  no Claude Code transcripts for this project yet\n');
  });

  it('a failed check: everything is still printed, then one line and exit 1', () => {
    const p = makeProject();
    const log = join(p.project, '.claude', 'spec-session', 'state', 'hook.log');
    mkdirSync(join(log, '..'), { recursive: true });
    appendFileSync(
      log,
      `${JSON.stringify({ t: '2026-11-25T10:00:00.000Z', event: 'Stop', error: 'boom', where: '' })}\n`,
    );
    const r = p.specSession(['doctor'], { allowFail: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '✗ hook errors (last 1, from .claude/spec-session/state/hook.log):\n  2026-11-25T10:00:00.000Z Stop: boom\n',
    );
    expect(r.stdout).toContain('  ledger: 0 API calls, 0 work sessions\n');
    expect(r.stderr).toBe('spec-session doctor: 1 check failed (marked ✗ above)\n');
  });

  it('settings of the wrong shape: two failed checks (the file, and so no hooks)', () => {
    const p = makeProject();
    writeFileSync(join(p.project, '.claude', 'settings.json'), '{"hooks":{"Stop":"echo x"}}');
    const r = p.specSession(['doctor'], { allowFail: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '.claude/settings.json: hooks.Stop must be an array, not a string; fix it first: nothing was changed\n✗ no spec-session hooks in .claude/settings.json',
    );
    expect(r.stderr).toBe('spec-session doctor: 2 checks failed (marked ✗ above)\n');
  });
});
