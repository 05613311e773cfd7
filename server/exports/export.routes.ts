/**
 * Reports and exports over HTTP: the case export (CSV / XLSX of any filtered case list), the
 * monthly assessment (JSON for the printable page, XLSX) and the public open data (JSON, CSV).
 *
 * Case export progress: the answer is streamed (no Content-Length); `X-Total-Count` carries the
 * number of rows up front — counted in the export's own snapshot, so exactly what follows — and the
 * web shows rows received against it (CSV), or bytes received (XLSX, whose compressed bytes say
 * nothing of rows).
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../audit/audit.writer.js';
import { resolveUnitFilter } from '../cases/case.repository.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { indicatorPolicy } from '../indicators/indicator.policy.js';
import { readIndicatorSettings } from '../indicators/indicator-settings.js';
import { formatRange, parsePeriod } from '../indicators/period.js';
import { loadSlice } from '../indicators/slice.js';
import { assessment, assessmentTable } from './assessment.js';
import { exportFileName, openCaseExport } from './case-export.js';
import { mayUnmask, PURPOSE_MIN } from './export.policy.js';
import { ZAssessment, ZAssessmentQuery, ZCaseExportRequest, ZOpenData, ZOpenDataQuery } from './export.schema.js';
import { firstDay, formatMonth, monthsRange, parseMonth } from './month.js';
import { OPEN_DATA_COLUMNS, openDataCells, openDataCounts, SUPPRESS_BELOW } from './open-data.js';
import { CSV_TYPE, csvWriter, OutputClosed, type TableColumn, XLSX_TYPE, xlsxWriter } from './table-writer.js';

/** Exports running at once in this process: each holds a database connection while it streams. */
export const MAX_RUNNING_EXPORTS = 3;

