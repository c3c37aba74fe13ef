import type { Summary, Tally } from './aggregate.js';
import type { Format } from './format.js';

/** A work session as the sessions table shows it. */
export interface SessionSpan {
  name: string;
  spec: string;
  start: number;
  end: number;
  open: boolean;
  claudeSessions: number;
}

/**
 * The page's figures as HTML: key numbers, tokens by kind, per spec, task, session, and the
 * unattributed usage. Exact values sit in data-value attributes next to the rounded text.
 */
export function dashboardSections(fmt: Format) {
  const exact = (usd: number) => Math.round(usd * 1e9) / 1e9;
  const star = (t: Tally) => (t.unpriced.size ? '<sup title="includes unpriced models">*</sup>' : '');
  const cost = (t: Tally) =>
    `<td class="num" data-field="cost" data-value="${exact(t.cost)}">${fmt.usd(t.cost)}${star(t)}</td>`;
  const tokens = (t: Tally) =>
    `<td class="num" data-field="tokens" data-value="${t.total}">${fmt.tokens(t.total)}</td>`;
  const bar = (value: number, max: number, color = '') =>
    `<td class="bar"><span style="width:${max > 0 ? Math.max((value / max) * 100, value > 0 ? 1 : 0).toFixed(2) : 0}%${color ? `;background:${color}` : ''}"></span></td>`;
  const chips = (t: Tally, color: (m: string) => string) =>
    [...t.models]
      .map((m) => `<span class="chip"><i style="background:${color(m)}"></i>${fmt.esc(fmt.shortModel(m))}</span>`)
      .join('');
  const table = (head: string[], rows: string[], empty: string) =>
    rows.length
      ? `<div class="scroll"><table><thead><tr>${head.map((h) => `<th${/Tokens|Cost|Calls/.test(h) ? ' class="num"' : ''}>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
      : `<p class="empty">${empty}</p>`;

  function kpis(s: Summary, dailyBudget: number | null): string {
    const busiest = Math.max(0, ...[...s.days.values()].map((d) => d.cost));
    const card = (label: string, id: string, value: number, text: string, sub: string) =>
      `<div class="kpi"><div class="kpi-label">${label}</div><div class="kpi-value" data-testid="${id}" data-value="${value}">${text}</div><div class="kpi-sub">${sub}</div></div>`;
    return [
      card(
        'Cost',
        'total-cost',
        exact(s.totals.cost),
        fmt.usd(s.totals.cost) + star(s.totals),
        `${s.specs.size} spec${s.specs.size === 1 ? '' : 's'}, ${s.tasks.length} task row${s.tasks.length === 1 ? '' : 's'}`,
      ),
      card('Tokens', 'total-tokens', s.totals.total, fmt.tokens(s.totals.total), `${fmt.count(s.totals.calls)} calls`),
      card(
        'Busiest day',
        'busiest-day',
        exact(busiest),
        fmt.usd(busiest),
        dailyBudget === null
          ? 'no daily budget'
          : `of ${fmt.usd(dailyBudget)} daily budget (${Math.round((busiest / dailyBudget) * 100)}%)`,
      ),
      card(
        'Unattributed',
        'unattributed-cost',
        exact(s.unattributed.cost),
        fmt.usd(s.unattributed.cost) + star(s.unattributed),
        `${fmt.tokens(s.unattributed.total)} tokens outside any task or session`,
      ),
    ].join('');
  }

  function kinds(s: Summary): string {
    const t = { ...s.kinds, total: s.kinds.in + s.kinds.out + s.kinds.cw5 + s.kinds.cw1h + s.kinds.cr };
    const rows: Array<[string, string, number]> = [
      ['Input', 'tokens-input', t.in],
      ['Output', 'tokens-output', t.out],
      ['Cache write', 'tokens-cache-write', t.cw5 + t.cw1h],
      ['Cache read', 'tokens-cache-read', t.cr],
    ];
    const max = Math.max(...rows.map((r) => r[2]));
    const body = rows.map(
      ([label, id, n]) =>
        `<tr><td>${label}</td>${bar(n, max, 'var(--kind)')}<td class="num" data-testid="${id}" data-value="${n}">${fmt.tokens(n)}</td><td class="num muted">${t.total ? Math.round((n / t.total) * 100) : 0}%</td></tr>`,
    );
    const split = t.cw1h
      ? `<p class="note">Cache writes: ${fmt.tokens(t.cw5)} for 5 minutes, ${fmt.tokens(t.cw1h)} for 1 hour.</p>`
      : '';
    return `<table class="kinds"><tbody>${body.join('')}</tbody></table>${split}`;
  }

  function specs(s: Summary, color: (spec: string) => string): string {
    const list = [...s.specs.entries()].sort((a, b) => b[1].cost - a[1].cost);
    const max = Math.max(0, ...list.map(([, t]) => t.cost));
    const phase = (t: Tally | undefined, field: string) =>
      t?.calls
        ? `<td class="num muted" data-field="${field}" data-value="${exact(t.cost)}">${fmt.usd(t.cost)}${star(t)}</td>`
        : `<td class="num muted" data-field="${field}" data-value="0">—</td>`;
    return table(
      ['Spec', '', 'Planning', 'Building', 'Tokens', 'Cost'],
      list.map(([spec, t]) => {
        const p = s.planning.get(spec);
        return `<tr data-spec="${fmt.esc(spec)}"><td class="name">${fmt.esc(spec)}</td>${bar(t.cost, max, color(spec))}${phase(p?.planning, 'planning')}${phase(p?.building, 'building')}${tokens(t)}${cost(t)}</tr>`;
      }),
      'No spec work in this range.',
    );
  }

  /** Cost per git branch checked out when the calls were made; '' is usage on no known branch (detached, or not a git repository). */
  function branches(s: Summary): string {
    // Usage on no known branch is listed beside known ones; alone, it is the note below.
    const all = [...s.branches.entries()].sort((a, b) => b[1].cost - a[1].cost);
    const list = all.some(([branch]) => branch !== '') ? all : [];
    const max = Math.max(0, ...list.map(([, t]) => t.cost));
    return table(
      ['Branch', '', 'Calls', 'Tokens', 'Cost'],
      list.map(
        ([branch, t]) =>
          `<tr data-branch="${fmt.esc(branch)}"><td class="mono">${branch ? fmt.esc(branch) : '<em>detached or unknown</em>'}</td>${bar(t.cost, max, 'var(--kind)')}<td class="num">${fmt.count(t.calls)}</td>${tokens(t)}${cost(t)}</tr>`,
      ),
      'No branch recorded in this range (not a git repository, or usage from before 0.2.0).',
    );
  }

  /** A task over every work session it spanned, then, when there are several, its sessions beneath it (one row each, as `cost --json`'s tasks). */
  function tasks(s: Summary, color: (m: string) => string, specColor: (spec: string) => string): string {
    const list = [...s.tasks].sort((a, b) => b.tally.cost - a.tally.cost);
    const max = Math.max(0, ...list.map((r) => r.tally.cost));
    const hand = (t: Tally) =>
      t.manual ? ' <span class="muted" title="includes tokens logged by hand (/log-task)">(m)</span>' : '';
    const active = (t: Tally) => `<td class="muted">${fmt.when(t.first)} → ${fmt.time(t.last)}</td>`;
    const rows = list.flatMap((r) => {
      const key = fmt.esc(`${r.spec}/${r.task}`);
      const head = `<td class="strong">${fmt.esc(r.task)}${r.tally.done ? ' ✓' : ''}${hand(r.tally)}</td><td>${fmt.esc(r.spec)}</td>`;
      const figures = (t: Tally) =>
        `<td>${chips(t, color)}</td>${active(t)}${bar(t.cost, max, specColor(r.spec))}${tokens(t)}${cost(t)}`;
      // One session: the task's row is that session's row too (a line beneath would repeat it).
      const only = r.sessions.length === 1 ? r.sessions[0]! : undefined;
      if (only)
        return [
          `<tr class="task-total task-session" data-task-total="${key}" data-task="${key}" data-session="${fmt.esc(only.ws ?? '')}">${head}<td>${fmt.esc(only.ws ?? '—')}</td>${figures(r.tally)}</tr>`,
        ];
      return [
        `<tr class="task-total" data-task-total="${key}">${head}<td class="muted">${r.sessions.length} sessions</td>${figures(r.tally)}</tr>`,
        ...r.sessions.map(
          (p) =>
            `<tr class="task-session" data-task="${key}" data-session="${fmt.esc(p.ws ?? '')}"><td class="muted">└</td><td></td><td>${fmt.esc(p.ws ?? '—')}${hand(p.tally)}</td>${figures(p.tally)}</tr>`,
        ),
      ];
    });
    const note = list.some((r) => r.tally.manual)
      ? '<p class="note" data-testid="manual-note">(m) includes tokens logged by hand (/log-task)</p>'
      : '';
    return (
      table(
        ['Task', 'Spec', 'Session', 'Models', 'Active', '', 'Tokens', 'Cost'],
        rows,
        'No task usage in this range.',
      ) + note
    );
  }

  function sessions(s: Summary, spans: SessionSpan[]): string {
    const rows = spans
      .filter((span) => s.sessions.has(span.name))
      .map((span) => {
        const t = s.sessions.get(span.name)!;
        return `<tr data-ws="${fmt.esc(span.name)}"><td class="strong">${fmt.esc(span.name)}</td><td>${fmt.esc(span.spec)}</td><td class="muted">${fmt.when(span.start)} → ${span.open ? '<em>open</em>' : fmt.when(span.end)}</td><td class="num" title="Claude sessions (windows) that worked in it">${span.claudeSessions}</td>${tokens(t)}${cost(t)}</tr>`;
      });
    return table(
      ['Session', 'Spec', 'Span', 'Claude sessions', 'Tokens', 'Cost'],
      rows,
      'No work-session usage in this range.',
    );
  }

  function unattributed(s: Summary, color: (m: string) => string): string {
    const rows = [...s.unattributedBySession.entries()].map(
      ([cs, t]) =>
        `<tr data-claude-session="${fmt.esc(cs)}"><td class="mono">${fmt.esc(cs.slice(0, 8))}</td><td>${chips(t, color)}</td><td class="muted">${fmt.when(t.first)} → ${fmt.time(t.last)}</td><td class="num">${fmt.count(t.calls)}</td>${tokens(t)}${cost(t)}</tr>`,
    );
    const head = `<p class="note">Calls made outside any task and work session (no <code>/start-session</code> or <code>/do-task</code> first): <strong data-testid="unattributed-tokens" data-value="${s.unattributed.total}">${fmt.tokens(s.unattributed.total)} tokens</strong>.${s.sessionOnly.calls ? ` Another ${fmt.usd(s.sessionOnly.cost)} (${fmt.tokens(s.sessionOnly.total)} tokens) ran in a work session before any task: counted in its session only.` : ''}</p>`;
    return (
      head +
      table(
        ['Claude session', 'Models', 'Active', 'Calls', 'Tokens', 'Cost'],
        rows,
        'None: every call belongs to a task or a work session.',
      )
    );
  }

  function legend(models: string[], color: (m: string) => string): string {
    return models
      .map((m) => `<span class="chip"><i style="background:${color(m)}"></i>${fmt.esc(fmt.shortModel(m))}</span>`)
      .join('');
  }

  return { kpis, kinds, specs, branches, tasks, sessions, unattributed, legend };
}
