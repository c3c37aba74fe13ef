import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES, configDir, fixtureCase, session } from '../fixtures/transcripts/cases.js';
import { tempDir } from '../transcript/corpus.js';
import { CLI, cliEnv, ensureBuilt, runCli, twoProjects } from './cli.js';
import { firstDayOfLast } from '../../src/report/usage-report.js';
import type { TokenFields } from '../e2e/support/project.js';

beforeAll(() => ensureBuilt());

/** `spec-session report …` as a user runs it, on a fresh history store; stdout must be all there is. */
function report(args: string[], extraEnv: Record<string, string> = {}) {
  const r = runCli(['report', ...args], cliEnv(tempDir('spec-session-report-'), extraEnv));
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

interface Tally extends TokenFields {
  cacheCreation5mTokens: number;
  cacheCreation1hTokens: number;
}
interface Breakdown extends Omit<Tally, 'totalCost'> {
  modelName: string;
  cost: number | null;
}
interface Row extends Tally {
  modelsUsed: string[];
  modelBreakdowns: Breakdown[];
  unpricedModels: string[];
}
interface SessionRow extends Row {
  sessionId: string;
  projectPath: string;
  firstActivity: string;
  lastActivity: string;
}
interface Report {
  daily?: Array<Row & { date: string }>;
  weekly?: Array<Row & { week: string }>;
  monthly?: Array<Row & { month: string }>;
  sessions?: SessionRow[];
  totals: Tally;
  unpricedModels: string[];
  priceTable: string;
  timeZone: string;
  claudeCodeVersions: string[];
  versionsWithoutCostState: string[];
}

const json = (args: string[], env: Record<string, string> = {}) =>
  JSON.parse(report([...args, '--json'], env)) as Report;
const ALL = CASES.map((c) => configDir(c.name)).join(',');
const CALENDAR = ['--config-dir', configDir('calendar')];
/** [key, input tokens] of each row: what a user reads first. */
const inputs = <R extends Row>(rows: R[], key: keyof R) => rows.map((r) => [r[key], r.inputTokens]);

describe('report session --json on every fixture at once (CLAUDE_CONFIG_DIR as a comma list)', () => {
  let all: Report;
  beforeAll(() => {
    all = json(['session', '--config-dir', ALL]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: its sessions and totals', (_, c) => {
    const rows = all.sessions!.filter((s) => s.sessionId in c.sessions);
    expect(Object.fromEntries(rows.map((s) => [s.sessionId, [s.inputTokens, s.outputTokens]]))).toEqual(c.sessions);
    const sum = (f: (r: SessionRow) => number) => rows.reduce((n, r) => n + f(r), 0);
    expect({
      input: sum((r) => r.inputTokens),
      output: sum((r) => r.outputTokens),
      cacheWrite5m: sum((r) => r.cacheCreation5mTokens),
      cacheWrite1h: sum((r) => r.cacheCreation1hTokens),
      cacheRead: sum((r) => r.cacheReadTokens),
    }).toEqual(c.totals);
    expect(sum((r) => r.totalCost)).toBeCloseTo(c.costUsd, 9);
    for (const r of rows) {
      expect(r.projectPath).toBe('-home-dev-shop');
      expect(r.cacheCreationTokens).toBe(r.cacheCreation5mTokens + r.cacheCreation1hTokens);
      expect(r.totalTokens).toBe(r.inputTokens + r.outputTokens + r.cacheCreationTokens + r.cacheReadTokens);
    }
  });

  it('no session appears that is not in a fixture (agent files and <synthetic> included)', () => {
    expect(all.sessions!.map((s) => s.sessionId).sort()).toEqual(CASES.flatMap((c) => Object.keys(c.sessions)).sort());
    expect(all.sessions!.flatMap((s) => s.modelsUsed)).not.toContain('<synthetic>');
  });

  it('the totals are the sum of the fixtures', () => {
    const sum = (k: 'input' | 'output' | 'cacheRead') => CASES.reduce((n, c) => n + c.totals[k], 0);
    expect(all.totals).toMatchObject({
      inputTokens: sum('input'),
      outputTokens: sum('output'),
      cacheReadTokens: sum('cacheRead'),
    });
    expect(all.totals.totalCost).toBeCloseTo(
      CASES.reduce((n, c) => n + c.costUsd, 0),
      9,
    );
  });
});

describe('ccusage field names', () => {
  const CCUSAGE_ROW = [
    'inputTokens',
    'outputTokens',
    'cacheCreationTokens',
    'cacheReadTokens',
    'totalTokens',
    'totalCost',
    'modelsUsed',
    'modelBreakdowns',
  ];
  const CCUSAGE_BREAKDOWN = [
    'modelName',
    'inputTokens',
    'outputTokens',
    'cacheCreationTokens',
    'cacheReadTokens',
    'cost',
  ];
  const CCUSAGE_TOTALS = [
    'inputTokens',
    'outputTokens',
    'cacheCreationTokens',
    'cacheReadTokens',
    'totalTokens',
    'totalCost',
  ];

  it.each([
    ['daily', 'daily', 'date'],
    ['weekly', 'weekly', 'week'],
    ['monthly', 'monthly', 'month'],
    ['session', 'sessions', 'sessionId'],
  ] as const)('report %s: "%s"[] rows keyed by %s', (period, list, key) => {
    const out = json([period, ...CALENDAR]) as unknown as Record<string, Array<Record<string, unknown>>> & {
      totals: object;
    };
    const rows = out[list]!;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(expect.arrayContaining([key, ...CCUSAGE_ROW]));
      for (const b of row.modelBreakdowns as object[])
        expect(Object.keys(b)).toEqual(expect.arrayContaining(CCUSAGE_BREAKDOWN));
    }
    expect(Object.keys(out.totals)).toEqual(expect.arrayContaining(CCUSAGE_TOTALS));
    if (period === 'session') {
      expect(rows.map((r) => [r.sessionId, r.projectPath, r.firstActivity, r.lastActivity])).toEqual([
        [session(19), '-home-dev-shop', '2026-10-31T12:00:00.000Z', '2026-11-02T10:00:00.000Z'],
        [session(20), '-home-dev-shop', '2026-11-10T09:00:00.000Z', '2026-11-10T09:00:00.000Z'],
      ]);
    }
  });
});

describe('days, weeks and months in the user time zone', () => {
  it('daily in UTC: 23:30 UTC stays on its day', () => {
    const out = json(['daily', ...CALENDAR]);
    expect(inputs(out.daily!, 'date')).toEqual([
      ['2026-10-31', 1000],
      ['2026-11-01', 2000],
      ['2026-11-02', 3000],
      ['2026-11-10', 4000],
    ]);
    expect(out.timeZone).toBe('UTC');
    expect(out.daily![0]).toMatchObject({
      date: '2026-10-31',
      inputTokens: 1000,
      outputTokens: 100,
      totalTokens: 1100,
      totalCost: 0.0045,
      modelsUsed: ['claude-sonnet-4-5-20250929'],
    });
  });

  it('--tz Asia/Tokyo moves Sunday 23:30 UTC to Monday 2026-11-02', () => {
    const out = json(['daily', ...CALENDAR, '--tz', 'Asia/Tokyo']);
    expect(inputs(out.daily!, 'date')).toEqual([
      ['2026-10-31', 1000],
      ['2026-11-02', 5000],
      ['2026-11-10', 4000],
    ]);
    expect(out.timeZone).toBe('Asia/Tokyo');
  });

  it('without --tz, TZ decides', () => {
    expect(inputs(json(['daily', ...CALENDAR], { TZ: 'Asia/Tokyo' }).daily!, 'date')).toEqual([
      ['2026-10-31', 1000],
      ['2026-11-02', 5000],
      ['2026-11-10', 4000],
    ]);
  });

  it('an empty TZ is UTC, as the C library and Date take it (Intl calls it Etc/Unknown)', () => {
    const out = json(['daily', ...CALENDAR], { TZ: '' });
    expect(out.timeZone).toBe('UTC');
    expect(inputs(out.daily!, 'date')).toEqual(inputs(json(['daily', ...CALENDAR]).daily!, 'date'));
  });

  it('TZ decides on every run: the zone a run kept for the next is not used once TZ changes', () => {
    const env = cliEnv(tempDir('spec-session-report-'));
    const daily = (tz: string) => {
      const r = runCli(['report', 'daily', '--json', ...CALENDAR], { ...env, TZ: tz });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as Report;
    };
    for (const tz of ['Asia/Tokyo', 'Asia/Tokyo', 'UTC', 'Asia/Tokyo']) {
      const out = daily(tz);
      expect(out.timeZone).toBe(tz);
      expect(inputs(out.daily!, 'date')).toEqual(
        tz === 'UTC'
          ? [
              ['2026-10-31', 1000],
              ['2026-11-01', 2000],
              ['2026-11-02', 3000],
              ['2026-11-10', 4000],
            ]
          : [
              ['2026-10-31', 1000],
              ['2026-11-02', 5000],
              ['2026-11-10', 4000],
            ],
      );
    }
    expect(fs.readFileSync(path.join(env.SPEC_SESSION_HOME!, 'history', 'zone.json'), 'utf8')).toContain('Asia/Tokyo');
  });

  it('weekly: weeks start on Monday, in the zone', () => {
    expect(inputs(json(['weekly', ...CALENDAR]).weekly!, 'week')).toEqual([
      ['2026-10-26', 3000],
      ['2026-11-02', 3000],
      ['2026-11-09', 4000],
    ]);
    expect(inputs(json(['weekly', ...CALENDAR, '--tz', 'Asia/Tokyo']).weekly!, 'week')).toEqual([
      ['2026-10-26', 1000],
      ['2026-11-02', 5000],
      ['2026-11-09', 4000],
    ]);
  });

  it('monthly', () => {
    expect(inputs(json(['monthly', ...CALENDAR]).monthly!, 'month')).toEqual([
      ['2026-10', 1000],
      ['2026-11', 9000],
    ]);
    // 2026-10-31 12:00 UTC is still October in Los Angeles, 2026-11-01 23:30 UTC is November 1st there.
    expect(inputs(json(['monthly', ...CALENDAR, '--tz', 'America/Los_Angeles']).monthly!, 'month')).toEqual([
      ['2026-10', 1000],
      ['2026-11', 9000],
    ]);
  });
});

describe('--since and --until (inclusive days in the zone)', () => {
  it('daily', () => {
    const out = json(['daily', ...CALENDAR, '--since', '2026-11-01', '--until', '2026-11-02']);
    expect(inputs(out.daily!, 'date')).toEqual([
      ['2026-11-01', 2000],
      ['2026-11-02', 3000],
    ]);
    expect(out.totals).toMatchObject({ inputTokens: 5000, outputTokens: 500, totalCost: 0.0225 });
  });

  it("ccusage's YYYYMMDD is the same day", () => {
    expect(json(['daily', ...CALENDAR, '--since', '20261101', '--until', '20261102'])).toEqual(
      json(['daily', ...CALENDAR, '--since', '2026-11-01', '--until', '2026-11-02']),
    );
  });

  it('the same range in Tokyo holds only Monday, with the 23:30 UTC call', () => {
    const out = json(['daily', ...CALENDAR, '--since', '2026-11-01', '--until', '2026-11-02', '--tz', 'Asia/Tokyo']);
    expect(inputs(out.daily!, 'date')).toEqual([['2026-11-02', 5000]]);
  });

  it('open ends, and sessions', () => {
    expect(json(['daily', ...CALENDAR, '--since', '2026-11-03']).totals.inputTokens).toBe(4000);
    expect(json(['daily', ...CALENDAR, '--until', '2026-10-31']).totals.inputTokens).toBe(1000);
    expect(inputs(json(['session', ...CALENDAR, '--since', '2026-11-03']).sessions!, 'sessionId')).toEqual([
      [session(20), 4000],
    ]);
    expect(json(['monthly', ...CALENDAR, '--since', '2027-01-01'])).toMatchObject({
      monthly: [],
      totals: { inputTokens: 0, totalCost: 0 },
    });
  });
});

describe('prices the user sees', () => {
  it('an unknown model is unpriced, never $0: JSON names it and its cost is null', () => {
    const out = json(['daily', '--config-dir', configDir('unknown-model')]);
    expect(out.unpricedModels).toEqual(['claude-nonexistent-9']);
    expect(out.totals.totalCost).toBe(0.0045); // the priced call only
    const day = out.daily![0]!;
    expect(day.unpricedModels).toEqual(['claude-nonexistent-9']);
    expect(day.modelBreakdowns.map((b) => [b.modelName, b.inputTokens, b.cost])).toEqual([
      ['claude-sonnet-4-5-20250929', 1000, 0.0045],
      ['claude-nonexistent-9', 1000, null],
    ]);
  });

  it('an unknown model in the table: the cost carries a * and a note names the model', () => {
    const text = report(['daily', '--config-dir', configDir('unknown-model')]);
    expect(text.split('\n').filter((l) => l.startsWith(' 2026-11-20') || l.startsWith(' Total'))).toEqual([
      ' 2026-11-20 │ 2,000 │    200 │       0 │       0 │ 2,200 │ $0.0045* ',
      ' Total      │ 2,000 │    200 │       0 │       0 │ 2,200 │ $0.0045* ',
    ]);
    expect(text).toMatch(/^\* .*claude-nonexistent-9/m);
  });

  it('fast mode (x6 on opus-4-6), the 5m/1h split, long context, and the claude-code table', () => {
    expect(json(['daily', '--config-dir', configDir('fast-mode')]).totals.totalCost).toBe(0.0525);
    expect(json(['daily', '--config-dir', configDir('cache-creation-split')]).totals).toMatchObject({
      cacheCreationTokens: 1400,
      cacheCreation5mTokens: 700,
      cacheCreation1hTokens: 700,
      totalCost: 0.007065,
    });
    expect(json(['daily', '--config-dir', configDir('long-context')]).totals.totalCost).toBe(0.9945);
    const claudeCode = json(['daily', '--config-dir', configDir('long-context'), '--prices', 'claude-code']);
    expect(claudeCode).toMatchObject({ priceTable: 'claude-code', totals: { totalCost: 0.537 } });
  });
});

describe('Claude Code versions, and what no transcript holds', () => {
  it('names the versions seen; those that never wrote a cost-state line have side calls nobody can count', () => {
    const out = json(['daily', '--config-dir', ALL]);
    expect(out.claudeCodeVersions).toEqual([
      '1.0.128',
      '2.0.77',
      '2.1.30',
      '2.1.34',
      '2.1.56',
      '2.1.85',
      '2.1.112',
      '2.1.331',
    ]);
    expect(out.versionsWithoutCostState).toEqual([
      '1.0.128',
      '2.0.77',
      '2.1.30',
      '2.1.34',
      '2.1.56',
      '2.1.85',
      '2.1.112',
    ]);
  });

  it('2.1.331 records them in cost-state: nothing to warn about', () => {
    const out = json(['daily', '--config-dir', configDir('resumed-fork')]);
    expect(out).toMatchObject({ claudeCodeVersions: ['2.1.331'], versionsWithoutCostState: [] });
    expect(
      report(['daily', '--config-dir', configDir('resumed-fork')])
        .split('\n')
        .slice(-3),
    ).toEqual(['Prices: anthropic table · times in UTC', 'Claude Code versions: 2.1.331.', '']);
  });

  it('only the versions of the days shown', () => {
    expect(json(['daily', '--config-dir', ALL, '--since', '2026-11-21']).claudeCodeVersions).toEqual([]);
  });
});

describe('the table', () => {
  it('--breakdown adds one line per model under each period', () => {
    expect(report(['daily', ...CALENDAR, '--breakdown'])).toBe(
      [
        ' Date          │  Input │ Output │ Cache W │ Cache R │  Total │    Cost ',
        '───────────────┼────────┼────────┼─────────┼─────────┼────────┼─────────',
        ' 2026-10-31    │  1,000 │    100 │       0 │       0 │  1,100 │ $0.0045 ',
        '  └ sonnet-4-5 │  1,000 │    100 │       0 │       0 │  1,100 │ $0.0045 ',
        ' 2026-11-01    │  2,000 │    200 │       0 │       0 │  2,200 │ $0.0090 ',
        '  └ sonnet-4-5 │  2,000 │    200 │       0 │       0 │  2,200 │ $0.0090 ',
        ' 2026-11-02    │  3,000 │    300 │       0 │       0 │  3,300 │   $0.01 ',
        '  └ sonnet-4-5 │  3,000 │    300 │       0 │       0 │  3,300 │   $0.01 ',
        ' 2026-11-10    │  4,000 │    400 │       0 │       0 │  4,400 │   $0.02 ',
        '  └ sonnet-4-5 │  4,000 │    400 │       0 │       0 │  4,400 │   $0.02 ',
        ' Total         │ 10,000 │  1,000 │       0 │       0 │ 11,000 │   $0.05 ',
        'Prices: anthropic table · times in UTC',
        'Claude Code versions: 2.1.112.',
        'No cost-state line from 2.1.112: the side calls they make without writing them',
        '  down (a summary after each Bash command, among others) are not counted.',
        '',
      ].join('\n'),
    );
  });

  const tooWide = (text: string) => text.split('\n').filter((line) => [...line].length > 80);

  it.each([
    ['daily', false],
    ['daily', true],
    ['weekly', true],
    ['monthly', true],
    ['session', false],
    ['session', true],
  ] as const)('every line fits 80 columns: %s, breakdown %s, every fixture at once', (period, breakdown) => {
    expect(tooWide(report([period, '--config-dir', ALL, ...(breakdown ? ['--breakdown'] : [])]))).toEqual([]);
  });

  it('fits 80 columns with Bedrock model names and six-digit counts', () => {
    expect(tooWide(report(['daily', '--breakdown', '--config-dir', configDir('long-model-names')]))).toEqual([]);
  });

  it('fits 80 columns when it has to name an unpriced model', () => {
    expect(tooWide(report(['daily', '--config-dir', configDir('unknown-model')]))).toEqual([]);
  });
});

describe('the small report bundle and the full CLI give the same report', () => {
  it('a user price file (validated by the full CLI, which takes over) prices the calls', () => {
    const file = path.join(tempDir('spec-session-prices-'), 'prices.json');
    fs.writeFileSync(file, JSON.stringify({ models: { 'claude-sonnet-4-5-20250929': { input: 1, output: 1 } } }));
    expect(json(['daily', ...CALENDAR, '--prices-file', file]).totals).toMatchObject({
      inputTokens: 10_000,
      outputTokens: 1_000,
      totalCost: 0.011,
    });
    fs.writeFileSync(
      file,
      JSON.stringify({ models: { 'claude-sonnet-4-5-20250929': { input: 1, output: 1, cache_read: 2 } } }),
    );
    const r = runCli(['report', 'daily', ...CALENDAR, '--prices-file', file], cliEnv(tempDir('spec-session-report-')));
    expect(r).toMatchObject({ status: 1, stdout: '' });
    expect(r.stderr).toMatch(/^spec-session report: Invalid price file .*cache_read/);
  });

  it('spec-session.cjs alone (a project keeps only it) runs report itself, with the same output', () => {
    const alone = tempDir('spec-session-alone-');
    fs.copyFileSync(CLI, path.join(alone, 'spec-session.cjs'));
    const env = cliEnv(tempDir('spec-session-report-'));
    const full = spawnSync(
      process.execPath,
      [path.join(alone, 'spec-session.cjs'), 'report', 'session', '--json', '--config-dir', ALL],
      { env, encoding: 'utf8' },
    );
    expect(full.status).toBe(0);
    expect(full.stdout).toBe(report(['session', '--json', '--config-dir', ALL]));
  });
});

describe("ccusage's own flags, as its users type them", () => {
  it('-j -s -u -z -b -O read as --json --since --until --tz --breakdown (and --offline changes nothing)', () => {
    const long = report([
      'daily',
      ...CALENDAR,
      '--json',
      '--since',
      '2026-11-01',
      '--until',
      '2026-11-03',
      '--tz',
      'Asia/Tokyo',
    ]);
    expect(report(['daily', ...CALENDAR, '-j', '-s', '20261101', '-u', '20261103', '-z', 'Asia/Tokyo', '-O'])).toBe(
      long,
    );
    expect(
      report([
        'daily',
        ...CALENDAR,
        '--json',
        '--timezone',
        'Asia/Tokyo',
        '--offline',
        '--since',
        '2026-11-01',
        '--until',
        '2026-11-03',
      ]),
    ).toBe(long);
    expect(report(['session', ...CALENDAR, '-b'])).toBe(report(['session', ...CALENDAR, '--breakdown']));
    expect(report(['daily', ...CALENDAR, '-j', '-m', 'calculate'])).toBe(report(['daily', ...CALENDAR, '-j'])); // the only mode
  });

  it('--order desc lists the newest first, in the table and the JSON; the totals are the same', () => {
    const asc = json(['daily', ...CALENDAR]);
    const desc = json(['daily', ...CALENDAR, '-o', 'desc']);
    expect(asc.daily!.length).toBeGreaterThan(2);
    expect(desc.daily).toEqual([...asc.daily!].reverse());
    expect(desc.totals).toEqual(asc.totals);
    expect(json(['daily', ...CALENDAR, '--order', 'asc'])).toEqual(asc);
    const sessions = json(['session', ...CALENDAR, '--order', 'desc']).sessions!;
    expect(sessions.map((s) => s.sessionId)).toEqual(
      json(['session', ...CALENDAR])
        .sessions!.map((s) => s.sessionId)
        .reverse(),
    );
    const table = report(['daily', ...CALENDAR, '-o', 'desc']).split('\n');
    const dates = table.map((l) => /^ (\d{4}-\d{2}-\d{2}) /.exec(l)?.[1]).filter(Boolean);
    expect(dates).toEqual(desc.daily!.map((d) => d.date));
  });
});

describe('--last N: the N most recent days, weeks or months, this one included (ccusage)', () => {
  const now = { SPEC_SESSION_NOW: '2026-11-03T12:00:00Z' }; // a Tuesday
  it.each([
    ['daily', '2', '2026-11-02'],
    ['weekly', '1', '2026-11-02'],
    ['monthly', '1', '2026-11-01'],
    ['monthly', '2', '2026-10-01'],
  ])('%s --last %s is --since %s', (period, n, since) => {
    expect(report([period, ...CALENDAR, '--json', '--tz', 'UTC', '--last', n], now)).toBe(
      report([period, ...CALENDAR, '--json', '--tz', 'UTC', '--since', since], now),
    );
  });

  it('across a year, and from a Sunday', () => {
    expect(firstDayOfLast('monthly', '2026-01-15', 2)).toBe('2025-12-01');
    expect(firstDayOfLast('monthly', '2026-03-31', 14)).toBe('2025-02-01');
    expect(firstDayOfLast('weekly', '2026-11-08', 2)).toBe('2026-10-26'); // Sunday: its week began Monday the 2nd
    expect(firstDayOfLast('daily', '2026-03-01', 2)).toBe('2026-02-28');
  });
});

describe('--project and --instances (a project is its folder under projects/, as ccusage names it)', () => {
  type ByProject = { projects: Record<string, Array<TokenFields & { date: string }>>; totals: TokenFields };
  const sum = (rows: TokenFields[]) =>
    rows.reduce((a, r) => ({ in: a.in + r.inputTokens, out: a.out + r.outputTokens }), { in: 0, out: 0 });

  it("--instances: each project's days, which add up to the whole history's, day by day", () => {
    const dirs = ['--config-dir', twoProjects()];
    const split = JSON.parse(report(['daily', ...dirs, '--instances', '--json', '--tz', 'UTC'])) as ByProject;
    const whole = json(['daily', ...dirs, '--tz', 'UTC']);
    expect(Object.keys(split.projects)).toEqual(['-home-dev-api', '-home-dev-shop']);
    expect(split.totals).toEqual(whole.totals);
    for (const day of whole.daily!) {
      const parts = Object.values(split.projects).flatMap((rows) => rows.filter((r) => r.date === day.date));
      expect(sum(parts)).toEqual(sum([day]));
    }
    expect(split.projects['-home-dev-api']!.map((r) => r.date)).toEqual(['2026-11-20']); // the cache-split fixture's one day
    expect(sum(split.projects['-home-dev-api']!)).toEqual({
      in: fixtureCase('cache-creation-split').totals.input,
      out: fixtureCase('cache-creation-split').totals.output,
    });
  });

  it('--project: that project alone, as --instances shows it; session reports keep its sessions only', () => {
    const dirs = ['--config-dir', twoProjects()];
    const split = JSON.parse(report(['daily', ...dirs, '-i', '-j', '-z', 'UTC'])) as ByProject;
    const shop = json(['daily', ...dirs, '--project=-home-dev-shop', '--tz', 'UTC']);
    expect(shop.daily).toEqual(split.projects['-home-dev-shop']);
    // Also without the leading dash (a shell takes "-home…" for an option), or as the project's path.
    expect(json(['daily', ...dirs, '-p', 'home-dev-shop', '--tz', 'UTC'])).toEqual(shop);
    expect(json(['daily', ...dirs, '--project', '/home/dev/shop', '--tz', 'UTC'])).toEqual(shop);
    const sessions = json(['session', ...dirs, '--project=-home-dev-api']).sessions!;
    expect(sessions.map((s) => s.projectPath)).toEqual(['-home-dev-api']);
    expect(report(['daily', ...dirs, '--project', 'shop'])).toContain(
      'No usage in project "shop"; projects: -home-dev-api, -home-dev-shop\n',
    );
  });

  it('the table has a section per project and the whole total', () => {
    const lines = report(['daily', '--config-dir', twoProjects(), '--instances', '--tz', 'UTC']).split('\n');
    const sections = lines.filter((l) => l.includes('Project: ')).map((l) => l.trim());
    expect(sections).toEqual(['Project: -home-dev-api', 'Project: -home-dev-shop']);
    const total = lines.find((l) => l.startsWith(' Total '))!;
    expect(total).toBe(
      report(['daily', '--config-dir', twoProjects(), '--tz', 'UTC'])
        .split('\n')
        .find((l) => l.startsWith(' Total ')),
    );
  });
});

describe('bad input: one line on stderr, exit code 1, nothing on stdout', () => {
  it.each([
    [['daily', '--since', 'yesterday'], '--since expects a date as YYYY-MM-DD (or YYYYMMDD), got "yesterday"'],
    [['daily', '--since', '20260230'], '--since expects a date as YYYY-MM-DD (or YYYYMMDD), got "20260230"'],
    [['daily', '--since', '2026110'], '--since'],
    [['daily', '--until', '2026-13-01'], '--until'],
    [['daily', '--since', '2026-02-30'], '--since'],
    [['daily', '--tz', 'Mars/Olympus_Mons'], 'Mars/Olympus_Mons'],
    [['fortnightly'], 'fortnightly'],
    [['daily', '--prices', 'cheapest'], '--prices'],
    [['daily', '--bogus'], '--bogus'],
    [['daily', '--order', 'newest'], '--order expects asc or desc, got "newest"'],
    [['daily', '--tz', 'UTC', '--timezone', 'Asia/Tokyo'], '--tz UTC and --timezone Asia/Tokyo disagree: give one'],
    [['session', '--instances'], '--instances groups daily, weekly and monthly reports by project'],
    [['daily', '--instances', '--project', 'x'], '--instances and --project: give one'],
    [['daily', '--last', '0'], '--last expects a number of days, got "0"'],
    [['monthly', '--last', 'two'], '--last expects a number of months, got "two"'],
    [['daily', '--last', '2', '--since', '2026-11-01'], '--last and --since/--until: give one'],
    [['session', '--last', '2'], '--last counts days, weeks or months: not for report session'],
    [
      ['daily', '--mode', 'display'],
      "--mode display: every call is priced from its tokens here (ccusage's --mode calculate)",
    ],
    [['daily', '-m', 'auto'], '--mode auto: every call is priced from its tokens here'],
    [
      ['daily', '-p', '-home-dev-shop'],
      "option '-p' argument is ambiguous: a value starting with a dash goes as '--project=-XYZ' or '-p-XYZ'",
    ],
  ])('report %j', (args, mentions) => {
    const r = runCli(['report', ...args, ...CALENDAR], cliEnv(tempDir('spec-session-report-')));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^spec-session report: /);
    expect(r.stderr).toContain(mentions);
  });
});

