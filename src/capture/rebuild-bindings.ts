import fs from 'node:fs';
import path from 'node:path';
import { dayFolders, writerOf } from '../ledger/ledger-files.js';
import { listDir } from '../store/fs-utils.js';
import type { BindPoint } from './claude-session-state.js';
import type { LineOf } from '../ledger/ledger-schema.js';
import { decodeRollup } from '../ledger/rollup-decode.js';
import { decodeEvent, EVENT_KINDS } from '../ledger/rollup-events.js';
import { SLOT_MS } from '../ledger/rollup-format.js';

/**
 * Bindings of a Claude session, read back from the committed ledger (its bind records, in its raw
 * files and in rollups): what a hook needs when the session's machine-local state is lost (a new
 * clone, a deleted folder). Only then, so a scan of the ledger folders is affordable.
 */
export function rebuildBindings(ledgerDir: string, sessionId: string): BindPoint[] {
  const b = batch?.ledgerDir === ledgerDir && batch.sessions.has(sessionId) ? batch : newBatch(ledgerDir, [sessionId]);
  if (!b.days) {
    b.days = new Map(dayFolders(b.ledgerDir).map((day) => [day, listDir(path.join(b.ledgerDir, day))]));
    for (const [day, names] of b.days) readRollups(b, day, names);
  }
  // The session's own raw files (only its hooks write them, and they wait for the lock it is caught
  // up under). One rolled up since the scan (by an /eod, which writes the rollup first) is gone:
  // its folder is listed again and the new rollup read.
  const raw: BindPoint[] = [];
  for (const [day, names] of b.days) {
    for (const name of names) {
      if (!name.endsWith('.jsonl') || writerOf(name) !== sessionId) continue;
      let text: string;
      try {
        text = fs.readFileSync(path.join(b.ledgerDir, day, name), 'utf8');
      } catch {
        readRollups(b, day, listDir(path.join(b.ledgerDir, day)));
        continue;
      }
      for (const record of rawRecords(text)) {
        const point = bindPoint(record, sessionId);
        if (point) raw.push(point);
      }
    }
  }
  return [...(b.rolledUp.get(sessionId) ?? []), ...raw].sort(byTime);
}

/**
 * The sessions whose bindings one read of the rollups serves: one (a hook whose state is lost), or
 * many (a catch-up after the state was lost, one per transcript kept), read the first time one is
 * asked for. A session's own raw files are read when it is asked for; rollups never change once
 * written.
 */
interface Batch {
  ledgerDir: string;
  sessions: Set<string>;
  /** The sessions' rolled-up bindings, from the rollups in `read` ("<day>/<name>"). */
  rolledUp: Map<string, BindPoint[]>;
  read: Set<string>;
  /** Each day folder's names, as listed by the first read. */
  days?: Map<string, string[]>;
}
let batch: Batch | undefined;

const newBatch = (ledgerDir: string, sessionIds: Iterable<string>): Batch => ({
  ledgerDir,
  sessions: new Set(sessionIds),
  rolledUp: new Map(),
  read: new Set(),
});

/** Runs `work` with the bindings of `sessionIds` rebuilt from one read of the rollups. */
export function withBindingBatch<T>(ledgerDir: string, sessionIds: Iterable<string>, work: () => T): T {
  const previous = batch;
  batch = newBatch(ledgerDir, sessionIds);
  try {
    return work();
  } finally {
    batch = previous;
  }
}

const BIND = EVENT_KINDS.indexOf('bind');

/**
 * Reads the rollups of a day folder not read yet, keeping the sessions' bindings. For one session,
 * a rollup that never names it is skipped unparsed. Events are looked at as stored: only a binding
 * naming one of the sessions is decoded into a record (one kept as written is decoded as it is).
 */
function readRollups(b: Batch, day: string, names: string[]): void {
  const only = b.sessions.size === 1 ? [...b.sessions][0] : undefined;
  for (const name of names) {
    const rel = `${day}/${name}`;
    if (!name.startsWith('rollup-') || !name.endsWith('.json') || b.read.has(rel)) continue;
    b.read.add(rel);
    let decoded: ReturnType<typeof decodeRollup>;
    try {
      const text = fs.readFileSync(path.join(b.ledgerDir, day, name), 'utf8');
      if (only !== undefined && !text.includes(only)) continue;
      decoded = decodeRollup(text, { keys: false, rows: 'packed' });
    } catch {
      continue; // removed meanwhile (a rollup only goes when another holds its entries), or damaged
    }
    decoded.entries.forEach((entry, i) => {
      const { base, names: strings } = entry.packed!;
      for (const stored of decoded.rawEvents[i]!) {
        // Stored as [kind, ms, cs, …], cs an index into the entry's names.
        if (Array.isArray(stored) && !(stored[0] === BIND && b.sessions.has(strings[stored[2] as number]!))) continue;
        const record = decodeEvent(stored, base * SLOT_MS, strings);
        const of = (record as { cs?: unknown } | null)?.cs;
        if (typeof of !== 'string' || !b.sessions.has(of)) continue;
        const point = bindPoint(record, of);
        if (point) (b.rolledUp.get(of) ?? b.rolledUp.set(of, []).get(of)!).push(point);
      }
    });
  }
}

/** By time; points of one millisecond by what they say, so the order never depends on which file was read first. */
function byTime(a: BindPoint, b: BindPoint): number {
  if (a.t !== b.t) return a.t - b.t;
  const ka = JSON.stringify([a.ws, a.spec, a.task, a.phase ?? null]);
  const kb = JSON.stringify([b.ws, b.spec, b.task, b.phase ?? null]);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** A raw file's bind lines, parsed (a torn line from a crash is skipped, as the fold does). */
function rawRecords(text: string): unknown[] {
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{"k":"bind"')) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a torn line: skipped
    }
  }
  return out;
}

/** A bind record of this session as a binding point; anything else, undefined. */
function bindPoint(value: unknown, sessionId: string): BindPoint | undefined {
  const r = value as Partial<LineOf<'bind'>> | null;
  if (r?.k !== 'bind' || r.cs !== sessionId || typeof r.t !== 'string') return undefined;
  const t = Date.parse(r.t);
  if (Number.isNaN(t)) return undefined;
  return { t, ws: r.ws ?? null, spec: r.spec ?? null, task: r.task ?? null, ...(r.ph ? { phase: r.ph } : {}) };
}
