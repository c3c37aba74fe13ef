/**
 * A task's usage (what its implementation log's `## Usage` shows) comes, through the index, from
 * only the rows of its months that are that task's. Its tokens must equal the full read's (which
 * keeps rolled-up rows per slot, where the index sums them per day), for every task, from raw
 * files and from rollups, and none of another task may come with them.
 */
import { describe, expect, it } from 'vitest';
import type { LedgerView } from '../../src/ledger/ledger-view.js';
import { totalTokens } from '../../src/usage/tokens.js';
import { forEachIndexedRead, ledgerProject } from './support/ledger-project.js';

const tokensOf = (view: LedgerView, spec: string, task: string) =>
  view.usageOfTask(spec, task).reduce((sum, i) => sum + totalTokens(i.tokens), 0);

describe("a task's usage through the index", () => {
  const p = ledgerProject({ devs: 2, days: 4, callsPerDay: 60, seed: 11 });

  it("equals the full read's for every task, from raw files and from rollups", () => {
    forEachIndexedRead(p, (full, view, label) => {
      const tasks = new Map(full.usage.filter((i) => i.spec && i.task).map((i) => [`${i.spec}/${i.task}`, i]));
      expect(tasks.size).toBeGreaterThan(5);
      for (const [key, { spec, task }] of tasks) {
        const want = tokensOf(full, spec!, task!);
        expect(want).toBeGreaterThan(0);
        expect(tokensOf(view, spec!, task!), `${label} ${key}`).toBe(want);
        expect(view.usageOfTask(spec!, task!).every((i) => i.spec === spec && i.task === task)).toBe(true);
      }
    });
  });
});
