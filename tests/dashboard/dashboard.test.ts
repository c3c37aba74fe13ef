/**
 * The dashboard in a real browser, on a ledger the real Claude Code CLI made: every number the
 * page shows equals `spec-session cost --json` for the same range, before and after filtering.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTokens, formatUsd } from '../../src/render/format.js';
import { cli } from '../e2e/support/project.js';
import { repoRoot } from '../e2e/support/claude.js';
import { haveChromium, NO_CHROMIUM, openBrowser, type Browser } from './support/browser.js';
import { makeWorkedProject, removeWorkedProject, type WorkedProject } from './support/worked-project.js';

interface Row {
  totalTokens: number;
  totalCost: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}
interface CostJson {
  tasks: Array<Row & { spec: string; taskId: string; session: string | null }>;
  sessions: Array<Row & { name: string; spec: string | null }>;
  specs: Array<Row & { spec: string }>;
  days: Array<Row & { date: string }>;
  unattributed: Row;
  totals: Row;
}

let p: WorkedProject;
let browser: Browser;
const today = new Date().toISOString().slice(0, 10); // the project's zone is UTC
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const costJson = (...range: string[]) => JSON.parse(p.specSession(['cost', '--json', ...range]).stdout) as CostJson;

/** What the page shows, read from its data-testid and data-value attributes. */
function readPage(page: Page) {
  return page.evaluate(() => {
    const value = (el: Element | null) => Number(el?.getAttribute('data-value'));
    const byId = (id: string) => document.querySelector(`[data-testid="${id}"]`);
    const cell = (tr: Element, field: string) => value(tr.querySelector(`[data-field="${field}"]`));
    const rows = (selector: string, key: (tr: Element) => string) => [...document.querySelectorAll(selector)].map((tr) => ({ key: key(tr), totalTokens: cell(tr, 'tokens'), totalCost: cell(tr, 'cost') }));
    return {
      totalCost: value(byId('total-cost')),
      totalCostText: byId('total-cost')?.textContent,
      totalTokens: value(byId('total-tokens')),
      totalTokensText: byId('total-tokens')?.textContent,
      kinds: { inputTokens: value(byId('tokens-input')), outputTokens: value(byId('tokens-output')), cacheCreationTokens: value(byId('tokens-cache-write')), cacheReadTokens: value(byId('tokens-cache-read')) },
      unattributed: { totalCost: value(byId('unattributed-cost')), totalTokens: value(byId('unattributed-tokens')) },
      tasks: rows('tr[data-task]', (tr) => `${tr.getAttribute('data-task')} ${tr.getAttribute('data-session')}`),
      sessions: rows('tr[data-ws]', (tr) => tr.getAttribute('data-ws')!),
      specs: rows('tr[data-spec]', (tr) => tr.getAttribute('data-spec')!),
      days: [...document.querySelectorAll('g[data-day]')].filter((g) => value(g) > 0).map((g) => ({ key: g.getAttribute('data-day')!, totalCost: value(g) })),
    };
  });
}

/** The same figures, as `cost --json` gives them. */
function expected(j: CostJson, spec?: string) {
  const sort = <T extends { key: string }>(rows: T[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));
  const total = spec ? j.specs.find((s) => s.spec === spec)! : j.totals;
  const unattributed = spec ? { totalCost: 0, totalTokens: 0 } : { totalCost: j.unattributed.totalCost, totalTokens: j.unattributed.totalTokens };
  return {
    totalCost: total.totalCost,
    totalCostText: formatUsd(total.totalCost),
    totalTokens: total.totalTokens,
    totalTokensText: formatTokens(total.totalTokens),
    kinds: { inputTokens: total.inputTokens, outputTokens: total.outputTokens, cacheCreationTokens: total.cacheCreationTokens, cacheReadTokens: total.cacheReadTokens },
    unattributed,
    tasks: sort(j.tasks.filter((t) => !spec || t.spec === spec).map((t) => ({ key: `${t.spec}/${t.taskId} ${t.session ?? ''}`, totalTokens: t.totalTokens, totalCost: t.totalCost }))),
    sessions: sort(j.sessions.filter((s) => s.totalTokens > 0 && (!spec || s.spec === spec)).map((s) => ({ key: s.name, totalTokens: s.totalTokens, totalCost: s.totalCost }))),
    specs: sort(j.specs.filter((s) => !spec || s.spec === spec).map((s) => ({ key: s.spec, totalTokens: s.totalTokens, totalCost: s.totalCost }))),
    days: spec ? undefined : j.days.filter((d) => d.totalCost > 0).map((d) => ({ key: d.date, totalCost: d.totalCost })),
  };
}

