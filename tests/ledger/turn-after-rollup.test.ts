/**
 * After a Claude session's start rolls up yesterday, the set of rollups has changed: a full read
 * builds the index's base again from every rollup (a team's years: seconds). A read at every turn
 * (the statusline, the Stop hook) whose live part had read those raw files whole goes on from the
 * base and the live part instead: they count exactly what the new rollup does. What it shows must
 * be what a full read shows, face by face; a rollup that holds what the live part never read (a
 * teammate's, pulled) is built again.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIndexedLedger } from '../../src/ledger/ledger-index.js';
import type { LedgerView } from '../../src/ledger/ledger-view.js';
import type { UsageItem } from '../../src/ledger/usage-item.js';
import { readLedger } from '../../src/ledger/read-ledger.js';
import { rollUpLedger } from '../../src/ledger/rollup.js';
import { loadPriceBook } from '../../src/pricing/price-call.js';
import { projectUsage } from '../../src/report/project-usage.js';
import { tallyFields } from '../../src/report/tally.js';
import { ledgerProject } from './support/ledger-project.js';

const book = loadPriceBook({ table: 'anthropic' });

/** What the views show: the split every report prints, sessions, bindings, done tasks, all-time sums. */
function faces(view: LedgerView) {
  const u = projectUsage(view, book, 'UTC');
  const tasks = u.tasks.map((t) => [t.spec, t.taskId, t.session, tallyFields(t.tally), t.first, t.last]);
  const events: string[] = [];
  view.forEachTaskEvent((e) => events.push(JSON.stringify(e)));
  return {
    totals: tallyFields(u.totals),
    tasks,
    sessions: u.sessions.map((s) => [s.name, tallyFields(s.tally), s.first, s.last]),
    days: [...u.days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, t]) => [d, tallyFields(t)]),
    workSessions: [...view.sessions.values()]
      .map((s) => JSON.stringify({ ...s, claudeSessions: [...s.claudeSessions].sort() }))
      .sort(),
    done: u.tasks.map((t) => view.taskDone(t.spec, t.taskId, t.session)),
    events: [...new Set(events)].sort(),
    all: sumsByModel(view.allTimeSums('all')),
    spec: sumsByModel(view.allTimeSums({ spec: u.tasks[0]!.spec })),
    bindings: u.sessions.map((s) => JSON.stringify(view.lastBinding({ ws: s.name }) ?? null)),
  };
}

/** Items summed per model (a base gives sums, a live part items: the same usage either way). */
function sumsByModel(items: UsageItem[]) {
  const out: Record<string, number[]> = {};
  for (const i of items) {
    const t = (out[i.model] ??= [0, 0, 0, 0, 0, 0]);
    const k = i.tokens;
    [i.calls, k.input, k.output, k.cacheWrite5m, k.cacheWrite1h, k.cacheRead].forEach((v, n) => {
      t[n]! += v;
    });
  }
  return out;
}

const rawFiles = (ledger: string) =>
  (readdirSync(ledger, { recursive: true }) as string[]).filter((f) => f.endsWith('.jsonl'));

