/**
 * An uploaded file → rows of cells under their column names, read as a stream: XLSX through
 * exceljs's streaming reader (first sheet), CSV through the incremental reader (UTF-8 with or
 * without a BOM, or GB18030/GBK as Excel saves CSV on Chinese Windows; comma, tab or semicolon),
 * JSON an array of objects (nested objects become `a.b` columns). Only the rows in hand are held,
 * never all of them; JSON is the exception, being parsed whole (a JSON array has no row ends).
 *
 * The first non-empty row of a sheet names the columns; empty rows are skipped; row numbers are
 * the sheet's own (the header is row 1), or an object's place in a JSON array (from 1).
 */
import { Readable } from 'node:stream';
import type * as ExcelJS from 'exceljs';
import type { ImportFormat } from '../../common/imports.js';
import { CsvReader, sniffDelimiter } from '../exports/csv-parse.js';
import { AppError } from '../http/app-error.js';
import { loadExcelJS } from '../lazy-modules.js';

export type Cell = string | number | boolean | Date | null;

export interface SourceRow {
  /** The row's number in the file (spreadsheet row, or place in a JSON array). */
  number: number;
  /** Its cells under their column names, in the file's order; empty cells are left out. */
  cells: [string, Cell][];
}

export type TextEncodingName = 'utf-8' | 'gb18030';

const CHUNK = 64 * 1024;
const JSON_HEADER_SAMPLE = 100;

const unreadable = (reason: string) =>
  new AppError('IMPORT_FILE_UNREADABLE', { fields: [{ path: 'body.file', reason }] });

/** The file's format by its content (never its name); a coded error when it is empty or none of ours. */
export function detectFormat(bytes: Buffer): ImportFormat {
  const start = bytes.subarray(0, 4096);
  const text = start.toString('latin1').replace(/^\xEF\xBB\xBF/, '');
  if (text.trim() === '') throw new AppError('IMPORT_FILE_EMPTY', { fields: [{ path: 'body.file', reason: 'empty' }] });
  if (start.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'xlsx';
  if (start.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new AppError('IMPORT_FILE_FORMAT', {
      fields: [{ path: 'body.file', reason: 'an old .xls workbook: save it as .xlsx' }],
    });
  }
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) {
    throw new AppError('IMPORT_FILE_ENCODING', { fields: [{ path: 'body.file', reason: 'UTF-16' }] });
  }
  if (start.includes(0))
    throw new AppError('IMPORT_FILE_FORMAT', { fields: [{ path: 'body.file', reason: 'binary' }] });
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

/** Decodes a buffer piece by piece (constant memory); throws on the first byte sequence the encoding lacks. */
function* decoded(bytes: Buffer, encoding: TextEncodingName): Generator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  for (let at = 0; at < bytes.length; at += CHUNK) {
    yield decoder.decode(bytes.subarray(at, at + CHUNK), { stream: at + CHUNK < bytes.length });
  }
}

/** UTF-8 when the whole text is valid UTF-8, else GB18030 (GBK's superset) when it is that, else a coded 422. */
export function detectEncoding(bytes: Buffer): TextEncodingName {
  for (const encoding of ['utf-8', 'gb18030'] as const) {
    try {
      for (const _piece of decoded(bytes, encoding));
      return encoding;
    } catch {
      // Not this one; try the next.
    }
  }
  throw new AppError('IMPORT_FILE_ENCODING', { fields: [{ path: 'body.file', reason: 'neither UTF-8 nor GBK' }] });
}

const isEmpty = (cell: Cell) => cell === null || (typeof cell === 'string' && cell.trim() === '');

/** An exceljs cell value as a plain cell: rich text joined, a formula's result, a link's text. */
function xlsxCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return xlsxCell((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value) return typeof value.text === 'string' ? value.text : xlsxCell(value.text as ExcelJS.CellValue);
    if ('error' in value) return null;
  }
  return String(value);
}

/** The sheet's lines (cells by position) with their row numbers: the first worksheet of a workbook. */
async function* xlsxLines(bytes: Buffer): AsyncGenerator<{ number: number; cells: Cell[] }> {
  const { stream } = await loadExcelJS();
  const reader = new stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        yield { number: row.number, cells: values.map((v) => xlsxCell(v as ExcelJS.CellValue)) };
      }
      return;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadable('not a readable XLSX workbook');
  }
}

