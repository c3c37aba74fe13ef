/**
 * Where the ledger index's pieces live beside `<stem>.base.json`, how a built base is written to
 * them, and how a base's pieces are read back (each checked to be of that base). ledger-index.ts
 * decides when a base is built, extended or read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readCachedJson, writeFileAtomic } from '../store/atomic-file.js';
import { listDir } from '../store/fs-utils.js';
import type { BuildState } from './base-state.js';
import {
  type BuiltBase,
  type CommitsFile,
  type DoneFile,
  type GapsFile,
  type SessionRecordsFile,
  type SessionsFile,
  type SpecTasksFile,
  type SumsFile,
  type TaskSumsFile,
  specTasksPiece,
  taskSumsPiece,
} from './index-base.js';
import type { BaseLoader } from './view-pieces.js';
import { ITEM_WIDTH } from './packed-items.js';
import { decodeTable, encodeTable, type Table } from './packed-table.js';
import { DONE_WIDTH, TASK_WIDTH } from './packed-events.js';

/** The index's files: `<stem>.base.json` and the pieces beside it. */
export function pieceFile(
  stem: string,
  piece: 'base' | 'sessions' | 'session-records' | 'sums' | 'gaps' | 'commits' | 'live' | `k-${string}`,
): string {
  return `${stem}.${piece}.json`;
}

/** What the base's rollups summed to, beside it (base-state.ts): `<stem>.state.json`. */
function stateFile(stem: string): string {
  return `${stem}.state.json`;
}

export function readState(stem: string): BuildState | undefined {
  try {
    return { text: fs.readFileSync(stateFile(stem), 'utf8') };
  } catch {
    return undefined; // an index of an earlier version, or damaged: the base is built from every rollup
  }
}

/** A month's items, a binary table (packed-items.ts): `<stem>.m-<YYYY-MM>.bin`. */
function monthFile(stem: string, month: string): string {
  return `${stem}.m-${month}.bin`;
}

/** The done tasks, a binary table (packed-events.ts): `<stem>.done.bin`. */
function doneFile(stem: string): string {
  return `${stem}.done.bin`;
}

/** A spec's task events, a binary table (packed-events.ts): `<stem>.t-<hash of the spec>.bin`. */
function taskEventsFile(stem: string, spec: string): string {
  return `${stem}.${specTasksPiece(spec)}.bin`;
}

/** A binary piece's table, or undefined when it is missing, torn, of another shape or of another base. */
function readTable(file: string, id: string, width: number): Table | undefined {
  try {
    return decodeTable(fs.readFileSync(file), id, width);
  } catch {
    return undefined; // missing: rebuilt from the ledger
  }
}

/** The id a spec's task events table carries: its base's and its spec's, so another spec's file (a hash's twin, a copy) is never read as this one's. */
function taskTableId({ id, spec }: { id: string; spec: string }): string {
  return `${id} ${spec}`;
}

/**
 * Pieces the new base did not write: a month or a spec with no usage or events left, and what older
 * index versions kept (`.json` months and task events, the events and JSON done pieces). Removed, so
 * the index holds only its own.
 */
function removeStalePieces(stem: string, written: Set<string>): void {
  const dir = path.dirname(stem);
  const own = `${path.basename(stem)}.`;
  for (const name of listDir(dir)) {
    if (!name.startsWith(own) || written.has(name)) continue;
    const piece = name.slice(own.length);
    if (/^(m-\d{4}-\d{2}\.(bin|json)|t-[0-9a-f]+\.(bin|json)|k-[0-9a-f]+\.json|events\.json|done\.json)$/.test(piece))
      fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Writes a built base's pieces (and the sums it keeps, if any), its base file last: it vouches for the others. */
export function writeBase(stem: string, built: BuiltBase & { state?: BuildState }): void {
  const written = new Set<string>();
  const write = (file: string, data: string | Buffer) => {
    writeFileAtomic(file, data, { durable: false });
    written.add(path.basename(file));
  };
  for (const [month, table] of built.monthTables)
    write(monthFile(stem, month), encodeTable(built.base.id, table, ITEM_WIDTH));
  for (const piece of ['sessions', 'sums', 'gaps', 'commits'] as const)
    write(pieceFile(stem, piece), JSON.stringify(built[piece]));
  write(pieceFile(stem, 'session-records'), JSON.stringify(built.sessionRecords));
  write(doneFile(stem), encodeTable(built.done.id, built.done.done, DONE_WIDTH));
  for (const file of built.specTasks)
    write(taskEventsFile(stem, file.spec), encodeTable(taskTableId(file), file.events, TASK_WIDTH));
  for (const file of built.taskSums) write(pieceFile(stem, taskSumsPiece(file.spec)), JSON.stringify(file));
  if (built.state) write(stateFile(stem), built.state.text);
  removeStalePieces(stem, written);
  write(pieceFile(stem, 'base'), JSON.stringify(built.base));
}

const valid = (o: { id?: unknown }) => typeof o === 'object' && o !== null;

/** The readers of the base `id`'s pieces (JSON pieces name their base; binary ones are checked by it). */
export function basePieces(stem: string, id: string): Omit<BaseLoader, 'rebuild'> {
  return {
    sessions: () =>
      readCachedJson<SessionsFile>(
        pieceFile(stem, 'sessions'),
        (f) => valid(f) && Array.isArray(f.sessions) && typeof f.orphans === 'object',
      ),
    sessionRecords: () =>
      readCachedJson<SessionRecordsFile>(
        pieceFile(stem, 'session-records'),
        (f) => valid(f) && typeof f.records === 'object',
      ),
    sums: () =>
      readCachedJson<SumsFile>(
        pieceFile(stem, 'sums'),
        (f) =>
          valid(f) &&
          typeof f.specSums === 'object' &&
          Array.isArray(f.allSums?.rows) &&
          Array.isArray(f.unattributedSums?.rows),
      ),
    taskSums: (spec) =>
      readCachedJson<TaskSumsFile>(
        pieceFile(stem, taskSumsPiece(spec)),
        (f) => valid(f) && f.spec === spec && typeof f.taskMonths === 'object' && typeof f.taskSums === 'object',
      ),
    gaps: () => readCachedJson<GapsFile>(pieceFile(stem, 'gaps'), valid),
    commits: () => readCachedJson<CommitsFile>(pieceFile(stem, 'commits'), valid),
    done: (): DoneFile | undefined => {
      const done = readTable(doneFile(stem), id, DONE_WIDTH);
      return done && { id, done };
    },
    specTasks: (spec): SpecTasksFile | undefined => {
      const events = readTable(taskEventsFile(stem, spec), taskTableId({ id, spec }), TASK_WIDTH);
      return events && { id, spec, events };
    },
    month: (month) => readTable(monthFile(stem, month), id, ITEM_WIDTH),
  };
}
