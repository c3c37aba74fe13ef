/**
 * When rollups are only added after those the index's base was built from (a start's or /eod's
 * rollup of the last closed day, a teammate's pulled), the base is extended: what the earlier
 * rollups summed to, kept beside the base, with the added ones summed on top. It must be the base
 * a build from every rollup makes, file for file, byte for byte; where it cannot be, it is built
 * from every rollup.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIndexedLedger } from '../../src/ledger/ledger-index.js';
import { rollUpLedger } from '../../src/ledger/rollup.js';
import { ledgerProject } from './support/ledger-project.js';

const newIndex = () => mkdtempSync(join(tmpdir(), 'extend-index-'));
const rollups = (ledger: string) =>
  (readdirSync(ledger, { recursive: true }) as string[]).filter((f) => /rollup-[0-9a-f]{12}\.json$/.test(f)).sort();

/** Every file of two index folders, by name and bytes (the listing memo aside: it names the time of its read). */
function expectSameIndex(a: string, b: string): void {
  const files = (dir: string) => readdirSync(dir).filter((f) => f !== 'ledger-listing.json' && !f.endsWith('.lock'));
  expect(files(a).sort()).toEqual(files(b).sort());
  for (const f of files(a)) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
}

/** `index` against an index built afresh from the same ledger, in `tz`. */
function expectSameAsFresh(ledger: string, index: string, tz = 'UTC'): void {
  const fresh = newIndex();
  expect(readIndexedLedger(ledger, fresh, tz).how).toBe('rebuilt');
  expectSameIndex(index, fresh);
}

/** A generated ledger of `days` days, its first two rolled up. */
function withTwoDaysRolledUp(days: number) {
  const p = ledgerProject({ days });
  const folders = readdirSync(p.ledger).sort();
  rollUpLedger(p.ledger, { now: Date.now(), before: folders[2]! });
  return { p, days: folders };
}

