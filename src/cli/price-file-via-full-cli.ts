import { FullCliNeeded } from './full-cli-needed.js';

/**
 * Stands in for pricing/price-overrides.ts in dist/report.cjs (build.mjs swaps it in): reading a
 * user price file means validating it with zod, which that small bundle leaves out. The full CLI
 * takes the command over from there.
 */
export function readPriceOverrides(): never {
  throw new FullCliNeeded('a user price file: handled by the full CLI');
}
