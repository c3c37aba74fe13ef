import fs from 'node:fs';
import path from 'node:path';
import { listDir } from '../store/fs-utils.js';

/**
 * The ledger folder, docs/sessions/ledger/:
 *   <day>/<writer>.jsonl          raw records of one writer (a Claude session, or one machine's CLI)
 *   <day>/<writer>+<n>.jsonl      the same writer's next file, once its earlier one was closed
 *   <day>/rollup-<hash>.json      closed raw files of that folder, rolled up (rollup-format.ts)
 *
 * A writer appends only to an open file: one without an `end` record, in a folder of today or
 * yesterday (UTC). So a file that is closed never changes again, and any clone may roll it up and
 * delete it without a merge conflict.
 */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const RAW = /^([A-Za-z0-9_-]{1,160})(?:\+(\d{1,6}))?\.jsonl$/;
const ROLLUP = /^rollup-[0-9a-f]{12}\.json$/;

/** A folder this old (in days before today, UTC) is long over: its files are closed, whatever they hold. */
export const LONG_OVER_DAYS = 3;
/** A writer keeps appending to its file only while the file's folder is at most this many days old. */
const APPEND_DAYS = 1;

export interface LedgerFiles {
  /** Raw record files, relative to the ledger folder (`<day>/<name>`), oldest folder first. */
  raw: string[];
  /** Rollup files, relative to the ledger folder. */
  rollups: string[];
  /** Set by listLedgerRecent: folders before this day were not listed but remembered. */
  rememberedBefore?: string;
}

export function listLedger(ledgerDir: string): LedgerFiles {
  const raw: string[] = [];
  const rollups: string[] = [];
  for (const day of dayFolders(ledgerDir)) {
    for (const name of listDir(path.join(ledgerDir, day)).sort()) {
      if (RAW.test(name)) raw.push(`${day}/${name}`);
      else if (ROLLUP.test(name)) rollups.push(`${day}/${name}`);
    }
  }
  return { raw, rollups };
}

/**
 * What a full listing found in the folders that were long over when it ran: a per-turn read
 * (listLedgerRecent) takes their names from here instead of listing a folder per day of history.
 */
export interface ListingMemo {
  /** Folders before this day (UTC) are in `days`. */
  coldBefore: string;
  /** Per such folder: its raw and rollup files' names, sorted. */
  days: Record<string, string[]>;
}

/** The memo of a full listing made at `now`. */
export function listingMemo(files: LedgerFiles, now: number): ListingMemo {
  const coldBefore = utcDay(now, LONG_OVER_DAYS);
  const days: Record<string, string[]> = {};
  for (const rel of [...files.raw, ...files.rollups].sort()) {
    const day = folderDay(rel);
    if (day < coldBefore) (days[day] ??= []).push(rel.slice(day.length + 1));
  }
  return { coldBefore, days };
}

export function isListingMemo(memo: unknown): memo is ListingMemo {
  const m = memo as ListingMemo;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.coldBefore === 'string' &&
    typeof m.days === 'object' &&
    m.days !== null &&
    Object.values(m.days).every((names) => Array.isArray(names) && names.every((n) => typeof n === 'string'))
  );
}

/**
 * The ledger's files as a read at every turn lists them, without a folder per day of history: the
 * ledger folder itself, then every day folder listed but those long over (at `now`, and when the
 * memo was made), whose names come from the memo. Only git (a pull, a checkout), a hand, or a
 * rollup changes such a folder; every command lists in full and makes the memo again, so a turn
 * may see such a change one command late, never a file twice (a raw file gone since is skipped by
 * its reader, and a rollup not yet seen leaves its records to the live part).
 */
export function listLedgerRecent(ledgerDir: string, memo: ListingMemo, now: number): LedgerFiles {
  const coldBefore = [memo.coldBefore, utcDay(now, LONG_OVER_DAYS)].sort()[0]!;
  const raw: string[] = [];
  const rollups: string[] = [];
  for (const day of dayFolders(ledgerDir)) {
    const names = day < coldBefore ? memo.days[day] : undefined;
    for (const name of names ?? listDir(path.join(ledgerDir, day)).sort()) {
      if (RAW.test(name)) raw.push(`${day}/${name}`);
      else if (ROLLUP.test(name)) rollups.push(`${day}/${name}`);
    }
  }
  return { raw, rollups, rememberedBefore: coldBefore };
}

