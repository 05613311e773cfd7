/**
 * Territory API: browse units in scope, their polygons, place a point, create, update and import.
 * Each route: authenticate → validate → load through scope → authorize → one command → present.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { StaffActor } from '../accounts/actor.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { hasRole, inScope, scopePaths } from '../policies/predicates.js';
import { importUnits } from './commands/import-units.js';
import type { ImportProblem, ImportRow } from './import/import-row.js';
import { parseGeoJson } from './import/parse-geojson.js';
import { parseXlsx } from './import/parse-xlsx.js';
import { unitPolicy } from './unit.policy.js';
import { presentFeatures, presentUnit, presentUnitDetail } from './unit.presenter.js';
import { findAncestors, findUnitById, findUnitGeometry, listGeometriesUnder, listUnits } from './unit.repository.js';
import {
  ZCreateUnitRequest,
  ZGeoJsonQuery,
  ZImportQuery,
  ZImportSummary,
  ZLocateQuery,
  ZLocateResponse,
  ZUnitDetailView,
  ZUnitFeatureCollection,
  ZUnitListQuery,
  ZUnitParams,
  ZUnitView,
  ZUpdateUnitRequest,
} from './unit.schema.js';

const tags = ['territory'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function unitRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.addContentTypeParser(XLSX, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/geo+json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch {
      done(new AppError('MALFORMED_JSON'), undefined);
    }
  });

  /** Loads a unit by id and checks it is readable; otherwise 404 (audited). */
  async function loadReadable(request: FastifyRequest, actor: StaffActor, id: string) {
    const unit = await findUnitById(app.db, id);
    if (!unit) throw new AppError('NOT_FOUND');
    if (!unitPolicy.read(actor, unit)) await denyOutOfScope(request, { type: 'unit', id, district: unit.district });
    return unit;
  }

  r.get(
    '/api/units',
    {
      schema: {
        tags,
        summary: 'Units in my scope: roots, children of a parent, or a search / 辖区单位列表与搜索',
        querystring: ZUnitListQuery,
        response: { 200: listOf(ZUnitView), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const rows = await listUnits(app.db, scopePaths(actor), request.query);
      return { items: rows.map((row) => presentUnit(actor, row)) };
    },
  );

  r.get(
    '/api/units/locate',
    {
      schema: {
        tags,
        summary: 'The unit grid (and its ancestors) containing a point (WGS84) / 坐标落格',
        querystring: ZLocateQuery,
        response: { 200: ZLocateResponse, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const grid = await app.locator.locate(request.query.lng, request.query.lat);
      if (!grid || !inScope<{ path: string }>((u) => u.path)(actor, grid)) throw new AppError('NOT_FOUND');
      const ancestors = await findAncestors(app.db, grid.path);
      return { grid: { id: grid.id, code: grid.code, name: grid.name, level: 'grid' as const }, ancestors };
    },
  );

  r.get(
    '/api/units/:id',
    {
      schema: {
        tags,
        summary: 'One unit with its ancestors and boundary / 单位详情',
        params: ZUnitParams,
        response: { 200: ZUnitDetailView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const unit = await loadReadable(request, actor, request.params.id);
      const [ancestors, geometry] = await Promise.all([
        findAncestors(app.db, unit.path),
        findUnitGeometry(app.db, unit.id),
      ]);
      return presentUnitDetail(actor, unit, ancestors, geometry);
    },
  );

  r.get(
    '/api/units/:id/geojson',
    {
      schema: {
        tags,
        summary: 'Boundaries of the units of one level under a unit, as GeoJSON / 下级单位边界',
        params: ZUnitParams,
        querystring: ZGeoJsonQuery,
        response: { 200: ZUnitFeatureCollection, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const unit = await loadReadable(request, actor, request.params.id);
      return presentFeatures(await listGeometriesUnder(app.db, unit.path, request.query.level, request.query.limit));
    },
  );

  /** Runs an import for an administrator: every new unit's parent must lie in their admin scope. */
  async function runImport(
    request: FastifyRequest,
    actor: StaffActor,
    rows: ImportRow[],
    props: { source: string; allowUpdate: boolean; readProblems?: ImportProblem[] },
  ) {
    const parentAllowed = (path: string) => unitPolicy.import(actor, { path, level: 'community' });
    return importUnits(app.db, auditContext(request), { rows, parentAllowed, ...props });
  }

  r.post(
    '/api/units',
    {
      schema: {
        tags,
        summary: 'Create a unit under a parent in my administration / 新增单位',
        body: ZCreateUnitRequest,
        response: { 201: ZUnitDetailView, ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      if (!hasRole('admin')(actor, null))
        await denyOutOfScope(request, { type: 'unit', id: request.body.code }, 'forbidden');
      const summary = await runImport(request, actor, [{ ref: 'body', ...request.body }], {
        source: 'api',
        allowUpdate: false,
      }).catch(singleRowError);
      const created = summary.units[0];
      const unit = created && (await findUnitById(app.db, created.id));
      if (!unit) throw new AppError('NOT_FOUND');
      const [ancestors, geometry] = await Promise.all([
        findAncestors(app.db, unit.path),
        findUnitGeometry(app.db, unit.id),
      ]);
      return reply.status(201).send(presentUnitDetail(actor, unit, ancestors, geometry));
    },
  );

  r.patch(
    '/api/units/:id',
    {
      schema: {
        tags,
        summary: 'Rename a unit, change its kind or redraw its boundary / 修改单位',
        params: ZUnitParams,
        body: ZUpdateUnitRequest,
        response: { 200: ZUnitDetailView, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const unit = await loadReadable(request, actor, request.params.id);
      if (!unitPolicy.update(actor, unit))
        await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district }, 'forbidden');
      const geometry =
        request.body.geometry === undefined ? await findUnitGeometry(app.db, unit.id) : request.body.geometry;
      const row: ImportRow = {
        ref: 'body',
        code: unit.code,
        name: request.body.name ?? unit.name,
        level: unit.level,
        kind: request.body.kind ?? unit.kind,
        geometry,
      };
      await runImport(request, actor, [row], { source: 'api', allowUpdate: true }).catch(singleRowError);
      const updated = await loadReadable(request, actor, unit.id);
      const [ancestors, newGeometry] = await Promise.all([
        findAncestors(app.db, updated.path),
        findUnitGeometry(app.db, unit.id),
      ]);
      return presentUnitDetail(actor, updated, ancestors, newGeometry);
    },
  );

  r.post(
    '/api/units/import',
    {
      schema: {
        tags,
        summary: 'Import units from GeoJSON or XLSX, all or nothing / 批量导入区划与网格',
        description:
          'Body: a GeoJSON FeatureCollection (application/json or application/geo+json) whose features carry ' +
          '`code`, `name` and optionally `level`, `kind`, `parentCode`; or an XLSX workbook with the same columns ' +
          '(Chinese headers 编码, 名称, 层级, 类型, 上级编码, 边界 accepted). `?update=true` updates existing codes.',
        querystring: ZImportQuery,
        response: { 200: ZImportSummary, ...errorResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      if (!hasRole('admin')(actor, null)) await denyOutOfScope(request, { type: 'unit', id: 'import' }, 'forbidden');
      const contentType = String(request.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim();
      const parsed =
        contentType === XLSX
          ? await parseXlsx(request.body as Buffer)
          : contentType === 'application/json' || contentType === 'application/geo+json'
            ? parseGeoJson(request.body)
            : undefined;
      if (!parsed) throw new AppError('IMPORT_FORMAT');
      const summary = await runImport(request, actor, parsed.rows, {
        source: `api:${contentType}`,
        allowUpdate: request.query.update === 'true',
        readProblems: parsed.problems,
      });
      return { created: summary.created, updated: summary.updated };
    },
  );
}

/** A one-row import failing answers with the specific catalogue code of its first problem. */
function singleRowError(error: unknown): never {
  if (!(error instanceof AppError) || error.code !== 'IMPORT_INVALID') throw error;
  const problems = (error.details?.problems ?? []) as ImportProblem[];
  const first = problems[0];
  const fields = problems.map((p) => ({ path: `body.${p.field}`, reason: p.en }));
  const code = !first
    ? 'IMPORT_INVALID'
    : first.problem === 'exists'
      ? 'UNIT_CODE_DUPLICATE'
      : first.problem.startsWith('parent')
        ? first.problem === 'parent_out_of_scope'
          ? 'FORBIDDEN'
          : 'UNIT_PARENT_INVALID'
        : first.problem === 'outside_parent'
          ? 'UNIT_OUTSIDE_PARENT'
          : first.problem === 'overlap'
            ? 'UNIT_OVERLAP'
            : first.problem.startsWith('geometry')
              ? 'UNIT_GEOMETRY_INVALID'
              : first.field === 'code'
                ? 'UNIT_CODE_INVALID'
                : 'VALIDATION_FAILED';
  throw new AppError(code, { fields, details: { problems } });
}
