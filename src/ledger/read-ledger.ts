import fs from 'node:fs';
import path from 'node:path';
import { listLedger, type LedgerFiles } from './ledger-files.js';
import { checkRecord, type LedgerLine } from './ledger-schema.js';
import { decodeRollup } from './rollup-decode.js';
import type { RollupEntry } from './rollup-format.js';
import { foldLedger, type FoldResult, type RawFile } from './fold.js';

export type { UsageItem } from './usage-item.js';
export type { WorkSession, TaskEvent, Binding } from './fold-events.js';
export type { LedgerView } from './ledger-view.js';

/** Raw ledger lines (JSONL) into records; a line that is not JSON or not a valid record is counted and skipped. */
export function parseLedgerLines(text: string): { lines: LedgerLine[]; malformed: number } {
  const lines: LedgerLine[] = [];
  let malformed = 0;
  // An unterminated last line is being written right now (or was torn by a crash, and the
  // writer's next append ends it): it is left for a later read, as the index does.
  for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
    if (!line.trim()) continue;
    const record = parseLedgerLine(line);
    if (record) lines.push(record);
    else malformed++;
  }
  return { lines, malformed };
}

export function parseLedgerLine(text: string): LedgerLine | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined; // a torn line from a crash, or a hand edit: counted by the caller
  }
  // The schema's answer (checkRecord is held to it), without running zod for the common records:
  // its first parse of a schema costs ~5 ms, and every Stop hook and statusline reads new lines.
  return checkRecord(raw);
}

/** A rollup file's entries with their events validated like raw lines. */
export function readRollupFile(file: string): { entries: RollupEntry[]; malformed: number } {
  const decoded = decodeRollup(fs.readFileSync(file, 'utf8'));
  let malformed = 0;
  decoded.entries.forEach((entry, i) => {
    for (const raw of decoded.rawEvents[i]!) {
      const record = checkRecord(raw);
      if (record) entry.events.push(record);
      else malformed++;
    }
  });
  return { entries: decoded.entries, malformed };
}

/**
 * Reads the whole ledger, rollups and raw files, and folds it: what the machine-local index
 * (ledger-index.ts) caches, and what it is checked against. `skip`: files (ledger-relative) read
 * as if they were gone already (what `compact` is about to delete).
 */
export function readLedger(ledgerDir: string, { skip }: { skip?: Set<string> } = {}): FoldResult {
  const listed = listLedger(ledgerDir);
  const files = skip
    ? { rollups: listed.rollups.filter((rel) => !skip.has(rel)), raw: listed.raw.filter((rel) => !skip.has(rel)) }
    : listed;
  const entries: RollupEntry[] = [];
  const raw: RawFile[] = [];
  const problems: string[] = [];
  let malformed = 0;
  for (const rel of files.rollups) {
    try {
      const read = readRollupFile(path.join(ledgerDir, rel));
      entries.push(...read.entries);
      malformed += read.malformed;
    } catch (error) {
      problems.push(`${rel}: ${(error as Error).message}`);
    }
  }
  for (const rel of files.raw) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(ledgerDir, rel), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // rolled up meanwhile
      throw error;
    }
    const parsed = parseLedgerLines(text);
    raw.push({ rel, lines: parsed.lines });
    malformed += parsed.malformed;
  }
  return foldLedger({ entries, raw, malformed, problems });
}

/** Where the ledger holds what a fold skips: raw lines that are not valid records, and unreadable files. */
export function ledgerDamage(
  ledgerDir: string,
  { raw, rollups }: LedgerFiles = listLedger(ledgerDir),
): { lines: string[]; files: string[] } {
  const lines: string[] = [];
  const files: string[] = [];
  for (const rel of raw) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(ledgerDir, rel), 'utf8');
    } catch {
      continue; // rolled up meanwhile
    }
    const complete = text.slice(0, text.lastIndexOf('\n') + 1).split('\n');
    complete.forEach((line, i) => {
      if (line.trim() && !parseLedgerLine(line)) lines.push(`${rel}:${i + 1}`);
    });
  }
  for (const rel of rollups) {
    try {
      const read = readRollupFile(path.join(ledgerDir, rel));
      if (read.malformed) lines.push(`${rel} (${read.malformed} event${read.malformed === 1 ? '' : 's'})`);
    } catch (error) {
      files.push(`${rel}: ${(error as Error).message}`);
    }
  }
  return { lines, files };
}
