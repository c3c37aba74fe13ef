/** Recovery on a new day, and the knowledge search, through the real CLI. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../e2e/support/project.js';

const cli = join(__dirname, '..', '..', 'dist', 'spec-session.cjs');

describe('a new day', () => {
  it('/start-session points to the last daily summary', () => {
    const p = makeProject();
    p.specSession(['start-session', 'inv-0930', 'spec', 'invoice-management']);
    p.specSession(['eod', '--date', '2026-11-24']);
    const next = p.specSession(['start-session', 'inv-1000', 'spec', 'invoice-management']).stdout;
    expect(next).toContain('Last daily summary: docs/sessions/daily/2026-11-24.md');
  });
});

describe('spec-session knowledge', () => {
  const project = join(__dirname, '..', 'spec', 'fixtures', 'knowledge-project');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, 'knowledge', ...args, '--dir', project], { encoding: 'utf8' });

  it('finds artifacts across specs by name or field', () => {
    const r = run('session');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/auth-sessions 2\.1 +apiEndpoint +GET \/api\/sessions\/:id/);
    expect(r.stdout).toMatch(/artifacts? match "session"\.\n$/);
  });

  it('says so when nothing matches, and needs a term', () => {
    expect(run('zzz-nothing').stdout).toBe('No artifact in the implementation logs matches "zzz-nothing".\n');
    const none = spawnSync(process.execPath, [cli, 'knowledge'], { encoding: 'utf8' });
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(
      'spec-session knowledge: usage: spec-session knowledge <term>   e.g. spec-session knowledge invoice\n',
    );
  });
});