async function shown(page: Page, spec?: string) {
  const f = await readPage(page);
  const sort = <T extends { key: string }>(rows: T[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));
  return { ...f, tasks: sort(f.tasks), sessions: sort(f.sessions), specs: sort(f.specs), days: spec ? undefined : f.days };
}

describe.skipIf(!haveChromium)(`dashboard in chromium${haveChromium ? '' : ` (${NO_CHROMIUM})`}`, () => {
  beforeAll(async () => {
    p = await makeWorkedProject();
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    removeWorkedProject(p);
  });

  it('--out writes one offline page whose figures equal cost --json', async () => {
    const file = join(p.root, 'report.html');
    p.specSession(['dashboard', '--out', file]);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/https?:\/\//); // no CDN, no fonts, no links out
    for (const secret of ['Creating the model', 'What does the invoice model hold', p.home]) expect(html).not.toContain(secret);
    await browser.page.goto(`file://${file}`);
    expect(browser.errors).toEqual([]);
    const all = costJson();
    expect(all.tasks).toHaveLength(4);
    expect(await shown(browser.page)).toEqual(expected(all));
    expect(browser.requests.every((url) => url.startsWith('file://'))).toBe(true);
    mkdirSync(join(repoRoot, 'tests', 'artifacts'), { recursive: true });
    await browser.page.screenshot({ path: join(repoRoot, 'tests', 'artifacts', 'dashboard.png'), fullPage: true });
  });

  it('filtering by spec shows that spec: its cost --json spec row and task rows', async () => {
    const all = costJson();
    await browser.page.selectOption('[data-testid="filter-spec"]', 'invoice-management');
    const page = await shown(browser.page, 'invoice-management');
    expect(page).toEqual(expected(all, 'invoice-management'));
    const taskSum = all.tasks.filter((t) => t.spec === 'invoice-management').reduce((sum, t) => sum + t.totalCost, 0);
    expect(page.totalCost).toBeCloseTo(taskSum, 9); // every call of the spec ran in one of its tasks
    expect(await browser.page.locator('[data-lane]').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-lane')))).toEqual(['inv-1000']);
  });

  it('filtering by days equals cost --json --since --until', async () => {
    await browser.page.click('[data-testid="filter-reset"]');
    await browser.page.fill('[data-testid="filter-since"]', today);
    await browser.page.fill('[data-testid="filter-until"]', today);
    expect(await shown(browser.page)).toEqual(expected(costJson('--since', today, '--until', today)));
    await browser.page.fill('[data-testid="filter-since"]', tomorrow);
    await browser.page.fill('[data-testid="filter-until"]', tomorrow);
    const none = await shown(browser.page);
    expect([none.totalCost, none.totalTokens, none.tasks.length]).toEqual([0, 0, 0]);
    expect(costJson('--since', tomorrow, '--until', tomorrow).totals.totalTokens).toBe(0);
  });

  it('serves the page on 127.0.0.1 for a range, until Ctrl-C', async () => {
    const server = spawn(process.execPath, [cli, 'dashboard', '--dir', p.project, '--since', today, '--until', today], { env: p.env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (found) resolve(found[0]);
        });
        server.on('exit', (code) => reject(new Error(`dashboard exited ${code}: ${out}`)));
      });
      browser.requests.length = 0;
      await browser.page.goto(url);
      expect(await shown(browser.page)).toEqual(expected(costJson('--since', today, '--until', today)));
      expect(browser.requests.every((r) => r.startsWith(url))).toBe(true);
    } finally {
      const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
      server.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });
});
