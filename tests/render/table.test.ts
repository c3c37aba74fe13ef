import CliTable from 'cli-table3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Align, type Cell, displayWidth, fitLabels, makeTable, shortenMiddle } from '../../src/render/table.js';

/** cli-table3 with the options spec-session's tables used to be drawn with: the oracle. */
function cliTable3(head: string[], align: Align[], rows: Cell[][]): string {
  const table = new CliTable({
    head,
    colAligns: align,
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true },
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '─',
      'mid-mid': '┼',
      right: '',
      'right-mid': '',
      middle: '│',
    },
  });
  table.push(...(rows as CliTable.HorizontalTableRow[]));
  return table.toString();
}

function ours(head: string[], align: Align[], rows: Cell[][]): string {
  const table = makeTable(head, align);
  table.push(...rows);
  return table.toString();
}

/** Text as names and figures come: ASCII, the tables' own symbols, accents, CJK, emoji, a combining mark. */
const text = fc
  .array(
    fc.constantFrom('a', 'Z', '7', ' ', '$', ',', '.', '-', '└', '…', '·', 'é', '日', '本', '🚀', 'e\u0301', 'ß'),
    {
      maxLength: 24,
    },
  )
  .map((parts) => parts.join(''));

const table = fc.integer({ min: 1, max: 7 }).chain((columns) =>
  fc.record({
    head: fc.array(text, { minLength: columns, maxLength: columns }),
    align: fc.array(fc.constantFrom<Align>('left', 'right'), { minLength: columns, maxLength: columns }),
    rows: fc.array(
      fc.oneof(
        fc.array(text, { minLength: columns, maxLength: columns }),
        text.map((content) => [{ colSpan: columns, content }]),
      ),
      { maxLength: 8 },
    ),
  }),
);

describe('tables: the text cli-table3 draws for the same options', () => {
  it('property: any head, alignment and rows (sections across every column included)', () => {
    fc.assert(
      fc.property(table, ({ head, align, rows }) => {
        expect(ours(head, align, rows)).toBe(cliTable3(head, align, rows));
      }),
      { seed: 20261207, numRuns: 400 },
    );
  });

  it("the cost table's shape: sections, tree rows, money", () => {
    const head = ['', 'Tokens', 'Input', 'Output', 'Cache W', 'Cache R', 'Cost'];
    const align: Align[] = ['left', 'right', 'right', 'right', 'right', 'right', 'right'];
    const rows: Cell[][] = [
      [{ colSpan: 7, content: 'By spec' }],
      ['  invoice-management', '168,836', '12', '656', '3,248', '164,920', '$0.06'],
      ['    └ planning design', '2.53M', '180', '9,840', '48,720', '2.47M', '$0.94*'],
      [{ colSpan: 7, content: 'By a section title far wider than all seven columns of this little table' }],
      ['Total', '3.16M', '244', '15,859', '94,367', '3.05M', '$1.36'],
    ];
    expect(ours(head, align, rows)).toBe(cliTable3(head, align, rows));
    expect(ours(head, align, [])).toBe(cliTable3(head, align, []));
  });

  it('widths: wide characters and emoji take two columns, a combining mark none', () => {
    expect(displayWidth('invoice └ …')).toBe(11);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('🚀 go')).toBe(5);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('shortenMiddle', () => {
  it('keeps text that fits, whole', () => {
    expect(shortenMiddle('billing', 14)).toBe('billing');
    expect(shortenMiddle('exactly-14-col', 14)).toBe('exactly-14-col');
  });

  it('keeps two thirds of the width for the start and a third for the end, around …', () => {
    expect(shortenMiddle('notifications-backend-api', 14)).toBe('notificat…-api');
    expect(shortenMiddle('notifications-backend-ui', 14)).toBe('notificat…d-ui');
  });

  it('counts wide characters as two columns and never splits one', () => {
    const cut = shortenMiddle('ユーザー登録とログインの画面', 9);
    expect(cut).toBe('ユーザ…面');
    expect(displayWidth(cut)).toBe(9);
    const emoji = shortenMiddle('🚀🚀🚀🚀🚀🚀', 6);
    expect(emoji).toBe('🚀🚀…'); // no room left for a two-column end
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('never exceeds the width, for any text and width', () => {
    const text = fc
      .array(fc.constantFrom('a', 'Z', '-', '界', '🚀', 'é', '…'), { maxLength: 30 })
      .map((c) => c.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 3, max: 24 }), (t, width) => {
        const out = shortenMiddle(t, width);
        if (displayWidth(t) <= width) return out === t;
        // a wide character may leave one column unused
        return displayWidth(out) <= width && displayWidth(out) >= width - 1 && out.includes('…');
      }),
      { numRuns: 400 },
    );
  });
});

describe('fitLabels', () => {
  const branch = (name: string) => (column: number) => `  ${shortenMiddle(name, Math.max(20, column - 2))}`;

  it('shortens a long name to its floor when nothing else makes room', () => {
    expect(fitLabels(['  main-spec', branch('feature/patient-search-indexing')])).toEqual([
      '  main-spec',
      '  feature/patie…dexing',
    ]);
  });

  it('keeps a name whole when another label already makes the column wide enough', () => {
    expect(fitLabels(['  patient-search-and-indexing-later', branch('feature/patient-search-indexing')])).toEqual([
      '  patient-search-and-indexing-later',
      '  feature/patient-search-indexing',
    ]);
  });

  it('never makes the column wider than its widest label', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 })), fc.array(fc.string({ maxLength: 60 })), (plain, long) => {
        const labels = [...plain.map((p) => `  ${p.replace(/\n/g, ' ')}`), ...long.map(branch)];
        const fitted = fitLabels(labels);
        const column = Math.max(0, ...labels.map((l) => displayWidth(typeof l === 'string' ? l : l(0))));
        for (const f of fitted) expect(displayWidth(f)).toBeLessThanOrEqual(column);
      }),
    );
  });
});
