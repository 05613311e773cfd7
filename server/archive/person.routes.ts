/**
 * People over HTTP: search (exact ID number, name in Chinese or pinyin initials, address, tag —
 * within scope, masked, paged), the person's page, filing and changing a person, relations, the
 * unmask-with-purpose action and a person's access history. Every read is audited (archive-audit.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PURPOSE_TEXT_MIN } from '../../common/archive.js';
import { beijingToday, parseIdNumber } from '../../common/id-number.js';
import { AppError } from '../http/app-error.js';
import { auditContext, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { accessHistory } from './access-history.js';
import { fieldsShown, readsTerritorially } from './archive.policy.js';
import {
  ZAccessHistory,
  ZCreatePersonRequest,
  ZHistoryQuery,
  ZId,
  ZPeoplePage,
  ZPeopleQuery,
  ZPersonView,
  ZPurpose,
  ZReadQuery,
  ZRelationRequest,
  ZUnmaskedPerson,
  ZUpdatePersonRequest,
} from './archive.schema.js';
import { loadArchiveAccess } from './archive.scope.js';
import { auditRead } from './archive-audit.js';
import { loadPerson, placementUnit } from './archive-load.js';
import type { ArchiveContext } from './commands/archive-context.js';
import { createPerson } from './commands/create-person.js';
import { setRelation } from './commands/set-relation.js';
import { unmaskPerson } from './commands/unmask-person.js';
import { updatePerson } from './commands/update-person.js';
import { presentPerson, presentPersonSummary, tagTypeNames } from './person.presenter.js';
import { peopleFilters, relationsOf, searchPeople, tagsOf } from './person.repository.js';

const tags = ['archive'];

/** The purpose's free text must say something (checked with a coded answer, not the schema's 400). */
export function checkPurpose(body: { purposeText: string }, path = 'body.purposeText'): void {
  if ([...body.purposeText].length < PURPOSE_TEXT_MIN)
    throw new AppError('ARCHIVE_PURPOSE_REQUIRED', {
      fields: [{ path, reason: `at least ${PURPOSE_TEXT_MIN} characters` }],
    });
}

