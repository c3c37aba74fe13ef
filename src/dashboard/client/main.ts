/**
 * The dashboard page's script: built on its own by esbuild (build.mjs) and inlined in the page.
 * It reads the sums the page embeds and draws every figure; nothing is fetched.
 */
import { startDashboard } from './app.js';
import type { DashboardData } from './page-data-types.js';

const data = JSON.parse(document.getElementById('dashboard-data')!.textContent!) as DashboardData;
startDashboard(data, document);
