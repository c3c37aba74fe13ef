import type { DayRange } from '../report/project-usage.js';
import type { ProjectContext } from '../workflow/context.js';
import { projectSnapshot } from '../workflow/snapshot.js';
import { csvPieces } from './csv.js';
import { prettyJsonChunks, StreamedRows, TextChunks } from '../render/json-chunks.js';
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
 * Written as it is made, a few hundred rows at a time: a team's years hold hundreds of thousands.
 */
export function exportUsage(
  ctx: ProjectContext,
  format: ExportFormat,
  range: DayRange,
): { text: TextChunks; skipped: string | undefined } {
  const view = projectSnapshot(ctx);
  const rows = () => pricedUsage(view, ctx.book, ctx.tz, range);
  const skipped = skippedNote(view);
  if (format === 'csv') {
    const cells = (priced: PricedItem) => {
      const row = exportRow(priced);
      return EXPORT_COLUMNS.map((c) => row[c]);
    };
    return { text: new TextChunks(() => csvPieces([...EXPORT_COLUMNS], mapRows(rows(), cells))), skipped };
  }
  const meta = {
    priceTable: ctx.book.table,
    timeZone: ctx.tz,
    since: range.since ?? null,
    until: range.until ?? null,
    ...skippedFields(view),
  };
  const json = { ...meta, rows: new StreamedRows(() => mapRows(rows(), exportRow)) };
  return { text: new TextChunks(() => prettyJsonChunks(json)), skipped };
}

function* mapRows<S, R>(rows: Iterable<S>, make: (s: S) => R): Generator<R> {
  for (const s of rows) yield make(s);
}
