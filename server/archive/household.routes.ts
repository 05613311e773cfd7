/**
 * Households over HTTP (一户一档): search by address and tag within scope, the household's file
 * (members masked, tags, attachments), filing a household with its members (exactly one head),
 * changing it, and attaching images to its file. Reads are audited naming every member shown.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { beijingToday } from '../../common/id-number.js';
import { AppError } from '../http/app-error.js';
import { auditContext, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { openVariant } from '../media/media.store.js';
import { fieldsShown, readsTerritorially } from './archive.policy.js';
import { ZId } from './archive.schema.js';
import { loadArchiveAccess } from './archive.scope.js';
import { auditRead } from './archive-audit.js';
import { loadHousehold, loadPerson, placementUnit } from './archive-load.js';
import type { ArchiveContext } from './commands/archive-context.js';
import { attachToHousehold } from './commands/attach-to-household.js';
import { createHousehold } from './commands/create-household.js';
import type { MemberInput } from './commands/household-members.js';
import { updateHousehold } from './commands/update-household.js';
import { presentHousehold, presentHouseholdSummary } from './household.presenter.js';
import { attachmentsOf, membersOf, searchHouseholds } from './household.repository.js';
import {
  ZAttachmentParams,
  ZAttachRequest,
  ZCreateHouseholdRequest,
  ZHouseholdPage,
  ZHouseholdQuery,
  ZHouseholdView,
  ZUpdateHouseholdRequest,
} from './household.schema.js';
import { tagTypeNames } from './person.presenter.js';
import { peopleByIds, peopleFilters, tagsOf } from './person.repository.js';
import { loadPlace } from './place.repository.js';

const tags = ['archive'];

export async function householdRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (request: FastifyRequest): ArchiveContext => ({ db: app.db, who: auditContext(request) });

  /** Each listed member loaded and authorized for writing (someone outside the writer's scope: 404, audited). */
  async function members(
    request: FastifyRequest,
    list: { personId: string; relation: MemberInput['relation']; joinedOn?: string | null | undefined }[],
  ) {
    const out: MemberInput[] = [];
    for (const m of list) {
      const { row } = await loadPerson(request, m.personId, 'write');
      out.push({ person: row, relation: m.relation, joinedOn: m.joinedOn });
    }
    return out;
  }

  /** The household's file as the actor may see it. */
  async function detail(request: FastifyRequest, id: string) {
    const loaded = await loadHousehold(request, id);
    const h = loaded.row;
    const [memberRows, tagRows, attachments, names] = await Promise.all([
      membersOf(app.db, h.district, h.id),
      tagsOf(app.db, 'household', h.district, h.id),
      attachmentsOf(app.db, h.district, h.id),
      tagTypeNames(app.db),
    ]);
    const people = await peopleByIds(
      app.db,
      h.district,
      memberRows.map((m) => m.personId),
      loaded.today,
    );
    const view = presentHousehold(
      loaded.access,
      { household: h, record: loaded.record, members: memberRows, people, tags: tagRows, attachments },
      names,
      loaded.today,
    );
    return { view, loaded };
  }

  r.get(
    '/api/archive/households',
    {
      schema: {
        tags,
        summary: 'Find households in my scope by address, tag or unit / 户查询',
        querystring: ZHouseholdQuery,
        response: { 200: ZHouseholdPage, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const { page, pageSize, ...query } = request.query;
      const today = beijingToday();
      const access = await loadArchiveAccess(app.db, actor);
      const filters = await peopleFilters(app.db, query);
      const result = await searchHouseholds(app.db, access, filters, { page, pageSize }, today);
      const names = await tagTypeNames(app.db);
      await auditRead(app.db, auditContext(request), {
        people: result.items.flatMap((h) => (h.headId ? [h.headId] : [])),
        via: 'list',
        fields: ['household.address', 'household.head.name', 'household.tags'],
        purpose: null,
        query,
      });
      return {
        items: result.items.map((h) => presentHouseholdSummary(access, h, names)),
        total: result.total,
        page,
        pageSize,
      };
    },
  );

  r.post(
    '/api/archive/households',
    {
      schema: {
        tags,
        summary: 'File a household with its members: exactly one head / 新建户档案',
        description:
          '422 ARCHIVE_HOUSEHOLD_HEAD unless exactly one member is the head; 409 ARCHIVE_ALREADY_MEMBER when ' +
          'someone belongs to another household. Members move to the household’s unit and address.',
        body: ZCreateHouseholdRequest,
        response: { 201: ZHouseholdView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const unit = await placementUnit(request, app.db, body.unitId);
      const building = body.buildingId ? await loadPlace(request, 'building', body.buildingId, 'write') : undefined;
      const dwelling = body.dwellingId ? await loadPlace(request, 'dwelling', body.dwellingId, 'write') : undefined;
      const id = await createHousehold(context(request), {
        unit,
        building,
        dwelling: dwelling?.buildingId ? { ...dwelling, buildingId: dwelling.buildingId } : undefined,
        number: body.number,
        address: body.address,
        notes: body.notes,
        members: await members(request, body.members),
      });
      return reply.status(201).send((await detail(request, id)).view);
    },
  );

  r.get(
    '/api/archive/households/:id',
    {
      schema: {
        tags,
        summary: 'A household’s file: members (masked), tags, attachments; audited / 户档案',
        params: ZId,
        response: { 200: ZHouseholdView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { view, loaded } = await detail(request, request.params.id);
      await auditRead(
        app.db,
        auditContext(request),
        {
          people: view.members.map((m) => m.person.id),
          via: 'household',
          // Members are shown as summaries: the fields a department's view has.
          fields: fieldsShown(false),
          purpose: null,
          household: view.id,
        },
        { type: 'household', id: view.id, district: loaded.row.district },
      );
      return view;
    },
  );

  r.patch(
    '/api/archive/households/:id',
    {
      schema: {
        tags,
        summary: 'Change a household: address, number, notes, or its members as a whole list / 修改户档案',
        params: ZId,
        body: ZUpdateHouseholdRequest,
        response: { 200: ZHouseholdView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const loaded = await loadHousehold(request, request.params.id, 'write');
      const { members: list, ...rest } = request.body;
      await updateHousehold(context(request), {
        household: loaded.row,
        ...rest,
        members: list ? await members(request, list) : undefined,
      });
      return (await detail(request, loaded.row.id)).view;
    },
  );

  r.post(
    '/api/archive/households/:id/attachments',
    {
      schema: {
        tags,
        summary: 'Add an image I uploaded to the household’s file / 户档案添加附件',
        description: '422 PHOTO_UNKNOWN unless the key is an upload of the signed-in person (POST /api/media).',
        params: ZId,
        body: ZAttachRequest,
        response: { 201: ZHouseholdView, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const loaded = await loadHousehold(request, request.params.id, 'write');
      await attachToHousehold(context(request), { household: loaded.row, actor: loaded.actor, ...request.body });
      return reply.status(201).send((await detail(request, loaded.row.id)).view);
    },
  );

  r.get(
    '/api/archive/households/:id/attachments/:attachmentId/:variant',
    {
      schema: {
        tags,
        summary: 'An image of the household’s file (thumbnail or metadata-free copy); audited / 查看户档案附件',
        params: ZAttachmentParams,
        produces: ['image/jpeg', 'image/webp'],
        response: { 200: z.file(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const loaded = await loadHousehold(request, request.params.id);
      // Attachments are part of the territorial file; a department sees none (household.presenter.ts).
      if (!readsTerritorially(loaded.access, loaded.record)) throw new AppError('NOT_FOUND');
      const attachment = await app.db
        .selectFrom('householdAttachment')
        .select('key')
        .where('district', '=', loaded.row.district)
        .where('householdId', '=', loaded.row.id)
        .where('id', '=', request.params.attachmentId)
        .executeTakeFirst();
      const opened = attachment ? await openVariant(app.config.mediaDir, attachment.key, request.params.variant) : null;
      if (!opened) throw new AppError('NOT_FOUND');
      await auditRead(
        app.db,
        auditContext(request),
        { people: [], via: 'household', fields: ['attachment'], purpose: null, household: loaded.row.id },
        { type: 'household', id: loaded.row.id, district: loaded.row.district },
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