export async function personRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (request: FastifyRequest): ArchiveContext => ({ db: app.db, who: auditContext(request) });

  /** The person's page as the actor may see it, and the fields it showed. */
  async function detail(request: FastifyRequest, id: string) {
    const loaded = await loadPerson(request, id);
    const p = loaded.row;
    const [tagRows, relations] = await Promise.all([
      tagsOf(app.db, 'person', p.district, p.id),
      relationsOf(app.db, p.district, p.id),
    ]);
    const view = presentPerson(
      loaded.access,
      { person: p, tags: tagRows, relations, activeTagTypeIds: loaded.record.activeTagTypeIds },
      loaded.today,
    );
    return { view, fields: fieldsShown(readsTerritorially(loaded.access, loaded.record)), loaded };
  }

  r.get(
    '/api/archive/people',
    {
      schema: {
        tags,
        summary: 'Find people in my scope: ID number, name or pinyin initials, address, tag; masked / 人员查询',
        description:
          '`q` in Chinese matches any part of a name; in Latin letters the pinyin initials or full pinyin from ' +
          'the start (`zs`, `zhangs`). `idNumber` is an exact lookup (an invalid number answers 422). One audit ' +
          'row per request names the people listed.',
        querystring: ZPeopleQuery,
        response: { 200: ZPeoplePage, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const { page, pageSize, ...query } = request.query;
      const today = beijingToday();
      let idNumber: string | undefined;
      if (query.idNumber) {
        const id = parseIdNumber(query.idNumber, today);
        if (!id.ok)
          throw new AppError('ARCHIVE_ID_NUMBER_INVALID', { fields: [{ path: 'query.idNumber', reason: id.problem }] });
        idNumber = id.normalized;
      }
      const access = await loadArchiveAccess(app.db, actor);
      const filters = await peopleFilters(app.db, { ...query, idNumber });
      const result = await searchPeople(app.db, access, filters, { page, pageSize }, today);
      const [names] = await Promise.all([
        result.items.some((p) => p.tagTypeIds.length > 0) ? tagTypeNames(app.db) : new Map(),
        auditRead(app.db, auditContext(request), {
          people: result.items.map((p) => p.id),
          via: idNumber ? 'lookup' : 'list',
          fields: ['name', 'gender', 'birthDate', 'idNumber', 'phones', 'residency', 'address', 'tags', 'household'],
          purpose: null,
          query,
        }),
      ]);
      return {
        items: result.items.map((p) => presentPersonSummary(access, p, names)),
        total: result.total,
        page,
        pageSize,
      };
    },
  );

  r.post(
    '/api/archive/people',
    {
      schema: {
        tags,
        summary: 'File a person (ID number checked; birth date and gender derived from it) / 新建人员档案',
        description:
          '422 ARCHIVE_ID_NUMBER_INVALID (reason: length, format, region, birth_date, future_birth_date, ' +
          'check_digit), ARCHIVE_ID_MISMATCH, ARCHIVE_DATE_INVALID, ARCHIVE_PHONE_INVALID; 409 ' +
          'ARCHIVE_PERSON_DUPLICATE with `existingId` when the district has the number on file.',
        body: ZCreatePersonRequest,
        response: { 201: ZPersonView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { unitId, ...fields } = request.body;
      const unit = await placementUnit(request, app.db, unitId);
      const id = await createPerson(context(request), { unit, fields });
      const shown = await detail(request, id);
      return reply.status(201).send(shown.view);
    },
  );

  r.get(
    '/api/archive/people/:id',
    {
      schema: {
        tags,
        summary: 'A person’s page, masked; the read is audited / 人员档案',
        params: ZId,
        querystring: ZReadQuery,
        response: { 200: ZPersonView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const shown = await detail(request, request.params.id);
      await auditRead(
        app.db,
        auditContext(request),
        { people: [shown.view.id], via: 'detail', fields: shown.fields, purpose: request.query.purpose ?? null },
        { type: 'person', id: shown.view.id, district: shown.view.district },
      );
      return shown.view;
    },
  );

  r.patch(
    '/api/archive/people/:id',
    {
      schema: {
        tags,
        summary: 'Change a person’s record (with the version read) / 修改人员档案',
        params: ZId,
        body: ZUpdatePersonRequest,
        response: { 200: ZPersonView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const loaded = await loadPerson(request, request.params.id, 'write');
      const { unitId, ...changes } = request.body;
      const unit = unitId && unitId !== loaded.row.unitId ? await placementUnit(request, app.db, unitId) : undefined;
      await updatePerson(context(request), { person: loaded.row, changes, unit });
      return (await detail(request, loaded.row.id)).view;
    },
  );

  r.put(
    '/api/archive/people/:id/relations',
    {
      schema: {
        tags,
        summary: 'Record how another person is related (both directions) / 设置人员关系',
        params: ZId,
        body: ZRelationRequest,
        response: { 200: ZPersonView, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const person = await loadPerson(request, request.params.id, 'write');
      const related = await loadPerson(request, request.body.relatedId, 'write');
      await setRelation(context(request), {
        person: person.row,
        related: related.row,
        relation: request.body.relation,
      });
      return (await detail(request, person.row.id)).view;
    },
  );

  r.delete(
    '/api/archive/people/:id/relations/:relatedId',
    {
      schema: {
        tags,
        summary: 'Remove a relation (both directions) / 删除人员关系',
        params: z.strictObject({ id: z.uuid(), relatedId: z.uuid() }),
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const person = await loadPerson(request, request.params.id, 'write');
      const related = await loadPerson(request, request.params.relatedId, 'write');
      await setRelation(context(request), { person: person.row, related: related.row, relation: null });
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/archive/people/:id/unmask',
    {
      schema: {
        tags,
        summary: 'Show the ID number and phones in clear, for a stated purpose; audited / 查看明文（需说明事由）',
        description:
          'Administrators, committee staff and grid workers, for people in their scope. 422 ' +
          'ARCHIVE_PURPOSE_REQUIRED without a purpose text; 403 (audited) for a role that may not unmask.',
        params: ZId,
        body: ZPurpose,
        response: { 200: ZUnmaskedPerson, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      checkPurpose(request.body);
      const loaded = await loadPerson(request, request.params.id, 'unmask');
      return unmaskPerson(context(request), { person: loaded.row, ...request.body });
    },
  );

  r.get(
    '/api/archive/people/:id/access-history',
    {
      schema: {
        tags,
        summary: 'Who read, unmasked, exported or changed this person’s record, newest first / 个人信息访问记录',
        description:
          'For administrators of the person’s territory (a data subject’s request). Refused attempts are included.',
        params: ZId,
        querystring: ZHistoryQuery,
        response: { 200: ZAccessHistory, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const loaded = await loadPerson(request, request.params.id, 'history');
      return accessHistory(context(request), loaded.row, request.query);
    },
  );
}
