/**
 * The dashboard in a real browser, on a ledger the real Claude Code CLI made: every number the
 * page shows equals what the plan the mock was scripted with says, before and after filtering.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../e2e/support/project.js';
import { repoRoot } from '../e2e/support/claude.js';
import { requireTool, skipWithout } from '../support/required-tools.js';
import { copyWorkedProject, type WorkedProject } from '../worked-project/copy-worked-project.js';
import { dayOf, groupBy, nextDay, sumOf, usd } from '../worked-project/expected-usage.js';
import type { WorkedCall } from '../worked-project/worked-project.js';
import { haveChromium, NO_CHROMIUM, openBrowser, type Browser } from './support/browser.js';

let p: WorkedProject;
let browser: Browser;
/** The day the project was worked (its zone is UTC), and the day after, when nothing was. */
const today = () => dayOf(p.info.now);
const tomorrow = () => nextDay(today());
const callsOn = (day: string) => p.info.calls.filter((c) => dayOf(c.at) === day);

/** What the page shows, read from its data-testid and data-value attributes. */
function readPage(page: Page) {
  return page.evaluate(() => {
    const value = (el: Element | null) => Number(el?.getAttribute('data-value'));
    const byId = (id: string) => document.querySelector(`[data-testid="${id}"]`);
    const cell = (tr: Element, field: string) => value(tr.querySelector(`[data-field="${field}"]`));
    const rows = (selector: string, key: (tr: Element) => string) =>
      [...document.querySelectorAll(selector)].map((tr) => ({
        key: key(tr),
        totalTokens: cell(tr, 'tokens'),
        totalCost: cell(tr, 'cost'),
      }));
    return {
      totalCost: value(byId('total-cost')),
      totalCostText: byId('total-cost')?.textContent,
      totalTokens: value(byId('total-tokens')),
      totalTokensText: byId('total-tokens')?.textContent,
      kinds: {
        inputTokens: value(byId('tokens-input')),
        outputTokens: value(byId('tokens-output')),
        cacheCreationTokens: value(byId('tokens-cache-write')),
        cacheReadTokens: value(byId('tokens-cache-read')),
      },
      unattributed: { totalCost: value(byId('unattributed-cost')), totalTokens: value(byId('unattributed-tokens')) },
      tasks: rows('tr[data-task]', (tr) => `${tr.getAttribute('data-task')} ${tr.getAttribute('data-session')}`),
      sessions: rows('tr[data-ws]', (tr) => tr.getAttribute('data-ws')!),
      specs: rows('tr[data-spec]', (tr) => tr.getAttribute('data-spec')!),
      days: [...document.querySelectorAll('g[data-day]')]
        .filter((g) => value(g) > 0)
        .map((g) => ({ key: g.getAttribute('data-day')!, totalCost: value(g) })),
    };
  });
}

/** Dollars and token counts as the page writes them (the figures here stay under 1M tokens). */
const dollars = (usd: number) => {
  const digits = usd > 0 && usd < 0.01 ? 4 : 2; // half-up: $0.045 is $0.05
  return `$${(Math.round(usd * 10 ** digits + 1e-7) / 10 ** digits).toFixed(digits)}`;
};
const count = (n: number) => n.toLocaleString('en-US');

/** What the page must show for these calls of the plan (one spec's, when filtered by it). */
function expected(calls: WorkedCall[], spec?: string) {
  const inView = spec ? calls.filter((c) => c.spec === spec) : calls;
  const total = sumOf(inView);
  const rows = (key: (c: WorkedCall) => string | null) =>
    groupBy(inView, key).map(([k, e]) => ({ key: k, totalTokens: e.totalTokens, totalCost: e.totalCost }));
  const loose = sumOf(inView.filter((c) => c.task === null && c.ws === null));
  return {
    totalCost: total.totalCost,
    totalCostText: dollars(total.totalCost),
    totalTokens: total.totalTokens,
    totalTokensText: count(total.totalTokens),
    kinds: {
      inputTokens: total.inputTokens,
      outputTokens: total.outputTokens,
      cacheCreationTokens: total.cacheCreationTokens,
      cacheReadTokens: total.cacheReadTokens,
    },
    unattributed: { totalCost: loose.totalCost, totalTokens: loose.totalTokens },
    tasks: rows((c) => (c.task ? `${c.spec}/${c.task} ${c.ws ?? ''}` : null)),
    sessions: rows((c) => c.ws),
    specs: rows((c) => c.spec),
    days: spec ? undefined : rows((c) => dayOf(c.at)).map(({ key, totalCost }) => ({ key, totalCost })),
  };
}

