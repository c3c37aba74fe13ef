import fs from 'node:fs';
import path from 'node:path';
import { dayFolders, writerOf } from '../ledger/ledger-files.js';
import { listDir } from '../store/fs-utils.js';
import type { BindPoint } from './claude-session-state.js';

/**
 * Bindings of a Claude session, read back from the committed ledger (its bind records, in its raw
 * files and in rollups): what a hook needs when the session's machine-local state is lost (a new
 * clone, a deleted folder). Only then, so a scan of the ledger folders is affordable.
 */
export function rebuildBindings(ledgerDir: string, sessionId: string): BindPoint[] {
  const points: BindPoint[] = [];
  const take = (text: string) => {
    for (const record of bindRecords(text)) if (record.cs === sessionId) points.push(record.point);
  };
  for (const day of dayFolders(ledgerDir)) {
    for (const name of listDir(path.join(ledgerDir, day))) {
      const ofSession = name.endsWith('.jsonl') && writerOf(name) === sessionId;
      if (!ofSession && !(name.startsWith('rollup-') && name.endsWith('.json'))) continue;
      let text: string;
      try {
        text = fs.readFileSync(path.join(ledgerDir, day, name), 'utf8');
      } catch {
        continue; // rolled up or removed meanwhile: its records are in a rollup read in this scan
      }
      if (text.includes(sessionId)) take(text);
    }
  }
  return points.sort((a, b) => a.t - b.t);
}

/** Bind records anywhere in a ledger file's text (one per raw line, or inside a rollup's events). */
function bindRecords(text: string): Array<{ cs: string; point: BindPoint }> {
  const out: Array<{ cs: string; point: BindPoint }> = [];
  for (const match of text.matchAll(/\{"k":"bind"[^{}]*\}/g)) {
    try {
      const r = JSON.parse(match[0]) as { t: string; cs: string; ws: string | null; spec: string | null; task: string | null; ph?: 'requirements' | 'design' | 'tasks' };
      const t = Date.parse(r.t);
      if (!Number.isNaN(t)) out.push({ cs: r.cs, point: { t, ws: r.ws ?? null, spec: r.spec ?? null, task: r.task ?? null, ...(r.ph ? { phase: r.ph } : {}) } });
    } catch {
      // a torn line from a crash: skipped, as the fold does
    }
  }
  return out;
}
