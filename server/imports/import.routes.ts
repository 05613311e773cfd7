/**
 * The HTTP surface of one kind of import, mounted under a prefix by the module that owns the kind
 * (the hotline's work orders at /api/hotline, the archive's people and households at
 * /api/archive/import/…): the fields and the district's codes (for the mapping editor), mappings, and
 * imports — a preview of a file through a mapping, a run started in the background (202), its
 * progress, the runs of my scope, its summary and its report (JSON pages or a CSV of every rejected
 * row). Each route: authenticate → validate → load through scope (out of scope: 404, audited) → one
 * command → present.
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERRORS, type ErrorCode } from '../../common/errors.js';
import { MAX_IMPORT_BYTES } from '../../common/imports.js';
import type { Role } from '../../common/roles.js';
import type { StaffActor } from '../accounts/actor.js';
import { CSV_TYPE } from '../exports/table-writer.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { scopePaths } from '../policies/predicates.js';
import { deleteMapping, saveMapping } from './commands/save-mapping.js';
import { judgeFile, startImport } from './commands/start-import.js';
import { importPolicy } from './import.policy.js';
import { presentMapping, presentRow, presentRun } from './import.presenter.js';
import { findMapping, findRun, listMappings, listReportRows, listRuns, runSummary } from './import.repository.js';
import {
  ZFieldsView,
  ZMappingView,
  ZPreview,
  ZReportPage,
  ZReportQuery,
  ZRunCreated,
  ZRunView,
  ZSaveMappingRequest,
  ZSummaryView,
} from './import.schema.js';
import { resolveImportDistrict } from './import-district.js';
import type { ImportKind } from './import-kind.js';
import { mapRow, prepareMapping } from './import-mapping.js';
import { sendReportCsv } from './import-report.js';
import { readUpload } from './import-upload.js';

export interface ImportRoutesOptions {
  /** Where the routes live: `${prefix}/fields`, `${prefix}/mappings`, `${prefix}/imports`. */
  prefix: string;
  kind: ImportKind;
  /** Who works with this kind (their scope bounds mappings and runs). */
  roles: readonly Role[];
  /** OpenAPI tags; `what` names the records in summaries, e.g. { zh: '工单', en: 'work orders' }. */
  tags: string[];
  what: { zh: string; en: string };
  /** More words for the OpenAPI descriptions of saving a mapping and starting an import. */
  describe: { mapping: string; imports: string };
  /** The file name of a run's rejected rows, before `-<run>-rejected.csv`. */
  reportName: string;
}

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

const isCode = (code: string): code is ErrorCode => code in ERRORS;

