/**
 * A run's rejected rows as a CSV download (UTF-8 with a BOM, for Excel): row number, record key,
 * the error's code, field and reason in both languages, and the row as it came — what a person
 * needs to fix the rows and import the file again. Written a page at a time.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { Db } from '../db/database.js';
import { attachment, CSV_TYPE, csvWriter, type TableColumn } from '../exports/table-writer.js';
import { listReportRows, type RunRow } from './import.repository.js';

const PAGE = 500;

const COLUMNS: TableColumn[] = [
  { header: '行号 Row', type: 'number' },
  { header: '编号 Key', type: 'text' },
  { header: '错误代码 Code', type: 'text' },
  { header: '字段 Field', type: 'text' },
  { header: '原因 Reason', type: 'text' },
  { header: 'Reason', type: 'text' },
  { header: '原始内容 As received', type: 'text' },
];

export function sendReportCsv(db: Db, reply: FastifyReply, run: RunRow, name: string) {
  const out = new PassThrough();
  const writer = csvWriter(out, COLUMNS);
  void (async () => {
    for (let offset = 0; ; offset += PAGE) {
      const { items } = await listReportRows(db, run, ['rejected'], { offset, limit: PAGE });
      await writer.rows(
        items.map((r) => [
          r.rowNumber,
          r.recordKey,
          r.errorCode,
          r.field,
          r.messageZh,
          r.messageEn,
          (r.raw ?? []).map(([column, value]) => `${column}: ${value ?? ''}`).join('; '),
        ]),
      );
      if (items.length < PAGE) break;
    }
    await writer.end();
  })().catch((error) => out.destroy(error instanceof Error ? error : undefined));
  return reply
    .header('content-type', CSV_TYPE)
    .header('content-disposition', attachment(name))
    .header('cache-control', 'no-store')
    .send(out);
}
