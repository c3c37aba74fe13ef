/**
 * When each task started and was done (session logs, daily summaries, the completion of a task)
 * comes, through the index, from one spec's task events only. It must equal what the full read of
 * the ledger says, for every spec and work session, before and after compact.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIndexedLedger } from '../../src/ledger/ledger-index.js';
import { readLedger } from '../../src/ledger/read-ledger.js';
import { taskTimes } from '../../src/workflow/task-progress.js';
import { ledgerProject } from './support/ledger-project.js';

const sorted = (m: Map<string, unknown>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

describe('task times through the index', () => {
  const p = ledgerProject({ devs: 2, days: 3, callsPerDay: 60 });

  it('equal the full read’s, per spec and per work session, from raw files and from rollups', () => {
    for (const stage of ['raw', 'compacted']) {
      if (stage === 'compacted') expect(p.run(['compact']).code).toBe(0);
      const full = readLedger(p.ledger);
      const specs = [...new Set(full.tasks.map((t) => t.spec))].sort();
      const sessions = [...full.sessions.keys()];
      expect(specs.length).toBeGreaterThan(1);
      for (const fresh of [true, false]) {
        // The first read builds the index (and keeps what it built); the second reads its files.
        const dir = mkdtempSync(join(tmpdir(), 'index-'));
        let view = readIndexedLedger(p.ledger, dir, 'UTC').view;
        if (!fresh) view = readIndexedLedger(p.ledger, dir, 'UTC').view;
        for (const spec of specs) {
          const want = taskTimes(full, spec);
          expect([...want.values()].some((t) => t.started !== null && t.done !== null)).toBe(true);
          expect(sorted(taskTimes(view, spec)), `${stage} ${spec}`).toEqual(sorted(want));
          for (const ws of sessions)
            expect(sorted(taskTimes(view, spec, ws)), `${stage} ${spec} ${ws}`).toEqual(
              sorted(taskTimes(full, spec, ws)),
            );
        }
      }
    }
  });
});
