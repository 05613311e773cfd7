/**
 * CSV read back (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a leading BOM): what
 * csvWriter writes, and what imports read. `CsvReader` takes the text in pieces and hands out the
 * rows completed so far, so a large file never becomes one array of rows; `parseCsv` reads a
 * whole text at once (tests, the benchmark's check).
 */

/** Incremental CSV: `push` pieces of text, take the rows they complete; `end` takes the last one. */
export class CsvReader {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  /** The previous piece ended inside a quoted field on a quote: it closes it or doubles it. */
  private quoteAtEnd = false;
  private carriageReturn = false;
  private started = false;
  private any = false;

  constructor(private readonly delimiter = ',') {}

  push(piece: string): string[][] {
    const rows: string[][] = [];
    let text = piece;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.quoteAtEnd) {
        this.quoteAtEnd = false;
        if (ch === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
      }
      if (this.carriageReturn) {
        this.carriageReturn = false;
        if (ch === '\n') continue;
      }
      if (this.quoted) {
        if (ch !== '"') this.field += ch;
        else if (i + 1 === text.length) this.quoteAtEnd = true;
        else if (text[i + 1] === '"') {
          this.field += '"';
          i++;
        } else this.quoted = false;
        continue;
      }
      this.any = true;
      if (ch === '"') this.quoted = true;
      else if (ch === this.delimiter) {
        this.row.push(this.field);
        this.field = '';
      } else if (ch === '\n' || ch === '\r') {
        this.carriageReturn = ch === '\r';
        this.row.push(this.field);
        rows.push(this.row);
        this.row = [];
        this.field = '';
        this.any = false;
      } else this.field += ch;
    }
    return rows;
  }

  /** The last row when the text did not end with a line break. */
  end(): string[][] {
    this.quoteAtEnd = false;
    if (!this.any && this.field === '' && this.row.length === 0) return [];
    this.row.push(this.field);
    const last = this.row;
    this.row = [];
    this.field = '';
    this.any = false;
    return [last];
  }
}

/** The delimiter of a CSV by its first line: comma, tab or semicolon, whichever appears most outside quotes. */
export function sniffDelimiter(firstLine: string): ',' | '\t' | ';' {
  const counts = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts] += 1;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

export function parseCsv(text: string): string[][] {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()];
}
