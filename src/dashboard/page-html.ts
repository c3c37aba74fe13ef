import type { DashboardData } from './page-data.js';
import { PAGE_STYLE } from './page-style.js';

declare const __DASHBOARD_CLIENT__: string | undefined;

/**
 * The page's script: src/dashboard/client/ built on its own by esbuild (build.mjs) into the CLI
 * bundle as text. Tests that run from the TypeScript sources build it the same way and pass it in.
 */
export function builtClientScript(): string {
  if (typeof __DASHBOARD_CLIENT__ === 'string') return __DASHBOARD_CLIENT__;
  throw new Error('the dashboard script is built into dist/spec-session.cjs: run npm run build');
}

/** No request may leave the page: a saved report opens offline and tells nobody it was opened. */
const POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** The whole dashboard as one self-contained HTML file: inline CSS, inline script, data as JSON. */
export function dashboardHtml(data: DashboardData, script = builtClientScript()): string {
  const range = data.since || data.until ? `${data.since ?? '…'} → ${data.until ?? '…'}` : 'all time';
  const generated = new Date(data.generatedAt).toISOString().replace('T', ' ').slice(0, 16);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<title>spec-session · ${escapeHtml(data.project)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
  <h1>spec-session <span>· ${escapeHtml(data.project)}</span></h1>
  <div class="meta" data-testid="meta">${escapeHtml(range)} · ${escapeHtml(data.priceLabel)} · days in ${escapeHtml(data.timeZone)} · generated ${generated} UTC</div>
</header>
<div class="filters">
  <label>From <input type="date" id="filter-since" data-testid="filter-since"></label>
  <label>To <input type="date" id="filter-until" data-testid="filter-until"></label>
  <label>Spec <select id="filter-spec" data-testid="filter-spec"></select></label>
  <button type="button" id="filter-reset" data-testid="filter-reset">Reset</button>
  <span class="shown" id="shown" data-testid="shown"></span>
</div>
<main>
  <div class="kpis" id="kpis"></div>
  <section class="wide"><h2>Cost per day, by model</h2><div id="daily"></div><div class="legend" id="daily-legend"></div></section>
  <section><h2>Tokens by kind</h2><div id="kinds"></div></section>
  <section><h2>Cost per spec</h2><div id="specs"></div></section>
  <section class="wide"><h2>Cost per task</h2><div id="tasks"></div></section>
  <section class="wide"><h2>Timeline: work sessions and tasks</h2><div id="timeline"></div></section>
  <section class="wide"><h2>Work sessions</h2><div id="sessions"></div></section>
  <section class="wide"><h2>Cost per branch</h2><div id="branches"></div></section>
  <section class="wide"><h2>Unattributed usage</h2><div id="unattributed"></div></section>
  <footer><p id="unpriced"></p>${data.skipped ? `<p class="skipped" data-testid="skipped">${escapeHtml(data.skipped)}</p>` : ''}<p>Every figure is recomputed here from the usage sums below and equals <code>spec-session cost --json</code> for the same range. The page holds counts, ids, names and times only.</p></footer>
</main>
<script type="application/json" id="dashboard-data">${jsonForScript(data)}</script>
<script>${script.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}

/** JSON inside a script element: `<`, `>` and `&` escaped so no name can close the element. */
function jsonForScript(data: DashboardData): string {
  return JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
