/**
 * A teammate's rollup of a day this machine never read, pulled: a read at every turn (the
 * statusline, the Stop hook) does not make the index's base again in the turn. Usage questions (a
 * task's total, a day's cost) are answered from the base as it is with the pulled rows added; a
 * question about workflow events or hand-logged entries by a read of every rollup. Each answer
 * must be what a full read gives.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIndexedLedger } from '../../src/ledger/ledger-index.js';
import type { LedgerView } from '../../src/ledger/ledger-view.js';
import type { UsageItem } from '../../src/ledger/usage-item.js';
import { rollUpLedger } from '../../src/ledger/rollup.js';
import { listLedger } from '../../src/ledger/ledger-files.js';
import { PENDING_MAX_BYTES, pendingRollups } from '../../src/ledger/pending-rollups.js';
import { ledgerProject } from './support/ledger-project.js';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/**
 * Items summed per model, speed and tier, with the first and last call of each: a base gives sums,
 * a live part items; the same usage either way.
 */
function sums(items: UsageItem[]) {
  const out: Record<string, number[]> = {};
  for (const i of items) {
    const t = (out[`${i.model} ${i.speed}${i.longContext ? ' long' : ''}`] ??= [0, 0, 0, 0, 0, 0, Infinity, 0]);
    const k = i.tokens;
    [i.calls, k.input, k.output, k.cacheWrite5m, k.cacheWrite1h, k.cacheRead].forEach((v, n) => {
      t[n]! += v;
    });
    t[6] = Math.min(t[6]!, i.first);
    t[7] = Math.max(t[7]!, i.last);
  }
  return out;
}

/**
 * A ledger of four days, two writers: the first two rolled up, the third never pulled here, the
 * fourth raw (the live part reads it). The teammate rolls up the third; `pull()` brings it.
 */
function beforePull(seed: number, prepare?: (mine: string, teammate: string, days: string[]) => void, zone = 'UTC') {
  const p = ledgerProject({ devs: 2, days: 4, callsPerDay: 30, seed });
  const days = readdirSync(p.ledger).sort();
  const teammate = join(temp('clone-'), 'ledger');
  cpSync(p.ledger, teammate, { recursive: true });
  prepare?.(p.ledger, teammate, days);
  rollUpLedger(p.ledger, { now: Date.now(), before: days[2]! });
  rmSync(join(p.ledger, days[2]!), { recursive: true });
  rollUpLedger(teammate, { now: Date.now(), before: days[3]! });
  const index = temp('index-');
  expect(readIndexedLedger(p.ledger, index, zone).how).toBe('rebuilt');
  const pull = () => cpSync(join(teammate, days[2]!), join(p.ledger, days[2]!), { recursive: true });
  return { p, days, index, pull };
}

/** The rollups the index's base (in `zone`) was made from. */
const baseRollups = (index: string, zone = 'UTC') =>
  (
    JSON.parse(readFileSync(join(index, `ledger-${zone.replace(/[^A-Za-z0-9_-]/g, '_')}.base.json`), 'utf8')) as {
      rollups: string[];
    }
  ).rollups.length;

/**
 * A teammate's records of the day never pulled, of every kind a question is asked about: a call of
 * a new model early in the UTC day (the day before in Los Angeles), a hand-logged entry of an earlier
 * day in a work session, a commit, a version, a task done.
 */