/** A CSV's lines with their numbers (a quoted line break keeps a record on one number: its first line). */
function* csvLines(bytes: Buffer): Generator<{ number: number; cells: Cell[] }> {
  const encoding = detectEncoding(bytes);
  let reader: CsvReader | undefined;
  let number = 0;
  for (const piece of decoded(bytes, encoding)) {
    reader ??= new CsvReader(sniffDelimiter(piece.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''));
    for (const cells of reader.push(piece)) {
      number += 1;
      yield { number, cells };
    }
  }
  for (const cells of reader?.end() ?? []) {
    number += 1;
    yield { number, cells };
  }
}

/** A JSON object's values under dotted names (`caller.phone`); arrays kept as JSON text. */
function flatten(value: unknown, prefix: string, into: [string, Cell][]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
    return;
  }
  if (value === null || value === undefined) into.push([prefix, null]);
  else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    into.push([prefix, value]);
  else into.push([prefix, JSON.stringify(value)]);
}

function jsonArray(bytes: Buffer): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse([...decoded(bytes, 'utf-8')].join('').replace(/^\uFEFF/, ''));
  } catch (error) {
    if (error instanceof TypeError) {
      throw new AppError('IMPORT_FILE_ENCODING', { fields: [{ path: 'body.file', reason: 'JSON is UTF-8' }] });
    }
    throw unreadable('not valid JSON');
  }
  if (!Array.isArray(parsed)) throw unreadable('a JSON array of objects is expected');
  return parsed;
}

/** One item of the array; an item that is no object is a row of one cell named `(item)`, which maps to nothing. */
function jsonRow(item: unknown, index: number): SourceRow {
  const cells: [string, Cell][] = [];
  flatten(item, '', cells);
  if (cells[0]?.[0] === '') cells[0][0] = '(item)';
  return { number: index + 1, cells: cells.filter(([, cell]) => !isEmpty(cell)) };
}

/** The header and the lines after it of a sheet (CSV or XLSX); empty lines skipped. */
async function* sheetRows(
  lines: AsyncIterable<{ number: number; cells: Cell[] }> | Iterable<{ number: number; cells: Cell[] }>,
) {
  let header: string[] | undefined;
  for await (const line of lines) {
    if (line.cells.every(isEmpty)) continue;
    if (!header) {
      header = line.cells.map((c) => (c === null ? '' : c instanceof Date ? c.toISOString() : String(c).trim()));
      yield { header };
      continue;
    }
    const cells: [string, Cell][] = [];
    const seen = new Set<string>();
    line.cells.forEach((cell, i) => {
      const name = header?.[i];
      // A column without a name, or named twice (the first one counts), is not read.
      if (!name || seen.has(name)) return;
      seen.add(name);
      if (!isEmpty(cell)) cells.push([name, typeof cell === 'string' ? cell.trim() : cell]);
    });
    yield { row: { number: line.number, cells } satisfies SourceRow };
  }
  if (!header) throw new AppError('IMPORT_FILE_EMPTY', { fields: [{ path: 'body.file', reason: 'no rows' }] });
}

/**
 * Reads a file: the column names first (`{ header }`), then each data row (`{ row }`). Coded
 * errors: IMPORT_FILE_EMPTY, IMPORT_FILE_ENCODING, IMPORT_FILE_UNREADABLE.
 */
export async function* readTable(
  bytes: Buffer,
  format: ImportFormat,
): AsyncGenerator<{ header: string[]; row?: never } | { row: SourceRow; header?: never }> {
  if (format === 'json') {
    const items = jsonArray(bytes);
    const names = new Set<string>();
    for (const item of items.slice(0, JSON_HEADER_SAMPLE)) for (const [name] of jsonRow(item, 0).cells) names.add(name);
    yield { header: [...names] };
    for (let i = 0; i < items.length; i++) yield { row: jsonRow(items[i], i) };
    return;
  }
  yield* sheetRows(format === 'xlsx' ? xlsxLines(bytes) : csvLines(bytes));
}

/** The column names and the first `limit` data rows (the preview; checking the columns at upload). */
export async function readHead(
  bytes: Buffer,
  format: ImportFormat,
  limit: number,
): Promise<{ header: string[]; rows: SourceRow[] }> {
  let header: string[] = [];
  const rows: SourceRow[] = [];
  for await (const item of readTable(bytes, format)) {
    if (item.header) header = item.header;
    else if (item.row) rows.push(item.row);
    if (rows.length >= limit) break;
  }
  return { header, rows };
}
