/**
 * Tags over HTTP: the tag types (built-in and administrator-defined), their grants to departments
 * (tag by tag: which department sees records carrying which tag), and tags on people and households.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { hasRole } from '../policies/predicates.js';
import { archivePolicy } from './archive.policy.js';
import { ZId } from './archive.schema.js';
import { loadHousehold, loadPerson } from './archive-load.js';
import type { ArchiveContext } from './commands/archive-context.js';
import { addTag, endTag, type TagSubjectKind } from './commands/tag-commands.js';
import { createTagType, setTagGrant, updateTagType } from './commands/tag-type-commands.js';
import { membersOf } from './household.repository.js';
import {
  ZAddTagRequest,
  ZCreateTagTypeRequest,
  ZEndTagRequest,
  ZTagGrantParams,
  ZTagParams,
  ZTagTypeView,
  ZUpdateTagTypeRequest,
} from './tag.schema.js';

const tags = ['archive'];
const ZTagCreated = z.object({ id: z.string() });

export async function tagRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (request: FastifyRequest): ArchiveContext => ({ db: app.db, who: auditContext(request) });

  async function tagTypes(request: FastifyRequest, id?: string) {
    const actor = requireStaff(request);
    const showGrants = hasRole('admin')(actor, null);
    const types = await app.db
      .selectFrom('tagType')
      .selectAll()
      .$if(id !== undefined, (q) => q.where('id', '=', id ?? ''))
      .orderBy('builtIn', 'desc')
      .orderBy('code')
      .execute();
    const grants = showGrants
      ? await app.db
          .selectFrom('tagGrant as g')
          .innerJoin('department as d', 'd.id', 'g.departmentId')
          .select(['g.tagTypeId', 'd.id', 'd.code', 'd.name'])
          .orderBy('d.code')
          .execute()
      : [];
    return types.map((t) => ({
      id: t.id,
      code: t.code,
      nameZh: t.nameZh,
      nameEn: t.nameEn,
      appliesTo: t.appliesTo,
      graded: t.graded,
      builtIn: t.builtIn,
      disabled: t.disabled,
      departments: grants.filter((g) => g.tagTypeId === t.id).map((g) => ({ id: g.id, code: g.code, name: g.name })),
    }));
  }

  async function loadType(id: string) {
    const type = await app.db.selectFrom('tagType').select(['id', 'code']).where('id', '=', id).executeTakeFirst();
    if (!type) throw new AppError('NOT_FOUND');
    return type;
  }

  async function oneType(request: FastifyRequest, id: string) {
    const [type] = await tagTypes(request, id);
    if (!type) throw new AppError('NOT_FOUND');
    return type;
  }

  r.get(
    '/api/archive/tag-types',
    {
      schema: {
        tags,
        summary: 'Tag types: built-in and administrator-defined, with their department grants / 标签类型',
        response: { 200: listOf(ZTagTypeView), ...errorResponses(401) },
      },
    },
    async (request) => ({ items: await tagTypes(request) }),
  );

  r.post(
    '/api/archive/tag-types',
    {
      schema: {
        tags,
        summary: 'Define a tag type (installation administrators) / 新建标签类型',
        body: ZCreateTagTypeRequest,
        response: { 201: ZTagTypeView, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      if (!archivePolicy.manageTypes(actor)) throw new AppError('FORBIDDEN');
      const id = await createTagType(context(request), request.body);
      return reply.status(201).send(await oneType(request, id));
    },
  );

  r.patch(
    '/api/archive/tag-types/:id',
    {
      schema: {
        tags,
        summary: 'Rename or disable a tag type / 修改标签类型',
        params: ZId,
        body: ZUpdateTagTypeRequest,
        response: { 200: ZTagTypeView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      if (!archivePolicy.manageTypes(actor)) throw new AppError('FORBIDDEN');
      const type = await loadType(request.params.id);
      await updateTagType(context(request), type, request.body);
      return oneType(request, type.id);
    },
  );

  for (const [method, granted] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const) {
    r.route({
      method,
      url: '/api/archive/tag-types/:id/departments/:departmentId',
      schema: {
        tags,
        summary: granted
          ? 'Let a department see records carrying this tag (administrators of its territory) / 授权部门查看此标签'
          : 'Withdraw a department’s sight of this tag / 撤销部门标签授权',
        params: ZTagGrantParams,
        response: { 200: ZTagTypeView, ...errorResponses(400, 401, 403, 404) },
      },
      handler: async (request) => {
        const actor = requireStaff(request);
        const type = await loadType(request.params.id);
        const department = await app.db
          .selectFrom('department')
          .select(['id', 'code', 'servesPath', 'district'])
          .where('id', '=', request.params.departmentId)
          .executeTakeFirst();
        if (!department) throw new AppError('NOT_FOUND');
        if (!archivePolicy.grantTags(actor, department))
          await denyOutOfScope(
            request,
            { type: 'department', id: department.id, district: department.district },
            'forbidden',
          );
        await setTagGrant(context(request), type, department, granted);
        return oneType(request, type.id);
      },
    });
  }

  /** The record a tag route names, authorized for writing, and the people the change concerns. */
  async function subject(request: FastifyRequest, kind: TagSubjectKind, id: string) {
    if (kind === 'person') {
      const { row } = await loadPerson(request, id, 'write');
      return { subject: { kind, id: row.id, district: row.district }, people: [row.id] };
    }
    const { row } = await loadHousehold(request, id, 'write');
    const members = await membersOf(app.db, row.district, row.id);
    return { subject: { kind, id: row.id, district: row.district }, people: members.map((m) => m.personId) };
  }

  for (const kind of ['person', 'household'] as const) {
    const base = kind === 'person' ? '/api/archive/people/:id/tags' : '/api/archive/households/:id/tags';
    const label = kind === 'person' ? 'person' : 'household';
    r.post(
      base,
      {
        schema: {
          tags,
          summary: `Tag a ${label} for a period, from a source, with evidence / 添加标签`,
          description:
            '422 ARCHIVE_TAG_NOT_APPLICABLE for a disabled type, a type for the other kind of record, a grade ' +
            'missing or not wanted, or a period overlapping a tag of the same type.',
          params: ZId,
          body: ZAddTagRequest,
          response: { 201: ZTagCreated, ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const target = await subject(request, kind, request.params.id);
        const id = await addTag(context(request), { ...target, ...request.body });
        return reply.status(201).send({ id });
      },
    );
    r.patch(
      `${base}/:tagId`,
      {
        schema: {
          tags,
          summary: `End a ${label}’s tag on a day / 结束标签`,
          params: ZTagParams,
          body: ZEndTagRequest,
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const target = await subject(request, kind, request.params.id);
        await endTag(context(request), { ...target, tagId: request.params.tagId, validTo: request.body.validTo });
        return reply.status(204).send(null);
      },
    );
  }
}