function teammateRecords(teammate: string, days: string[], withManual: boolean): void {
  const cs = 'aaaaaaaa-0000-4000-8000-00000000000a';
  const t = `${days[2]}T12:00:00.000Z`;
  const records: Array<Record<string, unknown>> = [
    {
      k: 'call',
      msg: 'msg_pulled',
      req: 'req_pulled',
      t: `${days[2]}T03:00:00.000Z`,
      cs,
      model: 'claude-test-9',
      in: 5,
      out: 6,
      cw5: 7,
      cw1h: 0,
      cr: 8,
      ws: null,
      spec: 'extra',
      task: '7.7',
    },
    {
      k: 'manual',
      id: 'manual:pulled',
      t: `${days[0]}T10:00:00.000Z`,
      ws: 'pulled-ws',
      spec: 'extra',
      task: '7.8',
      status: 'done',
      model: 'claude-opus-4-6',
      in: 100,
      out: 200,
      cw5: 0,
      cw1h: 0,
      cr: 0,
    },
    { k: 'git', t, cs, event: 'commit', branch: 'main', sha: 'abc1234' },
    { k: 'version', t, cs, versions: ['9.9.9'], costState: false },
    { k: 'task', t, ws: null, spec: 'extra', task: '7.7', event: 'done', cs, source: 'tasks.md' },
  ];
  // Two calls of one task and model, in one UTC day but a Los Angeles day apart: the base sums them
  // into one item of its zone's day.
  for (const hm of ['06:00', '10:00'])
    records.push({
      ...records[0]!,
      msg: `msg_split_${hm}`,
      req: `req_split_${hm}`,
      t: `${days[2]}T${hm}:00.000Z`,
      model: 'claude-opus-4-6',
      fast: true,
      task: '7.9',
    });
  const kept = withManual ? records : records.filter((r) => r.k !== 'manual');
  writeFileSync(join(teammate, days[2]!, `${cs}.jsonl`), kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

describe('a turn after a pull of a rolled-up day never read here', () => {
  for (const [zone, other] of [
    ['UTC', 'America/Los_Angeles'],
    ['America/Los_Angeles', 'UTC'],
  ] as const)
    for (const withManual of [false, true])
      it(`answers each question as a full read does, making the base again only for those the pulled day could change (${withManual ? 'with' : 'without'} a hand-logged entry; the index in ${zone})`, () => {
        const { p, days, index, pull } = beforePull(
          11,
          (_mine, teammate, days) => teammateRecords(teammate, days, withManual),
          zone,
        );
        pull();
        rmSync(join(index, 'ledger-listing.json')); // (a turn takes long-over folders from the last full listing: none, all listed)
        const full = readIndexedLedger(p.ledger, temp('index-'), zone).view;
        const pulledRows = full.usageIn({ since: days[2]!, until: days[2]! }, 'UTC');
        const pulledTasks = new Set(pulledRows.filter((i) => i.task).map((i) => `${i.spec} ${i.task}`));
        if (withManual) pulledTasks.add('extra 7.8'); // the hand-logged entry's
        const tasks = [...new Set(full.usage.filter((i) => i.spec && i.task).map((i) => `${i.spec} ${i.task}`))];
        const claudeSessions = [...new Set(full.usage.map((i) => i.cs).filter((cs) => cs !== null))];
        expect(tasks.some((t) => pulledTasks.has(t))).toBe(true);
        expect(tasks.some((t) => !pulledTasks.has(t))).toBe(true);

        /** One question, asked of a turn's read on a copy of the index as it was before the pull. */
        const ask = <T>(question: (view: LedgerView) => T): { answer: T; rebuilt: boolean } => {
          const copy = temp('index-');
          cpSync(index, copy, { recursive: true });
          const before = baseRollups(copy, zone);
          const turn = readIndexedLedger(p.ledger, copy, zone, { turn: true });
          expect(turn.how).not.toBe('rebuilt');
          const answer = question(turn.view);
          return { answer, rebuilt: baseRollups(copy, zone) !== before };
        };
        const deferred: string[] = [];
        const check = <T>(name: string, question: (view: LedgerView) => T) => {
          const { answer, rebuilt } = ask(question);
          expect(answer, name).toEqual(question(full));
          if (!rebuilt) deferred.push(name);
        };

        for (const t of tasks) {
          const [spec, task] = t.split(' ') as [string, string];
          check(`taskTotal ${t}`, (v) => sums(v.taskTotal(spec, task)));
          check(`usageOfTask ${t}`, (v) => sums(v.usageOfTask(spec, task)));
        }
        for (const day of [...days, '2099-01-01']) {
          check(`usageIn ${day}`, (v) => sums(v.usageIn({ since: day, until: day }, zone)));
          check(`usageIn ${day} in ${other}`, (v) => sums(v.usageIn({ since: day, until: day }, other)));
          const items: UsageItem[] = [];
          check(`forEachItemIn ${day}`, (v) => {
            v.forEachItemIn({ since: day, until: day }, zone, (i) => items.push({ ...i, tokens: { ...i.tokens } }));
            return sums(items.splice(0));
          });
        }
        check('usage', (v) => sums(v.usage));
        check('all-time sums', (v) => sums(v.allTimeSums('all')));
        check('all-time sums, unattributed', (v) => sums(v.allTimeSums('unattributed')));
        for (const spec of new Set(tasks.map((t) => t.split(' ')[0]!)))
          check(`all-time sums of ${spec}`, (v) => sums(v.allTimeSums({ spec })));
        for (const cs of claudeSessions) check(`lastBinding ${cs}`, (v) => v.lastBinding({ cs }) ?? null);
        for (const ws of full.sessions.keys()) {
          check(`lastBinding ${ws}`, (v) => v.lastBinding({ ws }) ?? null);
          check(`usageOfSessions ${ws}`, (v) => sums(v.usageOfSessions([ws])));
        }
        check('usageOfSessions pulled-ws', (v) => sums(v.usageOfSessions(['pulled-ws'])));
        check('sessions', (v) =>
          [...v.sessions.values()]
            .map((s) => JSON.stringify({ ...s, claudeSessions: [...s.claudeSessions].sort() }))
            .sort(),
        );
        check('task events', (v) => {
          const events: string[] = [];
          v.forEachTaskEvent((e) => events.push(JSON.stringify(e)));
          return [...new Set(events)].sort();
        });
        for (const t of [...tasks.slice(0, 3), ...[...pulledTasks].slice(0, 3)]) {
          const [spec, task] = t.split(' ') as [string, string];
          const ws = full.usageOfTask(spec, task)[0]!.ws;
          for (const w of [ws, null]) check(`taskDone ${t} ${w}`, (v) => v.taskDone(spec, task, w));
        }
        check('commits', (v) => v.commits);
        check('manual', (v) => v.manual);
        check('models', (v) => v.models);
        check('Claude Code versions', (v) => v.claudeCode);
        check('skipped lines', (v) => [v.malformed, v.problems]);

        // What a turn asks stays a turn's: usage summed, of any task and any day, the pulled day's
        // rows added; but a hand-logged entry's task and day, and workflow events, are read in full.
        const manualTask = withManual ? ['extra 7.8'] : [];
        expect(deferred.filter((q) => q.startsWith('taskTotal ')).sort()).toEqual(
          tasks
            .filter((t) => !manualTask.includes(t))
            .map((t) => `taskTotal ${t}`)
            .sort(),
        );
        expect(deferred.filter((q) => /^usageIn \S+$/.test(q)).sort()).toEqual(
          [...days.slice(withManual ? 1 : 0), '2099-01-01'].map((d) => `usageIn ${d}`),
        );
        expect(deferred).toContain(`usageOfSessions ${[...full.sessions.keys()][0]}`);
        for (const q of ['usage', 'all-time sums', 'models']) expect(deferred.includes(q), q).toBe(!withManual);
        expect(deferred).not.toContain('sessions');
        expect(deferred).not.toContain('task events');
      });

  it('leaves at most PENDING_MAX_BYTES of pulled rollups for later (weeks of a team pulled at once make the base in the turn)', () => {
    const { p, index, pull } = beforePull(14);
    pull();
    const read = (piece: string) => JSON.parse(readFileSync(join(index, `ledger-UTC.${piece}.json`), 'utf8'));
    const [base, live, listing] = [read('base'), read('live'), listLedger(p.ledger)];
    const pending = pendingRollups(p.ledger, base, live, listing);
    expect(pending?.items.length).toBeGreaterThan(0);
    const size = listing.rollups
      .filter((r) => !base.rollups.includes(r))
      .reduce((n, r) => n + readFileSync(join(p.ledger, r), 'utf8').length, 0);
    expect(size).toBeLessThan(PENDING_MAX_BYTES);
    expect(pendingRollups(p.ledger, base, live, listing, size)).toBeDefined();
    expect(pendingRollups(p.ledger, base, live, listing, size - 1)).toBeUndefined();
  });

  /** A turn's read after the pull, and a full read's, of the usage of `task` and of `day`. */
  const afterPull = (ledger: string, index: string, pull: () => void, day: string, spec: string, task: string) => {
    pull();
    rmSync(join(index, 'ledger-listing.json'));
    const turn = readIndexedLedger(ledger, index, 'UTC', { turn: true }).view;
    const full = readIndexedLedger(ledger, temp('index-'), 'UTC').view;
    const last = { since: day, until: day };
    // The day first: a question the pulled day can change makes the turn read every rollup.
    const ofDay = sums(turn.usageIn(last, 'UTC'));
    return {
      turn: { day: ofDay, task: sums(turn.taskTotal(spec, task)) },
      full: { day: sums(full.usageIn(last, 'UTC')), task: sums(full.taskTotal(spec, task)) },
    };
  };

  it('reads every rollup at once when its live part holds a call the pulled day rolled up (captured by both clones)', () => {
    let shared: { msg: string; model: string } | undefined;
    const { p, days, index, pull } = beforePull(12, (mine, _teammate, days) => {
      // A call of the day never pulled, also in a raw file of ours (a transcript both clones read,
      // captured here a day late), under another Claude session and a task of its own.
      const lines = readdirSync(join(mine, days[2]!)).flatMap((f) =>
        readFileSync(join(mine, days[2]!, f), 'utf8')
          .split('\n')
          .filter(Boolean),
      );
      const call = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.k === 'call')!;
      shared = { msg: call.msg as string, model: call.model as string };
      writeFileSync(
        join(mine, days[3]!, '99999999-0000-4000-8000-000000000001.jsonl'),
        `${JSON.stringify({ ...call, cs: '99999999-0000-4000-8000-000000000001', ws: null, spec: 'copies', task: '1.1', in: 1_000_000 })}\n`,
      );
    });
    const { turn, full } = afterPull(p.ledger, index, pull, days[3]!, 'copies', '1.1');
    expect(shared).toBeDefined();
    expect(full.task).toEqual({}); // the rolled-up copy counts, under its own task
    expect(turn).toEqual(full);
  });

  it('reads every rollup at once when its live part holds records of a Claude session the pulled day rolled up (its cost-state baseline moves)', () => {
    const cs = '99999999-0000-4000-8000-000000000002';
    const gap = (day: string, hm: string, total: number) =>
      `${JSON.stringify({ k: 'gap', id: `gap:${cs}:claude-opus-4-6:${total}`, t: `${day}T${hm}:00.000Z`, cs, model: 'claude-opus-4-6', in: total, out: 0, cw5: 0, cw1h: 0, cr: 0, ws: null, spec: 'gaps', task: '1.1' })}\n`;
    let later = '';
    const { p, index, pull } = beforePull(13, (mine, teammate, days) => {
      // Days after every other call: a question about that day is one the pulled day cannot change.
      later = new Date(Date.parse(days[3]!) + 3 * 86_400_000).toISOString().slice(0, 10);
      writeFileSync(join(teammate, days[2]!, `${cs}.jsonl`), gap(days[2]!, '10:00', 500)); // counted in the pulled rollup
      writeFileSync(join(mine, days[3]!, `${cs}.jsonl`), gap(later, '10:00', 800)); // cumulative: 300 more
    });
    const { turn, full } = afterPull(p.ledger, index, pull, later, 'gaps', '1.1');
    expect(full.task['claude-opus-4-6 standard']?.[1]).toBe(800);
    expect(full.day['claude-opus-4-6 standard']?.[1]).toBe(300);
    expect(turn).toEqual(full);
  });
});
