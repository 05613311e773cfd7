/**
 * Bulk export of people (CSV or XLSX): a role that may export (administrators, committee staff),
 * only people in that role's scope, a stated purpose, one audit row naming every person exported
 * (committed before the file leaves), and a watermark — the exporter, the time and the purpose — at
 * the top of the file. ID numbers and phones stay masked unless asked for, and then only for rows
 * in the scope of a role that may unmask.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EXPORT_ROWS_MAX, UNMASK_PURPOSE_NAMES, UNMASK_PURPOSES } from '../../common/archive.js';
import { beijingToday, maskIdNumber, maskPhone, parseIdNumber } from '../../common/id-number.js';
import { writeAudit } from '../audit/audit.writer.js';
import { attachment, beijingTime, CSV_TYPE, csvWriter, XLSX_TYPE, xlsxWriter } from '../exports/table-writer.js';
import { AppError } from '../http/app-error.js';
import { auditContext, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { archivePolicy, exportPaths, unmaskPathsOf } from './archive.policy.js';
import { ZPeopleQuery } from './archive.schema.js';
import { loadArchiveAccess } from './archive.scope.js';
import { queryForLog } from './archive-audit.js';
import { EXPORT_COLUMNS, exportRow } from './export-columns.js';
import { tagTypeNames } from './person.presenter.js';
import { peopleFilters, peopleForExport } from './person.repository.js';
import { checkPurpose } from './person.routes.js';

const ZExportRequest = z.strictObject({
  format: z.enum(['csv', 'xlsx']),
  purpose: z.enum(UNMASK_PURPOSES),
  purposeText: z.string().trim().max(200).default(''),
  /** ID numbers and phones in clear, for rows in the scope of a role that may unmask. */
  unmask: z.boolean().default(false),
  filters: ZPeopleQuery.omit({ page: true, pageSize: true }).default({}),
});

export async function archiveExportRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/archive/people/export',
    {
      schema: {
        tags: ['archive', 'exports'],
        summary: 'Export people in my scope as CSV or XLSX, with a purpose; audited and watermarked / 导出人员名单',
        description:
          `Administrators and committee staff; at most ${EXPORT_ROWS_MAX} people (422 ARCHIVE_EXPORT_TOO_LARGE). ` +
          'The file opens with a watermark naming the exporter, the time and the purpose. `X-Total-Count` ' +
          'gives the rows; `X-Unmasked-Count` the rows whose ID number and phones are in clear.',
        body: ZExportRequest,
        produces: [CSV_TYPE, XLSX_TYPE],
        response: { 200: z.file(), ...errorResponses(400, 401, 403, 404, 422, 429) },
      },
      config: { rateLimit: { max: 10, timeWindow: '1 minute', keyGenerator: (q) => q.actor?.id ?? q.ip } },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const body = request.body;
      checkPurpose(body);
      if (!archivePolicy.exportSome(actor)) throw new AppError('FORBIDDEN');
      const unmaskPaths = body.unmask ? unmaskPathsOf(actor) : [];
      if (body.unmask && unmaskPaths.length === 0) throw new AppError('FORBIDDEN');
      const today = beijingToday();
      let idNumber: string | undefined;
      if (body.filters.idNumber) {
        const id = parseIdNumber(body.filters.idNumber, today);
        if (!id.ok)
          throw new AppError('ARCHIVE_ID_NUMBER_INVALID', {
            fields: [{ path: 'body.filters.idNumber', reason: id.problem }],
          });
        idNumber = id.normalized;
      }
      // Only the export role's scope: a department's window or a leader's grant does not export.
      const access = {
        ...(await loadArchiveAccess(app.db, actor)),
        readPaths: exportPaths(actor),
        departmentViews: [],
      };
      const filters = await peopleFilters(app.db, { ...body.filters, idNumber });
      const rows = await peopleForExport(app.db, access, filters, EXPORT_ROWS_MAX, today);
      if (rows.length > EXPORT_ROWS_MAX)
        throw new AppError('ARCHIVE_EXPORT_TOO_LARGE', {
          fields: [{ path: 'body.filters', reason: `over ${EXPORT_ROWS_MAX}` }],
        });
      const clear = (unitPath: string) => unmaskPaths.some((p) => unitPath.startsWith(p));
      const unmasked = rows.filter((p) => clear(p.unitPath)).length;
      await writeAudit(app.db, auditContext(request), {
        action: 'archive.exported',
        data: {
          people: rows.map((p) => p.id),
          format: body.format,
          rows: rows.length,
          fields: EXPORT_COLUMNS.map((c) => c.field),
          unmasked: unmasked > 0,
          purpose: body.purpose,
          purposeText: body.purposeText,
          query: queryForLog(body.filters),
        },
      });
      const now = new Date();
      const watermark = [
        `导出人 Exported by: ${actor.displayName} (${actor.username}) · ${beijingTime(now)} · 用途 Purpose: ${UNMASK_PURPOSE_NAMES[body.purpose].zh} ${UNMASK_PURPOSE_NAMES[body.purpose].en} ${body.purposeText}`.trimEnd(),
        '内部资料 仅限本职工作使用 禁止外传 · For official use only; do not pass on',
      ];
      const names = await tagTypeNames(app.db);
      const columns = EXPORT_COLUMNS.map((c) => ({ header: c.header, type: 'text' as const, width: c.width }));
      const cells = rows.map((p) => {
        const inClear = clear(p.unitPath);
        return exportRow(p, names, {
          idNumber: (v) => (inClear ? v : maskIdNumber(v)),
          phone: (v) => (inClear ? v : maskPhone(v)),
        });
      });
      const out = new PassThrough();
      const writer =
        body.format === 'csv'
          ? csvWriter(out, columns, { title: watermark })
          : xlsxWriter(out, columns, { sheet: '人员 People', title: watermark });
      void writer
        .rows(cells)
        .then(() => writer.end())
        .catch((error) => out.destroy(error instanceof Error ? error : undefined));
      const raw: FastifyReply = reply;
      return raw
        .header('content-type', body.format === 'csv' ? CSV_TYPE : XLSX_TYPE)
        .header('content-disposition', attachment(`people-${today}.${body.format}`))
        .header('cache-control', 'no-store')
        .header('x-total-count', String(rows.length))
        .header('x-unmasked-count', String(unmasked))
        .send(out);
    },
  );
}
