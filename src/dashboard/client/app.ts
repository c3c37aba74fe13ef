import type { DashboardData, PageItem } from '../page-data.js';
import type { Aggregate, Filter } from './aggregate.js';
import type { Format } from './format.js';
import type { dashboardDailyChart } from './daily-chart.js';
import type { dashboardSections } from './sections.js';
import type { dashboardTimeline, TimelineLane } from './timeline.js';

export interface DashboardParts {
  agg: Aggregate;
  fmt: Format;
  daily: ReturnType<typeof dashboardDailyChart>;
  sections: ReturnType<typeof dashboardSections>;
  timeline: ReturnType<typeof dashboardTimeline>;
}

/**
 * Wires the page: reads the filters, recomputes every figure from the embedded items, redraws.
 * No server is involved, so a saved page filters offline. Source text in the page: self-contained.
 */
export function startDashboard(data: DashboardData, parts: DashboardParts, doc: Document): void {
  const { agg, fmt, daily, sections, timeline } = parts;
  const $ = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
  const models = rankModels(data.items);
  const specs = [...new Set([...data.items.flatMap((i) => (i.spec ? [i.spec] : [])), ...data.sessions.map((s) => s.spec)])].sort();
  const modelColor = paletteFor(models, (m) => (/opus/.test(m) ? 0 : /sonnet/.test(m) ? 1 : /haiku/.test(m) ? 2 : 3));
  const specColor = paletteFor(specs, () => 4);
  const since = $<HTMLInputElement>('filter-since');
  const until = $<HTMLInputElement>('filter-until');
  const spec = $<HTMLSelectElement>('filter-spec');
  const days = data.items.map((i) => i.day).sort();
  since.min = until.min = data.since ?? days[0] ?? '';
  since.max = until.max = data.until ?? days.at(-1) ?? '';
  spec.innerHTML = `<option value="">All specs</option>${specs.map((s) => `<option value="${fmt.esc(s)}">${fmt.esc(s)}</option>`).join('')}`;

  function rankModels(items: PageItem[]): string[] {
    const cost = new Map<string, number>();
    for (const i of items) cost.set(i.model, (cost.get(i.model) ?? 0) + (i.usd ?? 0));
    return [...cost.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([m]) => m);
  }

  /** Stable colours per name, so filtering never repaints a model or spec in another colour. */
  function paletteFor(names: string[], family: (name: string) => number): (name: string) => string {
    const families = [['#7c3aed', '#a78bfa', '#5b21b6'], ['#2563eb', '#60a5fa', '#1e3a8a'], ['#0d9488', '#5eead4', '#115e59'], ['#d97706', '#fbbf24', '#92400e', '#64748b'], ['#f59e0b', '#ec4899', '#06b6d4', '#84cc16', '#f97316', '#a16207', '#e11d48', '#0891b2']];
    const used = new Map<number, number>();
    const colors = new Map<string, string>();
    for (const name of names) {
      const f = family(name);
      const n = used.get(f) ?? 0;
      used.set(f, n + 1);
      colors.set(name, families[f]![n % families[f]!.length]!);
    }
    return (name) => colors.get(name) ?? '#94a3b8';
  }

  function dayAxis(f: Filter): string[] {
    const lastUsed = days.at(-1) ?? data.today;
    const last = f.until ?? data.until ?? (lastUsed > data.today ? lastUsed : data.today);
    let first = f.since ?? data.since ?? days[0] ?? last;
    const back = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    if (!f.since && !data.since && first > back(last, 6)) first = back(last, 6);
    const out: string[] = [];
    for (let d = first; d <= last && out.length < 400; d = back(d, -1)) out.push(d);
    return out;
  }

  function lanes(f: Filter, items: PageItem[]): TimelineLane[] {
    const overlaps = (s: { startDay: string; endDay: string; spec: string }) => (!f.since || s.endDay >= f.since) && (!f.until || s.startDay <= f.until) && (!f.spec || s.spec === f.spec);
    const tasks = data.tasks.filter(overlaps);
    const out: TimelineLane[] = data.sessions.filter(overlaps).map((s) => ({ label: s.name, detail: s.spec, span: s, tasks: tasks.filter((t) => t.ws === s.name), items: items.filter((i) => i.ws === s.name) }));
    const known = new Set(out.map((l) => l.label));
    for (const ws of new Set(items.flatMap((i) => (i.ws && !known.has(i.ws) ? [i.ws] : [])))) out.push({ label: ws, detail: 'work session', span: null, tasks: tasks.filter((t) => t.ws === ws), items: items.filter((i) => i.ws === ws) });
    // Outside any work session, a lane per Claude session; a task done there goes on the lane of its calls.
    const loose = tasks.filter((t) => t.ws === null);
    const placed = new Set<(typeof loose)[number]>();
    for (const cs of new Set(items.flatMap((i) => (i.ws ? [] : [i.cs ?? '?'])))) {
      const mine = items.filter((i) => !i.ws && (i.cs ?? '?') === cs);
      const own = loose.filter((t) => mine.some((i) => i.spec === t.spec && i.task === t.task));
      own.forEach((t) => placed.add(t));
      out.push({ label: `Claude ${cs.slice(0, 8)}`, detail: 'no work session', span: null, tasks: own, items: mine });
    }
    const rest = loose.filter((t) => !placed.has(t));
    if (rest.length) out.push({ label: '(no work session)', detail: 'tasks', span: null, tasks: rest, items: [] });
    return out;
  }

  function render(): void {
    const f: Filter = { since: since.value || null, until: until.value || null, spec: spec.value || null };
    const items = agg.pick(data.items, f);
    const s = agg.summarize(items);
    $('shown').textContent = `${fmt.count(items.length)} of ${fmt.count(data.items.length)} usage items`;
    $('kpis').innerHTML = sections.kpis(s, data.dailyBudget);
    $('daily').innerHTML = daily.render({ days: dayAxis(f), byDay: s.days, models, color: modelColor, budget: data.dailyBudget });
    $('daily-legend').innerHTML = sections.legend(models.filter((m) => s.totals.models.has(m)), modelColor);
    $('kinds').innerHTML = sections.kinds(s.totals);
    $('specs').innerHTML = sections.specs(s, specColor);
    $('tasks').innerHTML = sections.tasks(s, modelColor, specColor);
    $('timeline').innerHTML = timeline.render(lanes(f, items), modelColor, specColor);
    $('sessions').innerHTML = sections.sessions(s, data.sessions);
    $('unattributed').innerHTML = sections.unattributed(s, modelColor);
    $('unpriced').textContent = s.totals.unpriced.size ? `* unpriced, counted at $0 here: ${[...s.totals.unpriced].join(', ')} (add prices in .claude/spec-session/prices.json)` : '';
  }

  for (const input of [since, until, spec]) input.addEventListener('change', render);
  $('filter-reset').addEventListener('click', () => {
    since.value = until.value = spec.value = '';
    render();
  });
  render();
}
