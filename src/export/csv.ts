/** A CSV cell: numbers as they are, null as an empty cell. */
export type CsvCell = string | number | null;

/** RFC 4180: CRLF line ends; a field holding a comma, quote, CR or LF is quoted, its quotes doubled. */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
