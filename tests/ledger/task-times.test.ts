/**
 * When each task started and was done (session logs, daily summaries, the completion of a task)
 * comes, through the index, from one spec's task events only. It must equal what the full read of
 * the ledger says, for every spec and work session, before and after compact.
 */
import { describe, expect, it } from 'vitest';
import { taskTimes } from '../../src/workflow/task-progress.js';
import { forEachIndexedRead, ledgerProject } from './support/ledger-project.js';

const sorted = (m: Map<string, unknown>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

describe('task times through the index', () => {
  const p = ledgerProject({ devs: 2, days: 3, callsPerDay: 60 });

  it('equal the full read’s, per spec and per work session, from raw files and from rollups', () => {
    forEachIndexedRead(p, (full, view, label) => {
      const specs = [...new Set(full.tasks.map((t) => t.spec))].sort();
      expect(specs.length).toBeGreaterThan(1);
      for (const spec of specs) {
        const want = taskTimes(full, spec);
        expect([...want.values()].some((t) => t.started !== null && t.done !== null)).toBe(true);
        expect(sorted(taskTimes(view, spec)), `${label} ${spec}`).toEqual(sorted(want));
        for (const ws of full.sessions.keys())
          expect(sorted(taskTimes(view, spec, ws)), `${label} ${spec} ${ws}`).toEqual(
            sorted(taskTimes(full, spec, ws)),
          );
      }
    });
  });
});
