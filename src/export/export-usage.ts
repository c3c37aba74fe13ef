import type { DayRange } from '../report/project-usage.js';
import type { ProjectContext } from '../workflow/context.js';
import { projectSnapshot } from '../workflow/snapshot.js';
import { toCsv } from './csv.js';
import { skippedFields, skippedNote } from '../report/skipped-note.js';
import { pricedUsage, type PricedItem } from './priced-usage.js';

export type ExportFormat = 'csv' | 'json';

/** The columns of `spec-session export`, in order: one row per API call, gap segment or manual entry. */
export const EXPORT_COLUMNS = [
  'timestamp',
  'claude_session',
  'work_session',
  'spec',
  'task',
  'model',
  'kind',
  'input_tokens',
  'output_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'cache_read_tokens',
  'cost_usd',
] as const;

export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number | null>;

export function exportRow({ item, cost }: PricedItem): ExportRow {
  const t = item.tokens;
  return {
    timestamp: new Date(item.time).toISOString(),
    claude_session: item.cs,
    work_session: item.ws,
    spec: item.spec,
    task: item.task,
    model: item.model,
    kind: item.kind,
    input_tokens: t.input,
    output_tokens: t.output,
    cache_write_5m_tokens: t.cacheWrite5m,
    cache_write_1h_tokens: t.cacheWrite1h,
    cache_read_tokens: t.cacheRead,
    cost_usd: cost,
  };
}

/**
 * `spec-session export`: the ledger's usage, one priced row per item, from the same snapshot as
 * `cost --json`, so the rows of a range sum to its totals. Costs are unrounded (null = unpriced).
 */
export function exportUsage(
  ctx: ProjectContext,
  format: ExportFormat,
  range: DayRange,
): { text: string; skipped: string | undefined } {
  const view = projectSnapshot(ctx);
  const rows = pricedUsage(view, ctx.book, ctx.tz, range).map(exportRow);
  const skipped = skippedNote(view);
  if (format === 'csv')
    return {
      text: toCsv(
        [...EXPORT_COLUMNS],
        rows.map((r) => EXPORT_COLUMNS.map((c) => r[c])),
      ),
      skipped,
    };
  const meta = {
    priceTable: ctx.book.table,
    timeZone: ctx.tz,
    since: range.since ?? null,
    until: range.until ?? null,
    ...skippedFields(view),
  };
  return { text: `${JSON.stringify({ ...meta, rows }, null, 2)}\n`, skipped };
}
