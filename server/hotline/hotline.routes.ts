/**
 * 12345 work orders for dispatchers and administrators: the fields and the district's codes (for
 * the mapping editor), mappings, and imports — a preview of a file through a mapping, a run started
 * in the background (202), its progress, the runs of my scope, and its report (JSON pages or a CSV
 * of every rejected row). Each route: authenticate → validate → load through scope (out of scope:
 * 404, audited) → one command → present.
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_IMPORT_BYTES } from '../../common/imports.js';
import type { StaffActor } from '../accounts/actor.js';
import { CSV_TYPE } from '../exports/table-writer.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { deleteMapping, saveMapping } from '../imports/commands/save-mapping.js';
import { judgeFile, startImport } from '../imports/commands/start-import.js';
import { presentMapping, presentRow, presentRun } from '../imports/import.presenter.js';
import { findMapping, findRun, listMappings, listReportRows, listRuns } from '../imports/import.repository.js';
import {
  ZFieldsView,
  ZMappingView,
  ZPreview,
  ZReportPage,
  ZReportQuery,
  ZRunCreated,
  ZRunView,
  ZSaveMappingRequest,
} from '../imports/import.schema.js';
import { mapRow, prepareMapping } from '../imports/import-mapping.js';
import { sendReportCsv } from '../imports/import-report.js';
import { readUpload } from '../imports/import-upload.js';
import { scopePaths } from '../policies/predicates.js';
import { HOTLINE_ROLES, hotlinePolicy } from './hotline.policy.js';
import { resolveDistrict } from './hotline-district.js';
import { HOTLINE_KIND, hotlineImport } from './hotline-import.js';

const tags = ['hotline'];
const ZId = z.strictObject({ id: z.uuid() });
const ZDistrictQuery = z.strictObject({
  district: z
    .string()
    .regex(/^\d{6}$/, '6 digits')
    .optional(),
});

const uploadBody = z.object({
  file: z.file().describe(`an XLSX, CSV (UTF-8 or GBK) or JSON file of at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`),
  mappingId: z.uuid(),
});

export async function hotlineRoutes(app: FastifyInstance): Promise<void> {
  // Registered here only: this plugin's scope takes the import uploads.
  await app.register(fastifyMultipart);
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** The signed-in dispatcher or administrator, or 403 (audited). */
  async function requireUser(request: FastifyRequest): Promise<StaffActor> {
    const actor = requireStaff(request);
    if (!hotlinePolicy.useSome(actor, null))
      await denyOutOfScope(request, { type: 'hotline', id: 'hotline' }, 'forbidden');
    return actor;
  }

  async function loadMapping(request: FastifyRequest, id: string) {
    const mapping = await findMapping(app.db, id);
    if (!mapping || mapping.kind !== HOTLINE_KIND) throw new AppError('NOT_FOUND');
    if (!hotlinePolicy.mapping(request.actor, mapping))
      await denyOutOfScope(request, { type: 'import_mapping', id, district: mapping.district });
    return mapping;
  }

  async function loadRun(request: FastifyRequest, id: string) {
    const run = await findRun(app.db, id);
    if (!run || run.kind !== HOTLINE_KIND) throw new AppError('NOT_FOUND');
    if (!hotlinePolicy.run(request.actor, run))
      await denyOutOfScope(request, { type: 'import_run', id, district: run.district });
    return run;
  }

  r.get(
    '/api/hotline/fields',
    {
      schema: {
        tags,
        summary: 'An order’s fields and the codes a district’s mapping may use / 工单字段与可映射的代码',
        querystring: ZDistrictQuery,
        response: { 200: ZFieldsView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = await requireUser(request);
      const district = await resolveDistrict(request, actor, request.query.district, 'query.district');
      const choices = await hotlineImport.codes(app.db, district.code);
      return {
        district: district.code,
        fields: hotlineImport.fields.map((f) => ({
          key: f.key,
          label: f.label,
          type: f.type,
          required: f.required,
          ...(choices[f.key] ? { choices: choices[f.key] } : {}),
        })),
        oneOf: (hotlineImport.oneOf ?? []).map((group) => [...group]),
      };
    },
  );

  r.get(
    '/api/hotline/mappings',
    {
      schema: {
        tags,
        summary: 'Saved mappings of the districts in my scope / 字段映射列表',
        response: { 200: listOf(ZMappingView), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const actor = await requireUser(request);
      const rows = await listMappings(app.db, HOTLINE_KIND, scopePaths(actor, ...HOTLINE_ROLES));
      return { items: rows.map(presentMapping) };
    },
  );

  r.post(
    '/api/hotline/mappings',
    {
      schema: {
        tags,
        summary: 'Save a mapping: their columns → our fields, their values → our codes / 新建字段映射',
        description:
          'Every required field (orderNumber, category, description) needs a column, and a place (address, or lng ' +
          'and lat). Value tables translate their category, unit and urgency texts to our codes (GET /api/hotline/fields ' +
          'lists them); our own codes are accepted as they are. `isDefault` makes it the mapping pushed orders use.',
        body: ZSaveMappingRequest,
        response: { 201: ZMappingView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = await requireUser(request);
      const { district: code, name, isDefault, ...rules } = request.body;
      const district = await resolveDistrict(request, actor, code, 'body.district');
      const id = await saveMapping(app.db, auditContext(request), {
        kind: hotlineImport,
        district: { code: district.code, path: district.path },
        name,
        isDefault,
        rules,
        createdBy: actor.id,
      });
      return reply.status(201).send(presentMapping(await loadMapping(request, id)));
    },
  );

  r.get(
    '/api/hotline/mappings/:id',
    {
      schema: {
        tags,
        summary: 'One mapping / 字段映射详情',
        params: ZId,
        response: { 200: ZMappingView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await requireUser(request);
      return presentMapping(await loadMapping(request, request.params.id));
    },
  );

  r.put(
    '/api/hotline/mappings/:id',
    {
      schema: {
        tags,
        summary: 'Replace a mapping (runs keep the copy they were read with) / 修改字段映射',
        params: ZId,
        body: ZSaveMappingRequest.omit({ district: true }),
        response: { 200: ZMappingView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const actor = await requireUser(request);
      const mapping = await loadMapping(request, request.params.id);
      const { name, isDefault, ...rules } = request.body;
      await saveMapping(
        app.db,
        auditContext(request),
        {
          kind: hotlineImport,
          district: { code: mapping.district, path: mapping.unitPath },
          name,
          isDefault,
          rules,
          createdBy: actor.id,
        },
        mapping.id,
      );
      return presentMapping(await loadMapping(request, mapping.id));
    },
  );

  r.delete(
    '/api/hotline/mappings/:id',
    {
      schema: {
        tags,
        summary: 'Delete a mapping / 删除字段映射',
        params: ZId,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await requireUser(request);
      const mapping = await loadMapping(request, request.params.id);
      await deleteMapping(app.db, auditContext(request), mapping);
      return reply.status(204).send(null);
    },
  );

  /** The upload's mapping (a field of the form), loaded through scope. */
  async function uploaded(request: FastifyRequest) {
    const upload = await readUpload(request);
    const mappingId = z.uuid().safeParse(upload.fields.mappingId);
    if (!mappingId.success)
      throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body.mappingId', reason: 'a mapping id' }] });
    return { upload, mapping: await loadMapping(request, mappingId.data) };
  }

  const uploadSchema = {
    consumes: ['multipart/form-data'],
    body: uploadBody,
  };

  r.post(
    '/api/hotline/imports/preview',
    {
      schema: {
        tags,
        summary: 'Read a file’s header and first rows through a mapping, writing nothing / 导入预览',
        ...uploadSchema,
        response: { 200: ZPreview, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
      },
      // The form is read as a stream by the handler; there is no parsed body to validate.
      validatorCompiler: () => () => true,
    },
    async (request) => {
      await requireUser(request);
      const { upload, mapping } = await uploaded(request);
      const judged = await judgeFile(hotlineImport, mapping, upload.file.bytes);
      const prepared = prepareMapping(
        hotlineImport,
        mapping.rules,
        await hotlineImport.codes(app.db, mapping.district),
      );
      return {
        format: judged.format,
        header: judged.header,
        missing: judged.missing,
        rows: judged.rows.map((row) => {
          const { record, problems } = mapRow(prepared, row);
          return {
            rowNumber: row.number,
            values: Object.fromEntries(
              Object.entries(record).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
            ),
            problems: problems.map((p) => ({ field: p.field, code: p.code, message: { zh: p.zh, en: p.en } })),
          };
        }),
      };
    },
  );

  r.post(
    '/api/hotline/imports',
    {
      schema: {
        tags,
        summary: 'Import work orders from XLSX, CSV or JSON through a mapping, in the background / 导入工单',
        description:
          'Answers 202 with the run id at once; GET /api/hotline/imports/{id} shows progress (processedRows of ' +
          'totalRows) and counts. Each row is its own transaction: a bad row is reported and never stops the others. ' +
          'Idempotent by order number: the same content again is unchanged, changed content updates, never a second case.',
        ...uploadSchema,
        response: { 202: ZRunCreated, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
      },
      validatorCompiler: () => () => true,
      config: { rateLimit: { max: 30, timeWindow: '1 minute', keyGenerator: (req) => req.actor?.id ?? req.ip } },
    },
    async (request, reply) => {
      const actor = await requireUser(request);
      const { upload, mapping } = await uploaded(request);
      const scopePath = hotlinePolicy.scopeIn(actor, mapping.unitPath);
      if (!scopePath)
        return denyOutOfScope(request, { type: 'import_mapping', id: mapping.id, district: mapping.district });
      const { id, after } = await startImport(app.db, auditContext(request), app.jobs, {
        kind: hotlineImport,
        mapping,
        scopePath,
        file: upload.file,
        createdBy: actor.id,
      });
      after?.({ db: app.db, locator: app.locator, log: request.log });
      return reply.status(202).send({ id, status: 'queued' as const });
    },
  );

  r.get(
    '/api/hotline/imports',
    {
      schema: {
        tags,
        summary: 'Import runs in my scope, newest first / 导入记录',
        response: { 200: listOf(ZRunView), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const actor = await requireUser(request);
      const runs = await listRuns(app.db, HOTLINE_KIND, scopePaths(actor, ...HOTLINE_ROLES));
      return { items: runs.map(presentRun) };
    },
  );

  r.get(
    '/api/hotline/imports/:id',
    {
      schema: {
        tags,
        summary: 'One import run: status, progress and counts / 导入进度',
        params: ZId,
        response: { 200: ZRunView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await requireUser(request);
      return presentRun(await loadRun(request, request.params.id));
    },
  );

  r.get(
    '/api/hotline/imports/:id/report',
    {
      schema: {
        tags,
        summary: 'The rejected rows of a run and why (JSON pages, or all as CSV) / 导入校验报告',
        params: ZId,
        querystring: ZReportQuery,
        produces: ['application/json', CSV_TYPE],
        response: { 200: ZReportPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await requireUser(request);
      const run = await loadRun(request, request.params.id);
      const { format, offset, limit } = request.query;
      if (format === 'csv') {
        const raw: FastifyReply = reply;
        return sendReportCsv(app.db, raw, run, `hotline-import-${run.id.slice(-12)}-rejected.csv`);
      }
      const page = await listReportRows(app.db, run, ['rejected'], { offset, limit });
      return { total: page.total, items: page.items.map(presentRow) };
    },
  );
}
