/**
 * A work session's name stands for one session forever: reusing the name of an ended session
 * must not rewrite its history (its spec, its end, its archived log, its tasks' status).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVOICE_TASKS, makeProject } from '../e2e/support/project.js';

const PATIENT_TASKS = '# Tasks\n\n- [ ] 1.1 Patient search endpoint\n- [ ] 1.2 Patient search UI\n';

describe("an ended session's name", () => {
  it("is refused with one line suggesting a free name, and the session's record and archive stay as they were", () => {
    const p = makeProject({ 'invoice-management': INVOICE_TASKS, 'patient-search': PATIENT_TASKS });
    p.specSession(['start-session', 'inv-1000', 'spec', 'invoice-management']);
    p.specSession(['log-task', 'invoice-management/1.2', 'done', 'in:30000,out:15000', 'claude-haiku-4-5']);
    p.specSession(['eod']);
    const archiveDir = join(p.project, 'docs', 'sessions', 'archive');
    const [day] = readdirSync(archiveDir);
    const archive = join(archiveDir, day!, 'inv-1000.md');
    const before = readFileSync(archive, 'utf8');
    expect(before).toContain('- Spec: invoice-management');
    expect(before).toMatch(/\| 1\.2 \(manual\) \| done \| 45,000 \|/);

    const reused = p.specSession(['start-session', 'inv-1000', 'spec', 'patient-search'], { allowFail: true });
    expect(reused.code).toBe(1);
    expect(reused.stdout).toBe('');
    expect(reused.stderr).toMatch(
      /^spec-session start-session: session "inv-1000" ended on \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(spec invoice-management\); a session's name is never reused, so its record stays as it was: choose another, e\.g\. inv-1000-2\n$/,
    );

    p.specSession(['eod']);
    expect(readFileSync(archive, 'utf8')).toBe(before);
    const cost = p.costJson();
    expect(cost.sessions.map((s) => [s.name, s.spec, s.totalTokens])).toEqual([
      ['inv-1000', 'invoice-management', 45_000],
    ]);
    // The suggested name is free.
    expect(p.specSession(['start-session', 'inv-1000-2', 'spec', 'patient-search']).stdout).toContain(
      'Session inv-1000-2 created · spec patient-search',
    );
  });
});