/** A Fastify plugin serving one kind of import (register it; it takes the multipart uploads in its own scope). */
export function importRoutes(options: ImportRoutesOptions) {
  const { prefix, kind, roles, tags, what } = options;
  const policy = importPolicy(...roles);

  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(fastifyMultipart);
    const r = app.withTypeProvider<ZodTypeProvider>();

    /** The signed-in member of one of the roles, or 403 (audited). */
    async function requireUser(request: FastifyRequest): Promise<StaffActor> {
      const actor = requireStaff(request);
      if (!policy.useSome(actor, null)) await denyOutOfScope(request, { type: kind.kind, id: kind.kind }, 'forbidden');
      return actor;
    }

    async function loadMapping(request: FastifyRequest, id: string) {
      const mapping = await findMapping(app.db, id);
      if (!mapping || mapping.kind !== kind.kind) throw new AppError('NOT_FOUND');
      if (!policy.mapping(request.actor, mapping))
        await denyOutOfScope(request, { type: 'import_mapping', id, district: mapping.district });
      return mapping;
    }

    async function loadRun(request: FastifyRequest, id: string) {
      const run = await findRun(app.db, id);
      if (!run || run.kind !== kind.kind) throw new AppError('NOT_FOUND');
      if (!policy.run(request.actor, run))
        await denyOutOfScope(request, { type: 'import_run', id, district: run.district });
      return run;
    }

    const district = (request: FastifyRequest, actor: StaffActor, code: string | undefined, path: string) =>
      resolveImportDistrict(request, actor, roles, code, path);

    r.get(
      `${prefix}/fields`,
      {
        schema: {
          tags,
          summary: `The fields of ${what.en} and the codes a district’s mapping may use / ${what.zh}字段与可映射的代码`,
          querystring: ZDistrictQuery,
          response: { 200: ZFieldsView, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const actor = await requireUser(request);
        const unit = await district(request, actor, request.query.district, 'query.district');
        const choices = await kind.codes(app.db, unit.code);
        return {
          district: unit.code,
          fields: kind.fields.map((f) => ({
            key: f.key,
            label: f.label,
            type: f.type,
            required: f.required,
            ...(choices[f.key] ? { choices: choices[f.key] } : {}),
          })),
          oneOf: (kind.oneOf ?? []).map((group) => [...group]),
        };
      },
    );

    r.get(
      `${prefix}/mappings`,
      {
        schema: {
          tags,
          summary: `Saved mappings of ${what.en} in the districts of my scope / ${what.zh}字段映射列表`,
          response: { 200: listOf(ZMappingView), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const actor = await requireUser(request);
        const rows = await listMappings(app.db, kind.kind, scopePaths(actor, ...roles));
        return { items: rows.map(presentMapping) };
      },
    );

    r.post(
      `${prefix}/mappings`,
      {
        schema: {
          tags,
          summary: `Save a mapping of ${what.en}: their columns → our fields, their values → our codes / 新建${what.zh}字段映射`,
          description: options.describe.mapping,
          body: ZSaveMappingRequest,
          response: { 201: ZMappingView, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const actor = await requireUser(request);
        const { district: code, name, isDefault, ...rules } = request.body;
        const unit = await district(request, actor, code, 'body.district');
        const id = await saveMapping(app.db, auditContext(request), {
          kind,
          district: { code: unit.code, path: unit.path },
          name,
          isDefault,
          rules,
          createdBy: actor.id,
        });
        return reply.status(201).send(presentMapping(await loadMapping(request, id)));
      },
    );

    r.get(
      `${prefix}/mappings/:id`,
      {
        schema: {
          tags,
          summary: `One mapping of ${what.en} / ${what.zh}字段映射详情`,
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
      `${prefix}/mappings/:id`,
      {
        schema: {
          tags,
          summary: `Replace a mapping of ${what.en} (runs keep the copy they were read with) / 修改${what.zh}字段映射`,
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
            kind,
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
      `${prefix}/mappings/:id`,
      {
        schema: {
          tags,
          summary: `Delete a mapping of ${what.en} / 删除${what.zh}字段映射`,
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

    const uploadSchema = { consumes: ['multipart/form-data'], body: uploadBody };

    r.post(
      `${prefix}/imports/preview`,
      {
        schema: {
          tags,
          summary: `Read a file of ${what.en} through a mapping, writing nothing / ${what.zh}导入预览`,
          ...uploadSchema,
          response: { 200: ZPreview, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
        },
        // The form is read as a stream by the handler; there is no parsed body to validate.
        validatorCompiler: () => () => true,
      },
      async (request) => {
        await requireUser(request);
        const { upload, mapping } = await uploaded(request);
        const judged = await judgeFile(kind, mapping, upload.file.bytes);
        const prepared = prepareMapping(kind, mapping.rules, await kind.codes(app.db, mapping.district));
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
      `${prefix}/imports`,
      {
        schema: {
          tags,
          summary: `Import ${what.en} from XLSX, CSV or JSON through a mapping, in the background / 导入${what.zh}`,
          description:
            `Answers 202 with the run id at once; GET ${prefix}/imports/{id} shows progress (processedRows of ` +
            'totalRows) and counts. Each row is its own transaction: a bad row is reported and never stops the others. ' +
            options.describe.imports,
          ...uploadSchema,
          response: { 202: ZRunCreated, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
        },
        validatorCompiler: () => () => true,
        config: { rateLimit: { max: 30, timeWindow: '1 minute', keyGenerator: (req) => req.actor?.id ?? req.ip } },
      },
      async (request, reply) => {
        const actor = await requireUser(request);
        const { upload, mapping } = await uploaded(request);
        const scopePath = policy.scopeIn(actor, mapping.unitPath);
        if (!scopePath)
          return denyOutOfScope(request, { type: 'import_mapping', id: mapping.id, district: mapping.district });
        const { id, after } = await startImport(app.db, auditContext(request), app.jobs, {
          kind,
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
      `${prefix}/imports`,
      {
        schema: {
          tags,
          summary: `Imports of ${what.en} in my scope, newest first / ${what.zh}导入记录`,
          response: { 200: listOf(ZRunView), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const actor = await requireUser(request);
        const runs = await listRuns(app.db, kind.kind, scopePaths(actor, ...roles));
        return { items: runs.map(presentRun) };
      },
    );

    r.get(
      `${prefix}/imports/:id`,
      {
        schema: {
          tags,
          summary: `One import of ${what.en}: status, progress and counts / ${what.zh}导入进度`,
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
      `${prefix}/imports/:id/summary`,
      {
        schema: {
          tags,
          summary: `What an import of ${what.en} changed: counts, fields changed or kept, rejections by code / ${what.zh}导入变更摘要`,
          params: ZId,
          response: { 200: ZSummaryView, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        await requireUser(request);
        const run = await loadRun(request, request.params.id);
        const summary = await runSummary(app.db, run);
        const { counts, conflicts } = presentRun(run);
        return {
          counts,
          conflicts,
          changedFields: summary.changedFields,
          keptFields: summary.keptFields,
          rejectedByCode: summary.rejectedByCode.map((r) => {
            const entry = isCode(r.code) ? ERRORS[r.code] : ERRORS.IMPORT_ROW_FAILED;
            return { code: r.code, message: { zh: entry.zh, en: entry.en }, rows: r.rows };
          }),
        };
      },
    );

    r.get(
      `${prefix}/imports/:id/report`,
      {
        schema: {
          tags,
          summary: `The rejected rows of an import of ${what.en} and why, or its conflicts (JSON pages, or the rejected as CSV) / ${what.zh}导入校验报告`,
          params: ZId,
          querystring: ZReportQuery,
          produces: ['application/json', CSV_TYPE],
          response: { 200: ZReportPage, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await requireUser(request);
        const run = await loadRun(request, request.params.id);
        const { format, show, offset, limit } = request.query;
        if (format === 'csv') {
          const raw: FastifyReply = reply;
          return sendReportCsv(app.db, raw, run, `${options.reportName}-${run.id.slice(-12)}-rejected.csv`);
        }
        const page = await listReportRows(app.db, run, show === 'conflicts' ? 'conflicts' : ['rejected'], {
          offset,
          limit,
        });
        return { total: page.total, items: page.items.map(presentRow) };
      },
    );
  };
}
