/**
 * Household visits (走访) over HTTP: record a visit (on a phone, with photos), read visits, the
 * half-year rule's visit list ordered by due, coverage per grid and committee, and the needs found —
 * referred to a case or marked resolved. Every read of visits is an archive read of the household
 * (audited naming its people); out-of-scope records answer 404, audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { beijingDay } from '../../common/visits.js';
import type { StaffActor } from '../accounts/actor.js';
import { readsTerritorially } from '../archive/archive.policy.js';
import { auditRead } from '../archive/archive-audit.js';
import { loadHousehold } from '../archive/archive-load.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { openVariant } from '../media/media.store.js';
import { recordVisit, type VisitContext } from './commands/record-visit.js';
import { referNeed } from './commands/refer-need.js';
import { resolveNeed } from './commands/resolve-need.js';
import { coverageOf, presentDue, readableUnit } from './coverage.service.js';
import { dueList } from './half-year.js';
import { visitPolicy, visitReadPaths } from './visit.policy.js';
import { presentNeed, presentVisit } from './visit.presenter.js';
import {
  findNeed,
  findVisit,
  listVisits,
  type NeedRow,
  needsOf,
  peopleOfHouseholds,
  photosOf,
  type VisitRow,
  visitShows,
} from './visit.repository.js';
import {
  ZCoverageQuery,
  ZCoverageView,
  ZDuePage,
  ZDueQuery,
  ZNeedParams,
  ZNeedView,
  ZRecordVisitRequest,
  ZReferNeedRequest,
  ZReferredView,
  ZResolveNeedRequest,
  ZVisitListQuery,
  ZVisitPage,
  ZVisitParams,
  ZVisitPhotoParams,
  ZVisitView,
} from './visit.schema.js';

const tags = ['visits'];

export async function visitRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (request: FastifyRequest, actor: StaffActor): VisitContext => ({
    db: app.db,
    actor,
    requestId: String(request.id),
    ip: request.ip,
  });

  /** Visits with their needs and photos (visits of one district at a time). */
  async function present(actor: StaffActor, rows: VisitRow[]) {
    const byDistrict = new Map<string, string[]>();
    for (const v of rows) byDistrict.set(v.district, [...(byDistrict.get(v.district) ?? []), v.id]);
    const needs: NeedRow[] = [];
    const photos: { visitId: string; key: string }[] = [];
    for (const [district, ids] of byDistrict) {
      needs.push(...(await needsOf(app.db, district, ids)));
      photos.push(...(await photosOf(app.db, district, ids)));
    }
    return rows.map((v) =>
      presentVisit(
        actor,
        v,
        needs.filter((n) => n.visitId === v.id),
        photos.filter((p) => p.visitId === v.id),
      ),
    );
  }

  /** The read audit: visits are part of the household's file; the row names the households' people. */
  async function auditVisits(request: FastifyRequest, rows: VisitRow[], single: boolean) {
    const households = [...new Map(rows.map((v) => [`${v.district}|${v.householdId}`, v])).values()];
    const first = rows[0];
    await auditRead(
      app.db,
      auditContext(request),
      {
        people: await peopleOfHouseholds(
          app.db,
          households.map((v) => ({ district: v.district, id: v.householdId })),
        ),
        via: single ? 'household' : 'list',
        fields: ['visits'],
        purpose: null,
        household: households.length === 1 ? first?.householdId : undefined,
      },
      single && first ? { type: 'household', id: first.householdId, district: first.district } : undefined,
    );
  }

  /** A visit the actor may read, or 404 (audited). */
  async function loadVisit(request: FastifyRequest, id: string) {
    const actor = requireStaff(request);
    const visit = await findVisit(app.db, id);
    if (!visit) throw new AppError('NOT_FOUND');
    if (!visitPolicy.read(actor, visit)) await denyOutOfScope(request, { type: 'visit', id, district: visit.district });
    return { actor, visit };
  }

  async function presentOne(actor: StaffActor, id: string) {
    const visit = await findVisit(app.db, id);
    if (!visit) throw new AppError('NOT_FOUND');
    return (await present(actor, [visit]))[0] as NonNullable<Awaited<ReturnType<typeof present>>[number]>;
  }

  r.post(
    '/api/visits',
    {
      schema: {
        tags,
        summary: 'Record a visit of a household: findings, needs, photos, night visit / 登记走访',
        description:
          'For committee staff and grid workers of the household’s grid. `visitedAt` up to 31 days back ' +
          '(default now); `night` defaults to whether that time falls between 19:00 and 07:00 Beijing time. ' +
          'Photos are keys the visitor uploaded (POST /api/media).',
        body: ZRecordVisitRequest,
        response: { 201: ZVisitView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { householdId, visitedAt, ...body } = request.body;
      const loaded = await loadHousehold(request, householdId);
      const household = loaded.row;
      // A department that sees the household through a tag grant does not visit it.
      if (!readsTerritorially(loaded.access, loaded.record))
        await denyOutOfScope(request, { type: 'household', id: household.id, district: household.district });
      if (!visitPolicy.record(loaded.actor, household))
        await denyOutOfScope(
          request,
          { type: 'household', id: household.id, district: household.district },
          'forbidden',
        );
      const id = await recordVisit(context(request, loaded.actor), {
        ...body,
        household,
        visitedAt: visitedAt ? new Date(visitedAt) : undefined,
      });
      return reply.status(201).send(await presentOne(loaded.actor, id));
    },
  );

  r.get(
    '/api/visits',
    {
      schema: {
        tags,
        summary: 'Visits in my scope, newest first (of a household, unit or visitor) / 走访记录',
        description: 'Keyset paging: pass the last `visitedAt` as `before`. Audited as a read of the households shown.',
        querystring: ZVisitListQuery,
        response: { 200: ZVisitPage, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const q = request.query;
      const unit = q.unitId ? await readableUnit(request, q.unitId, 'query.unitId') : undefined;
      if (q.householdId) {
        const loaded = await loadHousehold(request, q.householdId);
        if (!visitPolicy.read(actor, loaded.row))
          await denyOutOfScope(request, { type: 'household', id: loaded.row.id, district: loaded.row.district });
      }
      const rows = await listVisits(app.db, visitReadPaths(actor), {
        householdId: q.householdId,
        unitPath: unit?.path,
        visitorId: q.visitorId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        before: q.before ? new Date(q.before) : undefined,
        limit: q.limit,
      });
      if (rows.length) await auditVisits(request, rows, false);
      return { items: await present(actor, rows) };
    },
  );

  r.get(
    '/api/visits/due',
    {
      schema: {
        tags,
        summary: 'My visit list by due: never visited first, then the longest unvisited / 待走访清单',
        description:
          'The half-year rule: a household is due within six months of its latest visit. `overdue=true` ' +
          'keeps the households not visited in the last six months. Audited as a list read (heads shown).',
        querystring: ZDueQuery,
        response: { 200: ZDuePage, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const q = request.query;
      const unit = q.unitId ? await readableUnit(request, q.unitId, 'query.unitId') : undefined;
      const day = beijingDay(new Date());
      const list = await dueList(app.db, unit ? [unit.path] : visitReadPaths(actor), {
        day,
        overdueOnly: q.overdue === 'true',
        limit: q.limit,
        offset: q.offset,
      });
      if (list.items.length) {
        await auditRead(app.db, auditContext(request), {
          people: list.items.flatMap((i) => (i.headId ? [i.headId] : [])),
          via: 'list',
          fields: ['name', 'address', 'visits'],
          purpose: null,
          query: { due: true, overdue: q.overdue, unitId: q.unitId },
        });
      }
      return { day, coveredSince: list.window.coveredSince, total: list.total, items: list.items.map(presentDue) };
    },
  );

  r.get(
    '/api/visits/coverage',
    {
      schema: {
        tags,
        summary: 'Visit coverage per grid and committee: visited in six months / all households / 走访覆盖率',
        description:
          'Counts households living there on `day` (default today); a household is covered when visited on ' +
          'or after `coveredSince`. No personal data.',
        querystring: ZCoverageQuery,
        response: { 200: ZCoverageView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const today = beijingDay(new Date());
      const day = request.query.day ?? today;
      if (day > today)
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'query.day', reason: 'in the future' }] });
      const unitId =
        request.query.unitId ?? actor.grants.find((g) => visitReadPaths(actor).includes(g.unitPath))?.unitId;
      if (!unitId) throw new AppError('NOT_FOUND');
      const unit = await readableUnit(request, unitId, 'query.unitId');
      return coverageOf(app.db, unit, day);
    },
  );

  r.get(
    '/api/visits/:id',
    {
      schema: {
        tags,
        summary: 'One visit with its needs and photos / 走访详情',
        params: ZVisitParams,
        response: { 200: ZVisitView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { actor, visit } = await loadVisit(request, request.params.id);
      await auditVisits(request, [visit], true);
      return (await present(actor, [visit]))[0] as NonNullable<Awaited<ReturnType<typeof present>>[number]>;
    },
  );

  r.post(
    '/api/visits/:id/needs/:needId/case',
    {
      schema: {
        tags,
        summary: 'Turn a need into a case (channel survey), keeping the link / 诉求转案件',
        description:
          'Reports a case through the workflow’s report command at the household’s building; the need becomes ' +
          '`referred`. 409 VISIT_NEED_NOT_OPEN when it was referred or resolved already (no case is made).',
        params: ZNeedParams,
        body: ZReferNeedRequest,
        response: { 201: ZReferredView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { actor, visit } = await loadVisit(request, request.params.id);
      const need = await findNeed(app.db, visit.district, visit.id, request.params.needId);
      if (!need) throw new AppError('NOT_FOUND');
      if (!visitPolicy.handleNeed(actor, need))
        await denyOutOfScope(request, { type: 'visit', id: visit.id, district: visit.district }, 'forbidden');
      const building = await app.db
        .selectFrom('household as h')
        .innerJoin('building as b', (j) => j.onRef('b.district', '=', 'h.district').onRef('b.id', '=', 'h.buildingId'))
        .select(['b.lng', 'b.lat'])
        .where('h.district', '=', visit.district)
        .where('h.id', '=', visit.householdId)
        .executeTakeFirst();
      const location = building?.lng != null && building.lat != null ? { lng: building.lng, lat: building.lat } : null;
      const made = await referNeed(
        { ...context(request, actor), locator: app.locator },
        { visit, need, location, ...request.body },
      );
      const after = await findNeed(app.db, visit.district, visit.id, need.id);
      if (!after) throw new AppError('NOT_FOUND');
      return reply
        .status(201)
        .send({ need: presentNeed(actor, after), case: { id: made.caseId, number: made.number } });
    },
  );

  r.post(
    '/api/visits/:id/needs/:needId/resolve',
    {
      schema: {
        tags,
        summary: 'Mark a need resolved without a case, saying how / 诉求办结',
        params: ZNeedParams,
        body: ZResolveNeedRequest,
        response: { 200: ZNeedView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { actor, visit } = await loadVisit(request, request.params.id);
      const need = await findNeed(app.db, visit.district, visit.id, request.params.needId);
      if (!need) throw new AppError('NOT_FOUND');
      if (!visitPolicy.handleNeed(actor, need))
        await denyOutOfScope(request, { type: 'visit', id: visit.id, district: visit.district }, 'forbidden');
      await resolveNeed(context(request, actor), { need, visitId: visit.id, resolution: request.body.resolution });
      const after = await findNeed(app.db, visit.district, visit.id, need.id);
      if (!after) throw new AppError('NOT_FOUND');
      return presentNeed(actor, after);
    },
  );

  r.get(
    '/api/visits/:id/photos/:key/:variant',
    {
      schema: {
        tags,
        summary: 'A photo of a visit (thumbnail or metadata-free copy); audited / 查看走访照片',
        params: ZVisitPhotoParams,
        produces: ['image/jpeg', 'image/webp'],
        response: { 200: z.file(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { visit } = await loadVisit(request, request.params.id);
      const { key, variant } = request.params;
      const opened = (await visitShows(app.db, visit.district, visit.id, key))
        ? await openVariant(app.config.mediaDir, key, variant)
        : null;
      if (!opened) throw new AppError('NOT_FOUND');
      await auditRead(
        app.db,
        auditContext(request),
        { people: [], via: 'household', fields: ['visit_photo'], purpose: null, household: visit.householdId },
        { type: 'household', id: visit.householdId, district: visit.district },
      );
      const raw: FastifyReply = reply;
      return raw
        .header('content-type', opened.mimeType)
        .header('content-length', String(opened.bytes))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(opened.stream);
    },
  );
}
