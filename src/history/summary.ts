import { isLongContextPrompt } from '../pricing/price-call.js';
import type { TokenCounts } from '../usage/tokens.js';
import type { CallTable } from './call-table.js';

/**
 * What `report` prints from, per Claude session, small enough to load on every run: usage summed
 * per (15-minute UTC slot, model, speed, long context) — every real time-zone offset is a multiple
 * of 15 minutes, so days, weeks and months in any zone are exact, and the pricing tier of each call
 * is kept, so prices are applied at read time — plus the session's span, its cost-state gaps, and
 * what is known of its Claude Code versions.
 */
export const SLOT_MS = 15 * 60 * 1000;

/** `[slot (ms / SLOT_MS), model (index in models), flags (1 fast, 2 long context), calls, in, out, 5m, 1h, read]` */
export type SummaryRow = number[];
/** Usage a cost-state line counts that no line shows: `[at (null: the session's last activity), model, in, out, 5m, 1h, read]` */
export type GapRow = [
  at: number | null,
  model: number,
  input: number,
  output: number,
  cacheWrite5m: number,
  cacheWrite1h: number,
  cacheRead: number,
];

export const FAST = 1;
export const LONG = 2;

export interface SessionSummary {
  project: string;
  /** First and last call of the session (its representative copies). */
  first: number;
  last: number;
  rows: SummaryRow[];
  gaps: GapRow[];
  /** Sessions whose calls this one holds copies of (it was forked from them). */
  parents?: string[];
  versions?: string[];
  costState?: boolean;
}

export interface HistorySummary {
  models: string[];
  sessions: Record<string, SessionSummary>;
}

export function modelIndex(summary: Pick<HistorySummary, 'models'>, model: string): number {
  const at = summary.models.indexOf(model);
  return at >= 0 ? at : summary.models.push(model) - 1;
}

/** A session's rows and span from its calls (those it represents in `table`). */
export function summarizeSession(
  table: CallTable,
  calls: number[],
  summary: Pick<HistorySummary, 'models'>,
  previous: SessionSummary | undefined,
): SessionSummary {
  const rows = new Map<number, SummaryRow>();
  let first = Infinity;
  let last = -Infinity;
  let project = previous?.project ?? '';
  const models = new Map<string, number>();
  for (const i of calls) {
    const time = table.time(i);
    const tokens = table.tokens(i);
    const model = table.model(i);
    let m = models.get(model);
    if (m === undefined) models.set(model, (m = modelIndex(summary, model)));
    const flags = (table.fast(i) ? FAST : 0) | (isLongContextPrompt(tokens) ? LONG : 0);
    const slot = Math.floor(time / SLOT_MS);
    const key = (slot * 4096 + m) * 4 + flags;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = [slot, m, flags, 0, 0, 0, 0, 0, 0]));
    row[3]!++;
    row[4]! += tokens.input;
    row[5]! += tokens.output;
    row[6]! += tokens.cacheWrite5m;
    row[7]! += tokens.cacheWrite1h;
    row[8]! += tokens.cacheRead;
    if (time < first) {
      first = time;
      project = table.project(i);
    }
    last = Math.max(last, time);
  }
  const sorted = [...rows.values()].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!);
  return {
    ...previous,
    project,
    first: calls.length ? first : (previous?.first ?? 0),
    last: calls.length ? last : (previous?.last ?? 0),
    rows: sorted,
    gaps: previous?.gaps ?? [],
  };
}

export function gapRow(at: number | null, model: number, t: TokenCounts): GapRow {
  return [at, model, t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead];
}
