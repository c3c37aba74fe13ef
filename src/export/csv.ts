/** A CSV cell: numbers as they are, null as an empty cell. */
export type CsvCell = string | number | null;

/**
 * RFC 4180: CRLF line ends; a field holding a comma, quote, CR or LF is quoted, its quotes doubled.
 * A text cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a
 * leading ' as OWASP advises: model names and ids come from transcripts anyone can write. Numbers
 * (negative ones too) are numbers, never text, so they are left alone.
 */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return `${[header, ...rows].map(csvRecord).join('\r\n')}\r\n`;
}

/** One record, without its line end. */
export function csvRecord(row: CsvCell[]): string {
  return row.map(csvField).join(',');
}

function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  const text = typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
