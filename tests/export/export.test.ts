/**
 * `spec-session export` on a ledger the real Claude Code CLI made: one row per call the plan
 * scripted, with its attribution, tokens and list price; the rows of a range sum to what the plan
 * says, in CSV and in JSON, and so does `cost --json`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../src/export/export-usage.js';
import { parseCsv } from './support/parse-csv.js';
import { copyWorkedProject, type WorkedProject } from '../worked-project/copy-worked-project.js';
import { dayOf, nextDay, sumOf, usd, type Expected } from '../worked-project/expected-usage.js';

type Row = Record<string, string | number | null>;
let p: WorkedProject;

beforeAll(() => {
  p = copyWorkedProject();
});
afterAll(() => p.remove());

function totalsOf(rows: Row[]): Expected {
  const sum = (k: string) => rows.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  let cost = 0;
  for (const r of rows) if (r.cost_usd !== null && r.cost_usd !== '') cost += Number(r.cost_usd);
  const t = {
    inputTokens: sum('input_tokens'),
    outputTokens: sum('output_tokens'),
    cacheCreationTokens: sum('cache_write_5m_tokens') + sum('cache_write_1h_tokens'),
    cacheReadTokens: sum('cache_read_tokens'),
  };
  return {
    ...t,
    totalTokens: t.inputTokens + t.outputTokens + t.cacheCreationTokens + t.cacheReadTokens,
    totalCost: usd(cost),
    calls: rows.length,
  };
}

function costTotals(range: string[]): Expected {
  const t = JSON.parse(p.specSession(['cost', '--json', ...range]).stdout).totals;
  return {
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cacheCreationTokens: t.cacheCreationTokens,
    cacheReadTokens: t.cacheReadTokens,
    totalTokens: t.totalTokens,
    totalCost: usd(t.totalCost),
    calls: t.calls,
  };
}

describe('spec-session export', () => {
  const today = () => dayOf(p.info.now);
  it.each([
    ['all time', () => [], () => p.info.calls],
    [
      'today',
      () => ['--since', today(), '--until', today()],
      () => p.info.calls.filter((c) => dayOf(c.at) === today()),
    ],
    ['a day with nothing', () => ['--since', nextDay(today())], () => []],
  ])('%s: the rows sum to the plan, in CSV and in JSON, as cost --json does', (_name, range, calls) => {
    const expected = sumOf(calls());
    const json = JSON.parse(p.specSession(['export', '--format', 'json', ...range()]).stdout) as { rows: Row[] };
    expect(totalsOf(json.rows)).toEqual(expected);
    const [header, ...records] = parseCsv(p.specSession(['export', '--format', 'csv', ...range()]).stdout);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const rows = records.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
    expect(totalsOf(rows)).toEqual(expected);
    expect(rows.map((r) => r.cost_usd)).toEqual(json.rows.map((r) => String(r.cost_usd)));
    expect(costTotals(range())).toEqual(expected);
  });

  it('a row per call, in time order: who, what, when, its tokens and its list price', () => {
    const { rows } = JSON.parse(p.specSession(['export', '--format', 'json']).stdout) as { rows: Row[] };
    expect(rows).toEqual(
      p.info.calls.map((c) => ({
        timestamp: c.at,
        claude_session: p.sessions[c.session],
        work_session: c.ws,
        spec: c.spec,
        task: c.task,
        model: c.model,
        kind: 'call',
        input_tokens: c.usage.input,
        output_tokens: c.usage.output,
        cache_write_5m_tokens: c.usage.cacheWrite,
        cache_write_1h_tokens: 0,
        cache_read_tokens: c.usage.cacheRead,
        cost_usd: sumOf([c]).totalCost,
      })),
    );
    expect(rows[0]!.cost_usd).toBe(0.050875); // 1200 in, 340 out, 5100 written, 9000 read on Opus 4.5, by hand
  });

  it('refuses a format it does not know, in one line', () => {
    const r = p.specSession(['export', '--format', 'xlsx'], { allowFail: true });
    expect([r.code, r.stderr]).toEqual([1, 'spec-session export: --format must be "csv" or "json", got "xlsx"\n']);
  });
});
