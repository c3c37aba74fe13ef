const YEAR_2000 = Date.UTC(2000, 0, 1);
const YEAR_2200 = Date.UTC(2200, 0, 1);

/**
 * A timestamp a report can place on a calendar (2000 to 2200). A transcript line dated
 * `+275760-09-13` parses, but formatting it throws "Invalid time value": such a line is counted
 * as malformed at capture, and readers skip a ledger record that already holds one.
 */
export function isSaneTime(ms: number): boolean {
  return Number.isFinite(ms) && ms >= YEAR_2000 && ms < YEAR_2200;
}
