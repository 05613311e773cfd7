/**
 * Summonses (约请, "街乡吹哨、部门报到"): the issuing side lists, issues, closes and cancels; the
 * summoned departments list what they are called to and reply once. A case page shows its summonses.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffActor } from '../accounts/actor.js';
import { loadCalendar } from '../calendar/calendar.repository.js';
import { AppError } from '../http/app-error.js';
import { denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { unitPolicy } from '../territory/unit.policy.js';
import { findUnitById } from '../territory/unit.repository.js';
import { loadReadableCase } from './case-ref.js';
import { endSummons } from './commands/end-summons.js';
import { issueSummons, type SummonsContext } from './commands/issue-summons.js';
import { replySummons } from './commands/reply-summons.js';
import { canIssueFor, canReadSummons, canReplyFor } from './summons.policy.js';
import { presentSummons } from './summons.presenter.js';
import { findSummons, listForCase, listIssued, listSummoned, type SummonsRow } from './summons.repository.js';
import { ZEndRequest, ZIssueSummonsRequest, ZReplyRequest, ZSummonsListQuery, ZSummonsView } from './summons.schema.js';

const tags = ['summons'];
const ZParams = z.strictObject({ id: z.uuid() });

export async function summonsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (request: FastifyRequest, actor: StaffActor): SummonsContext => ({
    db: app.db,
    actor,
    requestId: String(request.id),
    ip: request.ip,
  });

  async function present(actor: StaffActor, rows: SummonsRow[]) {
    const calendar = await loadCalendar(app.db);
    const now = new Date();
    return rows.map((s) => presentSummons(actor, s, now, calendar));
  }

  async function presentOne(actor: StaffActor, id: string) {
    const s = await findSummons(app.db, id);
    if (!s) throw new AppError('NOT_FOUND');
    return (await present(actor, [s]))[0] as z.infer<typeof ZSummonsView>;
  }

  /** Loads a summons the actor may read, or 404 (audited). */
  async function loadReadable(request: FastifyRequest, id: string) {
    const s = await findSummons(app.db, id);
    if (!s) throw new AppError('NOT_FOUND');
    if (!canReadSummons(request.actor, s)) await denyOutOfScope(request, { type: 'summons', id, district: s.district });
    return s;
  }

  const listQuery = (q: z.infer<typeof ZSummonsListQuery>) => ({
    ...q,
    overdue: q.overdue === 'true',
    waiting: q.waiting === 'true',
  });

  r.get(
    '/api/summons',
    {
      schema: {
        tags,
        summary: 'Summonses issued in my scope, newest first / 辖区发出的约请',
        description: '`overdue=true`: only those with a department past its reply time and still silent.',
        querystring: ZSummonsListQuery,
        response: { 200: listOf(ZSummonsView), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      return { items: await present(actor, await listIssued(app.db, actor, listQuery(request.query))) };
    },
  );

  r.get(
    '/api/summons/summoned',
    {
      schema: {
        tags,
        summary: 'Summonses calling my department / 约请本部门的事项',
        description:
          '`waiting=true`: my departments have not replied yet; `overdue=true`: and the reply time has passed.',
        querystring: ZSummonsListQuery,
        response: { 200: listOf(ZSummonsView), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      return { items: await present(actor, await listSummoned(app.db, actor, listQuery(request.query))) };
    },
  );

  r.get(
    '/api/summons/:id',
    {
      schema: {
        tags,
        summary: 'One summons with every reply and what I may do / 约请详情',
        params: ZParams,
        response: { 200: ZSummonsView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const s = await loadReadable(request, request.params.id);
      return (await present(actor, [s]))[0] as z.infer<typeof ZSummonsView>;
    },
  );

  r.post(
    '/api/summons',
    {
      schema: {
        tags,
        summary: 'Summon departments to the spot / 发起约请',
        description:
          'The reply time is counted in working time from now (1 working day unless `replyLimit` says otherwise).',
        body: ZIssueSummonsRequest,
        response: { 201: ZSummonsView, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const { unitId, caseId, requestedAt, ...body } = request.body;
      const unit = await findUnitById(app.db, unitId);
      if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path: 'body.unitId', reason: 'not found' }] });
      // Outside every grant: 404 as for any record; visible but no issuing role: 403. Both audited.
      if (!unitPolicy.read(actor, unit))
        await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district });
      if (!canIssueFor(actor, unit.path))
        await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district }, 'forbidden');
      const c = caseId ? await loadReadableCase(request, caseId, 'body.caseId') : undefined;
      const id = await issueSummons(context(request, actor), {
        ...body,
        unit,
        case: c ? { id: c.id, district: c.district, number: c.number } : undefined,
        requestedAt: new Date(requestedAt),
      });
      return reply.status(201).send(await presentOne(actor, id));
    },
  );

  r.post(
    '/api/summons/:id/reply',
    {
      schema: {
        tags,
        summary: 'Reply for my department: come at a time, or decline with a reason / 答复约请',
        description: 'Once per department; a second reply answers 409.',
        params: ZParams,
        body: ZReplyRequest,
        response: { 200: ZSummonsView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const s = await loadReadable(request, request.params.id);
      const { arrivalAt, ...body } = request.body;
      if (!canReplyFor(actor, s, body.departmentId))
        await denyOutOfScope(request, { type: 'summons', id: s.id, district: s.district }, 'forbidden');
      await replySummons(context(request, actor), {
        ...body,
        summonsId: s.id,
        arrivalAt: arrivalAt ? new Date(arrivalAt) : undefined,
      });
      return presentOne(actor, s.id);
    },
  );

  for (const [verb, to, summary] of [
    ['close', 'closed', 'Record the outcome and close the summons / 办结约请（记录结果）'],
    ['cancel', 'cancelled', 'Cancel the summons with a reason / 撤销约请'],
  ] as const) {
    r.post(
      `/api/summons/:id/${verb}`,
      {
        schema: {
          tags,
          summary,
          description: 'Send the `version` you saw; if someone acted first the answer is 409 with the current version.',
          params: ZParams,
          body: ZEndRequest,
          response: { 200: ZSummonsView, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        const actor = requireStaff(request);
        const s = await loadReadable(request, request.params.id);
        if (!canIssueFor(actor, s.unitPath))
          await denyOutOfScope(request, { type: 'summons', id: s.id, district: s.district }, 'forbidden');
        await endSummons(context(request, actor), { ...request.body, summonsId: s.id, to });
        return presentOne(actor, s.id);
      },
    );
  }

  r.get(
    '/api/cases/:id/summons',
    {
      schema: {
        tags,
        summary: 'Summonses about one case / 案件相关的约请',
        params: ZParams,
        response: { 200: listOf(ZSummonsView), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const c = await loadReadableCase(request, request.params.id, 'params.id');
      const rows = (await listForCase(app.db, c.id)).filter((s) => canReadSummons(actor, s));
      return { items: await present(actor, rows) };
    },
  );
}
