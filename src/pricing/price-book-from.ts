import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPriceBook, type PriceBook } from './price-call.js';
import { UsageError } from '../args/parse-args.js';

/**
 * The price book a command uses: `--prices anthropic|claude-code` picks the table (default
 * anthropic: what Anthropic bills), and a user price file overrides it: `--prices-file`, else
 * `.claude/spec-session/prices.json` in the project, else `~/.config/spec-session/prices.json`.
 */
export function priceBookFrom(
  values: { prices?: string; 'prices-file'?: string },
  projectDir?: string,
  configured?: string,
): PriceBook {
  const table = values.prices ?? configured ?? 'anthropic';
  if (table !== 'anthropic' && table !== 'claude-code')
    throw new UsageError(`--prices must be "anthropic" or "claude-code", got "${table}"`);
  const candidates = [
    values['prices-file'],
    process.env.SPEC_SESSION_PRICES,
    projectDir ? path.join(projectDir, '.claude', 'spec-session', 'prices.json') : undefined,
    path.join(
      process.env.XDG_CONFIG_HOME || path.join(process.env.HOME ?? os.homedir(), '.config'),
      'spec-session',
      'prices.json',
    ),
  ];
  const explicit = values['prices-file'] ?? (process.env.SPEC_SESSION_PRICES || undefined);
  if (explicit !== undefined && !fs.existsSync(explicit)) throw new UsageError(`prices file not found: ${explicit}`);
  const overridesFile = candidates.find((f) => f && fs.existsSync(f));
  return loadPriceBook({ table, ...(overridesFile ? { overridesFile } : {}) });
}
