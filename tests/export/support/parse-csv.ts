/** RFC 4180, enough to read back what export writes. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      for (i++; !(text[i] === '"' && text[i + 1] !== '"'); i += text[i] === '"' ? 2 : 1) field += text[i];
      i++;
    } else while (i < text.length && text[i] !== ',' && text[i] !== '\r') field += text[i++];
    record.push(field);
    if (text[i] === ',') i++;
    else {
      records.push(record);
      record = [];
      i += 2; // CRLF
    }
  }
  return records;
}
