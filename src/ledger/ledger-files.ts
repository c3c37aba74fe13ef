import fs from 'node:fs';
import path from 'node:path';
import { dayKey, systemTimeZone } from '../time/zoned.js';

/**
 * The ledger file of a writer (a Claude session id, or `cli-<machine id>`), relative to the ledger
 * folder: the existing one if there is one, else `<today>/<writer>.jsonl`. A session that runs past
 * midnight keeps its file; every record carries its own time.
 */
export function ledgerFileFor(ledgerDir: string, writer: string, now: number, tz = systemTimeZone()): string {
  for (const day of dayFolders(ledgerDir)) {
    if (fs.existsSync(path.join(ledgerDir, day, `${writer}.jsonl`))) return path.join(day, `${writer}.jsonl`);
  }
  return path.join(dayKey(now, tz), `${writer}.jsonl`);
}

/** Every ledger file, oldest day first. */
export function listLedgerFiles(ledgerDir: string): string[] {
  const files: string[] = [];
  for (const day of dayFolders(ledgerDir)) {
    for (const name of fs.readdirSync(path.join(ledgerDir, day)).sort()) {
      if (name.endsWith('.jsonl')) files.push(path.join(ledgerDir, day, name));
    }
  }
  return files;
}

function dayFolders(ledgerDir: string): string[] {
  try {
    return fs.readdirSync(ledgerDir).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  } catch {
    return [];
  }
}
