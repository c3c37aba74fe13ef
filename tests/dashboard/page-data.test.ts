/**
 * The page's own arithmetic (run in the browser) against `cost --json` (costJson over
 * projectUsage), on the hand-written ledger in fixtures/ and on a generated one: equal to the last
 * bit, per filter; and a page of sums, not calls, that stays small however many calls there are.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dashboardAggregate, type Filter, type Summary, type Tally } from '../../src/dashboard/client/aggregate.js';
import { dashboardFormat } from '../../src/dashboard/client/format.js';
import { dashboardSections } from '../../src/dashboard/client/sections.js';
import { pageData } from '../../src/dashboard/page-data.js';
import { dashboardHtml } from '../../src/dashboard/page-html.js';
import type { LedgerView } from '../../src/ledger/ledger-view.js';
import { readLedger } from '../../src/ledger/read-ledger.js';
import { readIndexedLedger } from '../../src/ledger/ledger-index.js';
import { loadPriceBook } from '../../src/pricing/price-call.js';
import { costJson } from '../../src/report/cost-json.js';
import { projectUsage } from '../../src/report/project-usage.js';
import { ledgerProject } from '../ledger/support/ledger-project.js';
import { clientScript } from './support/client-script.js';

const tz = 'America/New_York';
const book = loadPriceBook({ table: 'anthropic' });
const fixture = readLedger(fileURLToPath(new URL('fixtures/ledger', import.meta.url)));

const fields = (t: Tally) => ({ totalTokens: t.total, totalCost: Math.round(t.cost * 1e9) / 1e9 });
const pick = (j: { totalTokens: number; totalCost: number }) => ({
  totalTokens: j.totalTokens,
  totalCost: j.totalCost,
});

/** The page's figures in `cost --json`'s shape. */
function asCostJson(s: Summary) {
  return {
    tasks: s.tasks
      .flatMap((r) => r.sessions.map((p) => ({ spec: r.spec, taskId: r.task, session: p.ws, ...fields(p.tally) })))
      .sort(byKey),
    taskTotals: s.tasks
      .map((r) => ({ spec: r.spec, taskId: r.task, sessions: r.sessions.map((p) => p.ws), ...fields(r.tally) }))
      .sort(byKey),
    sessions: [...s.sessions.entries()]
      .map(([name, t]) => ({ name, ...fields(t) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    specs: [...s.specs.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([spec, t]) => ({ spec, ...fields(t) })),
    days: [...s.days.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([date, t]) => ({ date, totalCost: Math.round(t.cost * 1e9) / 1e9 })),
    unattributed: fields(s.unattributed),
    totals: { ...fields(s.totals), calls: s.totals.calls },
    kinds: {
      inputTokens: s.kinds.in,
      outputTokens: s.kinds.out,
      cacheCreationTokens: s.kinds.cw5 + s.kinds.cw1h,
      cacheReadTokens: s.kinds.cr,
    },
    unpricedModels: [...s.totals.unpriced].sort(),
  };
}
const byKey = (a: { spec: string; taskId: string }, b: { spec: string; taskId: string }) =>
  `${a.spec}/${a.taskId}`.localeCompare(`${b.spec}/${b.taskId}`) || 0;

function expected(view: LedgerView, range: { since?: string; until?: string }, spec?: string) {
  const j = costJson(projectUsage(view, book, tz, range), {
    priceTable: 'anthropic',
    timeZone: tz,
    since: null,
    until: null,
  });
  const total = spec
    ? (j.specs.find((s) => s.spec === spec) ?? {
        inputTokens: 0,
        outputTokens: 0,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        totalTokens: 0,
        totalCost: 0,
      })
    : j.totals;
  const mine = <T extends { spec: string | null }>(rows: Iterable<T>) =>
    [...rows].filter((r) => !spec || r.spec === spec);
  return {
    tasks: mine(j.tasks)
      .map((t) => ({ spec: t.spec, taskId: t.taskId, session: t.session, ...pick(t) }))
      .sort(byKey),
    taskTotals: mine(j.taskTotals)
      .map((t) => ({ spec: t.spec, taskId: t.taskId, sessions: t.sessions, ...pick(t) }))
      .sort(byKey),
    sessions: mine(j.sessions)
      .filter((s) => s.totalTokens > 0)
      .map((s) => ({ name: s.name, ...pick(s) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    specs: mine(j.specs).map((s) => ({ spec: s.spec, ...pick(s) })),
    days: spec ? undefined : [...j.days].map((d) => ({ date: d.date, totalCost: d.totalCost })),
    unattributed: spec ? { totalTokens: 0, totalCost: 0 } : pick(j.unattributed),
    totals: { ...pick(total), calls: spec ? undefined : j.totals.calls },
    kinds: {
      inputTokens: total.inputTokens,
      outputTokens: total.outputTokens,
      cacheCreationTokens: total.cacheCreationTokens,
      cacheReadTokens: total.cacheReadTokens,
    },
    unpricedModels: spec ? undefined : j.unpricedModels,
  };
}

function shown(view: LedgerView, f: Filter) {
  const data = pageData(
    view,
    book,
    tz,
    {},
    { projectDir: '/work/demo', now: Date.parse('2026-11-21T12:00:00Z'), dailyBudget: 5 },
  );
  const agg = dashboardAggregate(data);
  const page = asCostJson(agg.summarize(agg.pick(f)));
  return f.spec
    ? { ...page, days: undefined, totals: { ...page.totals, calls: undefined }, unpricedModels: undefined }
    : page;
}

describe('dashboard figures equal cost --json', () => {
  it.each([
    ['all time', {}],
    ['one day in New York (a 03:00Z call falls on the day before)', { since: '2026-11-19', until: '2026-11-19' }],
    ['from a day on', { since: '2026-11-20' }],
    ['up to a day', { until: '2026-11-18' }],
    ['a range with nothing in it', { since: '2026-12-01', until: '2026-12-31' }],
  ])('%s', (_name, range: { since?: string; until?: string }) => {
    expect(shown(fixture, { since: range.since ?? null, until: range.until ?? null, spec: null })).toEqual(
      expected(fixture, range),
    );
  });

  it.each(['alpha', 'beta'])('spec %s: its spec row and its task rows', (spec) => {
    expect(shown(fixture, { since: null, until: null, spec })).toEqual(expected(fixture, {}, spec));
  });

  it('lists branches only when one is known: usage on none alone is a note, not a row', () => {
    const sections = dashboardSections(dashboardFormat(tz));
    const agg = dashboardAggregate(
      pageData(fixture, book, tz, {}, { projectDir: '/work/demo', now: 0, dailyBudget: 5 }),
    );
    const summary = agg.summarize(agg.pick({ since: null, until: null, spec: null }));
    const known = (s: Summary) => [...s.branches.keys()].filter((b) => b !== '');
    expect(known(summary)).toEqual([]); // the fixture's calls predate branch capture
    expect(sections.branches(summary)).toBe(
      '<p class="empty">No branch recorded in this range (not a git repository, or usage from before 0.2.0).</p>',
    );
    const both = { ...summary, branches: new Map([...summary.branches, ['feat/x', summary.totals]]) };
    const rows = [...sections.branches(both).matchAll(/data-branch="([^"]*)"/g)].map((m) => m[1]);
    expect(rows.sort()).toEqual(['', 'feat/x']);
  });

  it('marks a task with tokens logged by hand, as /cost does', () => {
    const agg = dashboardAggregate(
      pageData(fixture, book, tz, {}, { projectDir: '/work/demo', now: 0, dailyBudget: 5 }),
    );
    const table = dashboardSections(dashboardFormat(tz)).tasks(
      agg.summarize(agg.pick({ since: null, until: null, spec: null })),
      () => '#000',
      () => '#000',
    );
    const marked = [
      ...table.matchAll(/data-task-total="([^"]*)"[^>]*><td class="strong">([^<]*)(<span[^>]*>\(m\)<\/span>)?/g),
    ]
      .filter((m) => m[3])
      .map((m) => m[1]);
    expect(marked).toEqual(['beta/2.2']); // the fixture's one /log-task entry
    expect(table).toContain('(m) includes tokens logged by hand (/log-task)');
    const none = dashboardAggregate(
      pageData(fixture, book, tz, { until: '2026-11-19' }, { projectDir: '/work/demo', now: 0, dailyBudget: 5 }),
    );
    expect(
      dashboardSections(dashboardFormat(tz)).tasks(
        none.summarize(none.pick({ since: null, until: null, spec: null })),
        () => '#000',
        () => '#000',
      ),
    ).not.toContain('(m)'); // the day before it: nothing logged by hand
  });

  it('an unpriced model has no price, not $0, and is named', () => {
    expect(shown(fixture, { since: null, until: null, spec: null }).unpricedModels).toEqual(['claude-mystery-9']);
  });
});

describe('a big ledger', () => {
  const p = ledgerProject({ devs: 2, days: 10, callsPerDay: 800 });
  const view = readLedger(p.ledger);
  const data = pageData(
    view,
    book,
    tz,
    {},
    { projectDir: p.dir, now: Date.parse('2026-12-01T00:00:00Z'), dailyBudget: 5 },
  );
  const html = dashboardHtml(data, clientScript());

  it('holds sums, not calls: a few bytes per call', () => {
    const calls = p.truth.calls.length;
    expect(data.rows.reduce((n, r) => n + r[6], 0)).toBe(p.expected.total.get('all')!.calls);
    expect(data.rows.length).toBeLessThan(calls / 20);
    expect(Buffer.byteLength(html) / calls).toBeLessThan(12);
  });

  it('and still equals cost --json, in every filter', () => {
    expect(shown(view, { since: null, until: null, spec: null })).toEqual(expected(view, {}));
    const day = data.days[3]!;
    expect(shown(view, { since: day, until: day, spec: null })).toEqual(expected(view, { since: day, until: day }));
    expect(shown(view, { since: null, until: null, spec: 'invoice-management' })).toEqual(
      expected(view, {}, 'invoice-management'),
    );
  });

  it('lists a task once, and its sessions beneath it only when there are several', () => {
    const agg = dashboardAggregate(data);
    const summary = agg.summarize(agg.pick({ since: null, until: null, spec: null }));
    const table = dashboardSections(dashboardFormat(tz)).tasks(
      summary,
      () => '#000',
      () => '#000',
    );
    const rows = [...table.matchAll(/<tr ([^>]*)>(.*?)<\/tr>/g)].map(([, attrs, cells]) => ({
      total: /data-task-total="([^"]*)"/.exec(attrs!)?.[1],
      task: /data-task="([^"]*)"/.exec(attrs!)?.[1],
      session: /data-session="([^"]*)"/.exec(attrs!)?.[1],
      third: [...cells!.matchAll(/<td[^>]*>(.*?)<\/td>/g)][2]?.[1],
    }));
    const several = summary.tasks.filter((t) => t.sessions.length > 1);
    expect(several.length).toBeGreaterThan(0); // the generated ledger resumes tasks in other sessions
    expect(rows.filter((r) => r.total)).toHaveLength(summary.tasks.length);
    for (const t of summary.tasks) {
      const key = `${t.spec}/${t.task}`;
      const mine = rows.filter((r) => r.total === key || r.task === key);
      if (t.sessions.length === 1) {
        // One row: the task's, naming its session (and carrying it, as a per-session row does).
        const ws = t.sessions[0]!.ws ?? '';
        expect(mine).toEqual([{ total: key, task: key, session: ws, third: ws || '—' }]);
      } else {
        expect(mine[0]).toEqual({
          total: key,
          task: undefined,
          session: undefined,
          third: `${t.sessions.length} sessions`,
        });
        expect(mine.slice(1).map((r) => r.session)).toEqual(t.sessions.map((p) => p.ws ?? ''));
      }
    }
  });

  it('rolled up and read back from the index files (a warm read, one month at a time), still equals the full read', () => {
    p.run(['compact']);
    const indexDir = mkdtempSync(join(tmpdir(), 'index-'));
    const built = readIndexedLedger(p.ledger, indexDir, tz); // builds the index, writes its files, keeps its items
    const warm = readIndexedLedger(p.ledger, indexDir, tz);
    expect([built.how, warm.how]).toEqual(['rebuilt', 'fresh']);
    const meta = { projectDir: p.dir, now: Date.parse('2026-12-01T00:00:00Z'), dailyBudget: 5 };
    // Every row of the page (its branch, its first and last minute too) as the built items give it.
    expect(pageData(warm.view, book, tz, {}, meta)).toEqual(pageData(built.view, book, tz, {}, meta));
    const day = data.days[3]!;
    for (const [f, range] of [
      [{ since: null, until: null, spec: null }, {}],
      [
        { since: day, until: day, spec: null },
        { since: day, until: day },
      ],
      [{ since: null, until: null, spec: 'invoice-management' }, {}],
    ] as const)
      expect(shown(warm.view, f)).toEqual(expected(view, range, f.spec ?? undefined));
  });
});

