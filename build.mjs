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

await Promise.all([
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/spec-session.cjs', banner: { js: '#!/usr/bin/env node' }, minify: true }),
  build({ ...common, entryPoints: ['hooks/hook.ts'], outfile: 'dist/hook.cjs', minify: true }),
]);
