/**
 * Crash injection for the exactly-once tests: with SPEC_SESSION_FAULT=<name>, the process kills
 * itself with SIGKILL when it reaches that point, as a power cut or `kill -9` would. Points:
 * `before-ledger-append`, `mid-ledger-append` (half a line written), `before-state-save`,
 * `after-rollup-write` (a rollup file written, the raw files it replaces not yet deleted);
 * `mid-history-save` (report: call buckets written, summary and cursors not yet).
 */
export function faultPoint(name: string): void {
  if (process.env.SPEC_SESSION_FAULT === name) process.kill(process.pid, 'SIGKILL');
}
