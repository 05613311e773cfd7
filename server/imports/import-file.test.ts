/**
 * Reading uploaded files: formats judged by content, CSV quoting / BOM / GBK / delimiters across
 * chunk boundaries, XLSX cells (dates, rich text, formulas), JSON arrays, and the coded errors of
 * empty, damaged and unknown files.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CsvReader, parseCsv } from '../exports/csv-parse.js';
import { AppError } from '../http/app-error.js';
import { type Cell, detectEncoding, detectFormat, readTable, type SourceRow } from './import-file.js';
import { parseTime } from './import-values.js';

async function read(bytes: Buffer) {
  let header: string[] = [];
  const rows: SourceRow[] = [];
  for await (const item of readTable(bytes, detectFormat(bytes))) {
    if (item.header) header = item.header;
    if (item.row) rows.push(item.row);
  }
  return { header, rows };
}

async function codeOf(work: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'no error';
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('工单');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const cells = (row: SourceRow | undefined) => Object.fromEntries(row?.cells ?? []) as Record<string, Cell>;

describe('CSV', () => {
  it('reads quoted fields (commas, doubled quotes, line breaks) and drops a leading BOM', async () => {
    const text = '\uFEFF工单编号,诉求内容,地址\r\nA1,"路灯不亮, 夜里很黑","说 ""在门口"""\r\nA2,"两行\n内容",\r\n';
    const { header, rows } = await read(Buffer.from(text, 'utf8'));
    expect(header).toEqual(['工单编号', '诉求内容', '地址']);
    expect(rows.map((r) => r.number)).toEqual([2, 3]);
    expect(cells(rows[0])).toEqual({ 工单编号: 'A1', 诉求内容: '路灯不亮, 夜里很黑', 地址: '说 "在门口"' });
    // An empty cell is left out; a quoted line break stays in its field.
    expect(cells(rows[1])).toEqual({ 工单编号: 'A2', 诉求内容: '两行\n内容' });
  });

  it('reads GBK, as Excel saves CSV on Chinese Windows', async () => {
    // 编号,内容\r\nA1,你好 in GBK.
    const gbk = Buffer.from([
      0xb1, 0xe0, 0xba, 0xc5, 0x2c, 0xc4, 0xda, 0xc8, 0xdd, 0x0d, 0x0a, 0x41, 0x31, 0x2c, 0xc4, 0xe3, 0xba, 0xc3,
    ]);
    expect(detectEncoding(gbk)).toBe('gb18030');
    const { header, rows } = await read(gbk);
    expect(header).toEqual(['编号', '内容']);
    expect(cells(rows[0])).toEqual({ 编号: 'A1', 内容: '你好' });
  });

  it('refuses text in neither UTF-8 nor GBK with a coded error', async () => {
    const bad = Buffer.concat([Buffer.from('编号,内容\nA1,'), Buffer.from([0xff, 0x41, 0xff])]);
    expect(await codeOf(() => read(bad))).toBe('IMPORT_FILE_ENCODING');
    expect(await codeOf(() => read(Buffer.from([0xff, 0xfe, 0x41, 0x00])))).toBe('IMPORT_FILE_ENCODING');
  });

  it('takes tabs or semicolons when the header uses them', async () => {
    expect((await read(Buffer.from('a\tb\n1\t2\n'))).rows[0]?.cells).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect((await read(Buffer.from('a;b\n"1;x";2\n'))).rows[0]?.cells).toEqual([
      ['a', '1;x'],
      ['b', '2'],
    ]);
  });

  it('parses the same rows whatever the pieces the text arrives in', () => {
    const text = 'a,b\r\n"x ""q""\r\ny",2\r\n3,"4"\r\n5,6';
    const whole = parseCsv(text);
    const reader = new CsvReader();
    const pieces = [...text].flatMap((ch) => reader.push(ch));
    expect([...pieces, ...reader.end()]).toEqual(whole);
    expect(whole).toEqual([
      ['a', 'b'],
      ['x "q"\r\ny', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('reads a file larger than a decoding chunk with multi-byte text across the seams', async () => {
    const lines = ['编号,内容'];
    for (let i = 1; i <= 5_000; i++) lines.push(`W${i},"第${i}号：垃圾满溢，请尽快清运"`);
    const bytes = Buffer.from(lines.join('\n'), 'utf8');
    expect(bytes.length).toBeGreaterThan(200_000);
    const { rows } = await read(bytes);
    expect(rows).toHaveLength(5_000);
    expect(cells(rows[4_999])).toEqual({ 编号: 'W5000', 内容: '第5000号：垃圾满溢，请尽快清运' });
  });

  it('an empty file is a coded error; a header alone is an import of nothing', async () => {
    expect(await codeOf(() => read(Buffer.alloc(0)))).toBe('IMPORT_FILE_EMPTY');
    expect(await codeOf(() => read(Buffer.from('\uFEFF \r\n\r\n')))).toBe('IMPORT_FILE_EMPTY');
    expect(await codeOf(() => read(Buffer.from(',,\r\n,,\r\n')))).toBe('IMPORT_FILE_EMPTY');
    expect(await read(Buffer.from('工单编号,诉求内容\r\n'))).toEqual({ header: ['工单编号', '诉求内容'], rows: [] });
  });
});

describe('XLSX', () => {
  it('reads the first sheet: text, numbers, dates, rich text, formula results; skips empty rows', async () => {
    const bytes = await xlsx([
      ['工单编号', '来电时间', '诉求内容', '经度'],
      ['A1', new Date(Date.UTC(2026, 2, 1, 9, 15)), '井盖缺失', 121.45],
      [],
      [
        'A2',
        '2026/3/2 10:00',
        { richText: [{ text: '路灯' }, { text: '不亮' }] },
        { formula: '120+1.5', result: 121.5 },
      ],
    ]);
    expect(detectFormat(bytes)).toBe('xlsx');
    const { header, rows } = await read(bytes);
    expect(header).toEqual(['工单编号', '来电时间', '诉求内容', '经度']);
    expect(rows.map((r) => r.number)).toEqual([2, 4]);
    expect(cells(rows[0])).toMatchObject({ 工单编号: 'A1', 诉求内容: '井盖缺失', 经度: 121.45 });
    expect(cells(rows[0]).来电时间).toBeInstanceOf(Date);
    expect(cells(rows[1])).toEqual({ 工单编号: 'A2', 来电时间: '2026/3/2 10:00', 诉求内容: '路灯不亮', 经度: 121.5 });
  });

  it('a header-only sheet is an import of nothing; an empty sheet or a damaged file a coded error', async () => {
    expect((await read(await xlsx([['工单编号', '诉求内容']]))).rows).toEqual([]);
    expect(await codeOf(async () => read(await xlsx([])))).toBe('IMPORT_FILE_EMPTY');
    expect(await codeOf(() => read(Buffer.from('PK\x03\x04 this is not a workbook', 'latin1')))).toBe(
      'IMPORT_FILE_UNREADABLE',
    );
  });
});

describe('JSON', () => {
  it('reads an array of objects, nested objects as dotted columns, numbered from 1', async () => {
    const json = JSON.stringify([
      { orderNo: 'J1', caller: { name: '张三', phone: '13800000000' }, lng: 121.4, tags: ['a'] },
      { orderNo: 'J2', caller: null },
    ]);
    const { header, rows } = await read(Buffer.from(json));
    expect(header).toEqual(['orderNo', 'caller.name', 'caller.phone', 'lng', 'tags']);
    expect(rows.map((r) => r.number)).toEqual([1, 2]);
    expect(cells(rows[0])).toEqual({
      orderNo: 'J1',
      'caller.name': '张三',
      'caller.phone': '13800000000',
      lng: 121.4,
      tags: '["a"]',
    });
    expect(cells(rows[1])).toEqual({ orderNo: 'J2' });
  });

  it('an empty array is an import of nothing; anything else but an array is a coded error', async () => {
    expect(await read(Buffer.from(' [] '))).toEqual({ header: [], rows: [] });
    expect(await codeOf(() => read(Buffer.from('{"orders": []}')))).toBe('IMPORT_FILE_UNREADABLE');
    expect(await codeOf(() => read(Buffer.from('[{"a": 1},')))).toBe('IMPORT_FILE_UNREADABLE');
  });
});

describe('formats', () => {
  it('refuses an old .xls workbook and binary files, judging content rather than names', () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(() => detectFormat(xls)).toThrow(expect.objectContaining({ code: 'IMPORT_FILE_FORMAT' }));
    expect(() => detectFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]))).toThrow(
      expect.objectContaining({ code: 'IMPORT_FILE_FORMAT' }),
    );
    expect(detectFormat(Buffer.from('\uFEFF[{"a":1}]'))).toBe('json');
    expect(detectFormat(Buffer.from('a,b\n'))).toBe('csv');
  });
});

describe('times', () => {
  it('reads the ways offices write times, as Beijing time unless a zone is named', () => {
    const at = '2026-03-01T01:15:00.000Z';
    for (const text of [
      '2026-03-01 09:15',
      '2026/3/1 9:15',
      '2026.03.01 09:15:00',
      '2026年3月1日 9:15',
      '2026-03-01T09:15:00+08:00',
      '2026-03-01T01:15:00Z',
    ]) {
      expect(parseTime(text)?.toISOString(), text).toBe(at);
    }
    // A spreadsheet's date cell holds the wall time as if it were UTC.
    expect(parseTime(new Date(Date.UTC(2026, 2, 1, 9, 15)))?.toISOString()).toBe(at);
    expect(parseTime('2026-02-30 10:00')).toBeNull();
    expect(parseTime('明天上午')).toBeNull();
  });
});
