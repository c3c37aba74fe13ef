import { dashboardAggregate, type Filter } from './aggregate.js';
import { dashboardDailyChart } from './daily-chart.js';
import { dashboardFormat } from './format.js';
import { DONE, ROW, type DashboardData, type PageRow } from './page-data-types.js';
import { dashboardSections, type SessionSpan } from './sections.js';
import { dashboardTimeline, type TimelineLane } from './timeline.js';

/**
 * Wires the page: reads the filters, recomputes every figure from the embedded sums, redraws.
 * No server is involved, so a saved page filters offline.
 */
export function startDashboard(data: DashboardData, doc: Document): void {
  const agg = dashboardAggregate(data);
  const fmt = dashboardFormat(data.timeZone);
  const daily = dashboardDailyChart(fmt);
  const sections = dashboardSections(fmt);
  const timeline = dashboardTimeline(fmt);
  const $ = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
  const name = agg.name;
  const models = rankModels();
  const spans: SessionSpan[] = data.sessions.map(([n, spec, start, end, claudeSessions]) => ({
    name: name(n)!,
    spec: name(spec)!,
    start: agg.minuteMs(start),
    end: agg.minuteMs(
      end < 0 ? Math.max(start, ...data.rows.filter((r) => r[ROW.ws] === n).map((r) => r[ROW.last])) : end,
    ),
    open: end < 0,
    claudeSessions,
  }));
  const specs = [
    ...new Set([
      ...data.rows.flatMap((r) => (r[ROW.spec] >= 0 ? [name(r[ROW.spec])!] : [])),
      ...spans.map((s) => s.spec),
    ]),
  ].sort();
  const modelColor = paletteFor(models, (m) => (/opus/.test(m) ? 0 : /sonnet/.test(m) ? 1 : /haiku/.test(m) ? 2 : 3));
  const specColor = paletteFor(specs, () => 4);
  const since = $<HTMLInputElement>('filter-since');
  const until = $<HTMLInputElement>('filter-until');
  const spec = $<HTMLSelectElement>('filter-spec');
  since.min = until.min = data.since ?? data.days[0] ?? '';
  since.max = until.max = data.until ?? data.days.at(-1) ?? '';
  spec.innerHTML = `<option value="">All specs</option>${specs.map((s) => `<option value="${fmt.esc(s)}">${fmt.esc(s)}</option>`).join('')}`;

  /** Models by cost, the most expensive first: the chart's stacking order. */
  function rankModels(): string[] {
    const cost = new Map<string, number>();
    for (const d of data.daily) cost.set(name(d[2])!, (cost.get(name(d[2])!) ?? 0) + d[9]);
    return [...cost.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([m]) => m);
  }

  /** Stable colours per name, so filtering never repaints a model or spec in another colour. */
  function paletteFor(names: string[], family: (name: string) => number): (name: string) => string {
    const families = [
      ['#7c3aed', '#a78bfa', '#5b21b6'],
      ['#2563eb', '#60a5fa', '#1e3a8a'],
      ['#0d9488', '#5eead4', '#115e59'],
      ['#d97706', '#fbbf24', '#92400e', '#64748b'],
      ['#f59e0b', '#ec4899', '#06b6d4', '#84cc16', '#f97316', '#a16207', '#e11d48', '#0891b2'],
    ];
    const used = new Map<number, number>();
    const colors = new Map<string, string>();
    for (const n of names) {
      const f = family(n);
      const k = used.get(f) ?? 0;
      used.set(f, k + 1);
      colors.set(n, families[f]![k % families[f]!.length]!);
    }
    return (n) => colors.get(n) ?? '#94a3b8';
  }

  function dayAxis(f: Filter): string[] {
    const lastUsed = data.days.at(-1) ?? data.today;
    const last = f.until ?? data.until ?? (lastUsed > data.today ? lastUsed : data.today);
    let first = f.since ?? data.since ?? data.days[0] ?? last;
    const back = (d: string, n: number) =>
      new Date(Date.parse(`${d}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    if (!f.since && !data.since && first > back(last, 6)) first = back(last, 6);
    const out: string[] = [];
    for (let d = first; d <= last && out.length < 400; d = back(d, -1)) out.push(d);
    return out;
  }

  /** A lane per work session in range, then per Claude session for usage outside any; task stretches from the usage. */
  function lanes(f: Filter, rows: PageRow[]): TimelineLane[] {
    const overlaps = (s: SessionSpan) =>
      (!f.since || fmt.day(s.end) >= f.since) &&
      (!f.until || fmt.day(s.start) <= f.until) &&
      (!f.spec || s.spec === f.spec);
    const lane = (label: string, detail: string, span: SessionSpan | null, mine: PageRow[]): TimelineLane => {
      const tasks = new Map<string, TimelineLane['tasks'][number]>();
      for (const r of mine) {
        if (r[ROW.task] < 0) continue;
        const key = `${r[ROW.spec]}/${r[ROW.task]}`;
        const [start, end] = [agg.minuteMs(r[ROW.first]), agg.minuteMs(r[ROW.last])];
        const t = tasks.get(key);
        if (!t)
          tasks.set(key, {
            spec: name(r[ROW.spec])!,
            task: name(r[ROW.task])!,
            start,
            end,
            done: (r[ROW.flags] & DONE) !== 0,
          });
        else [t.start, t.end] = [Math.min(t.start, start), Math.max(t.end, end)];
      }
      const items = mine.map((r) => ({
        t: agg.minuteMs(r[ROW.first]),
        model: mainModel(r),
        tokens: r[ROW.tokens],
        cost: r[ROW.pico] / 1e12,
      }));
      return { label, detail, span, tasks: [...tasks.values()], items };
    };
    const out = spans.filter(overlaps).map((s) =>
      lane(
        s.name,
        s.spec,
        s,
        rows.filter((r) => name(r[ROW.ws]) === s.name),
      ),
    );
    const known = new Set(out.map((l) => l.label));
    for (const ws of new Set(
      rows.flatMap((r) => (r[ROW.ws] >= 0 && !known.has(name(r[ROW.ws])!) ? [name(r[ROW.ws])!] : [])),
    ))
      out.push(
        lane(
          ws,
          'work session',
          null,
          rows.filter((r) => name(r[ROW.ws]) === ws),
        ),
      );
    for (const cs of new Set(rows.flatMap((r) => (r[ROW.ws] < 0 ? [name(r[ROW.cs]) ?? '?'] : []))))
      out.push(
        lane(
          `Claude ${cs.slice(0, 8)}`,
          'no work session',
          null,
          rows.filter((r) => r[ROW.ws] < 0 && (name(r[ROW.cs]) ?? '?') === cs),
        ),
      );
    return out;
  }

  function mainModel(r: PageRow): string {
    return (
      models.find((m) => (r[ROW.models] & (1 << data.models.findIndex((i) => name(i) === m))) !== 0) ?? models[0] ?? ''
    );
  }

  function render(): void {
    const f: Filter = { since: since.value || null, until: until.value || null, spec: spec.value || null };
    const picked = agg.pick(f);
    const s = agg.summarize(picked);
    $('shown').textContent =
      `${fmt.count(s.totals.calls)} of ${fmt.count(data.rows.reduce((n, r) => n + r[ROW.calls], 0))} calls`;
    $('kpis').innerHTML = sections.kpis(s, data.dailyBudget);
    $('daily').innerHTML = daily.render({
      days: dayAxis(f),
      byDay: s.days,
      models,
      color: modelColor,
      budget: data.dailyBudget,
    });
    $('daily-legend').innerHTML = sections.legend(
      models.filter((m) => s.totals.models.has(m)),
      modelColor,
    );
    $('kinds').innerHTML = sections.kinds(s);
    $('specs').innerHTML = sections.specs(s, specColor);
    $('tasks').innerHTML = sections.tasks(s, modelColor, specColor);
    $('timeline').innerHTML = timeline.render(lanes(f, picked.rows), modelColor, specColor);
    $('sessions').innerHTML = sections.sessions(s, spans);
    $('branches').innerHTML = sections.branches(s);
    $('unattributed').innerHTML = sections.unattributed(s, modelColor);
    $('unpriced').textContent = s.totals.unpriced.size
      ? `* unpriced, counted at $0 here: ${[...s.totals.unpriced].join(', ')} (add prices in .claude/spec-session/prices.json)`
      : '';
  }

  for (const input of [since, until, spec]) input.addEventListener('change', render);
  $('filter-reset').addEventListener('click', () => {
    since.value = until.value = spec.value = '';
    render();
  });
  render();
}
