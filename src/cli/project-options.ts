import { resolveProjectRoot } from '../project/project-root.js';
import type { DayRange } from '../report/project-usage.js';
import { assertDay } from '../time/zoned.js';
import { projectContext } from '../workflow/context.js';
import { rangeOptions, UsageError, type Options } from './args.js';

/** Flags every project-level reporting command takes. */
export const projectOptions = { dir: { type: 'string' }, ...rangeOptions } as const satisfies Options;

/** The project context and day range every project-level command takes from its flags. */
export function projectFromFlags(values: { dir?: string; since?: string; until?: string; tz?: string; prices?: string; 'prices-file'?: string }) {
  const ctx = projectContext(resolveProjectRoot({ dir: values.dir }), { ...(values.tz ? { tz: values.tz } : {}), ...(values.prices ? { prices: values.prices } : {}), ...(values['prices-file'] ? { pricesFile: values['prices-file'] } : {}) });
  const range: DayRange = { ...(values.since ? { since: assertDay(values.since, '--since') } : {}), ...(values.until ? { until: assertDay(values.until, '--until') } : {}) };
  if (range.since && range.until && range.since > range.until) throw new UsageError(`--since ${range.since} is after --until ${range.until}`);
  return { ctx, range };
}
