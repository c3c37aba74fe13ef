import { exportUsage, type ExportFormat } from '../../export/export-usage.js';
import { parse, UsageError } from '../../args/parse-args.js';
import { projectFromFlags, projectOptions } from '../project-options.js';
import type { TextChunks } from '../../render/json-chunks.js';

/** `spec-session export --format csv|json`: one priced row per API call, to stdout. */
export function exportCommand(argv: string[]): TextChunks {
  const { values } = parse(argv, { ...projectOptions, format: { type: 'string', default: 'csv' } }, 0);
  if (values.format !== 'csv' && values.format !== 'json')
    throw new UsageError(`--format must be "csv" or "json", got "${values.format}"`);
  const { ctx, range } = projectFromFlags(values);
  const { text, skipped } = exportUsage(ctx, values.format as ExportFormat, range);
  if (skipped) process.stderr.write(`spec-session export: ${skipped}\n`); // stdout stays clean CSV/JSON
  return text;
}
