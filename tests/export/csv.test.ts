import { describe, expect, it } from 'vitest';
import { toCsv, type CsvCell } from '../../src/export/csv.js';
import { parseCsv } from './support/parse-csv.js';

describe('toCsv (RFC 4180)', () => {
  it.each<[string, CsvCell, string]>([
    ['plain text as is', 'inv-1000', 'inv-1000'],
    ['numbers as is', 0.0119875, '0.0119875'],
    ['null as an empty cell', null, ''],
    ['a comma quoted', 'a,b', '"a,b"'],
    ['quotes doubled', 'say "hi"', '"say ""hi"""'],
    ['a line break quoted', 'two\nlines', '"two\nlines"'],
    ['a carriage return quoted', 'cr\r', '"cr\r"'],
    ['an empty string stays empty', '', ''],
  ])('%s', (_name, cell, field) => {
    expect(toCsv(['h'], [[cell]])).toBe(`h\r\n${field}\r\n`);
  });

  // OWASP's CSV injection advice: a text cell a spreadsheet would run as a formula gets a leading
  // quote. Model names and ids come from transcripts, so any of them can start with '='.
  it.each<[CsvCell, string]>([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['-5', "'-5"],
    [-5, '-5'],
    [-0.25, '-0.25'],
    ['a=b', 'a=b'],
  ])('a formula-like cell %j is neutralised: %s', (cell, field) => {
    expect(toCsv(['h'], [[cell]])).toBe(`h\r\n${field}\r\n`);
  });

  it('ends every record with CRLF, the last one too', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 2],
          [3, null],
        ],
      ),
    ).toBe('a,b\r\n1,2\r\n3,\r\n');
  });

  it('reads back as it was written', () => {
    const rows: CsvCell[][] = [['inv-1000', 'a,b', 'say "hi"', 'two\r\nlines', null, 42]];
    expect(parseCsv(toCsv(['a', 'b', 'c', 'd', 'e', 'f'], rows))).toEqual([
      ['a', 'b', 'c', 'd', 'e', 'f'],
      ['inv-1000', 'a,b', 'say "hi"', 'two\r\nlines', '', '42'],
    ]);
  });
});
