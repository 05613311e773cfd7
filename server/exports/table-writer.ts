/**
 * Tables written straight to a stream, a batch of rows at a time: CSV (UTF-8 with a BOM so that
 * Excel reads Chinese, RFC 4180 quoting, CRLF) or XLSX (exceljs's streaming WorkbookWriter, inline
 * strings: nothing of earlier rows stays in memory). `rows()` resolves once the output has taken
 * the batch (backpressure), so a slow client slows the reading instead of filling the heap.
 */
import type { Writable } from 'node:stream';
import type * as ExcelJS from 'exceljs';
import { OFFSET_MS, toShanghaiIso } from '../calendar/civil.js';
import { loadExcelJS } from '../lazy-modules.js';

export type Cell = string | number | Date | null;

export interface TableColumn {
  header: string;
  /** `percent`: a share 0–1, written as it is in CSV and shown as a percentage in XLSX. */
  type: 'text' | 'number' | 'percent' | 'time';
  /** XLSX width in characters. */
  width?: number;
}

export interface TableWriter {
  rows(values: readonly (readonly Cell[])[]): Promise<void>;
  /** Finishes the file; the output stream ends with it. */
  end(): Promise<void>;
}

/** Content-Disposition of a download: an ASCII name, and the same name for browsers that read filename*. */
export const attachment = (name: string) =>
  `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BOM = '\uFEFF';

/** The client went away: stop reading. */
export class OutputClosed extends Error {
  constructor() {
    super('the output closed before the export ended');
    this.name = 'OutputClosed';
  }
}

/** Resolves when the output wants more (or rejects when it closed underneath). */
export async function drained(out: Writable): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new OutputClosed();
  if (!out.writableNeedDrain) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
  if (out.destroyed) throw new OutputClosed();
}

/** Beijing wall time, `yyyy-mm-dd hh:mm:ss`. */
export const beijingTime = (at: Date): string => toShanghaiIso(at).slice(0, 19).replace('T', ' ');

/**
 * One CSV field. Text a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading
 * apostrophe (CSV injection); fields with a comma, quote or line break are quoted.
 */
export function csvField(value: Cell, type: TableColumn['type'] = 'text'): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return beijingTime(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (type === 'text' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `options.title`: lines before the header (a watermark naming the exporter), each one field. */
export function csvWriter(
  out: Writable,
  columns: readonly TableColumn[],
  options: { title?: string[] } = {},
): TableWriter {
  const line = (cells: readonly Cell[]) => `${cells.map((c, i) => csvField(c, columns[i]?.type)).join(',')}\r\n`;
  const title = (options.title ?? []).map((text) => `${csvField(text)}\r\n`).join('');
  out.write(BOM + title + line(columns.map((c) => c.header)));
  return {
    async rows(values) {
      if (out.destroyed) throw new OutputClosed();
      if (values.length === 0) return;
      out.write(values.map(line).join(''));
      await drained(out);
    },
    async end() {
      await new Promise<void>((resolve) => out.end(resolve));
    },
  };
}

/**
 * exceljs 4.4.0's sheet stream hands its XML to archiver's input (a PassThrough) without waiting
 * for it, so rows made faster than they are compressed would pile up there (the whole sheet, at
 * a million rows). Wait until archiver has taken what was written before making more.
 */
async function sheetTaken(sheet: ExcelJS.Worksheet, out: Writable): Promise<void> {
  // That input is a readable-stream (npm) PassThrough: its state, not Node's getters, says it is full.
  const sink = (
    sheet as unknown as { stream?: { pipes?: (Writable & { _writableState?: { needDrain?: boolean } })[] } }
  ).stream?.pipes?.[0];
  if (!sink?._writableState?.needDrain) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      out.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
    out.on('close', done);
  });
}

/** The streaming workbook with its one sheet, the title lines and the bold header row already written. */
async function openSheet(
  out: Writable,
  columns: readonly TableColumn[],
  options: { sheet: string; title?: string[] },
): Promise<{ workbook: ExcelJS.stream.xlsx.WorkbookWriter; sheet: ExcelJS.Worksheet }> {
  const { stream } = await loadExcelJS();
  const workbook = new stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Gridloop 网格闭环';
  const sheet = workbook.addWorksheet(options.sheet, {
    views: [{ state: 'frozen', ySplit: (options.title?.length ?? 0) + 1 }],
  });
  sheet.columns = columns.map((c) => ({
    width: c.width ?? 14,
    ...(c.type === 'time' ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } } : {}),
    ...(c.type === 'percent' ? { style: { numFmt: '0.00%' } } : {}),
  }));
  for (const text of options.title ?? []) sheet.addRow([text]).commit();
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  return { workbook, sheet };
}

/**
 * XLSX through the streaming writer. Times are written as Excel date-times showing Beijing wall
 * time (Excel has no zones: the value is the instant moved by +08:00, formatted yyyy-mm-dd hh:mm:ss).
 * exceljs loads on first use (`lazy-modules.ts`), so the sheet opens behind a promise that `rows`
 * and `end` wait for; the writer is returned at once, like the CSV one.
 */
export function xlsxWriter(
  out: Writable,
  columns: readonly TableColumn[],
  options: { sheet: string; title?: string[] },
): TableWriter {
  const opened = openSheet(out, columns, options);
  // Awaited by rows() and end(), which report a failure; until the first of them runs, a rejection
  // must not count as unhandled (that would end the process).
  opened.catch(() => {});
  const cell = (value: Cell) => (value instanceof Date ? new Date(value.getTime() + OFFSET_MS) : value);
  return {
    async rows(values) {
      const { sheet } = await opened;
      if (out.destroyed) throw new OutputClosed();
      for (const row of values) sheet.addRow(row.map(cell)).commit();
      await sheetTaken(sheet, out);
      await drained(out);
    },
    async end() {
      const { workbook, sheet } = await opened;
      sheet.commit();
      const ended = new Promise<void>((resolve) => {
        if (out.writableFinished) resolve();
        else out.once('finish', () => resolve());
        out.once('close', () => resolve());
      });
      await workbook.commit();
      await ended;
    },
  };
}
