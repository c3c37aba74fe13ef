/** Thrown in dist/report.cjs where only the full CLI can go on (see report-main.ts). */
export class FullCliNeeded extends Error {}
