import fs from 'node:fs';
import type { BindPoint } from './claude-session-state.js';

/** Bindings of a Claude session, read back from its committed ledger file (bind records only). */
export function rebuildBindings(ledgerFile: string): BindPoint[] {
  let text: string;
  try {
    text = fs.readFileSync(ledgerFile, 'utf8');
  } catch {
    return [];
  }
  const points: BindPoint[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"k":"bind"')) continue;
    try {
      const r = JSON.parse(line) as { t: string; ws: string | null; spec: string | null; task: string | null };
      const t = Date.parse(r.t);
      if (!Number.isNaN(t)) points.push({ t, ws: r.ws ?? null, spec: r.spec ?? null, task: r.task ?? null });
    } catch {
      // a torn line from a crash: skipped, as the fold does
    }
  }
  return points.sort((a, b) => a.t - b.t);
}