it('report --config-dir naming folders with no transcripts: one line naming them, exit code 1', () => {
  const home = tempDir('spec-session-report-');
  const empty = path.join(home, 'no-claude-here');
  fs.mkdirSync(empty);
  for (const dirs of [empty, `${empty},${path.join(home, 'missing')}`]) {
    const r = runCli(['report', 'daily', '--json', '--config-dir', dirs], cliEnv(home));
    expect([r.status, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe(
      `spec-session report: --config-dir ${dirs}: no projects/ folder of Claude Code transcripts there\n`,
    );
  }
  // One valid folder among them is enough.
  const some = runCli(['report', 'daily', '--json', '--config-dir', `${empty},${configDir('calendar')}`], cliEnv(home));
  expect(some.status).toBe(0);
  expect(JSON.parse(some.stdout).totals.inputTokens).toBe(10_000);
});

it('the calendar fixture this file relies on: report session shows its two sessions, as cases.ts says', () => {
  // Written from the fixture's lines: 1000 + 2000 + 3000 input in the first session, 4000 in the second.
  const sessions = { [session(19)]: [6000, 600], [session(20)]: [4000, 400] };
  const out = json(['session', ...CALENDAR]);
  expect(Object.fromEntries(out.sessions!.map((s) => [s.sessionId, [s.inputTokens, s.outputTokens]]))).toEqual(
    sessions,
  );
  expect(fixtureCase('calendar').sessions).toEqual(sessions);
});
