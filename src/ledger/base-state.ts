/**
 * What a base's rollups summed to before its files were assembled, kept beside the base so that
 * rollups added later are summed on top of it (extendBase in base-from-rollups.ts).
 */
import type { TokenCounts } from '../usage/tokens.js';
import { tokensOf, tupleOf } from '../usage/tokens.js';
import type { BaseFile, SessionsFile, SpecTasksFile } from './index-base.js';
import type { LineOf } from './ledger-schema.js';
import { EventSink, forEachTaskRow, type PackedBinding, type PackedCommit } from './packed-events.js';
import type { ItemTable } from './packed-items.js';
import { UsageSums } from './usage-sums.js';

/**
 * What the rollups sum to before the base's files are assembled from it (assembleBase): the items,
 * the events, and what tells an entry to count. Kept beside the base (buildState/restoreState), so
 * rollups that are only added (a start's or /eod's rollup of the last closed day, a pull) are
 * summed on top of it, not all of them again.
 */
export interface Parts {
  sums: UsageSums;
  keyDays: BaseFile['keyDays'];
  baselines: Map<string, TokenCounts>;
  events: EventSink;
  malformed: number;
  problems: Map<string, string>;
  /** The entry counted for each source file: its size and hash. */
  counted: Map<string, { bytes: number; sha: string }>;
}

/** The pieces of the base an extension starts from, as the index reads them back (each checked to be of `base`). */
export interface BasePieces {
  base: BaseFile;
  /** The sums kept beside it, if any. */
  state(): BuildState | undefined;
  month(month: string): ItemTable | undefined;
  sessions(): SessionsFile | undefined;
  specTasks(spec: string): SpecTasksFile | undefined;
}

/**
 * What the rollups summed to, kept beside the base so rollups added later sum on top of it: JSON of
 * what its other pieces do not hold. The items are read back from its month tables, the latest
 * bindings from its sessions piece, the task events from its spec tables (assembleBase keeps only
 * the latest binding of each pair of sessions, and every task event once: what it makes of them
 * is the same).
 */
export interface BuildState {
  text: string;
}

interface StateJson {
  id: string;
  keyDays: BaseFile['keyDays'];
  baselines: Array<[string, number[]]>;
  malformed: number;
  problems: Array<[string, string]>;
  counted: Array<[string, number, string]>;
  sessions: LineOf<'session'>[];
  manual: LineOf<'manual'>[];
  commits: PackedCommit[];
  versions: Array<[string, string[], boolean]>;
}

/** Made before assembleBase, which adds the hand-logged items and sorts the events in place. */
export function buildState(id: string, parts: Parts): BuildState {
  const e = parts.events;
  const json: StateJson = {
    id,
    keyDays: parts.keyDays,
    baselines: [...parts.baselines].map(([key, t]) => [key, tupleOf(t)]),
    malformed: parts.malformed,
    problems: [...parts.problems],
    counted: [...parts.counted].map(([src, c]) => [src, c.bytes, c.sha]),
    sessions: e.sessions,
    manual: e.manual,
    commits: e.commits,
    versions: [...e.versions].map(([cs, v]) => [cs, [...v.versions], v.costState]),
  };
  return { text: JSON.stringify(json) };
}

/** Whether kept sums have every field in its shape (a cache: anything else is built again). */
function wholeState(j: StateJson): boolean {
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const arrays = [j.baselines, j.problems, j.counted, j.sessions, j.manual, j.commits, j.versions];
  return (
    isObject(j.keyDays) &&
    Number.isSafeInteger(j.malformed) &&
    arrays.every(Array.isArray) &&
    j.baselines.every((b) => Array.isArray(b) && typeof b[0] === 'string' && Array.isArray(b[1])) &&
    j.counted.every((c) => Array.isArray(c) && typeof c[0] === 'string' && typeof c[1] === 'number') &&
    j.sessions.every((r) => isObject(r) && typeof r.t === 'string' && typeof r.ws === 'string') &&
    j.versions.every((v) => Array.isArray(v) && Array.isArray(v[1]))
  );
}

/** The parts the base `from` was assembled from (its items in time order); undefined when a piece is missing or of another base. */
export function restoreState(state: BuildState, from: BasePieces, tz: string): Parts | undefined {
  let j: StateJson;
  try {
    j = JSON.parse(state.text) as StateJson;
  } catch {
    return undefined;
  }
  const sessions = from.sessions();
  if (j?.id !== from.base.id || sessions?.id !== from.base.id || !wholeState(j)) return undefined;
  const months: ItemTable[] = [];
  for (const month of from.base.months) {
    const table = from.month(month);
    if (!table) return undefined;
    months.push(table);
  }
  const events = new EventSink();
  events.sessions = j.sessions;
  events.manual = j.manual;
  events.commits = j.commits;
  for (const [cs, versions, costState] of j.versions)
    events.versions.set(cs, { versions: new Set(versions), costState });
  events.bindings = sessions.lastBinds.map((b) => [...b] as PackedBinding);
  for (const spec of from.base.taskSpecs) {
    const file = from.specTasks(spec);
    if (!file) return undefined;
    forEachTaskRow(file.events, (time, ws, task, done, source) =>
      events.tasks.push([time, ws, spec, task, done ? 1 : 0, source]),
    );
  }
  return {
    sums: UsageSums.restore(months, tz),
    keyDays: j.keyDays,
    baselines: new Map(j.baselines.map(([key, t]) => [key, tokensOf(t)])),
    events,
    malformed: j.malformed,
    problems: new Map(j.problems),
    counted: new Map(j.counted.map(([src, bytes, sha]) => [src, { bytes, sha }])),
  };
}
