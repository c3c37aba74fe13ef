// Builds the prebuilt bundles that hooks and the CLI run: plain CommonJS for node, no tsx/npx at run time.
// dist/hook.cjs is kept small (capture only) because Claude Code starts it after every tool call;
// it loads dist/spec-session.cjs (through a V8 code cache) only for prompts and turn ends.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

// The dashboard's script runs in the browser: built on its own, then carried by the CLI as text.
const client = await build({ entryPoints: ['src/dashboard/client/main.ts'], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2020', minify: true, legalComments: 'none', logLevel: 'warning' });
const dashboardClient = { __DASHBOARD_CLIENT__: JSON.stringify(client.outputFiles[0].text) };

await Promise.all([
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/spec-session.cjs', banner: { js: '#!/usr/bin/env node' }, minify: true, define: dashboardClient }),
  build({ ...common, entryPoints: ['hooks/hook.ts'], outfile: 'dist/hook.cjs', minify: true }),
]);
