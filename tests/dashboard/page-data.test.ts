/**
 * The page's own arithmetic (run in the browser) against `cost --json` (costJson over
 * projectUsage), on the hand-written ledger in fixtures/: equal to the last bit, per filter.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dashboardAggregate, type Filter, type Summary, type Tally } from '../../src/dashboard/client/aggregate.js';
import { pageData } from '../../src/dashboard/page-data.js';
import { dashboardHtml } from '../../src/dashboard/page-html.js';
import { readLedger } from '../../src/ledger/read-ledger.js';
import { loadPriceBook } from '../../src/pricing/price-call.js';
import { costJson } from '../../src/report/cost-json.js';
import { projectUsage } from '../../src/report/project-usage.js';

const ledgerDir = fileURLToPath(new URL('fixtures/ledger', import.meta.url));
const tz = 'America/New_York';
const book = loadPriceBook({ table: 'anthropic' });
const view = readLedger(ledgerDir);
const data = pageData(view, book, tz, {}, { projectDir: '/work/demo', now: Date.parse('2026-11-21T12:00:00Z'), dailyBudget: 5 });
const agg = dashboardAggregate();

const fields = (t: Tally) => ({ inputTokens: t.in, outputTokens: t.out, cacheCreationTokens: t.cw5 + t.cw1h, cacheReadTokens: t.cr, totalTokens: t.total, totalCost: agg.roundUsd(t.cost) });
const pick = (j: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number; totalTokens: number; totalCost: number }) => ({ inputTokens: j.inputTokens, outputTokens: j.outputTokens, cacheCreationTokens: j.cacheCreationTokens, cacheReadTokens: j.cacheReadTokens, totalTokens: j.totalTokens, totalCost: j.totalCost });

/** The page's figures in `cost --json`'s shape. */
function asCostJson(s: Summary) {
  return {
    tasks: s.tasks.map((r) => ({ spec: r.spec, taskId: r.task, session: r.ws, ...fields(r.tally) })),
    sessions: [...s.sessions.entries()].map(([name, t]) => ({ name, ...fields(t) })),
    specs: [...s.specs.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([spec, t]) => ({ spec, ...fields(t) })),
    days: [...s.days.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([date, t]) => ({ date, ...fields(t) })),
    unattributed: fields(s.unattributed),
    totals: { ...fields(s.totals), calls: s.totals.calls },
    unpricedModels: [...s.totals.unpriced].sort(),
  };
}

function expected(range: { since?: string; until?: string }) {
  const j = costJson(projectUsage(view, book, tz, range), { priceTable: 'anthropic', timeZone: tz, since: null, until: null });
  return {
    tasks: j.tasks.map((t) => ({ spec: t.spec, taskId: t.taskId, session: t.session, ...pick(t) })),
    sessions: j.sessions.filter((s) => s.totalTokens > 0).map((s) => ({ name: s.name, ...pick(s) })),
    specs: j.specs.map((s) => ({ spec: s.spec, ...pick(s) })),
    days: j.days.map((d) => ({ date: d.date, ...pick(d) })),
    unattributed: pick(j.unattributed),
    totals: { ...pick(j.totals), calls: j.totals.calls },
    unpricedModels: j.unpricedModels,
  };
}

const shown = (f: Filter) => asCostJson(agg.summarize(agg.pick(data.items, f)));

describe('dashboard figures equal cost --json', () => {
  it.each([
    ['all time', {}],
    ['one day in New York (a 03:00Z call falls on the day before)', { since: '2026-11-19', until: '2026-11-19' }],
    ['from a day on', { since: '2026-11-20' }],
    ['up to a day', { until: '2026-11-18' }],
    ['a range with nothing in it', { since: '2026-12-01', until: '2026-12-31' }],
  ])('%s', (_name, range: { since?: string; until?: string }) => {
    expect(shown({ since: range.since ?? null, until: range.until ?? null, spec: null })).toEqual(expected(range));
  });

  it.each(['alpha', 'beta'])('spec %s: its spec row and its task rows', (spec) => {
    const all = expected({});
    const page = shown({ since: null, until: null, spec });
    const { calls: _calls, ...totals } = page.totals;
    expect({ spec, ...totals }).toEqual(all.specs.find((s) => s.spec === spec));
    expect(page.tasks).toEqual(all.tasks.filter((t) => t.spec === spec));
    expect(page.unattributed.totalTokens).toBe(0);
  });

  it('holds the items it needs and no more: the unpriced call has no price, not $0', () => {
    expect(data.items).toHaveLength(view.usage.length);
    expect(data.items.find((i) => i.model === 'claude-mystery-9')?.usd).toBeNull();
    expect(Object.keys(data.items[0]!).sort()).toEqual(['cr', 'cs', 'cw1h', 'cw5', 'day', 'in', 'kind', 'model', 'out', 'spec', 't', 'task', 'usd', 'ws']);
    expect(data.project).toBe('demo');
  });
});

describe('timeline spans', () => {
  it('a session runs from its start to its end; an open one to its last activity', () => {
    expect(data.sessions.map((s) => [s.name, s.open, new Date(s.start).toISOString(), new Date(s.end).toISOString()])).toEqual([
      ['inv-1', true, '2026-11-18T09:00:00.000Z', '2026-11-19T14:30:00.000Z'],
      ['rep-2', false, '2026-11-19T10:00:00.000Z', '2026-11-20T18:00:00.000Z'],
    ]);
  });

  it('a task runs from /do-task to done, widened to its usage', () => {
    const spans = data.tasks.map((t) => `${t.ws ?? '-'} ${t.spec}/${t.task} ${t.startDay}→${t.endDay} ${t.done ? 'done' : 'open'}`);
    expect(spans).toEqual(['inv-1 alpha/1.1 2026-11-18→2026-11-19 done', 'rep-2 beta/2.1 2026-11-19→2026-11-19 open', '- alpha/1.2 2026-11-19→2026-11-19 open', 'rep-2 beta/2.2 2026-11-20→2026-11-20 open']);
  });
});

describe('the page', () => {
  const hostile = pageData(view, book, tz, {}, { projectDir: '/work/<i>x&', now: 0, dailyBudget: null });
  hostile.items[0]!.spec = '</script><script>alert(1)</script>';
  const html = dashboardHtml(hostile);

  it('fetches nothing: no address in it, and a policy that forbids requests', () => {
    expect(html).not.toMatch(/https?:\/\/|\bsrc=|\bhref=|@import|url\(/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
  });

  it('no name can close its script element or add markup', () => {
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('<title>spec-session · &lt;i&gt;x&amp;</title>');
  });

  it('its script is whole JavaScript: the client functions are self-contained source', () => {
    const script = html.slice(html.lastIndexOf('<script>') + 8, html.lastIndexOf('</script>'));
    expect(() => new Function(script)).not.toThrow();
    expect(script).not.toMatch(/__vi|import\(|require\(/);
  });
});
