import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** The page's script built from src/dashboard/client/ as build.mjs builds it into the CLI. */
export function clientScript(): string {
  const entry = fileURLToPath(new URL('../../../src/dashboard/client/main.ts', import.meta.url));
  return buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
  }).outputFiles[0]!.text;
}
