/**
 * The machine-local index is a cache, never the truth: deleted, truncated, corrupted, left from an
 * earlier base or holding another piece's bytes, it changes no figure; a rebuilt index removes only
 * the pieces it no longer writes; and a read folds only what is new.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldsOf, ledgerProject } from './support/ledger-project.js';

describe('the machine-local index', () => {
  it('deleted, truncated or corrupted: the same figures, rebuilt from the ledger', () => {
    const p = ledgerProject({ days: 3 });
    p.run(['compact']);
    // Some raw records after the rollups, as a live day has.
    const today = new Date().toISOString().slice(0, 10);
    mkdirSync(join(p.ledger, today), { recursive: true });
    writeFileSync(
      join(p.ledger, today, 'live-session.jsonl'),
      `${JSON.stringify({ k: 'call', msg: 'msg_live', req: 'r', t: new Date().toISOString(), cs: 'live-session', model: 'claude-sonnet-4-6', in: 1, out: 2, cw5: 3, cw1h: 4, cr: 5, ws: null, spec: null, task: null })}\n`,
    );
    const reference = JSON.stringify(p.costJson());
    const index = join(p.dir, '.claude', 'spec-session', 'state', 'index');
    const files = readdirSync(index).filter((f) => f.endsWith('.json') || f.endsWith('.bin'));
    expect(files.filter((f) => f.endsWith('.bin')).length).toBeGreaterThanOrEqual(1); // a month's items
    expect(files.length).toBeGreaterThanOrEqual(5); // base, a month, events, sessions, live
    for (const damage of [
      (f: string) => truncateSync(f, 100),
      (f: string) => writeFileSync(f, readFileSync(f).subarray(0, -8)), // a torn tail
      (f: string) => writeFileSync(f, 'garbage'),
      (f: string) => writeFileSync(f, '{"v":4,"tz":"UTC","rollups":[],"events":[]}'),
      (f: string) => rmSync(f),
    ]) {
      for (const f of files) {
        damage(join(index, f));
        expect(JSON.stringify(p.costJson())).toBe(reference);
      }
    }
    rmSync(index, { recursive: true });
    expect(JSON.stringify(p.costJson())).toBe(reference);
    expect(existsSync(index)).toBe(true);
  });

  it("a spec's task events piece torn, damaged, another spec's or gone: the day's summary is the same", () => {
    const p = ledgerProject({ days: 3 });
    p.run(['compact']);
    const day = readdirSync(p.ledger).sort()[1]!;
    const summaryFile = join(p.dir, 'docs', 'sessions', 'daily', `${day}.md`);
    const summary = () => {
      expect(p.run(['eod', '--date', day]).code).toBe(0);
      return readFileSync(summaryFile, 'utf8');
    };
    const reference = summary();
    // The generator's tasks, done that day in its sessions: the summary counts them.
    expect(reference).toMatch(/^\| d0-\S+ \| [a-z-]+ \| [^|]+ \| [1-9]\d* \| /m);
    const index = join(p.dir, '.claude', 'spec-session', 'state', 'index');
    const pieces = readdirSync(index).filter((f) => /\.t-[0-9a-f]+\.bin$/.test(f));
    expect(pieces.length).toBeGreaterThan(1);
    const other = readFileSync(join(index, pieces[0]!));
    for (const damage of [
      (f: string) => truncateSync(f, 100),
      (f: string) => writeFileSync(f, readFileSync(f).subarray(0, -8)), // a torn tail
      (f: string) => writeFileSync(f, 'garbage'),
      (f: string) => writeFileSync(f, other), // another spec's events, of the same base
      (f: string) => rmSync(f),
    ]) {
      for (const f of pieces) {
        damage(join(index, f));
        expect(summary()).toBe(reference);
      }
    }
  });

  it("a month's file left from an earlier base is not used: the month is read from the ledger again", () => {
    const p = ledgerProject({ days: 3 });
    p.run(['compact']);
    p.costJson();
    const index = join(p.dir, '.claude', 'spec-session', 'state', 'index');
    const months = readdirSync(index).filter((f) => f.endsWith('.bin'));
    const earlier = new Map(months.map((f) => [f, readFileSync(join(index, f))]));
    // A call captured later on a closed day, rolled up: the rollups change, so the base is built again.
    const day = readdirSync(p.ledger).sort()[0]!;
    writeFileSync(
      join(p.ledger, day, 'late-session.jsonl'),
      `${JSON.stringify({ k: 'call', msg: 'msg_late', req: 'r', t: `${day}T12:00:00.000Z`, cs: 'late-session', model: 'claude-sonnet-4-6', in: 1000, out: 0, cw5: 0, cw1h: 0, cr: 0, ws: null, spec: null, task: null })}\n`,
    );
    p.run(['compact']);
    const reference = p.costJson();
    expect(reference.totals.inputTokens).toBe(fieldsOf(p.expected.total.get('all')!).inputTokens + 1000);
    for (const [f, bytes] of earlier) writeFileSync(join(index, f), bytes); // as if the rebuild had stopped before them
    expect(p.costJson()).toEqual(reference);
  });

  it("a rebuilt index removes pieces it no longer writes (an older version's), and only those", () => {
    const p = ledgerProject({ days: 2 });
    p.run(['compact']);
    const reference = JSON.stringify(p.costJson());
    const index = join(p.dir, '.claude', 'spec-session', 'state', 'index');
    const stale = [
      'ledger-UTC.events.json',
      'ledger-UTC.m-2020-01.json',
      'ledger-UTC.m-2020-01.bin',
      'ledger-UTC.t-0123456789ab.json',
      'ledger-UTC.t-0123456789ab.bin',
      'ledger-UTC.done.json',
    ];
    const kept = ['ledger-Europe_Berlin.m-2020-01.bin', 'ledger-UTC.notes.txt'];
    for (const f of [...stale, ...kept]) writeFileSync(join(index, f), 'left from before');
    rmSync(join(index, 'ledger-UTC.base.json')); // the next read builds the base again
    expect(JSON.stringify(p.costJson())).toBe(reference);
    const now = readdirSync(index);
    for (const f of stale) expect(now).not.toContain(f);
    for (const f of kept) expect(now).toContain(f);
    expect(now.filter((f) => f.startsWith('ledger-UTC.m-') && f.endsWith('.bin')).length).toBeGreaterThan(0);
  });

  it('rows of the same first time come in order of their names, however the items came', () => {
    const p = ledgerProject({ days: 2 });
    p.run(['compact']);
    const day = readdirSync(p.ledger).sort()[0]!;
    const call = (msg: string, spec: string, task: string) =>
      JSON.stringify({
        k: 'call',
        msg,
        req: 'r',
        t: `${day}T23:59:59.000Z`,
        cs: 'tie-session',
        model: 'claude-sonnet-4-6',
        in: 1,
        out: 1,
        cw5: 0,
        cw1h: 0,
        cr: 0,
        ws: null,
        spec,
        task,
      });
    writeFileSync(
      join(p.ledger, day, 'tie-session.jsonl'),
      `${call('msg_tie_z', 'zz-spec', '1.1')}\n${call('msg_tie_a', 'aa-spec', '9.9')}\n`,
    );
    const ties = p.costJson().tasks.filter((t) => t.spec === 'aa-spec' || t.spec === 'zz-spec');
    expect(ties.map((t) => `${t.spec}/${t.taskId}`)).toEqual(['aa-spec/9.9', 'zz-spec/1.1']);
  });

  it('reads only what is new: a record appended to a raw file is folded in', () => {
    const p = ledgerProject({ days: 2 });
    const before = p.costJson().totals;
    const day = readdirSync(p.ledger).sort()[0]!;
    const file = join(p.ledger, day, readdirSync(join(p.ledger, day)).find((f) => !f.startsWith('cli-'))!);
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}${JSON.stringify({ k: 'call', msg: 'msg_appended', req: 'r', t: `${day}T23:00:00.000Z`, cs: 'x', model: 'claude-sonnet-4-6', in: 100, out: 0, cw5: 0, cw1h: 0, cr: 0, ws: null, spec: null, task: null })}\n`,
    );
    expect(p.costJson().totals.inputTokens).toBe(before.inputTokens + 100);
  });
});
