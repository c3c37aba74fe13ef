import Table from 'cli-table3';

/** A plain table that fits 80 columns: no side borders, one space of padding, numbers right-aligned. */
export function makeTable(head: string[], align: Array<'left' | 'right'>): Table.Table {
  return new Table({
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
}

export function separatorRow(width: number): string[] {
  return new Array<string>(width).fill('');
}
