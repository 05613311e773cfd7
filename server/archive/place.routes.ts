/**
 * Buildings (楼栋) with their dwellings (房), and venues (场所), over HTTP: scoped lists, one record,
 * filing and changing. A building's page names owners and tenants (phones masked): its read is
 * audited like a person's.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditContext, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { ZId } from './archive.schema.js';
import { auditRead } from './archive-audit.js';
import { placementUnit } from './archive-load.js';
import type { ArchiveContext } from './commands/archive-context.js';
import { createBuilding, createDwelling, createVenue, updateDwelling, updateVenue } from './commands/place-commands.js';
import { peopleFilters } from './person.repository.js';
import { presentBuilding, presentBuildingSummary, presentDwelling, presentVenue } from './place.presenter.js';
import { buildingDetail, findVenue, listBuildings, listVenues, loadPlace } from './place.repository.js';
import {
  ZBuildingPage,
  ZBuildingQuery,
  ZBuildingView,
  ZCreateBuildingRequest,
  ZCreateDwellingRequest,
  ZDwellingView,
  ZUpdateDwellingRequest,
  ZUpdateVenueRequest,
  ZVenueFields,
  ZVenuePage,
  ZVenueQuery,
  ZVenueView,
} from './place.schema.js';

const tags = ['archive'];

export async function placeRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (request: FastifyRequest): ArchiveContext => ({ db: app.db, who: auditContext(request) });

  async function building(request: FastifyRequest, id: string) {
    const actor = requireStaff(request);
    const place = await loadPlace(request, 'building', id);
    const detail = await buildingDetail(app.db, place.district, place.id);
    const people = detail.dwellings.flatMap((w) => [w.ownerPersonId, w.tenantPersonId].filter((p): p is string => !!p));
    await auditRead(
      app.db,
      auditContext(request),
      { people, via: 'detail', fields: ['dwelling.owner', 'dwelling.tenant'], purpose: null },
      { type: 'building', id: place.id, district: place.district },
    );
    return presentBuilding(actor, detail);
  }

  r.get(
    '/api/archive/buildings',
    {
      schema: {
        tags,
        summary: 'Buildings in my scope, by name or address / 楼栋列表',
        querystring: ZBuildingQuery,
        response: { 200: ZBuildingPage, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const { page, pageSize, unitId, ...rest } = request.query;
      const { unitPath } = await peopleFilters(app.db, { unitId });
      const result = await listBuildings(app.db, actor, { ...rest, unitPath }, { page, pageSize });
      return {
        items: result.items.map((b) => ({ ...presentBuildingSummary(b), dwellingCount: b.dwellingCount })),
        total: result.total,
        page,
        pageSize,
      };
    },
  );

  r.post(
    '/api/archive/buildings',
    {
      schema: {
        tags,
        summary: 'Add a building to a grid (a point or a polygon) / 新建楼栋',
        body: ZCreateBuildingRequest,
        response: { 201: ZBuildingView, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const { unitId, ...props } = request.body;
      const unit = await placementUnit(request, app.db, unitId);
      const id = await createBuilding(context(request), { unit, ...props });
      return reply.status(201).send(await building(request, id));
    },
  );

  r.get(
    '/api/archive/buildings/:id',
    {
      schema: {
        tags,
        summary: 'A building and its dwellings (owners’ and tenants’ phones masked); audited / 楼栋详情',
        params: ZId,
        response: { 200: ZBuildingView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => building(request, request.params.id),
  );

  r.post(
    '/api/archive/buildings/:id/dwellings',
    {
      schema: {
        tags,
        summary: 'Add a dwelling (entrance and room) to a building / 新建房屋',
        description: '409 ARCHIVE_DWELLING_DUPLICATE for an entrance and room the building already has.',
        params: ZId,
        body: ZCreateDwellingRequest,
        response: { 201: ZBuildingView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const place = await loadPlace(request, 'building', request.params.id, 'write');
      await createDwelling(context(request), place, request.body);
      return reply.status(201).send(await building(request, place.id));
    },
  );

  r.patch(
    '/api/archive/dwellings/:id',
    {
      schema: {
        tags,
        summary: 'Change a dwelling: owner, tenant, occupancy, group rental / 修改房屋',
        params: ZId,
        body: ZUpdateDwellingRequest,
        response: { 200: ZDwellingView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const place = await loadPlace(request, 'dwelling', request.params.id, 'write');
      await updateDwelling(context(request), place, request.body);
      const detail = await buildingDetail(app.db, place.district, place.buildingId ?? '');
      const dwelling = detail.dwellings.find((w) => w.id === place.id);
      if (!dwelling) throw new Error('dwelling vanished');
      return presentDwelling(dwelling);
    },
  );

  r.get(
    '/api/archive/venues',
    {
      schema: {
        tags,
        summary: 'Venues in my scope by name, kind and risk level / 场所列表',
        querystring: ZVenueQuery,
        response: { 200: ZVenuePage, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const { page, pageSize, unitId, ...rest } = request.query;
      const { unitPath } = await peopleFilters(app.db, { unitId });
      const result = await listVenues(app.db, actor, { ...rest, unitPath }, { page, pageSize });
      return { items: result.items.map((v) => presentVenue(actor, v)), total: result.total, page, pageSize };
    },
  );

  r.post(
    '/api/archive/venues',
    {
      schema: {
        tags,
        summary: 'Add a venue: shop, restaurant, school, clinic, workshop … / 新建场所',
        body: ZVenueFields,
        response: { 201: ZVenueView, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const { unitId, buildingId, ...props } = request.body;
      const unit = await placementUnit(request, app.db, unitId);
      const place = buildingId ? await loadPlace(request, 'building', buildingId, 'write') : undefined;
      const id = await createVenue(context(request), unit, place, props);
      return reply.status(201).send(presentVenue(actor, await findVenue(app.db, unit.district, id)));
    },
  );

  r.get(
    '/api/archive/venues/:id',
    {
      schema: {
        tags,
        summary: 'A venue: licences, contacts (masked), risk level / 场所详情',
        params: ZId,
        response: { 200: ZVenueView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const place = await loadPlace(request, 'venue', request.params.id);
      return presentVenue(actor, await findVenue(app.db, place.district, place.id));
    },
  );

  r.patch(
    '/api/archive/venues/:id',
    {
      schema: {
        tags,
        summary: 'Change a venue (with the version read); `closed` marks it closed / 修改场所',
        params: ZId,
        body: ZUpdateVenueRequest,
        response: { 200: ZVenueView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const place = await loadPlace(request, 'venue', request.params.id, 'write');
      await updateVenue(context(request), place, request.body);
      return presentVenue(actor, await findVenue(app.db, place.district, place.id));
    },
  );
}
