import { listLedger } from './ledger-files.js';
import type { FoldResult } from './fold.js';
import { readLedger } from './read-ledger.js';
import { rollUpLedger, type RollupResult } from './rollup.js';
import fs from 'node:fs';
import path from 'node:path';

export interface CompactResult extends RollupResult {
  /** Bytes of the ledger folder's files before and after. */
  bytesBefore: number;
  bytesAfter: number;
  /** Raw files left as they are: still open. */
  open: number;
  /** Whether the whole fold was compared before and after (else each rollup was read back). */
  compared: boolean;
}

export class CompactMismatchError extends Error {}

/**
 * `spec-session compact`: rolls up every closed raw file of the ledger (the upgrade path for
 * ledgers written by 0.1.0, which stay readable without it). The fold is compared before and
 * after, usage item by usage item summed per UTC day, Claude session, attribution, model and kind:
 * a difference of one token fails the command, and the ledger is in git to restore it.
 */
export function compactLedger(ledgerDir: string, now: number): CompactResult {
  const bytesBefore = ledgerBytes(ledgerDir);
  // The whole fold is compared too while it fits in memory comfortably; past that, each rollup
  // file is still read back and re-encoded byte for byte before anything is deleted.
  const compare = bytesBefore <= FULL_CHECK_BYTES;
  const before = compare ? totalsOf(readLedger(ledgerDir)) : undefined;
  const rolled = rollUpLedger(ledgerDir, { now });
  if (before) {
    const after = totalsOf(readLedger(ledgerDir));
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(key) !== after.get(key)) {
        throw new CompactMismatchError(
          `totals differ after rolling up (${key}: ${before.get(key) ?? 'none'} before, ${after.get(key) ?? 'none'} after); restore the ledger with: git checkout -- ${path.basename(path.dirname(ledgerDir))}/${path.basename(ledgerDir)}`,
        );
      }
    }
  }
  return {
    ...rolled,
    bytesBefore,
    bytesAfter: ledgerBytes(ledgerDir),
    open: listLedger(ledgerDir).raw.length,
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
