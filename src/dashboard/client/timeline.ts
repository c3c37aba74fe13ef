import type { Format } from './format.js';
import type { SessionSpan } from './sections.js';

/** A task's stretch on a lane: from its first to its last activity there. */
export interface TaskSpan {
  spec: string;
  task: string;
  start: number;
  end: number;
  done: boolean;
}

/** A dot on a lane: a day's usage of one task (or of no task), coloured by its main model. */
export interface UsageDot {
  t: number;
  model: string;
  tokens: number;
  cost: number;
}

export interface TimelineLane {
  /** Work session name, or a Claude session id for usage outside any work session. */
  label: string;
  detail: string;
  span: SessionSpan | null;
  tasks: TaskSpan[];
  items: UsageDot[];
}

/**
 * Work sessions (and Claude sessions outside any) as lanes on one time axis, so parallel sessions
 * show side by side: the session's span, its task stretches on it, a dot per day's usage of a task.
 */
export function dashboardTimeline(fmt: Format) {
  const W = 1000;
  const L = 170;
  const R = 16;
  const AXIS = 26;
  const LANE = 50;
  const STEPS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800].map(
    (s) => s * 1000,
  );

  function clip(text: string, max: number): string {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }

  function render(lanes: TimelineLane[], modelColor: (m: string) => string, specColor: (s: string) => string): string {
    if (lanes.length === 0) return '<p class="empty">No work sessions or calls in this range.</p>';
    const times = lanes.flatMap((l) => [
      ...(l.span ? [l.span.start, l.span.end] : []),
      ...l.tasks.flatMap((t) => [t.start, t.end]),
      ...l.items.map((i) => i.t),
    ]);
    let from = Math.min(...times);
    let to = Math.max(...times);
    const widen = Math.max(0, 20_000 - (to - from)) / 2;
    const pad = (to - from + 2 * widen) * 0.03 + widen;
    [from, to] = [from - pad, to + pad];
    const pw = W - L - R;
    const x = (t: number) => L + ((t - from) / (to - from)) * pw;
    const H = AXIS + lanes.length * LANE + 8;
    const out: string[] = [
      `<svg class="timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="Timeline of work sessions and tasks" data-testid="timeline">`,
    ];
    const step = STEPS.find((s) => (to - from) / s <= 8) ?? STEPS[STEPS.length - 1]!;
    let lastDay = '';
    for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
      const day = fmt.day(t);
      const label =
        step >= 86_400_000 ? day.slice(5) : `${day !== lastDay ? `${day.slice(5)} ` : ''}${fmt.time(t, step < 60_000)}`;
      lastDay = day;
      out.push(
        `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${AXIS - 6}" y2="${H - 4}"/><text class="axis" x="${x(t)}" y="${AXIS - 10}" text-anchor="middle">${label}</text>`,
      );
    }
    lanes.forEach((lane, n) => {
      const top = AXIS + n * LANE;
      out.push(
        `<g class="lane" data-lane="${fmt.esc(lane.label)}"><text class="lane-label" x="8" y="${top + 21}">${fmt.esc(clip(lane.label, 20))}</text><text class="lane-detail" x="8" y="${top + 37}">${fmt.esc(clip(lane.detail, 24))}</text>`,
      );
      if (lane.span) {
        const s = lane.span;
        out.push(
          `<rect class="session${s.open ? ' open' : ''}" x="${x(s.start)}" y="${top + 6}" width="${Math.max(x(s.end) - x(s.start), 4)}" height="${LANE - 14}" rx="5"><title>${fmt.esc(s.name)} (${fmt.esc(s.spec)}): ${fmt.when(s.start)} → ${s.open ? 'open' : fmt.when(s.end)}</title></rect>`,
        );
      }
      for (const t of lane.tasks) {
        const w = Math.max(x(t.end) - x(t.start), 6);
        const title = `task ${t.task} of ${t.spec}: ${fmt.when(t.start)} → ${fmt.when(t.end)}${t.done ? ' (done)' : ' (in progress)'}`;
        out.push(
          `<g class="task${t.done ? '' : ' open'}"><rect x="${x(t.start)}" y="${top + 11}" width="${w}" height="18" rx="3" fill="${specColor(t.spec)}"><title>${fmt.esc(title)}</title></rect>`,
        );
        if (w >= 26)
          out.push(`<text x="${x(t.start) + w / 2}" y="${top + 24}" text-anchor="middle">${fmt.esc(t.task)}</text>`);
        out.push('</g>');
      }
      for (const i of lane.items) {
        out.push(
          `<circle class="call" cx="${x(i.t)}" cy="${top + 38}" r="3.2" fill="${modelColor(i.model)}"><title>${fmt.when(i.t)} · ${fmt.esc(fmt.shortModel(i.model))} · ${fmt.count(i.tokens)} tokens · ${fmt.usd(i.cost)}</title></circle>`,
        );
      }
      out.push('</g>');
    });
    out.push('</svg>');
    return out.join('');
  }

  return { render };
}
