// Builds the prebuilt bundles that hooks and the CLI run: plain CommonJS for node, no tsx/npx at run time.
// dist/hook.cjs is kept small (capture only) because Claude Code starts it after every tool call;
// it loads dist/spec-session.cjs (through a V8 code cache) only for prompts and turn ends.
import { chmod, readFile } from 'node:fs/promises';
import { build } from 'esbuild';

// `import fs from 'node:fs'` compiles to __toESM(require('node:fs')) in every module that says it,
// copying the module's ~100 properties each time: ~8 ms of every hook run. A default import of a
// built-in is exactly its require(): say so in the bundle (types are checked on the source by tsc).
const builtinDefaults = {
  name: 'builtin-defaults',
  setup(b) {
    b.onLoad({ filter: /[\\/](src|hooks)[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return {
        contents: source.replace(/^import (\w+) from '(node:[\w/]+)';$/gm, "const $1 = require('$2');"),
        loader: 'ts',
      };
    });
  },
};

// zod's namespaces re-export all of its ~50 locales (`z.locales`): bundled, they are built at
// every start of the full bundle (~6 ms of each heavy hook and command). Nothing here switches
// locale; messages stay English (src/store/zod-english.ts sets that one locale itself).
const zodWithoutLocales = {
  name: 'zod-without-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/]/.test(args.importer)
        ? { path: 'zod-locales', namespace: 'stub' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

// `SPEC_SESSION_BUILD_READABLE=1 npm run build` leaves names as written: for reading CPU profiles.
const minify = process.env.SPEC_SESSION_BUILD_READABLE !== '1';

const common = {
  plugins: [builtinDefaults, zodWithoutLocales],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

// The dashboard's script runs in the browser: built on its own, then carried by the CLI as text.
const client = await build({
  entryPoints: ['src/dashboard/client/main.ts'],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const dashboardClient = { __DASHBOARD_CLIENT__: JSON.stringify(client.outputFiles[0].text) };
const { version } = JSON.parse(await readFile('package.json', 'utf8'));

// `spec-session report` runs dist/report.cjs (~10% of the CLI's size, no zod): the banner hands it
// over before V8 runs anything else of the full bundle. Run as a library (the hooks), or without
// report.cjs beside it (an installed project's copy), the full bundle runs as before.
const reportHandOver = [
  '#!/usr/bin/env node',
  '"use strict";',
  "if (require.main === module && process.argv[2] === 'report' && require('fs').existsSync(__dirname + '/report.cjs')) {",
  "  require('./report.cjs').runReport(process.argv.slice(3)).then((code) => { process.exitCode = code; });",
  '  return;',
  '}',
].join('\n');

// In report.cjs a user price file is left to the full CLI (its reader validates with zod).
const priceFileViaFullCli = {
  name: 'price-file-via-full-cli',
  setup(b) {
    b.onResolve({ filter: /\/price-overrides\.js$/ }, () => ({
      path: new URL('src/cli/price-file-via-full-cli.ts', import.meta.url).pathname,
    }));
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/spec-session.cjs',
    banner: { js: reportHandOver },
    minify,
    define: { ...dashboardClient, __VERSION__: JSON.stringify(version) },
  }),
  build({
    ...common,
    entryPoints: ['src/cli/report-main.ts'],
    outfile: 'dist/report.cjs',
    plugins: [builtinDefaults, zodWithoutLocales, priceFileViaFullCli],
    minify,
  }),
  build({ ...common, entryPoints: ['hooks/hook.ts'], outfile: 'dist/hook.cjs', minify }),
  // The package's bin (src/cli/bin.ts): report.cjs for `report`, the full bundle through a code cache for the rest.
  build({
    ...common,
    entryPoints: ['src/cli/bin.ts'],
    outfile: 'dist/cli.cjs',
    banner: { js: '#!/usr/bin/env node' },
    minify,
  }),
  build({ ...common, entryPoints: ['install.ts'], outfile: 'dist/install.cjs', minify }),
]);
await chmod('dist/cli.cjs', 0o755);
