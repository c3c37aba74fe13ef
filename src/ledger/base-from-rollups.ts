/**
 * The index's base built from the rollup files: each file read once, the entry kept for each
 * source file chosen first, rows summed into items per day in the index's time zone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tupleOf } from '../usage/tokens.js';
import { assembleBase, baseId, type BuiltBase } from './index-base.js';
import { EventSink } from './packed-events.js';
import { addGapBaselines, outranks } from './rolled-up.js';
import { flatEntries, sourcesOf, type FlatEntry } from './rollup-bytes.js';
import { SLOT_MS } from './rollup-format.js';
import { addStoredEvent } from './stored-events.js';
import { buildState, restoreState, type BasePieces, type BuildState, type Parts } from './base-state.js';
import { UsageSums } from './usage-sums.js';

export type { BasePieces, BuildState } from './base-state.js';

/**
 * Reads every rollup file once and sums it: rows into items per day (in `tz`), Claude session,
 * attribution, model, pricing tier and kind, grouped by month; workflow events folded. Of two
 * entries for the same source file (two clones rolled it up at different sizes), the larger is
 * used, as the full fold does. With `keepState`, the sums before assembly come back too (as the
 * index keeps them: see extendBase).
 */
export function buildBase(
  ledgerDir: string,
  rollups: string[],
  tz: string,
  { keepState = false }: { keepState?: boolean } = {},
): BuiltBase & { state?: BuildState } {
  const parts: Parts = {
    sums: new UsageSums(tz),
    keyDays: {},
    baselines: new Map(),
    events: new EventSink(),
    malformed: 0,
    problems: new Map(),
    counted: new Map(),
  };
  sumRollups(ledgerDir, rollups, parts, new Map());
  const state = keepState ? buildState(baseId(tz, rollups), parts) : undefined;
  return { ...assemble(tz, rollups, parts), ...(state ? { state } : {}) };
}

/**
 * The base of `rollups`, from the base of all of them but the last `added` (`from`, with the state
 * kept beside it, read only then): the added files summed on top, as buildBase sums them after the
 * others.
 * Undefined when that would not be what buildBase builds (an added entry outranks one counted, an
 * added file does not read) or a piece is missing.
 */
export function extendBase(
  ledgerDir: string,
  rollups: string[],
  added: number,
  tz: string,
  from: BasePieces,
): (BuiltBase & { state: BuildState }) | undefined {
  if (added <= 0 || added >= rollups.length) return undefined;
  if (from.base.id !== baseId(tz, rollups.slice(0, rollups.length - added))) return undefined; // not only added
  const state = from.state();
  const parts = state && restoreState(state, from, tz);
  if (!parts) return undefined;
  const problems = parts.problems.size;
  if (!sumRollups(ledgerDir, rollups.slice(rollups.length - added), parts, parts.counted)) return undefined;
  if (parts.problems.size !== problems) return undefined; // problems are listed in the order a full build meets them
  const next = buildState(baseId(tz, rollups), parts); // before assembly: it sorts the events in place
  return { ...assemble(tz, rollups, parts), state: next };
}

/**
 * Sums `rollups` into `parts`. First the sources each file holds (a quick scan), so a file read
 * once after is summed at once. False when an entry outranks one of `counted` (counted before these
 * files): the sums would have to lose it.
 */
function sumRollups(
  ledgerDir: string,
  rollups: string[],
  parts: Parts,
  counted: ReadonlyMap<string, { bytes: number; sha: string }>,
): boolean {
  const read = (rel: string) => fs.readFileSync(path.join(ledgerDir, rel));
  const chosen = new Map<string, { bytes: number; sha: string }>();
  const failed = new Set<string>();
  let rows = 0;
  for (const rel of rollups) {
    try {
      for (const s of sourcesOf(read(rel))) {
        rows += s.rows ?? 0;
        const earlier = counted.get(s.src);
        if (earlier) {
          if (outranks(s, earlier)) return false;
          continue;
        }
        if (outranks(s, chosen.get(s.src))) chosen.set(s.src, s);
      }
    } catch (error) {
      parts.problems.set(rel, `${rel}: ${(error as Error).message}`);
      failed.add(rel);
    }
  }
  // Room for as many items as there are rows (at most one item each): summed at once, the
  // items do not grow in steps whose outgrown tables the process would keep (glibc does).
  parts.sums.items.reserve(rows);
  for (const rel of rollups) {
    if (failed.has(rel)) continue;
    let entries: FlatEntry[];
    try {
      entries = flatEntries(read(rel));
    } catch (error) {
      parts.problems.set(rel, `${rel}: ${(error as Error).message}`);
      continue;
    }
    for (const entry of entries) {
      const pick = chosen.get(entry.src);
      if (pick?.bytes !== entry.bytes || pick.sha !== entry.sha) continue;
      chosen.delete(entry.src); // the same entry in a second file counts once
      parts.counted.set(entry.src, pick);
      parts.sums.addEntry(
        entry.cs,
        entry.rows,
        (day) => (parts.keyDays[day] ??= []).includes(rel) || parts.keyDays[day]!.push(rel),
      );
      addGapBaselines(parts.baselines, entry);
      const { base, names } = entry.rows;
      for (const stored of entry.events)
        if (!addStoredEvent(parts.events, stored, base * SLOT_MS, names)) parts.malformed++;
    }
  }
  return true;
}

function assemble(tz: string, rollups: string[], parts: Parts): BuiltBase {
  return assembleBase({
    tz,
    rollups,
    keyDays: parts.keyDays,
    baselines: Object.fromEntries([...parts.baselines].map(([key, t]) => [key, tupleOf(t)])),
    malformed: parts.malformed,
    problems: [...parts.problems.values()],
    items: parts.sums.items,
    events: parts.events,
  });
}