describe('a read at every turn after a rollup', () => {
  it('goes on from what its live part read, without building the base again, and shows what a full read shows', () => {
    const p = ledgerProject({ devs: 2, days: 4, callsPerDay: 40, seed: 3 });
    const index = mkdtempSync(join(tmpdir(), 'index-'));
    expect(readIndexedLedger(p.ledger, index, 'UTC').how).toBe('rebuilt'); // its live part reads every raw file
    rollUpLedger(p.ledger, { now: Date.now(), maxFolders: 2 }); // a start rolls up the oldest days
    expect(rawFiles(p.ledger).length).toBeGreaterThan(0);
    // A turn takes long-over folders from the last full listing; these days are long over, and a
    // start rolls up yesterday, which a turn lists: without a listing to take, it lists them all.
    const memo = join(index, 'ledger-listing.json');
    rmSync(memo);

    const turn = readIndexedLedger(p.ledger, index, 'UTC', { turn: true });
    expect(turn.how).not.toBe('rebuilt');
    const fresh = readIndexedLedger(p.ledger, mkdtempSync(join(tmpdir(), 'index-')), 'UTC').view;
    expect(faces(turn.view)).toEqual(faces(fresh));
    expect(faces(readIndexedLedger(p.ledger, index, 'UTC', { turn: true }).view)).toEqual(faces(fresh)); // and again

    rollUpLedger(p.ledger, { now: Date.now() }); // the other days too
    rmSync(memo, { force: true });
    const again = readIndexedLedger(p.ledger, index, 'UTC', { turn: true });
    expect(again.how).not.toBe('rebuilt');
    expect(faces(again.view)).toEqual(faces(fresh));

    const full = readIndexedLedger(p.ledger, index, 'UTC'); // a full read builds the base from the rollups
    expect(full.how).toBe('rebuilt');
    expect(faces(full.view)).toEqual(faces(fresh));
  });

  it("builds the base again for a rollup holding what its live part never read (a teammate's, pulled)", () => {
    const p = ledgerProject({ devs: 2, days: 3, callsPerDay: 40, seed: 4 });
    const teammate = join(mkdtempSync(join(tmpdir(), 'clone-')), 'ledger');
    cpSync(p.ledger, teammate, { recursive: true });
    const day = readdirSync(p.ledger).sort()[0]!;
    const [mine, ...theirs] = readdirSync(join(p.ledger, day)).sort();
    for (const f of theirs) rmSync(join(p.ledger, day, f)); // not pulled yet
    const index = mkdtempSync(join(tmpdir(), 'index-'));
    readIndexedLedger(p.ledger, index, 'UTC');

    rollUpLedger(teammate, { now: Date.now(), maxFolders: 1 }); // the teammate rolls the day up, and we pull
    rmSync(join(p.ledger, day), { recursive: true });
    cpSync(join(teammate, day), join(p.ledger, day), { recursive: true });
    expect(readdirSync(join(p.ledger, day)).some((f) => f === mine)).toBe(false);

    // (A turn takes long-over folders from the last full listing: with none, it lists them all.)
    rmSync(join(index, 'ledger-listing.json'));
    const turn = readIndexedLedger(p.ledger, index, 'UTC', { turn: true });
    expect(turn.how).toBe('rebuilt');
    const fresh = readIndexedLedger(p.ledger, mkdtempSync(join(tmpdir(), 'index-')), 'UTC').view;
    expect(faces(turn.view)).toEqual(faces(fresh));
    expect(faces(fresh).totals.inputTokens).toBe(p.expected.total.get('all')!.in);
  });
});

describe('work sessions through the index, some days rolled up', () => {
  it('end as the full fold ends them when the rollups hold the end and the start is still raw (0.1.0 kept ends in its first folder)', () => {
    const p = ledgerProject({ devs: 2, days: 4, callsPerDay: 40, seed: 3 });
    rollUpLedger(p.ledger, { now: Date.now(), maxFolders: 2 }); // the folder holding every end goes first
    const ends = (m: Map<string, { ended: number | null; claudeSessions: Set<string> }>) =>
      Object.fromEntries([...m].map(([name, s]) => [name, [s.ended, [...s.claudeSessions].sort()]]).sort());
    const truth = ends(readLedger(p.ledger).sessions);
    expect(Object.values(truth).every((s) => (s as [number | null])[0] !== null)).toBe(true);
    expect(ends(readIndexedLedger(p.ledger, mkdtempSync(join(tmpdir(), 'index-')), 'UTC').view.sessions)).toEqual(
      truth,
    );
  });

  it('a session whose raw record comes before its rolled-up ones keeps the Claude sessions its rolled-up bindings gave', () => {
    const ledger = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger');
    const line = (o: object) => `${JSON.stringify(o)}\n`;
    const at = (d: string, hm: string) => `${d}T${hm}:00.000Z`;
    const session = { ws: 'morning', spec: 'billing' };
    const nobody = { ws: null, spec: null, task: null };
    mkdirSync(join(ledger, '2026-01-05'), { recursive: true });
    writeFileSync(
      join(ledger, '2026-01-05', 'cs-a.jsonl'),
      line({ k: 'session', t: at('2026-01-05', '10:00'), ...session, event: 'start', cs: 'cs-a' }) +
        line({
          k: 'bind',
          t: at('2026-01-05', '10:05'),
          cs: 'cs-b',
          ...nobody,
          ...session,
          task: null,
          why: 'fork:cs-a',
        }) +
        line({ k: 'session', t: at('2026-01-05', '11:00'), ...session, event: 'end', cs: null }),
    );
    mkdirSync(join(ledger, '2026-01-06'), { recursive: true }); // a writer whose clock ran late
    writeFileSync(
      join(ledger, '2026-01-06', 'cs-c.jsonl'),
      line({ k: 'session', t: at('2026-01-05', '10:30'), ...session, event: 'start', cs: 'cs-c' }),
    );
    rollUpLedger(ledger, { now: Date.now(), maxFolders: 1 });
    const of = (m: Map<string, { ended: number | null; claudeSessions: Set<string> }>) => {
      const s = m.get('morning')!;
      return [s.ended, [...s.claudeSessions].sort()];
    };
    const truth = of(readLedger(ledger).sessions);
    expect(truth).toEqual([Date.parse(at('2026-01-05', '11:00')), ['cs-a', 'cs-b', 'cs-c']]);
    expect(of(readIndexedLedger(ledger, mkdtempSync(join(tmpdir(), 'index-')), 'UTC').view.sessions)).toEqual(truth);
  });
});
