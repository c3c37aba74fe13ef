/**
 * A rollup run that knows the rollup files from this machine's cache reads a file's call keys only
 * when it asks about a call of one of its days. It must write the same bytes as a run that reads
 * every rollup: a call captured again long after its day was rolled up still counts once.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rollUpLedger } from '../../src/ledger/rollup.js';
import { RollupKeyCache } from '../../src/ledger/rollup-key-cache.js';
import { contentHash } from '../../src/ledger/rollup-format.js';
import { cliIn, fieldsOf, ledgerProject, tokenFields } from './support/ledger-project.js';

/** The rollup files a cache file knows (its second line: the summaries by name). */
const cachedNames = (file: string) => Object.keys(JSON.parse(readFileSync(file, 'utf8').split('\n')[1]!)).sort();

const rollups = (ledger: string) =>
  (readdirSync(ledger, { recursive: true }) as string[]).filter((f) => /rollup-[0-9a-f]{12}\.json$/.test(f)).sort();

describe("a rollup run with this machine's key cache", () => {
  it('writes the bytes a run reading every rollup writes, a call captured again counted once', () => {
    const p = ledgerProject({ days: 4 });
    const days = readdirSync(p.ledger).sort();
    const cache = join(p.dir, '.claude', 'spec-session', 'state', 'rollup-keys.json');
    rollUpLedger(p.ledger, { now: Date.now(), before: days[2]!, keyCache: cache });
    const first = rollups(p.ledger);
    expect(first.map((f) => f.slice(0, 10))).toEqual([days[0], days[1]]);
    expect(cachedNames(cache)).toEqual(first);

    // A file in the last folder holds copies of rolled-up calls of the first two days, and one new
    // call. A teammate's late file in the second day's folder (pulled after it was rolled up) holds
    // a call of the third day: the run replaces that folder's rollup before it asks about its keys.
    const on = (day: string) => (c: (typeof p.truth.calls)[number]) =>
      !c.gap && new Date(c.time).toISOString().startsWith(day);
    const cs = p.truth.calls.find(on(days[0]!))!.cs;
    const again = [
      ...p.truth.calls.filter(on(days[0]!)).slice(0, 15),
      ...p.truth.calls.filter(on(days[1]!)).slice(0, 15),
    ];
    const file = join(p.ledger, days[3]!, `${cs}.jsonl`);
    expect(again.length).toBe(30);
    expect(existsSync(file)).toBe(false);
    const line = (
      c: { msg?: string; time: number; model: string; tokens: object; ws: string; spec: string; task: string },
      session = cs,
    ) =>
      JSON.stringify({
        k: 'call',
        msg: c.msg,
        req: null,
        t: new Date(c.time).toISOString(),
        cs: session,
        model: c.model,
        ...c.tokens,
        ws: c.ws,
        spec: c.spec,
        task: c.task,
      });
    const fresh = (msg: string, time: number) => ({
      msg,
      time,
      model: 'claude-sonnet-4-6',
      tokens: { in: 5, out: 6, cw5: 7, cw1h: 0, cr: 8 },
      ws: 'late',
      spec: 'invoice-management',
      task: '9.1',
    });
    writeFileSync(file, `${[...again.map((c) => line(c)), line(fresh('msg_01NEW', again[0]!.time + 1))].join('\n')}\n`);
    const teammate = '99999999-0000-4000-8000-000000000001';
    const third = p.truth.calls.find(on(days[2]!))!.time;
    writeFileSync(join(p.ledger, days[1]!, `${teammate}.jsonl`), `${line(fresh('msg_01LATE', third), teammate)}\n`);

    const uncached = `${p.dir}-uncached`;
    cpSync(p.dir, uncached, { recursive: true });
    const withCache = rollUpLedger(p.ledger, { now: Date.now(), keyCache: cache });
    const without = rollUpLedger(cliIn(uncached).ledger, { now: Date.now() });
    expect(withCache.calls).toBe(without.calls);
    expect(rollups(p.ledger)).toEqual(rollups(cliIn(uncached).ledger));
    for (const f of rollups(p.ledger))
      expect(readFileSync(join(p.ledger, f), 'utf8'), f).toBe(readFileSync(join(cliIn(uncached).ledger, f), 'utf8'));
    const all = p.expected.total.get('all')!;
    const totals = p.costJson().totals;
    expect(tokenFields(totals)).toEqual(
      fieldsOf({ ...all, in: all.in + 10, out: all.out + 12, cw5: all.cw5 + 14, cr: all.cr + 16 }),
    );
    expect(totals.calls).toBe(all.calls + 2);
    // The cache now names exactly the rollups the ledger holds.
    expect(cachedNames(cache)).toEqual(rollups(p.ledger));
  });

  it('damaged, it is rebuilt and changes nothing', () => {
    const p = ledgerProject({ days: 3 });
    const days = readdirSync(p.ledger).sort();
    const cache = join(p.dir, 'rollup-keys.json');
    rollUpLedger(p.ledger, { now: Date.now(), before: days[1]!, keyCache: cache });
    writeFileSync(cache, '{"v":1,"files":{');
    const copy = `${p.dir}-copy`;
    cpSync(p.dir, copy, { recursive: true });
    rollUpLedger(p.ledger, { now: Date.now(), keyCache: cache });
    rollUpLedger(cliIn(copy).ledger, { now: Date.now() });
    expect(rollups(p.ledger)).toEqual(rollups(cliIn(copy).ledger));
    expect(cachedNames(cache)).toEqual(rollups(p.ledger));
    expect(tokenFields(p.costJson().totals)).toEqual(fieldsOf(p.expected.total.get('all')!));
  });

  it('a summary not in its shape is not used (that file is read again); any change since it was written, none', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rollup-keys-')), 'rollup-keys.json');
    const good = {
      days: ['2026-11-03'],
      entries: [['2026-11-03/a.jsonl', 'a', { 'claude-sonnet-4-6': [1, 2, 3, 0, 5] }]],
    };
    const bad = { days: ['2026-11-04'], entries: [['2026-11-04/b.jsonl', 'b', { 'claude-sonnet-4-6': 'garbage' }]] };
    const body = JSON.stringify({ '2026-11-03/rollup-a.json': good, '2026-11-04/rollup-b.json': bad });
    writeFileSync(file, `${JSON.stringify({ v: 2, sum: contentHash(body) })}\n${body}`);
    const cache = RollupKeyCache.load(file);
    expect(cache.get('2026-11-03/rollup-a.json')).toEqual(good);
    expect(cache.get('2026-11-04/rollup-b.json')).toBeUndefined();
    // A day changed on disk (a digit flipped): the cache is not used at all.
    writeFileSync(
      file,
      `${JSON.stringify({ v: 2, sum: contentHash(body) })}\n${body.replace('2026-11-03"]', '2026-11-08"]')}`,
    );
    expect(RollupKeyCache.load(file).get('2026-11-03/rollup-a.json')).toBeUndefined();
  });
});
