import { resolveProjectRoot } from '../project/project-root.js';
import { projectContext } from '../workflow/context.js';
import { dayRange, rangeOptions, UsageError, type Options } from '../args/parse-args.js';

const EMPTY_HINT = {
  tz: 'give an IANA zone such as Europe/Berlin or UTC',
  prices: 'give anthropic or claude-code',
  'prices-file': 'give a price file',
};

/** Flags every project-level reporting command takes. */
export const projectOptions = { dir: { type: 'string' }, ...rangeOptions } as const satisfies Options;

/** The same without a day range, for commands over the whole ledger (pr, notes). */
export const wholeLedgerOptions = {
  dir: projectOptions.dir,
  tz: projectOptions.tz,
  prices: projectOptions.prices,
  'prices-file': projectOptions['prices-file'],
} as const satisfies Options;

/** The project context and day range every project-level command takes from its flags. */
export function projectFromFlags(values: {
  dir?: string;
  since?: string;
  until?: string;
  tz?: string;
  prices?: string;
  'prices-file'?: string;
}) {
  const ctx = projectContext(resolveProjectRoot({ dir: values.dir }), contextOptions(values));
  return { ctx, range: dayRange(values) };
}

/** --tz, --prices and --prices-file as projectContext takes them. An empty value (`--tz ''`) is
 * refused, not taken for a missing flag. */
export function contextOptions(values: {
  tz?: string | undefined;
  prices?: string | undefined;
  'prices-file'?: string | undefined;
}) {
  const empty = (['tz', 'prices', 'prices-file'] as const).find((flag) => values[flag] === '');
  if (empty) throw new UsageError(`--${empty} is empty: ${EMPTY_HINT[empty]}`);
  return {
    ...(values.tz !== undefined ? { tz: values.tz } : {}),
    ...(values.prices !== undefined ? { prices: values.prices } : {}),
    ...(values['prices-file'] !== undefined ? { pricesFile: values['prices-file'] } : {}),
  };
}
