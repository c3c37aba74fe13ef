/**
 * A task's usage (what its implementation log's `## Usage` shows) comes, through the index, from
 * only the rows of its months that are that task's. It must equal the full read's, item for item,
 * for every task, from raw files and from rollups, in an index just built and in one read back.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIndexedLedger } from '../../src/ledger/ledger-index.js';
import type { LedgerView } from '../../src/ledger/ledger-view.js';
import { readLedger } from '../../src/ledger/read-ledger.js';
import { ledgerProject } from './support/ledger-project.js';

/** A task's usage as comparable rows: when, whose, which model, and its counts. */
const rowsOf = (view: LedgerView, spec: string, task: string) =>
  view
    .usageOfTask(spec, task)
    .map((i) => [i.first, i.last, i.calls, i.ws, i.cs, i.spec, i.task, i.model, i.kind, ...Object.values(i.tokens)])
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("a task's usage through the index", () => {
  const p = ledgerProject({ devs: 2, days: 4, callsPerDay: 60, seed: 11 });

  it("equals the full read's for every task, from raw files and from rollups", () => {
    for (const stage of ['raw', 'compacted']) {
      if (stage === 'compacted') expect(p.run(['compact']).code).toBe(0);
      const full = readLedger(p.ledger);
      const tasks = [...new Set(full.usage.filter((i) => i.spec && i.task).map((i) => `${i.spec}\u0000${i.task}`))];
      expect(tasks.length).toBeGreaterThan(5);
      for (const fresh of [true, false]) {
        const dir = mkdtempSync(join(tmpdir(), 'index-'));
        let view = readIndexedLedger(p.ledger, dir, 'UTC').view;
        if (!fresh) view = readIndexedLedger(p.ledger, dir, 'UTC').view;
        for (const key of tasks) {
          const [spec, task] = key.split('\u0000') as [string, string];
          const want = rowsOf(full, spec, task);
          expect(want.length).toBeGreaterThan(0);
          // Rolled-up rows are summed per day, so compare the sums of the same rows both ways.
          const sum = (rows: unknown[][]) =>
            rows.reduce((t, r) => t + (r.slice(9) as number[]).reduce((a, b) => a + b, 0), 0);
          const got = rowsOf(view, spec, task);
          expect(sum(got), `${stage} ${fresh} ${key}`).toBe(sum(want));
          expect(got.every((r) => r[5] === spec && r[6] === task)).toBe(true);
        }
      }
    }
  });
});
