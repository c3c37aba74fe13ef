/**
 * usageBatches hands over a long history a month at a time (`export` writes it so): end to end, the
 * batches must be the view's whole usage in its order, with the items not rolled up (a teammate's
 * raw file of a day rolled up before it came) between the rolled-up ones where their times fall.
 */
import { mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIndexedLedger } from '../../src/ledger/ledger-index.js';
import { rollUpLedger } from '../../src/ledger/rollup.js';
import { ledgerProject } from './support/ledger-project.js';

describe('usageBatches', () => {
  it('is usageIn, in its order: raw items between rolled-up months, in any range and zone', () => {
    // Six weeks over a month's end, two writers; one writer's file of a mid-range day held back
    // while the others roll up, then put back raw.
    const p = ledgerProject({ devs: 2, days: 42, callsPerDay: 12, seed: 11, start: '2026-10-10' });
    const days = readdirSync(p.ledger).sort();
    const late = days[20]!;
    const [held] = readdirSync(join(p.ledger, late)).sort();
    const aside = join(mkdtempSync(join(tmpdir(), 'held-')), held!);
    renameSync(join(p.ledger, late, held!), aside);
    rollUpLedger(p.ledger, { now: Date.now(), before: days.at(-1)! });
    renameSync(aside, join(p.ledger, late, held!));

    const view = readIndexedLedger(p.ledger, mkdtempSync(join(tmpdir(), 'index-')), 'UTC').view;
    const raw = view.usage.filter((i) => i.time >= Date.parse(late) && i.time < Date.parse(late) + 86_400_000);
    expect(raw.length).toBeGreaterThan(0);
    for (const [range, tz] of [
      [{}, 'UTC'],
      [{ since: days[5]!, until: days[30]! }, 'UTC'],
      [{ since: '2026-11-01' }, 'America/Los_Angeles'],
      [{ until: late }, 'Asia/Kathmandu'],
    ] as const) {
      const batches = [...view.usageBatches(range, tz)];
      expect(batches.length).toBeGreaterThan(1);
      expect(batches.flat()).toEqual(view.usageIn(range, tz));
    }
  });
});
