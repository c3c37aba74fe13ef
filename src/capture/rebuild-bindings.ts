import fs from 'node:fs';
import path from 'node:path';
import { dayFolders, writerOf } from '../ledger/ledger-files.js';
import { listDir } from '../store/fs-utils.js';
import type { BindPoint } from './claude-session-state.js';
import type { LineOf } from '../ledger/ledger-schema.js';
import { decodeRollup } from '../ledger/rollup-decode.js';

/**
 * Bindings of a Claude session, read back from the committed ledger (its bind records, in its raw
 * files and in rollups): what a hook needs when the session's machine-local state is lost (a new
 * clone, a deleted folder). Only then, so a scan of the ledger folders is affordable.
 */
export function rebuildBindings(ledgerDir: string, sessionId: string): BindPoint[] {
  const points: BindPoint[] = [];
  for (const day of dayFolders(ledgerDir)) {
    for (const name of listDir(path.join(ledgerDir, day))) {
      const raw = name.endsWith('.jsonl') && writerOf(name) === sessionId;
      const rollup = name.startsWith('rollup-') && name.endsWith('.json');
      if (!raw && !rollup) continue;
      let text: string;
      try {
        text = fs.readFileSync(path.join(ledgerDir, day, name), 'utf8');
      } catch {
        continue; // rolled up or removed meanwhile: its records are in a rollup read in this scan
      }
      if (!text.includes(sessionId)) continue;
      for (const record of raw ? rawRecords(text) : rolledUpRecords(text)) {
        const point = bindPoint(record, sessionId);
        if (point) points.push(point);
      }
    }
  }
  return points.sort((a, b) => a.t - b.t);
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

/** A rollup's events, decoded (a rollup that does not parse gives none). */
function rolledUpRecords(text: string): unknown[] {
  try {
    return decodeRollup(text, { keys: false }).rawEvents.flat();
  } catch {
    return []; // a damaged rollup: doctor names it, reports say so
  }
}

/** A bind record of this session as a binding point; anything else, undefined. */
function bindPoint(value: unknown, sessionId: string): BindPoint | undefined {
  const r = value as Partial<LineOf<'bind'>> | null;
  if (r?.k !== 'bind' || r.cs !== sessionId || typeof r.t !== 'string') return undefined;
  const t = Date.parse(r.t);
  if (Number.isNaN(t)) return undefined;
  return { t, ws: r.ws ?? null, spec: r.spec ?? null, task: r.task ?? null, ...(r.ph ? { phase: r.ph } : {}) };
}
