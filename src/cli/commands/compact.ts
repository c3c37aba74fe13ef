import { compactLedger } from '../../ledger/compact.js';
import { LONG_OVER_DAYS } from '../../ledger/ledger-files.js';
import { projectPaths } from '../../project/paths.js';
import { resolveProjectRoot } from '../../project/project-root.js';
import { formatCount } from '../../render/format.js';
import { parse } from '../../args/parse-args.js';

/** `spec-session compact [--dir P]`: roll up every closed ledger file, checking that no figure moves. */
export function compactCommand(argv: string[]): string {
  const { values } = parse(argv, { dir: { type: 'string' } }, 0);
  const paths = projectPaths(resolveProjectRoot({ dir: values.dir }));
  const r = compactLedger(paths.ledger, Date.now());
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 3 : 1)} MB`;
  const share = r.bytesBefore ? ` (${((100 * r.bytesAfter) / r.bytesBefore).toFixed(1)}% of before)` : '';
  return `${[
    `spec-session compact · ${paths.root}`,
    r.rolled.length
      ? `Rolled up ${formatCount(r.rolled.length)} closed ledger files into ${formatCount(r.written.length)} rollup files: the ledger went from ${mb(r.bytesBefore)} to ${mb(r.bytesAfter)}${share}.`
      : 'Nothing to roll up: no closed raw ledger file.',
    r.rolled.length
      ? `${formatCount(r.calls)} calls, ${formatCount(r.tokens)} tokens rolled up; ${r.compared ? 'every figure compared before and after: identical' : 'each rollup file read back byte for byte (the ledger is too big to compare whole in memory)'}.`
      : '',
    r.damaged.length
      ? `⚠ ${r.damaged.length} closed file${r.damaged.length === 1 ? '' : 's'} left raw: ${r.damaged.length === 1 ? 'it holds' : 'they hold'} lines that could not be read (spec-session doctor shows where; fix or delete them, then compact again).`
      : '',
    r.foreign.length
      ? `Left raw: ${r.foreign.length} closed file${r.foreign.length === 1 ? '' : 's'} holding another Claude session's usage (written by hand or by an older version): a rollup entry keeps one Claude session per file, so ${r.foreign.length === 1 ? 'it stays' : 'they stay'} as written.`
      : '',
    r.waiting.length
      ? `Left raw for now: ${r.waiting.length} closed file${r.waiting.length === 1 ? '' : 's'} sharing calls with another Claude session's file that is still open; ${r.waiting.length === 1 ? 'it rolls' : 'they roll'} up once that one closes.`
      : '',
    r.open
      ? `Left raw: ${r.open} open file${r.open === 1 ? '' : 's'} (sessions still running, or of the last ${LONG_OVER_DAYS} days without an end).`
      : '',
    r.rolled.length ? 'Commit docs/sessions/ledger/ (the deleted raw files stay in git history).' : '',
  ]
    .filter(Boolean)
    .join('\n')}\n`;
}