describe('done tasks', () => {
  /** The (spec, task, work session) rows the page marks done. */
  const doneRows = (view: LedgerView) => {
    const data = pageData(
      view,
      book,
      'UTC',
      {},
      { projectDir: '/p', now: Date.parse('2026-12-01T00:00:00Z'), dailyBudget: null },
    );
    const name = (i: number) => (i < 0 ? null : data.names[i]);
    return new Set(data.rows.filter((r) => r[9] === 1).map((r) => `${name(r[2])}/${name(r[3])}/${name(r[1])}`));
  };

  it('are marked in their session, as the ledger says: from a full read, and from the index before and after compact', () => {
    const p = ledgerProject({ devs: 2, days: 3, callsPerDay: 120, seed: 5 });
    // One more task, worked on and never done, in a session that finished others; and a task done
    // in its session, worked on again in another one where it was not done.
    const before = readLedger(p.ledger);
    const first = before.usage.find((i) => i.ws && i.task)!;
    const doneOnce = before.tasks.find((e) => e.event === 'done' && e.ws)!;
    const call = { k: 'call', msg: 'msg_not_done', req: 'req_not_done', t: new Date(first.first + 1).toISOString() };
    const attribution = { cs: first.cs, model: first.model, in: 1, out: 2, cw5: 0, cw1h: 0, cr: 3 };
    writeFileSync(
      join(p.ledger, new Date(first.first).toISOString().slice(0, 10), 'cli-not-done.jsonl'),
      [
        { ...call, ...attribution, ws: first.ws, spec: first.spec, task: '9.9' },
        {
          ...call,
          ...attribution,
          msg: 'msg_again',
          req: 'req_again',
          ws: 'another-session',
          spec: doneOnce.spec,
          task: doneOnce.task,
        },
      ]
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(''),
    );
    const full = readLedger(p.ledger);
    const said = new Set(full.tasks.filter((e) => e.event === 'done').map((e) => `${e.spec}/${e.task}/${e.ws}`));
    const worked = new Set(full.usage.filter((i) => i.task).map((i) => `${i.spec}/${i.task}/${i.ws}`));
    const expected = new Set([...said].filter((k) => worked.has(k)));
    expect(expected.size).toBeGreaterThan(3);
    expect(worked.has(`${first.spec}/9.9/${first.ws}`) && !expected.has(`${first.spec}/9.9/${first.ws}`)).toBe(true);
    const again = `${doneOnce.spec}/${doneOnce.task}/another-session`;
    expect([
      worked.has(again),
      expected.has(again),
      said.has(`${doneOnce.spec}/${doneOnce.task}/${doneOnce.ws}`),
    ]).toEqual([true, false, true]);
    expect(doneRows(full)).toEqual(expected);
    const indexed = () => readIndexedLedger(p.ledger, mkdtempSync(join(tmpdir(), 'index-')), 'UTC').view;
    expect(doneRows(indexed())).toEqual(expected); // every file raw: the index's live part
    const compacted = p.run(['compact']);
    expect([compacted.code, compacted.stderr]).toEqual([0, '']);
    expect(doneRows(indexed())).toEqual(expected); // rolled up: the index's done piece
  });
});

describe('the page', () => {
  const hostile = pageData(fixture, book, tz, {}, { projectDir: '/work/<i>x&', now: 0, dailyBudget: null });
  hostile.names[0] = '</script><script>alert(1)</script>';
  const html = dashboardHtml(hostile, clientScript());

  it('fetches nothing: no address in it, and a policy that forbids requests', () => {
    expect(html).not.toMatch(/https?:\/\/|\bsrc=|\bhref=|@import|url\(/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
  });

  it('no name can close its script element or add markup', () => {
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('<title>spec-session · &lt;i&gt;x&amp;</title>');
  });

  it('its script is whole JavaScript, built from src/dashboard/client/', () => {
    const script = html.slice(html.lastIndexOf('<script>') + 8, html.lastIndexOf('</script>'));
    expect(() => new Function(script)).not.toThrow();
    expect(script).not.toMatch(/__vi|import\(|require\(/);
  });
});
