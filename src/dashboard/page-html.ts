import { dashboardAggregate } from './client/aggregate.js';
import { startDashboard } from './client/app.js';
import { dashboardDailyChart } from './client/daily-chart.js';
import { dashboardFormat } from './client/format.js';
import { dashboardSections } from './client/sections.js';
import { dashboardTimeline } from './client/timeline.js';
import type { DashboardData } from './page-data.js';
import { PAGE_STYLE } from './page-style.js';

/**
 * The page's script: the client functions' own source text, each self-contained, started on the
 * embedded data. Written in TypeScript like the rest and type-checked with it; no bundler step, no
 * file read at run time, nothing fetched. The glue's names are long so that no minified name in
 * the functions' source can mean one of them.
 */
function pageScript(): string {
  return `"use strict";
${keepNamesShim()}const dashboardPageData = JSON.parse(document.getElementById('dashboard-data').textContent);
const dashboardPageFormat = (${dashboardFormat})(dashboardPageData.timeZone);
(${startDashboard})(dashboardPageData, { agg: (${dashboardAggregate})(), fmt: dashboardPageFormat, daily: (${dashboardDailyChart})(dashboardPageFormat), sections: (${dashboardSections})(dashboardPageFormat), timeline: (${dashboardTimeline})(dashboardPageFormat) }, document);
`;
}

/**
 * With esbuild's keepNames (build.mjs), compiled code names its inner functions by calling a
 * helper from the bundle's top level, `helper(fn, "name")`, which the page does not have. How this
 * probe was compiled tells the helper's name, and the page gets a pass-through of that name.
 * Without keepNames (vitest, or another build) the probe shows no call and nothing is added.
 */
function keepNamesShim(): string {
  const probe = function keepNamesProbe() {
    function inner() {}
    return inner;
  };
  const call = /([\w$]+)\([\w$]+,\s*"inner"\)/.exec(String(probe));
  return call ? `var ${call[1]} = (fn) => fn;\n` : '';
}

/** No request may leave the page: a saved report opens offline and tells nobody it was opened. */
const POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** The whole dashboard as one self-contained HTML file: inline CSS, inline script, data as JSON. */
export function dashboardHtml(data: DashboardData): string {
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
  <section class="wide"><h2>Unattributed usage</h2><div id="unattributed"></div></section>
  <footer><p id="unpriced"></p><p>Every figure is recomputed here from the usage items below and equals <code>spec-session cost --json</code> for the same range. The page holds counts, ids, names and times only.</p></footer>
</main>
<script type="application/json" id="dashboard-data">${jsonForScript(data)}</script>
<script>${pageScript()}</script>
</body>
</html>
`;
}

/** JSON inside a script element: `<`, `>` and `&` escaped so no name can close the element. */
function jsonForScript(data: DashboardData): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
