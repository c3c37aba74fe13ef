/**
 * A fresh clone's index reads every rollup file from its bytes (rollup-bytes.ts): the entries it
 * reads must be exactly decodeRollup's, and a file it does not read as the encoder writes it
 * must go to decodeRollup whole, with its entries or its error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerProject } from './support/ledger-project.js';
import { canonicalEntries, flatEntries, ROW_WIDTH, sourcesOf, type FlatEntry } from '../../src/ledger/rollup-bytes.js';
import { decodeRollup, rollupSources } from '../../src/ledger/rollup-decode.js';

/** decodeRollup's entries as the summing read takes them: rows padded to 12 cells by hand. */
function expectedEntries(text: string) {
  const decoded = decodeRollup(text, { keys: false, rows: 'packed' });
  return decoded.entries.map((e, i) => ({
    src: e.src,
    bytes: e.bytes,
    sha: e.sha,
    cs: e.cs,
    gaps: e.gaps,
    base: e.packed!.base,
    names: e.packed!.names,
    attributions: e.packed!.attributions,
    cells: e.packed!.rows.flatMap((r) => (r.length === 11 ? [...r, r[10]!] : r)),
    events: decoded.rawEvents[i],
  }));
}

const plain = (entries: FlatEntry[]) =>
  entries.map((e) => ({
    src: e.src,
    bytes: e.bytes,
    sha: e.sha,
    cs: e.cs,
    gaps: e.gaps,
    base: e.rows.base,
    names: e.rows.names,
    attributions: e.rows.attributions,
    cells: [...e.rows.cells],
    events: e.events,
  }));

/** What decodeRollup throws for `text` (undefined when it reads it). */
function errorOf(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

let texts: string[] = [];

beforeAll(() => {
  const p = ledgerProject({ devs: 2, days: 3, callsPerDay: 300 });
  expect(p.run(['compact']).code).toBe(0);
  const files = (readdirSync(p.ledger, { recursive: true }) as string[]).filter((f) => /rollup-.*\.json$/.test(f));
  texts = files.sort().map((f) => readFileSync(join(p.ledger, f), 'utf8'));
  expect(texts.length).toBeGreaterThan(2);
}, 60_000);

describe('rollup files read from their bytes', () => {
  it('reads every entry of compacted files as decodeRollup does, without falling back', () => {
    let rows = 0;
    let events = 0;
    for (const text of texts) {
      const fast = canonicalEntries(Buffer.from(text));
      expect(fast, 'the encoder layout is read from bytes').toBeDefined();
      expect(plain(fast!)).toEqual(expectedEntries(text));
      // The sources as rollupSources reads them, each with its entry's row count.
      const rowCounts = decodeRollup(text, { keys: false, rows: 'packed' }).entries.map((e) => e.packed!.rows.length);
      expect(sourcesOf(Buffer.from(text))).toEqual(rollupSources(text).map((s, i) => ({ ...s, rows: rowCounts[i] })));
      for (const e of fast!) {
        rows += e.rows.count;
        events += e.events.length;
        expect(e.rows.cells.length).toBe(e.rows.count * ROW_WIDTH);
      }
    }
    expect(rows).toBeGreaterThan(100);
    expect(events).toBeGreaterThan(10);
    // Rows whose last call is their first are stored with 11 cells: both kinds are met.
    expect(texts.some((t) => /\[(\d+,){10}\d+\]/.test(t))).toBe(true);
    expect(texts.some((t) => /\[(\d+,){11}\d+\]/.test(t))).toBe(true);
  });

  it('reads names with escapes and other scripts', () => {
    const text = texts[0]!.replace(/"names":\["/, '"names":["caf\\u00e9 \\"q\\" 日本 \\\\ ');
    expect(text).not.toBe(texts[0]);
    const fast = canonicalEntries(Buffer.from(text));
    expect(fast).toBeDefined();
    expect(fast![0]!.rows.names[0]).toMatch(/^café "q" 日本 \\ /);
    expect(plain(fast!)).toEqual(expectedEntries(text));
  });

  it('leaves any other layout to decodeRollup, with the same entries', () => {
    const text = texts[1]!;
    const variants = {
      'pretty-printed': JSON.stringify(JSON.parse(text), null, 2),
      'CRLF line ends': text.replace(/\n/g, '\r\n'),
      'a count written 1.0': text.replace(/"rows":\[\[(\d+),/, '"rows":[[$1.0,'),
      'a count of 16 digits': text.replace(/"bytes":\d+/, '"bytes":1234567890123456'),
      'a space after a comma': text.replace(/,"base":/, ', "base":'),
      'keys before events': text.replace(/,"events":(\[.*?\]),"keys":(\{.*?\})\}/, ',"keys":$2,"events":$1}'),
    };
    for (const [what, variant] of Object.entries(variants)) {
      expect(variant, what).not.toBe(text);
      expect(canonicalEntries(Buffer.from(variant)), what).toBeUndefined();
      expect(plain(flatEntries(Buffer.from(variant))), what).toEqual(expectedEntries(variant));
    }
  });

  it('throws what decodeRollup throws for a file it refuses', () => {
    const text = texts[0]!;
    const broken = {
      'a model out of range': text.replace(/"rows":\[\[(\d+),(\d+),\d+,/, '"rows":[[$1,$2,999,'),
      'an attribution out of range': text.replace(/"rows":\[\[(\d+),\d+,/, '"rows":[[$1,999,'),
      'a negative count': text.replace(/"rows":\[\[(\d+),(\d+),(\d+),(\d+),\d+,/, '"rows":[[$1,$2,$3,$4,-3,'),
      'a row of 13 cells': text.replace(/"rows":\[\[/, '"rows":[[0,'),
      'a control character in a name': text.replace(/"names":\["/, '"names":["\t'),
      'a time past its slot': text.replace(/"rows":\[\[((?:\d+,){10})\d+/, '"rows":[[$1900000'),
      'a count with a leading zero': text.replace(/"bytes":(\d+)/, '"bytes":0$1'),
      'gaps not counts': text.replace(/"gaps":\{[^}]*\}/, '"gaps":{"m":[1,2]}'),
      'a torn line': text.slice(0, text.indexOf('"rows":') + 20),
    };
    for (const [what, variant] of Object.entries(broken)) {
      expect(variant, what).not.toBe(text);
      const expected = errorOf(() => decodeRollup(variant, { keys: false, rows: 'packed' }));
      expect(expected, what).toBeDefined();
      expect(
        errorOf(() => flatEntries(Buffer.from(variant))),
        what,
      ).toBe(expected);
    }
  });

  it('reads sources only as rollupSources does: a sha that is not hex fails the file', () => {
    const text = texts[0]!.replace(/"sha":"([0-9a-f]+)"/, '"sha":"Z$1"');
    expect(errorOf(() => rollupSources(text))).toBe('bad entry header');
    expect(errorOf(() => sourcesOf(Buffer.from(text)))).toBe('bad entry header');
  });
});
