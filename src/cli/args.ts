import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Thrown for bad command-line input: the CLI prints its message as one line and exits 1. */
export class UsageError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its multi-line errors turned into one line that names the problem. */
export function parse<O extends Options>(argv: string[], options: O, maxPositionals = Infinity) {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''));
  }
}

/** The day range, time zone and prices every report takes. */
export const rangeOptions = {
  since: { type: 'string' },
  until: { type: 'string' },
  tz: { type: 'string' },
  prices: { type: 'string' },
  'prices-file': { type: 'string' },
} as const satisfies Options;

export const commonReportOptions = { json: { type: 'boolean' }, ...rangeOptions } as const satisfies Options;
