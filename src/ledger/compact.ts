import { listLedger } from './ledger-files.js';
import type { FoldResult } from './fold.js';
import { readLedger } from './read-ledger.js';
import { finishRollup, rollUpLedger, type RollupResult } from './rollup.js';
import fs from 'node:fs';
import path from 'node:path';

export interface CompactResult extends RollupResult {
  /** Bytes of the ledger folder's files before and after. */
  bytesBefore: number;
  bytesAfter: number;
  /** Raw files left as they are because they are still open (the closed ones left raw are listed by kind). */
  open: number;
  /** Whether the whole fold was compared before and after (else each rollup was read back). */
  compared: boolean;
}

export class CompactMismatchError extends Error {}

/**
 * `spec-session compact`: rolls up every closed raw file of the ledger (the upgrade path for
 * ledgers written by 0.1.0, which stay readable without it). The fold is compared before and
 * after, usage item by usage item summed per UTC day, Claude session, attribution, model and kind,
 * before anything is deleted: a difference of one token fails the command and changes nothing.
 */
export function compactLedger(ledgerDir: string, now: number): CompactResult {
  const bytesBefore = ledgerBytes(ledgerDir);
  // The whole fold is compared too while it fits in memory comfortably; past that, each rollup
  // file is still read back and re-encoded byte for byte before anything is deleted.
  const compare = bytesBefore <= FULL_CHECK_BYTES;
  const before = compare ? totalsOf(readLedger(ledgerDir)) : undefined;
  // Nothing is deleted until the new rollups are checked: on a difference, the ledger is left as it was.
  const rolled = rollUpLedger(ledgerDir, { now, deferDeletes: true });
  if (before) {
    const after = totalsOf(readLedger(ledgerDir, { skip: new Set(rolled.superseded) }));
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(key) !== after.get(key)) {
        for (const rel of rolled.written) fs.rmSync(path.join(ledgerDir, rel), { force: true });
        throw new CompactMismatchError(
          `totals would differ after rolling up (${key}: ${before.get(key) ?? 'none'} before, ${after.get(key) ?? 'none'} after): nothing was changed`,
        );
      }
    }
  }
  finishRollup(ledgerDir, rolled);
  return {
    ...rolled,
    bytesBefore,
    bytesAfter: ledgerBytes(ledgerDir),
    open: listLedger(ledgerDir).raw.length - rolled.damaged.length - rolled.foreign.length - rolled.waiting.length,
    compared: compare,
  };
}

const FULL_CHECK_BYTES = 64e6;

function totalsOf(view: FoldResult): Map<string, string> {
  const sums = new Map<string, number[]>();
  for (const item of view.usage) {
    const key = JSON.stringify([
      new Date(item.time).toISOString().slice(0, 10),
      item.kind,
      item.cs,
      item.ws,
      item.spec,
      item.task,
      item.model,
      item.speed,
      item.longContext,
    ]);
    const sum = sums.get(key) ?? sums.set(key, [0, 0, 0, 0, 0, 0]).get(key)!;
    const t = item.tokens;
    for (const [i, v] of [item.calls, t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead].entries())
      sum[i]! += v;
  }
  return new Map([...sums].map(([k, v]) => [k, v.join(',')]));
}

function ledgerBytes(ledgerDir: string): number {
  const { raw, rollups } = listLedger(ledgerDir);
  return [...raw, ...rollups].reduce((sum, rel) => sum + fs.statSync(path.join(ledgerDir, rel)).size, 0);
}
