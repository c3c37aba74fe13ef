import { parseArgs, type ParseArgsConfig } from 'node:util';
import { assertDay } from '../time/zoned.js';

/** Thrown for bad command-line input: the CLI prints its message as one line and exits 1. */
export class UsageError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its multi-line errors turned into one line that names the problem. */
export function parse<O extends Options>(argv: string[], options: O, maxPositionals = Infinity) {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > maxPositionals)
      throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // node's "Unknown option '--jsno'. To specify a positional…": one line, in the lower case the
    // other messages use, and for an unknown option where the known ones are listed.
    const message = (error as Error).message;
    const first = message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    const line = `${first.charAt(0).toLowerCase()}${first.slice(1)}`;
    // A value that starts with a dash (a project folder, `-home-me-shop`): node's last line says how.
    const dash = /\nTo specify an option argument starting with a dash use (.*)\.$/.exec(message)?.[1];
    if (dash) throw new UsageError(`${line.slice(0, -1)}: a value starting with a dash goes as ${dash}`);
    const unknown = (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    throw new UsageError(`${line}${unknown ? ' (--help lists the options)' : ''}`);
  }
}

/** --since/--until as a day range: each a real YYYY-MM-DD, and not inverted. */
export function dayRange(values: { since?: string | undefined; until?: string | undefined }): {
  since?: string;
  until?: string;
} {
  const since = values.since === undefined ? undefined : assertDay(values.since, '--since');
  const until = values.until === undefined ? undefined : assertDay(values.until, '--until');
  if (since !== undefined && until !== undefined && since > until)
    throw new UsageError(`--since ${since} is after --until ${until}`);
  return { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
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
