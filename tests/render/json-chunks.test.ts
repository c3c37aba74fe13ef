import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LazyRows, prettyJsonChunks, TextChunks } from '../../src/render/json-chunks.js';

const whole = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('prettyJsonChunks', () => {
  it('writes the bytes JSON.stringify(value, null, 2) writes, for any object, in any piece size', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.integer({ min: 1, max: 5 }), (value, size) => {
        const pieces = [...prettyJsonChunks(value, size)];
        expect(pieces.join('')).toBe(whole(value));
      }),
      { numRuns: 400 },
    );
  });

  it('leaves out the fields JSON.stringify leaves out, and writes null for what an array cannot hold', () => {
    const value = { a: undefined, b: [undefined, () => 1, 2], c: () => 3, d: { e: undefined }, f: [] };
    expect([...prettyJsonChunks(value)].join('')).toBe(whole(value));
    expect([...prettyJsonChunks({})].join('')).toBe('{}\n');
  });

  it('makes LazyRows one at a time, as they are written, and writes them as an array', () => {
    const made: number[] = [];
    const rows = new LazyRows([1, 2, 3], (n) => {
      made.push(n);
      return { n, text: `line\n${n}` };
    });
    const pieces = prettyJsonChunks({ rows, after: true }, 1)[Symbol.iterator]();
    pieces.next(); // the first piece ends once the first row is written
    expect(made).toEqual([1]);
    const rest = [...{ [Symbol.iterator]: () => pieces }].join('');
    expect(made).toEqual([1, 2, 3]);
    expect(rest.length).toBeGreaterThan(0);
    const value = { rows: new LazyRows([1, 2, 3], (n) => ({ n, text: `line\n${n}` })), after: true };
    expect([...prettyJsonChunks(value, 2)].join('')).toBe(whole(value));
    expect(JSON.parse(whole(value)).rows).toEqual([1, 2, 3].map((n) => ({ n, text: `line\n${n}` })));
  });

  it('joins its pieces when a caller wants one string', () => {
    expect(String(new TextChunks(() => ['a', 'b', 'c']))).toBe('abc');
  });
});