/** Content-Disposition with an ASCII name and the same name for browsers that read filename*. */
const attachment = (name: string) => `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Writes a small table (assessment, open data) into a buffer-free stream and sends it. */
function sendTable(
  reply: FastifyReply,
  format: 'csv' | 'xlsx',
  name: string,
  columns: TableColumn[],
  rows: (string | number | null)[][],
  options: { sheet: string; title?: string[]; cacheControl?: string },
) {
  const out = new PassThrough();
  const writer = format === 'csv' ? csvWriter(out, columns) : xlsxWriter(out, columns, options);
  void writer
    .rows(rows)
    .then(() => writer.end())
    .catch((error) => out.destroy(error));
  return reply
    .header('content-type', format === 'csv' ? CSV_TYPE : XLSX_TYPE)
    .header('content-disposition', attachment(name))
    .header('cache-control', options.cacheControl ?? 'no-store')
    .send(out);
}

export async function exportRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  let running = 0;

  r.post(
    '/api/cases/export',
    {
      schema: {
        tags: ['cases', 'exports'],
        summary: 'Export the filtered case list as CSV or XLSX, streamed / 导出案件列表',
        description:
          'Scoped and filtered exactly like GET /api/cases (newest first, no limit). CSV is UTF-8 with a BOM. ' +
          '`X-Total-Count` gives the number of rows before they stream (no Content-Length). Reporters’ names ' +
          'and phones are masked unless `personalData: "unmasked"` with a `purpose` is asked by a dispatcher, ' +
          'and then only for cases in their dispatcher scope (`X-Unmasked-Count`). Every export is audited.',
        body: ZCaseExportRequest,
        produces: [CSV_TYPE, XLSX_TYPE],
        response: { 200: z.file(), ...errorResponses(400, 401, 403, 404, 422, 429) },
      },
      // Per person, not per address: a whole office may share one address.
      config: { rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: (r) => r.actor?.id ?? r.ip } },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const { format, personalData, purpose } = request.body;
      const filters = request.body.filters ?? {};
      const unmask = personalData === 'unmasked';
      if (unmask && !mayUnmask(actor)) await denyUnmask(request);
      if (unmask && [...(purpose ?? '')].length < PURPOSE_MIN)
        throw new AppError('EXPORT_PURPOSE_REQUIRED', {
          fields: [{ path: 'body.purpose', reason: `at least ${PURPOSE_MIN} characters` }],
        });
      if (running >= MAX_RUNNING_EXPORTS) throw new AppError('RATE_LIMITED');
      running += 1;
      let opened: Awaited<ReturnType<typeof openCaseExport>>;
      try {
        opened = await openCaseExport(app.db, {
          actor,
          filters: {
            ...filters,
            unitPath: await resolveUnitFilter(app.db, filters.unitId),
            overdue: filters.overdue === 'true',
          },
          format,
          unmask,
        });
      } catch (error) {
        running -= 1;
        throw error;
      }
      try {
        // Committed before the first row leaves, whatever becomes of the download.
        await writeAudit(app.db, auditContext(request), {
          action: 'cases.exported',
          data: {
            format,
            filters,
            rows: opened.total,
            personalData,
            unmaskedRows: opened.unmaskedRows,
            purpose: purpose || null,
          },
        });
      } catch (error) {
        await opened.cancel().catch(() => undefined);
        running -= 1;
        throw error;
      }
      const out = new PassThrough();
      opened
        .write(out)
        .catch((error) => {
          // A client that went away is not a fault; anything else cuts the download short.
          if (!(error instanceof OutputClosed)) request.log.error({ err: error }, 'case export failed');
          out.destroy(error instanceof Error ? error : undefined);
        })
        .finally(() => {
          running -= 1;
        });
      // A stream, not the File the schema documents: sent through the untyped reply.
      const raw: FastifyReply = reply;
      return raw
        .header('content-type', format === 'csv' ? CSV_TYPE : XLSX_TYPE)
        .header('content-disposition', attachment(exportFileName('cases', format)))
        .header('cache-control', 'no-store')
        .header('x-total-count', String(opened.total))
        .header('x-unmasked-count', String(opened.unmaskedRows))
        .send(out);
    },
  );

  /** An unmasked export asked by a role that may not: recorded, then refused. */
  async function denyUnmask(request: FastifyRequest): Promise<never> {
    await writeAudit(app.db, auditContext(request), {
      action: 'access.denied',
      data: { method: request.method, route: '/api/cases/export', reason: 'forbidden' },
    });
    throw new AppError('EXPORT_UNMASK_FORBIDDEN', { fields: [{ path: 'body.personalData', reason: 'not allowed' }] });
  }

  /** The assessment of a month: load the unit, authorize a ranking of it (out of scope: 404, audited). */
  async function loadAssessment(request: FastifyRequest, query: z.infer<typeof ZAssessmentQuery>) {
    const actor = requireStaff(request);
    const month = parseMonth(query.month, 'query.month');
    const period = parsePeriod({ period: 'month', date: firstDay(month) });
    const slice = await loadSlice(app.db, actor, { unitId: query.unitId });
    // A handler's own department (loadSlice's default for them) is not what an assessment ranks.
    slice.department = null;
    if (!indicatorPolicy.ranking(actor, { unitPath: slice.unit.path, departmentId: null }))
      await denyOutOfScope(request, { type: 'unit', id: slice.unit.id, district: slice.unit.district });
    if (query.group === 'units' && slice.unit.level === 'grid')
      throw new AppError('ASSESSMENT_UNIT_INVALID', { fields: [{ path: 'query.unitId', reason: 'a unit grid' }] });
    const settings = await readIndicatorSettings(app.db);
    const now = new Date();
    const result = await assessment(app.db, slice, period, query.group, settings, now);
    const { id, code, name, level } = slice.unit;
    return {
      month: formatMonth(month),
      period: formatRange(period),
      unit: { id, code, name, level },
      group: query.group,
      settings: { deferredLeaveDenominators: settings.deferredLeaveDenominators },
      ...result,
      asOf: now.toISOString(),
    };
  }

  r.get(
    '/api/assessment',
    {
      schema: {
        tags: ['indicators', 'exports'],
        summary: 'Monthly assessment: each child unit or department, its indicators, score and rank / 月度考核',
        querystring: ZAssessmentQuery,
        response: { 200: ZAssessment, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => loadAssessment(request, request.query),
  );

  r.get(
    '/api/assessment/xlsx',
    {
      schema: {
        tags: ['indicators', 'exports'],
        summary: 'The monthly assessment as an XLSX file / 月度考核表（XLSX）',
        querystring: ZAssessmentQuery,
        produces: [XLSX_TYPE],
        response: { 200: z.file(), ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request, reply) => {
      const a = await loadAssessment(request, request.query);
      const { columns, rows } = assessmentTable(a, a.group);
      const weights = a.columns
        .filter((c) => c.weight)
        .map((c) => `${c.zh} ${c.weight}`)
        .join('，');
      return sendTable(reply, 'xlsx', `assessment-${a.unit.code}-${a.month}-${a.group}.xlsx`, columns, rows, {
        sheet: `${a.month} 考核`,
        title: [
          `${a.unit.name} ${a.month} 月度考核（${a.group === 'units' ? '下级单位' : '职能部门'}） Monthly assessment`,
          `统计期间 Period: ${a.period.from} – ${a.period.to}；权重 Weights: ${weights}；生成于 As of: ${a.asOf}`,
        ],
      });
    },
  );

  /** Open data for a run of months, optionally inside one unit (unknown unit: 404). */
  async function loadOpenData(query: z.infer<typeof ZOpenDataQuery>) {
    const from = parseMonth(query.from, 'query.from');
    const to = query.to ? parseMonth(query.to, 'query.to') : from;
    const range = monthsRange(from, to, 'query.to');
    let unit: { code: string; name: string; path: string } | null = null;
    if (query.unit) {
      unit =
        (await app.db
          .selectFrom('unit')
          .select(['code', 'name', 'path'])
          .where('code', '=', query.unit)
          .executeTakeFirst()) ?? null;
      if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path: 'query.unit', reason: 'unknown unit' }] });
    }
    const items = await openDataCounts(app.db, range, unit?.path ?? null);
    return {
      from: formatMonth(from),
      to: formatMonth(to),
      unit: unit ? { code: unit.code, name: unit.name } : null,
      generatedAt: new Date().toISOString(),
      items,
      suppressBelow: SUPPRESS_BELOW,
    };
  }

  const openDataDescription =
    'Cases reported, registered and closed per grid and category over whole months (Beijing time), from the ' +
    'daily indicator rollup: no case ids, texts, places, times or people. At most 12 months per request. ' +
    'Counts of 1 or 2 are suppressed (null in JSON, "<3" in CSV): they could point at a household.';

  r.get(
    '/api/public/open-data/case-counts',
    {
      schema: {
        tags: ['public', 'exports'],
        summary: 'Open data: case counts per grid and category for a period / 公开数据：各网格各类案件数',
        description: openDataDescription,
        security: [],
        querystring: ZOpenDataQuery,
        response: { 200: ZOpenData, ...errorResponses(400, 404, 422, 429) },
      },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const data = await loadOpenData(request.query);
      reply.header('cache-control', 'public, max-age=300');
      return data;
    },
  );

  r.get(
    '/api/public/open-data/case-counts.csv',
    {
      schema: {
        tags: ['public', 'exports'],
        summary: 'Open data as CSV: case counts per grid and category / 公开数据（CSV）',
        description: openDataDescription,
        security: [],
        querystring: ZOpenDataQuery,
        produces: [CSV_TYPE],
        response: { 200: z.file(), ...errorResponses(400, 404, 422, 429) },
      },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const data = await loadOpenData(request.query);
      const name = `open-data-case-counts-${data.from}${data.to === data.from ? '' : `-${data.to}`}${data.unit ? `-${data.unit.code}` : ''}.csv`;
      return sendTable(reply, 'csv', name, OPEN_DATA_COLUMNS, data.items.map(openDataCells), {
        sheet: 'open data',
        cacheControl: 'public, max-age=300',
      });
    },
  );
}
