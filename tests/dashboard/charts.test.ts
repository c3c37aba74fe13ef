/**
 * The terminal charts of /cost and /eod (src/render/charts.ts) fit an 80-column terminal and,
 * with NO_COLOR, are plain text: no ANSI escape anywhere.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDailyBars, renderTopTasks } from '../../src/render/charts.js';
import { displayWidth } from '../../src/render/table.js';
import { cli } from '../e2e/support/project.js';

/** Terminal columns of the widest line (a CJK character or an emoji takes two). */
const columns = (text: string) => Math.max(...text.split('\n').map((line) => displayWidth(line)));
const ESC = '\u001b';

const days = (values: number[]) =>
  values.map((value, i) => ({ label: `11-${String(10 + i).padStart(2, '0')}`, value }));

describe('renderDailyBars', () => {
  it.each([
    ['no spend, no budget', days([0, 0, 0, 0, 0, 0, 0]), null],
    ['under budget', days([0.5, 1.2, 0, 3.1, 4.99, 0.01, 2]), 5],
    ['over budget', days([12.5, 48, 7, 0, 3, 9.99, 60]), 25],
    ['budget far above spend', days([0.02, 0.31]), 500],
    ['a very expensive day', days([12_345.67, 98_765.43]), 100_000],
    ['a month of days', days(Array.from({ length: 31 }, (_, i) => i * 1.5)), 20],
  ])('%s', (_name, input, budget) => {
    const chart = renderDailyBars(input, budget);
    expect(columns(chart)).toBeLessThanOrEqual(80);
    expect(chart).not.toContain(ESC);
    expect(chart.split('\n')).toHaveLength(input.length + 1);
  });
});

describe('renderTopTasks', () => {
  it.each([
    ['no tasks', []],
    ['short names', [{ spec: 'billing', task: '1.1', value: 0.42, tokens: 42_311 }]],
    [
      'long names and huge counts',
      [
        { spec: 'a-very-long-spec-name-that-goes-on-and-on', task: '12.4.1', value: 1234.56, tokens: 12_345_678_901 },
        { spec: 'x', task: '1', value: 0.0001, tokens: 3 },
      ],
    ],
    [
      'more tasks than shown',
      Array.from({ length: 12 }, (_, i) => ({ spec: `spec-${i}`, task: `${i}.1`, value: i, tokens: i * 1000 })),
    ],
  ])('%s', (_name, tasks) => {
    const chart = renderTopTasks(tasks, 5);
    expect(columns(chart)).toBeLessThanOrEqual(80);
    expect(chart).not.toContain(ESC);
  });

  it('titles what it shows: "Top task" for one, "Top 5 tasks" for five of twelve', () => {
    expect(renderTopTasks([{ spec: 'billing', task: '1.1', value: 0.42, tokens: 42_311 }], 5).split('\n')[0]).toBe(
      'Top task by cost',
    );
    const twelve = Array.from({ length: 12 }, (_, i) => ({
      spec: `spec-${i}`,
      task: `${i}.1`,
      value: i,
      tokens: i * 1000,
    }));
    expect(renderTopTasks(twelve, 5, 'this month').split('\n')[0]).toBe('Top 5 tasks by cost this month');
  });
});

describe('renderTopTasks labels', () => {
  // Specs are the user's folder names: long, CJK, emoji. Each row's bar starts in the same column,
  // and the task id always shows, so two tasks of one long spec never print the same label; nor do
  // two long specs that differ only at the end.
  const tasks = [
    { spec: 'authentication-and-authorization', task: '1.1', value: 9, tokens: 900 },
    { spec: 'authentication-and-authorization', task: '1.2', value: 8, tokens: 800 },
    { spec: 'ユーザー登録とログインの画面', task: '2.10', value: 7, tokens: 700 },
    { spec: '決済', task: '3.1', value: 6, tokens: 600 },
    { spec: 'emoji-🚀-launch-checklist-for-the-beta', task: '4.2', value: 5, tokens: 500 },
    { spec: 'billing', task: 'a-task-id-that-is-itself-longer-than-any-label-9', value: 4, tokens: 400 },
    { spec: 'notifications-service-backend-api', task: '5.1', value: 3, tokens: 300 },
    { spec: 'notifications-service-backend-ui', task: '5.1', value: 2, tokens: 200 },
  ];
  const lines = renderTopTasks(tasks, 8).split('\n').slice(1);
  const labels = lines.map((line) => line.slice(0, line.indexOf('█')));

  it('starts every bar at column 27, and fits 80 columns', () => {
    expect(lines).toHaveLength(8);
    for (const label of labels) expect(displayWidth(label)).toBe(27);
    expect(columns(lines.join('\n'))).toBeLessThanOrEqual(80);
  });

  it('keeps each task id whole, shortening the spec in the middle (names often differ at the end)', () => {
    expect(labels.map((l) => l.trimEnd())).toEqual([
      'authentication…ization 1.1',
      'authentication…ization 1.2',
      'ユーザー登録と…の画面 2.10',
      '決済 3.1',
      'emoji-🚀-launc…he-beta 4.2',
      'a-task-id-that-is…-label-9',
      'notifications-…end-api 5.1',
      'notifications-…kend-ui 5.1',
    ]);
  });

  it('never cuts a character in half', () => {
    for (const label of labels) expect(label).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('as /cost and /eod print them (NO_COLOR)', () => {
  const project = mkdtempSync(join(tmpdir(), 'spec-session-charts-'));
  mkdirSync(join(project, 'home'));
  mkdirSync(join(project, '.claude', 'spec-session'), { recursive: true }); // a clone of an installed project: a project root
  cpSync(fileURLToPath(new URL('fixtures/ledger', import.meta.url)), join(project, 'docs', 'sessions', 'ledger'), {
    recursive: true,
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: join(project, 'home'), NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [cli, ...args, '--dir', project, '--tz', 'America/New_York'], {
      env,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  const charts = (out: string) => out.slice(out.indexOf('Last 7 days'));

  it.each([
    ['cost all', ['cost', 'all']],
    ['eod of a busy day', ['eod', '--date', '2026-11-19']],
  ])('%s', (_name, args) => {
    const out = run(...args);
    expect(out).toContain('Last 7 days');
    expect(out).toMatch(/Top \d tasks by cost/);
    expect(out).not.toContain(ESC);
    expect(columns(charts(out))).toBeLessThanOrEqual(80);
  });
});