describe('the index base, when rollups are only added', () => {
  for (const tz of ['UTC', 'America/Los_Angeles']) {
    it(`is extended, and is the base built from every rollup, byte for byte (${tz})`, () => {
      const p = ledgerProject({ days: 5 });
      const days = readdirSync(p.ledger).sort();
      // A Claude session of the third day took up again: calls early in the fourth UTC day (the
      // third in Los Angeles) in the fourth day's folder, on a task of their own; then more of them,
      // captured late, in the fifth day's folder. Rolled up a day apart, the second file's calls
      // add into the item the first one's made.
      const ofDay = (day: string) =>
        p.truth.calls.filter((c) => !c.gap && new Date(c.time).toISOString().startsWith(day));
      const earlier = ofDay(days[2]!).at(-1)!;
      const early = Date.parse(`${days[3]}T01:00:00.000Z`);
      const line = (n: number) =>
        JSON.stringify({
          k: 'call',
          msg: `msg_01LATER${n}`,
          req: `req_later${n}`,
          t: new Date(early + n * 60_000).toISOString(),
          cs: earlier.cs,
          model: earlier.model,
          in: 3,
          out: 5 + n,
          cw5: 7,
          cw1h: 0,
          cr: 11,
          ws: earlier.ws,
          spec: earlier.spec,
          task: '99.1',
        });
      writeFileSync(join(p.ledger, days[3]!, `${earlier.cs}.jsonl`), `${[1, 2, 3].map(line).join('\n')}\n`);
      rollUpLedger(p.ledger, { now: Date.now(), before: days[4]! });
      const index = newIndex();
      expect(readIndexedLedger(p.ledger, index, tz).how).toBe('rebuilt');

      writeFileSync(join(p.ledger, days[4]!, `${earlier.cs}.jsonl`), `${[4, 5, 6].map(line).join('\n')}\n`);
      const before = rollups(p.ledger);
      rollUpLedger(p.ledger, { now: Date.now() });
      const added = rollups(p.ledger).filter((f) => !before.includes(f));
      expect(added.map((f) => f.slice(0, 10))).toEqual([days[4]]);

      expect(readIndexedLedger(p.ledger, index, tz).how).toBe('extended');
      expectSameAsFresh(p.ledger, index, tz);
      // The six later calls count once.
      const all = (dir: string) => readIndexedLedger(p.ledger, dir, tz).view.allTimeSums('all');
      const out = (items: Array<{ tokens: { output: number } }>) => items.reduce((s, i) => s + i.tokens.output, 0);
      const truthOut = p.truth.calls.reduce((s, c) => s + c.tokens.out, 0);
      expect(out(all(index))).toBe(truthOut + 6 + 7 + 8 + 9 + 10 + 11);
    });
  }

  it('an added entry of a source counted before, and larger: built from every rollup, the same as a fresh index', () => {
    const { p, days } = withTwoDaysRolledUp(3);
    const index = newIndex();
    readIndexedLedger(p.ledger, index, 'UTC');
    // A teammate's rollup of the same day, holding the same first entry at a larger size: it sorts
    // after every other, so only that entry tells it from an added day.
    const [last] = rollups(p.ledger).slice(-1);
    const text = readFileSync(join(p.ledger, last!), 'utf8').replace(
      /"bytes":(\d+)/,
      (_, n) => `"bytes":${Number(n) + 1}`,
    );
    writeFileSync(join(p.ledger, days[1]!, 'rollup-ffffffffffff.json'), text);
    expect(readIndexedLedger(p.ledger, index, 'UTC').how).toBe('rebuilt');
    expectSameAsFresh(p.ledger, index);
  });

  it('a rollup replaced while another is added: built from every rollup, the same as a fresh index', () => {
    const { p, days } = withTwoDaysRolledUp(3);
    const index = newIndex();
    readIndexedLedger(p.ledger, index, 'UTC');
    // A teammate's late file in the first folder: its rollup is written again (another name), and
    // the third day's is added. One more rollup than the base's, but not the base's and one more.
    const call = p.truth.calls.find((c) => !c.gap && new Date(c.time).toISOString().startsWith(days[0]!))!;
    const late = { k: 'call', msg: 'msg_01LATE', req: 'req_late', t: new Date(call.time + 1).toISOString() };
    const teammate = '99999999-0000-4000-8000-000000000002';
    writeFileSync(
      join(p.ledger, days[0]!, `${teammate}.jsonl`),
      `${JSON.stringify({ ...late, cs: teammate, model: call.model, in: 1, out: 2, cw5: 3, cw1h: 0, cr: 4, ws: null, spec: null, task: null })}\n`,
    );
    const before = rollups(p.ledger);
    rollUpLedger(p.ledger, { now: Date.now() });
    const after = rollups(p.ledger);
    expect(after.length).toBe(before.length + 1);
    expect(after.slice(0, before.length)).not.toEqual(before);
    expect(readIndexedLedger(p.ledger, index, 'UTC').how).toBe('rebuilt');
    expectSameAsFresh(p.ledger, index);
  });

  it('the same entries again under another name: extended, each counted once', () => {
    const { p, days } = withTwoDaysRolledUp(3);
    const index = newIndex();
    const output = (dir: string) =>
      readIndexedLedger(p.ledger, dir, 'UTC')
        .view.allTimeSums('all')
        .reduce((s, i) => s + i.tokens.output, 0);
    const before = output(index);
    const [last] = rollups(p.ledger).slice(-1);
    cpSync(join(p.ledger, last!), join(p.ledger, days[1]!, 'rollup-ffffffffffff.json'));
    expect(readIndexedLedger(p.ledger, index, 'UTC').how).toBe('extended');
    expect(output(index)).toBe(before);
    expectSameAsFresh(p.ledger, index);
  });

  it('its kept sums torn, damaged or of another base, or a month gone: built from every rollup, the same', () => {
    const { p, days } = withTwoDaysRolledUp(4);
    const state = (dir: string) => join(dir, 'ledger-UTC.state.json');
    const other = newIndex();
    readIndexedLedger(p.ledger, other, 'UTC'); // a base of the same rollups: its state is of the same id
    const older = readFileSync(state(other));
    const damages: Array<[string, (dir: string) => void]> = [
      ['torn', (dir) => writeFileSync(state(dir), readFileSync(state(dir)).subarray(0, 100))],
      ['garbage', (dir) => writeFileSync(state(dir), 'garbage')],
      ['gone', (dir) => rmSync(state(dir))],
      ['a month gone', (dir) => rmSync(join(dir, readdirSync(dir).find((f) => /\.m-\d{4}-\d{2}\.bin$/.test(f))!))],
      [
        'of another base',
        (dir) => writeFileSync(state(dir), older.toString().replace(/"id":"[0-9a-f]+"/, '"id":"0000"')),
      ],
      [
        'of another shape',
        (dir) =>
          writeFileSync(state(dir), readFileSync(state(dir), 'utf8').replace('"sessions":[', '"sessions":7,"s":[')),
      ],
    ];
    const copy = `${p.dir}-ledger`;
    cpSync(p.ledger, copy, { recursive: true });
    for (const [what, damage] of damages) {
      rmSync(p.ledger, { recursive: true });
      cpSync(copy, p.ledger, { recursive: true });
      const index = newIndex();
      expect(readIndexedLedger(p.ledger, index, 'UTC').how, what).toBe('rebuilt');
      damage(index);
      rollUpLedger(p.ledger, { now: Date.now(), before: days[3]! });
      expect(readIndexedLedger(p.ledger, index, 'UTC').how, what).toBe('rebuilt');
      expectSameAsFresh(p.ledger, index);
    }
  });
});
