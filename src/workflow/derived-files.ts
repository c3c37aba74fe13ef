import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { listLedger } from '../ledger/ledger-files.js';
import type { LedgerView } from '../ledger/read-ledger.js';
import { readJsonFile, writeFileAtomic } from '../store/atomic-file.js';
import { listDir } from '../store/fs-utils.js';
import type { ProjectContext } from './context.js';

/**
 * The Markdown spec-session writes under docs/ (daily summaries, PROGRESS.md, session logs) is
 * regenerated whole from the ledger, and ends with a stamp: a hash of the file's own content. Git
 * merges these files with the union driver (install's .gitattributes), so two people's /eod of one
 * day never conflict; a file so merged, or edited by hand, no longer matches its stamp, and the
 * next spec-session run writes it again from the merged ledger: both people's work, right totals.
 */
const STAMP = /^<!-- spec-session: generated from the ledger, [0-9a-f]{16} -->$/;

export function stamped(text: string): string {
  return `${text}<!-- spec-session: generated from the ledger, ${hashOf(text)} -->\n`;
}

/** The file is as spec-session wrote it: exactly one stamp, on its last line, matching the rest. */
export function isIntact(text: string): boolean {
  const body = text.slice(0, text.lastIndexOf('<!-- spec-session: generated'));
  const lines = text.split('\n').filter((l) => STAMP.test(l));
  return lines.length === 1 && text === stamped(body);
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export interface Regenerators {
  daily(day: string, view: LedgerView): void;
  progress(view: LedgerView): void;
  sessionLog(name: string, archiveDay: string | undefined, view: LedgerView): void;
}

/**
 * Writes again every derived file that is not intact. Looked at only when the set of ledger files
 * changed since the last look (a pull, a new session, a rollup): otherwise it costs a listing.
 * Returns the files rewritten, relative to the project.
 */
export function refreshDerivedFiles(ctx: ProjectContext, view: () => LedgerView, write: Regenerators): string[] {
  const memo = path.join(ctx.paths.state, 'derived-files.json');
  const listing = listLedger(ctx.paths.ledger);
  const seen = hashOf([...listing.raw, ...listing.rollups].join('\n'));
  let known: { ledger?: string } | undefined;
  try {
    known = readJsonFile<{ ledger?: string }>(memo);
  } catch {
    known = undefined; // torn: look again
  }
  if (known?.ledger === seen) return [];
  const broken = (file: string) => {
    try {
      return !isIntact(fs.readFileSync(file, 'utf8'));
    } catch {
      return false; // not there: nothing to repair
    }
  };
  const rewritten: string[] = [];
  const rewrite = (file: string, writeIt: () => void) => {
    writeIt();
    rewritten.push(file);
  };
  let loaded: LedgerView | undefined;
  const v = () => (loaded ??= view());
  for (const name of listDir(ctx.paths.daily)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.md$/.test(f))
    .sort()) {
    const file = path.join(ctx.paths.daily, name);
    if (broken(file)) rewrite(file, () => write.daily(name.slice(0, 10), v()));
  }
  for (const day of listDir(ctx.paths.archive).sort()) {
    for (const name of listDir(path.join(ctx.paths.archive, day)).filter((f) => f.endsWith('.md'))) {
      const file = path.join(ctx.paths.archive, day, name);
      if (broken(file)) rewrite(file, () => write.sessionLog(name.slice(0, -3), day, v()));
    }
  }
  for (const name of listDir(ctx.paths.current).filter((f) => f.endsWith('.md'))) {
    const file = path.join(ctx.paths.current, name);
    if (broken(file)) rewrite(file, () => write.sessionLog(name.slice(0, -3), undefined, v()));
  }
  if (broken(ctx.paths.progress)) rewrite(ctx.paths.progress, () => write.progress(v()));
  writeFileAtomic(memo, JSON.stringify({ ledger: seen }), { durable: false });
  return rewritten.map((f) => path.relative(ctx.projectDir, f));
}
