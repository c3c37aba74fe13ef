/** A CSV cell: numbers as they are, null as an empty cell. */
export type CsvCell = string | number | null;

/**
 * RFC 4180: CRLF line ends; a field holding a comma, quote, CR or LF is quoted, its quotes doubled.
 * A text cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a
 * leading ' as OWASP advises: model names and ids come from transcripts anyone can write. Numbers
 * (negative ones too) are numbers, never text, so they are left alone.
 */
export function toCsv(header: string[], rows: Iterable<CsvCell[]>): string {
  return [...csvPieces(header, rows)].join('');
}

/** The same text in pieces of `batch` records (a header's among the first): written as the rows are made. */
export function* csvPieces(header: string[], rows: Iterable<CsvCell[]>, batch = 256): Generator<string> {
  let piece = csvRecord(header);
  let records = 0;
  for (const row of rows) {
    piece += csvRecord(row);
    if (++records % batch === 0) {
      yield piece;
      piece = '';
    }
  }
  yield piece;
}

/** One record, with its line end. */
function csvRecord(row: CsvCell[]): string {
  return `${row.map(csvField).join(',')}\r\n`;
}

function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  const text = typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