/** The rollup files of one day's folder (what rolling that day up replaces), without listing the rest. */
export function rollupsOfDay(ledgerDir: string, day: string): string[] {
  return listDir(path.join(ledgerDir, day))
    .filter((name) => ROLLUP.test(name))
    .sort()
    .map((name) => `${day}/${name}`);
}

export function dayFolders(ledgerDir: string): string[] {
  return listDir(ledgerDir)
    .filter((d) => DAY.test(d))
    .sort();
}

/** The writer of a raw file (`<day>/<writer>+2.jsonl` → writer). */
export function writerOf(rel: string): string {
  return RAW.exec(path.basename(rel))?.[1] ?? path.basename(rel, '.jsonl');
}

export function folderDay(rel: string): string {
  return rel.slice(0, 10);
}

/** YYYY-MM-DD in UTC, `daysBack` days before `now`. */
export function utcDay(now: number, daysBack = 0): string {
  return new Date(now - daysBack * 86_400_000).toISOString().slice(0, 10);
}

/** The closed raw files among `raw` (in folders before `before`, when given): what a rollup takes. */
export function closedRawFiles(ledgerDir: string, raw: string[], now: number, before?: string): string[] {
  return raw.filter((rel) => (!before || folderDay(rel) < before) && isClosedFile(ledgerDir, rel, now));
}

/** Whether a raw file is closed: it says so (an `end` record), or its folder is long over. */
export function isClosedFile(ledgerDir: string, rel: string, now: number): boolean {
  return folderDay(rel) <= utcDay(now, LONG_OVER_DAYS) || hasEndRecord(path.join(ledgerDir, rel));
}

/** The `end` record is a writer's last line; a torn tail after it still counts as closed. */
export function hasEndRecord(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false; // gone (rolled up meanwhile): not this file's end
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, 4096);
    const buf = Buffer.alloc(length);
    fs.readSync(fd, buf, 0, length, size - length);
    return buf.includes('"k":"end"');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The file a writer appends to now: its newest file if that is still open, else a new file in
 * today's folder (UTC): `<writer>.jsonl`, or `<writer>+<n>.jsonl` when that name is taken. Only
 * today's and yesterday's folders can hold an open file, so only they are looked at.
 */
export function writerFile(ledgerDir: string, writer: string, now: number): string {
  const existing = newestFileOf(ledgerDir, writer, [utcDay(now, APPEND_DAYS), utcDay(now)]);
  if (existing && isAppendable(existing, now) && !hasEndRecord(path.join(ledgerDir, existing))) return existing;
  const day = utcDay(now);
  for (let n = 1; ; n++) {
    const rel = `${day}/${writer}${n === 1 ? '' : `+${n}`}.jsonl`;
    if (!fs.existsSync(path.join(ledgerDir, rel)) && !rolledUp(ledgerDir, rel)) return rel;
  }
}

/** A writer may append to a file in today's or yesterday's folder (UTC); older ones are left alone. */
export function isAppendable(rel: string, now: number): boolean {
  return folderDay(rel) >= utcDay(now, APPEND_DAYS);
}

/** A rolled-up file's name stays taken: its rollup lists it as a source. */
function rolledUp(ledgerDir: string, rel: string): boolean {
  const dir = path.join(ledgerDir, folderDay(rel));
  const needle = `"${rel}"`;
  for (const name of listDir(dir)) {
    if (ROLLUP.test(name) && fs.readFileSync(path.join(dir, name), 'utf8').includes(needle)) return true;
  }
  return false;
}

function newestFileOf(ledgerDir: string, writer: string, days: string[]): string | undefined {
  let newest: { rel: string; n: number } | undefined;
  for (const day of days) {
    for (const name of listDir(path.join(ledgerDir, day))) {
      const m = RAW.exec(name);
      if (!m || m[1] !== writer) continue;
      const n = Number(m[2] ?? 1);
      if (!newest || day > folderDay(newest.rel) || (day === folderDay(newest.rel) && n > newest.n))
        newest = { rel: `${day}/${name}`, n };
    }
  }
  return newest?.rel;
}
