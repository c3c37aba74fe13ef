/**
 * `cost --json` over a long history is a big answer, written in pieces: the pieces make exactly the
 * JSON a reader parses (checked against the generator's truth), and a reader that stops early
 * (`| head`) ends the command quietly, with exit code 0 and nothing on stderr.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from '../e2e/support/project.js';
import { fieldsOf, ledgerProject, tokenFields } from './support/ledger-project.js';

describe('a big cost --json answer', () => {
  const p = ledgerProject({ devs: 3, days: 6, callsPerDay: 200, seed: 11 });

  it('is whole and exact when read to the end', () => {
    const r = p.run(['cost', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(256 << 10); // more than a pipe holds: written in pieces
    const cost = JSON.parse(r.stdout);
    expect(tokenFields(cost.totals)).toEqual(fieldsOf(p.expected.total.get('all')!));
    expect(cost.tasks.length).toBeGreaterThan(100);
  });

  it('ends quietly when its reader stops early', async () => {
    const child = spawn(process.execPath, [cli, 'cost', '--json', '--dir', p.dir], {
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let first = '';
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString();
      child.stdout.destroy(); // `| head -c …`
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first.startsWith('{\n  "tasks": [')).toBe(true);
    expect([code, stderr]).toEqual([0, '']);
  });
});
