/**
 * The closed loop for staff: report, list in scope, read one case with its timeline and abilities,
 * take a transition of the workflow table, read the table itself.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WORKFLOW } from '../../common/workflow.js';
import type { StaffActor } from '../accounts/actor.js';
import { loadCalendar } from '../calendar/calendar.repository.js';
import { AppError } from '../http/app-error.js';
import { denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { alarmsOf } from '../intake/alarms.js';
import { photosBySeq } from '../media/photo.presenter.js';
import { listCasePhotos } from '../media/photo.repository.js';
import { canReadCase } from './case.policy.js';
import { maskName, maskPhone, presentCase, presentEvent } from './case.presenter.js';
import { type CaseRow, findCase, listCases, listEvents, resolveUnitFilter } from './case.repository.js';
import {
  ZCaseDetail,
  ZCaseListQuery,
  ZCaseView,
  ZReportResponse,
  ZStaffReportRequest,
  ZTransitionRequest,
} from './case.schema.js';
import { presentSuggestion, suggestCategories } from './category-suggest.js';
import { type CaseContext, reportCase } from './commands/report-case.js';
import { transitionCase } from './commands/transition-case.js';
import { suggestDepartment } from './dispatch-rules.js';
import { listFollowers } from './followers.js';
import { IDEMPOTENCY_DESCRIPTION, reportIdempotency, ZIdempotencyHeaders } from './report-requests.js';

const tags = ['cases'];
const ZParams = z.strictObject({ id: z.uuid() });

export async function caseRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (request: FastifyRequest): CaseContext => ({
    db: app.db,
    locator: app.locator,
    actor: request.actor,
    requestId: String(request.id),
    ip: request.ip,
  });

  /**
   * A case with its timeline and the suggestions for its next step: the categories its words suggest
   * while it waits to be registered, the rules' department while it waits to be dispatched.
   */
  async function detail(actor: StaffActor, c: CaseRow) {
    const [events, suggested, categories, calendar, photos, followers, alarms] = await Promise.all([
      listEvents(app.db, c.district, c.id),
      c.state === 'registered' ? suggestDepartment(app.db, c.categoryId, c.unitPath) : null,
      c.state === 'reported' ? suggestCategories(app.db, c.district, `${c.title}\n${c.description}`) : [],
      loadCalendar(app.db),
      listCasePhotos(app.db, c.district, c.id),
      listFollowers(app.db, c.district, c.id),
      alarmsOf(app.db, c.district, c.id),
    ]);
    const bySeq = photosBySeq(photos);
    return {
      ...presentCase(actor, c, new Date(), calendar),
      events: events.map((e) => presentEvent(e, bySeq.get(e.seq))),
      suggestedDepartmentId: suggested,
      suggestedCategories: categories.map(presentSuggestion),
      followers: followers.map((f) => ({
        via: f.via,
        mergedCaseNumber: f.mergedCaseNumber,
        name: maskName(f.contactName),
        phone: maskPhone(f.contactPhone),
        resident: f.resident,
        since: f.createdAt.toISOString(),
      })),
      alarms,
    };
  }

  /** Loads a case the actor may read, or 404 (audited). */
  async function loadReadable(request: FastifyRequest, id: string) {
    const c = await findCase(app.db, id);
    if (!c) throw new AppError('NOT_FOUND');
    if (!canReadCase(request.actor, c)) await denyOutOfScope(request, { type: 'case', id, district: c.district });
    return c;
  }

  r.get(
    '/api/workflow',
    {
      schema: {
        tags,
        summary: 'The case workflow table: every transition, who may take it, what it needs / 案件流转规则表',
        response: { 200: z.object({ transitions: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async () => ({ transitions: WORKFLOW.map((t) => ({ ...t })) }),
  );

  r.post(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'Report a case: patrol, hotline, survey or board / 上报案件',
        description:
          '201 with the new case. A hotline call with an `externalId` (the work order) already taken answers its case ' +
          '(200, created: false), or 409 EXTERNAL_ID_TAKEN when that case is outside your scope. ' +
          IDEMPOTENCY_DESCRIPTION,
        headers: ZIdempotencyHeaders,
        body: ZStaffReportRequest,
        response: { 201: ZReportResponse, 200: ZReportResponse, ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const { caller, ...body } = request.body;
      const key = request.headers['idempotency-key'];
      const result = await reportCase(context(request), {
        ...body,
        idempotency: await reportIdempotency(app.db, actor, request.ip, key, request.body),
        reporter:
          body.channel === 'hotline'
            ? { kind: 'caller', name: caller?.name, phone: caller?.phone }
            : { kind: 'staff', accountId: actor.id },
      });
      // A work-order id names one case in the whole installation: answering it to someone who may not
      // read that case would hand out its number and tracking code.
      if (!result.created && body.externalId) {
        const c = await findCase(app.db, result.id);
        if (!c || !canReadCase(actor, c)) throw new AppError('EXTERNAL_ID_TAKEN');
      }
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  r.get(
    '/api/cases',
    {
      schema: {
        tags,
        summary: 'Cases in my scope, newest first / 辖区案件列表',
        querystring: ZCaseListQuery,
        response: { 200: listOf(ZCaseView), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const [rows, calendar] = await Promise.all([
        resolveUnitFilter(app.db, request.query.unitId).then((unitPath) =>
          listCases(app.db, actor, { ...request.query, unitPath, overdue: request.query.overdue === 'true' }),
        ),
        loadCalendar(app.db),
      ]);
      const now = new Date();
      return { items: rows.map((c) => presentCase(actor, c, now, calendar)) };
    },
  );

  r.get(
    '/api/cases/:id',
    {
      schema: {
        tags,
        summary: 'One case: details, clock, timeline and what I may do / 案件详情',
        params: ZParams,
        response: { 200: ZCaseDetail, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const c = await loadReadable(request, request.params.id);
      return detail(actor, c);
    },
  );

  r.post(
    '/api/cases/:id/transitions',
    {
      schema: {
        tags,
        summary: 'Take one step of the workflow (register, dispatch, acknowledge, return …) / 案件流转',
        description:
          'Send the `version` you saw; if someone acted first the answer is 409 with the current state and version.',
        params: ZParams,
        body: ZTransitionRequest,
        response: { 200: ZCaseDetail, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      await loadReadable(request, request.params.id);
      await transitionCase(context(request), { ...request.body, caseId: request.params.id });
      const c = await findCase(app.db, request.params.id);
      if (!c) throw new AppError('NOT_FOUND');
      return detail(actor, c);
    },
  );
}
