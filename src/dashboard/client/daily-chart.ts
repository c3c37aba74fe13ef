import type { DayTally } from './aggregate.js';
import type { Format } from './format.js';

export interface DailyChartInput {
  days: string[];
  byDay: Map<string, DayTally>;
  /** Stacking order, bottom first. */
  models: string[];
  color: (model: string) => string;
  budget: number | null;
}

/**
 * Cost per day stacked by model, with the daily budget as a dashed line, as SVG text. When the
 * budget is far above every day (more than 4×), the scale follows the days so their bars stay
 * readable, and the line sits on top marked "above scale".
 */
export function dashboardDailyChart(fmt: Format) {
  const W = 1100;
  const H = 270;
  const L = 58;
  const R = 14;
  const T = 24;
  const B = 30;

  /** A step for four gridlines that reads well as money: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k. */
  function niceStep(v: number): number {
    const p = 10 ** Math.floor(Math.log10(v));
    for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function render(input: DailyChartInput): string {
    const { days, byDay, models, color, budget } = input;
    const pw = W - L - R;
    const ph = H - T - B;
    const dataMax = Math.max(0, ...days.map((d) => byDay.get(d)?.cost ?? 0));
    const budgetOnScale = budget !== null && (dataMax === 0 ? budget <= 1 : budget <= dataMax * 4);
    const step = niceStep(Math.max(dataMax * 1.1, budgetOnScale && budget !== null ? budget * 1.05 : 0, 0.04) / 4);
    const top = step * 4;
    const y = (v: number) => T + ph - (v / top) * ph;
    const out: string[] = [
      `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Cost per day by model" data-testid="daily-chart">`,
    ];
    for (let k = 0; k <= 4; k++) {
      const v = step * k;
      out.push(
        `<line class="grid" x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}"/><text class="axis" x="${L - 8}" y="${y(v) + 4}" text-anchor="end">${fmt.usd(v)}</text>`,
      );
    }
    const slot = pw / Math.max(days.length, 1);
    const bw = Math.max(2, Math.min(56, slot * 0.6));
    const labelEvery = Math.ceil(days.length / 12);
    days.forEach((d, n) => {
      const t = byDay.get(d);
      const x = L + slot * n + (slot - bw) / 2;
      out.push(`<g data-day="${d}" data-value="${t ? Math.round(t.cost * 1e9) / 1e9 : 0}">`);
      let base = 0;
      for (const model of models) {
        const cost = t?.models.get(model) ?? 0;
        if (cost <= 0) continue;
        const h = (cost / top) * ph;
        out.push(
          `<rect x="${x}" y="${y(base) - h}" width="${bw}" height="${Math.max(h, 0.5)}" fill="${color(model)}"><title>${d} · ${fmt.esc(fmt.shortModel(model))}: ${fmt.usd(cost)}</title></rect>`,
        );
        base += cost;
      }
      if (t && t.cost > 0 && days.length <= 31)
        out.push(
          `<text class="value" x="${x + bw / 2}" y="${y(t.cost) - 5}" text-anchor="middle">${fmt.usd(t.cost)}</text>`,
        );
      if (n % labelEvery === 0)
        out.push(`<text class="axis" x="${x + bw / 2}" y="${H - B + 17}" text-anchor="middle">${d.slice(5)}</text>`);
      out.push('</g>');
    });
    out.push(`<line class="baseline" x1="${L}" x2="${W - R}" y1="${y(0)}" y2="${y(0)}"/>`);
    if (budget !== null) {
      const by = budgetOnScale ? y(budget) : T - 8;
      const label = budgetOnScale
        ? `daily budget ${fmt.usd(budget)}`
        : `▲ daily budget ${fmt.usd(budget)} (above scale)`;
      out.push(
        `<g data-testid="budget-line"><line class="budget" x1="${L}" x2="${W - R}" y1="${by}" y2="${by}"/><text class="budget-label" x="${W - R}" y="${by - 5}" text-anchor="end">${label}</text></g>`,
      );
    }
    out.push('</svg>');
    return out.join('');
  }

  return { render };
}
