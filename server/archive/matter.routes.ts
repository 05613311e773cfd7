/**
 * 一事一表 over HTTP: matter forms (defined by installation administrators) and the filled records
 * on a person or household. Records are part of the territorial file: departments see none.
 * Reading them is audited like reading the person.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MATTER_FIELD_TYPES, TAG_SUBJECTS } from '../../common/archive.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { archivePolicy, readsTerritorially } from './archive.policy.js';
import { ZId } from './archive.schema.js';
import { auditRead } from './archive-audit.js';
import { loadHousehold, loadPerson } from './archive-load.js';
import type { ArchiveContext } from './commands/archive-context.js';
import { createMatterForm, recordMatter } from './commands/matter-commands.js';
import { membersOf } from './household.repository.js';

const tags = ['archive'];

const ZMatterField = z.strictObject({
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/),
  labelZh: z.string().trim().min(1).max(60),
  labelEn: z.string().trim().min(1).max(120),
  type: z.enum(MATTER_FIELD_TYPES),
  required: z.boolean().default(false),
  options: z.array(z.string().trim().min(1).max(60)).max(50).optional(),
});

const ZMatterFormView = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  appliesTo: z.enum(TAG_SUBJECTS),
  fields: z.array(ZMatterField),
  version: z.number(),
  disabled: z.boolean(),
});

const ZCreateMatterFormRequest = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  nameZh: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(120),
  appliesTo: z.enum(TAG_SUBJECTS),
  fields: z.array(ZMatterField).min(1).max(60),
});

const ZAnswers = z.record(z.string().max(40), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]));
const ZRecordMatterRequest = z.strictObject({ formId: z.uuid(), answers: ZAnswers });

const ZMatterRecordView = z.object({
  id: z.string(),
  form: z.object({ id: z.string(), code: z.string(), nameZh: z.string(), nameEn: z.string() }),
  formVersion: z.number(),
  answers: ZAnswers,
  createdAt: z.string(),
});

export async function matterRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (request: FastifyRequest): ArchiveContext => ({ db: app.db, who: auditContext(request) });

  async function forms(id?: string) {
    const rows = await app.db
      .selectFrom('matterForm')
      .selectAll()
      .$if(id !== undefined, (q) => q.where('id', '=', id ?? ''))
      .orderBy('code')
      .execute();
    return rows.map((f) => ({
      id: f.id,
      code: f.code,
      nameZh: f.nameZh,
      nameEn: f.nameEn,
      appliesTo: f.appliesTo,
      fields: f.fields.map((x) => ({ ...x, required: x.required })),
      version: f.version,
      disabled: f.disabled,
    }));
  }

  r.get(
    '/api/archive/matter-forms',
    {
      schema: {
        tags,
        summary: 'Matter forms (一事一表) / 一事一表表单',
        response: { 200: listOf(ZMatterFormView), ...errorResponses(401) },
      },
    },
    async (request) => {
      requireStaff(request);
      return { items: await forms() };
    },
  );

  r.post(
    '/api/archive/matter-forms',
    {
      schema: {
        tags,
        summary: 'Define a matter form: its fields as data (installation administrators) / 新建一事一表',
        body: ZCreateMatterFormRequest,
        response: { 201: ZMatterFormView, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      if (!archivePolicy.manageTypes(actor)) throw new AppError('FORBIDDEN');
      const id = await createMatterForm(context(request), request.body);
      const [form] = await forms(id);
      if (!form) throw new AppError('NOT_FOUND');
      return reply.status(201).send(form);
    },
  );

  /** The record, authorized (`write` to file; reading needs the territorial file), and the people it concerns. */
  async function subject(request: FastifyRequest, kind: 'person' | 'household', id: string, need: 'read' | 'write') {
    const loaded = kind === 'person' ? await loadPerson(request, id, need) : await loadHousehold(request, id, need);
    const { row } = loaded;
    if (!readsTerritorially(loaded.access, loaded.record))
      await denyOutOfScope(request, { type: kind, id: row.id, district: row.district }, 'forbidden');
    const people =
      kind === 'person' ? [row.id] : (await membersOf(app.db, row.district, row.id)).map((m) => m.personId);
    return { subject: { kind, id: row.id, district: row.district, unitPath: row.unitPath }, people };
  }

  for (const kind of ['person', 'household'] as const) {
    const base =
      kind === 'person' ? '/api/archive/people/:id/matter-records' : '/api/archive/households/:id/matter-records';
    r.post(
      base,
      {
        schema: {
          tags,
          summary: `File a filled matter form on the ${kind} / 填报一事一表`,
          description: '422 ARCHIVE_MATTER_ANSWERS_INVALID names each answer that does not fit its field.',
          params: ZId,
          body: ZRecordMatterRequest,
          response: { 201: z.object({ id: z.string() }), ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const target = await subject(request, kind, request.params.id, 'write');
        const id = await recordMatter(context(request), { ...target, ...request.body });
        return reply.status(201).send({ id });
      },
    );
    r.get(
      base,
      {
        schema: {
          tags,
          summary: `The ${kind}’s filled matter forms, newest first; audited / 一事一表记录`,
          params: ZId,
          response: { 200: listOf(ZMatterRecordView), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const target = await subject(request, kind, request.params.id, 'read');
        const rows = await app.db
          .selectFrom('matterRecord as m')
          .innerJoin('matterForm as f', 'f.id', 'm.formId')
          .select([
            'm.id',
            'm.formVersion',
            'm.answers',
            'm.createdAt',
            'f.id as formId',
            'f.code',
            'f.nameZh',
            'f.nameEn',
          ])
          .where('m.district', '=', target.subject.district)
          .where(kind === 'person' ? 'm.personId' : 'm.householdId', '=', target.subject.id)
          .orderBy('m.createdAt', 'desc')
          .execute();
        await auditRead(
          app.db,
          auditContext(request),
          {
            people: target.people,
            via: kind === 'person' ? 'detail' : 'household',
            fields: ['matterRecords'],
            purpose: null,
          },
          { type: kind, id: target.subject.id, district: target.subject.district },
        );
        return {
          items: rows.map((m) => ({
            id: m.id,
            form: { id: m.formId, code: m.code, nameZh: m.nameZh, nameEn: m.nameEn },
            formVersion: m.formVersion,
            answers: m.answers,
            createdAt: m.createdAt.toISOString(),
          })),
        };
      },
    );
  }
}
