/** The dashboard's stylesheet, inlined into the page: system fonts only, nothing fetched. */
export const PAGE_STYLE = `
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --card: #ffffff; --bg: #f1f5f9; --accent: #2563eb; --kind: #475569; --budget: #dc2626; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
header { background: var(--ink); color: #f8fafc; padding: 18px 28px 14px; }
header h1 { margin: 0; font-size: 20px; font-weight: 650; letter-spacing: .01em; }
header h1 span { color: #94a3b8; font-weight: 400; }
header .meta { color: #cbd5e1; font-size: 12.5px; margin-top: 4px; }
.filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: end; padding: 12px 28px; background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
.filters label { display: flex; flex-direction: column; font-size: 11.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; gap: 3px; }
.filters input, .filters select, .filters button { font: inherit; font-size: 13.5px; padding: 5px 8px; border: 1px solid #cbd5e1; border-radius: 6px; background: #fff; color: var(--ink); }
.filters button { cursor: pointer; background: #f8fafc; }
.filters .shown { color: var(--muted); font-size: 12.5px; margin-left: auto; align-self: center; }
main { max-width: 1240px; margin: 0 auto; padding: 18px 28px 40px; display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px 16px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
section h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0 0 10px; font-weight: 600; }
.kpis { grid-column: 1 / -1; display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 18px; }
.kpi-label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.kpi-value { font-size: 28px; font-weight: 650; font-variant-numeric: tabular-nums; margin: 2px 0; }
.kpi-sub { font-size: 12.5px; color: var(--muted); }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th { text-align: left; font-size: 11.5px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .04em; border-bottom: 1px solid var(--line); padding: 4px 8px; }
td { padding: 6px 8px; border-bottom: 1px solid #f1f5f9; vertical-align: middle; }
th, td.strong, td.mono, td.name, table.kinds td:first-child { white-space: nowrap; }
.scroll { overflow-x: auto; }
tr:last-child td { border-bottom: 0; }
.num { text-align: right; white-space: nowrap; }
.muted { color: var(--muted); white-space: nowrap; font-size: 12.5px; }
.strong { font-weight: 600; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
td.bar { width: 22%; min-width: 80px; }
td.bar span { display: block; height: 10px; border-radius: 3px; background: var(--accent); }
table.kinds td.bar { width: 55%; }
.chip { display: inline-flex; align-items: center; gap: 5px; margin-right: 10px; font-size: 12.5px; white-space: nowrap; }
.chip i { width: 10px; height: 10px; border-radius: 2px; display: inline-block; }
.legend { margin-top: 4px; }
.note { color: var(--muted); font-size: 12.5px; margin: 4px 0 10px; }
.empty { color: var(--muted); font-style: italic; margin: 6px 0; }
svg { width: 100%; height: auto; display: block; font-family: inherit; }
/* Below these widths the charts scroll sideways rather than shrink their text out of reading. */
#daily, #timeline { overflow-x: auto; }
svg.chart { min-width: 820px; }
svg.timeline { min-width: 860px; }
svg .grid { stroke: #eef2f7; stroke-width: 1; }
svg .baseline { stroke: #94a3b8; stroke-width: 1; }
svg .axis { fill: var(--muted); font-size: 11px; }
svg .value { fill: var(--ink); font-size: 11px; font-weight: 600; }
svg .budget { stroke: var(--budget); stroke-width: 1.5; stroke-dasharray: 6 4; }
svg .budget-label { fill: var(--budget); font-size: 11.5px; font-weight: 600; }
svg .lane-label { font-size: 13px; font-weight: 600; fill: var(--ink); }
svg .lane-detail { font-size: 11px; fill: var(--muted); }
svg rect.session { fill: #e0e7ff; stroke: #a5b4fc; }
svg rect.session.open { fill: #eef2ff; stroke-dasharray: 4 3; }
svg .task rect { stroke: rgba(15, 23, 42, .35); stroke-width: .8; }
svg .task.open rect { stroke-dasharray: 3 2; fill-opacity: .6; }
svg .task text { font-size: 11px; font-weight: 600; fill: #0f172a; }
svg circle.call { stroke: #fff; stroke-width: 1; }
footer { grid-column: 1 / -1; color: var(--muted); font-size: 12px; text-align: center; }
#unpriced { color: #b45309; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } .kpis { grid-template-columns: repeat(2, 1fr); } }
`;