/** The page's figures, rows sorted by key and costs at 1e-9 USD, to compare with expected(). */
async function shown(page: Page, spec?: string) {
  const f = await readPage(page);
  const sort = <T extends { key: string; totalCost: number }>(rows: T[]) =>
    [...rows].map((r) => ({ ...r, totalCost: usd(r.totalCost) })).sort((a, b) => a.key.localeCompare(b.key));
  return {
    ...f,
    totalCost: usd(f.totalCost),
    unattributed: { ...f.unattributed, totalCost: usd(f.unattributed.totalCost) },
    tasks: sort(f.tasks),
    sessions: sort(f.sessions),
    specs: sort(f.specs),
    days: spec ? undefined : sort(f.days),
  };
}

describe.skipIf(skipWithout(haveChromium))(
  `dashboard in chromium${haveChromium ? '' : ` (skipped: ${NO_CHROMIUM})`}`,
  () => {
    beforeEach(() => requireTool(haveChromium, NO_CHROMIUM)); // each test fails, not skips, under CI=true
    beforeAll(async () => {
      p = copyWorkedProject();
      if (haveChromium) browser = await openBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      p?.remove();
    });

    it("--out writes one offline page whose figures are the plan's", async () => {
      const file = join(p.root, 'report.html');
      p.specSession(['dashboard', '--out', file]);
      const html = readFileSync(file, 'utf8');
      expect(html).not.toMatch(/https?:\/\//); // no CDN, no fonts, no links out
      for (const secret of ['Creating the model', 'What does the invoice model hold', p.home])
        expect(html).not.toContain(secret);
      await browser.page.goto(`file://${file}`);
      expect(browser.errors).toEqual([]);
      const page = await shown(browser.page);
      expect(page.tasks).toHaveLength(4);
      expect(page).toEqual(expected(p.info.calls));
      expect(browser.requests.every((url) => url.startsWith('file://'))).toBe(true);
      mkdirSync(join(repoRoot, 'tests', 'artifacts'), { recursive: true });
      await browser.page.screenshot({ path: join(repoRoot, 'tests', 'artifacts', 'dashboard.png'), fullPage: true });
    });

    it('filtering by spec shows that spec: its total and its task rows', async () => {
      await browser.page.selectOption('[data-testid="filter-spec"]', 'invoice-management');
      expect(await shown(browser.page, 'invoice-management')).toEqual(expected(p.info.calls, 'invoice-management'));
      expect(
        await browser.page.locator('[data-lane]').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-lane'))),
      ).toEqual(['inv-1000']);
    });

    it('filtering by days shows the calls of those days', async () => {
      await browser.page.click('[data-testid="filter-reset"]');
      await browser.page.fill('[data-testid="filter-since"]', today());
      await browser.page.fill('[data-testid="filter-until"]', today());
      expect(await shown(browser.page)).toEqual(expected(callsOn(today())));
      await browser.page.fill('[data-testid="filter-since"]', tomorrow());
      await browser.page.fill('[data-testid="filter-until"]', tomorrow());
      const none = await shown(browser.page);
      expect([none.totalCost, none.totalTokens, none.tasks.length]).toEqual([0, 0, 0]);
    });

    it('serves the page on 127.0.0.1 for a range, until Ctrl-C', async () => {
      const server = spawn(
        process.execPath,
        [cli, 'dashboard', '--dir', p.project, '--since', today(), '--until', today()],
        { env: p.env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
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
        expect(await shown(browser.page)).toEqual(expected(callsOn(today())));
        expect(browser.requests.every((r) => r.startsWith(url))).toBe(true);
      } finally {
        const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
        server.kill('SIGINT');
        expect(await exited).toBe(0);
      }
    });
  },
);
