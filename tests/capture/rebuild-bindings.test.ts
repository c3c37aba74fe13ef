/**
 * A Claude session whose machine-local state is lost rebuilds its bindings from the committed
 * ledger. A catch-up of many such sessions reads the rollups once for all of them (a batch); each
 * session must get exactly the bindings it gets alone, from raw files and from rollups alike.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rebuildBindings, withBindingBatch } from '../../src/capture/rebuild-bindings.js';
import { ledgerProject } from '../ledger/support/ledger-project.js';

describe('bindings rebuilt for many sessions at once', () => {
  const p = ledgerProject({ devs: 3, days: 3, callsPerDay: 60 });
  const sessions = [...new Set(p.truth.calls.map((c) => c.cs))].sort();
  const alone = () => sessions.map((cs) => rebuildBindings(p.ledger, cs));
  const batched = () => withBindingBatch(p.ledger, sessions, () => sessions.map((cs) => rebuildBindings(p.ledger, cs)));

  it('are each session’s own, as read alone: from raw files, then from rollups', () => {
    expect(sessions.length).toBeGreaterThan(5);
    const raw = alone();
    expect(raw.filter((points) => points.some((b) => b.task !== null)).length).toBeGreaterThan(5);
    expect(batched()).toEqual(raw);
    expect(p.run(['compact']).code).toBe(0);
    const files = readdirSync(p.ledger, { recursive: true }) as string[];
    expect(files.filter((f) => f.endsWith('.jsonl'))).toEqual([]); // every binding now lives in rollups
    expect(alone()).toEqual(raw); // rollups hold the same bindings
    expect(batched()).toEqual(raw);
  });

  it('a session outside the batch is read alone, and the batch ends with its work', () => {
    const [first, ...rest] = sessions;
    const got = withBindingBatch(p.ledger, rest, () => rebuildBindings(p.ledger, first!));
    expect(got).toEqual(rebuildBindings(p.ledger, first!));
    expect(got.length).toBeGreaterThan(0);
  });
});
