/**
 * Joint meetings (联席会议): convene with attendees and the cases discussed, keep the minutes, link
 * cases, record decisions with an owner and a due date, and mark them done.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffActor } from '../accounts/actor.js';
import { AppError } from '../http/app-error.js';
import { denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { unitPolicy } from '../territory/unit.policy.js';
import { findUnitById } from '../territory/unit.repository.js';
import { loadReadableCase } from './case-ref.js';
import type { SummonsContext } from './commands/issue-summons.js';
import {
  addDecision,
  createMeeting,
  linkMeetingCase,
  markDecisionDone,
  updateMeeting,
} from './commands/meeting-commands.js';
import { presentMeeting, presentMeetingSummary } from './meeting.presenter.js';
import { findMeeting, listMeetings, meetingForPolicy } from './meeting.repository.js';
import {
  ZAddDecisionRequest,
  ZCreateMeetingRequest,
  ZLinkCaseRequest,
  ZMeetingListQuery,
  ZMeetingSummary,
  ZMeetingView,
  ZUpdateMeetingRequest,
} from './meeting.schema.js';
import { canManageMeeting, canReadMeeting, mayCompleteDecision } from './summons.policy.js';

const tags = ['meetings'];
const ZParams = z.strictObject({ id: z.uuid() });

export async function meetingRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (request: FastifyRequest, actor: StaffActor): SummonsContext => ({
    db: app.db,
    actor,
    requestId: String(request.id),
    ip: request.ip,
  });

  /** Loads a meeting the actor may read, or 404 (audited). */
  async function loadReadable(request: FastifyRequest, id: string) {
    const m = await findMeeting(app.db, id);
    if (!m) throw new AppError('NOT_FOUND');
    if (!canReadMeeting(request.actor, meetingForPolicy(m)))
      await denyOutOfScope(request, { type: 'joint_meeting', id, district: m.district });
    return m;
  }

  /** Loads a meeting the actor may record (the convening side), or 404 / 403 (audited). */
  async function loadManageable(request: FastifyRequest, id: string) {
    const m = await loadReadable(request, id);
    if (!canManageMeeting(request.actor, m))
      await denyOutOfScope(request, { type: 'joint_meeting', id, district: m.district }, 'forbidden');
    return m;
  }

  async function view(actor: StaffActor, id: string) {
    const m = await findMeeting(app.db, id);
    if (!m) throw new AppError('NOT_FOUND');
    return presentMeeting(actor, m);
  }

  r.get(
    '/api/joint-meetings',
    {
      schema: {
        tags,
        summary: 'Joint meetings in my scope or that I (my department) attended / 联席会议列表',
        description: '`overdue=true`: only meetings with a decision past its due date and not done.',
        querystring: ZMeetingListQuery,
        response: { 200: listOf(ZMeetingSummary), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const rows = await listMeetings(app.db, actor, { ...request.query, overdue: request.query.overdue === 'true' });
      return { items: rows.map(presentMeetingSummary) };
    },
  );

  r.post(
    '/api/joint-meetings',
    {
      schema: {
        tags,
        summary: 'Record a joint meeting: attendees and the cases discussed / 新建联席会议',
        body: ZCreateMeetingRequest,
        response: { 201: ZMeetingView, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const { unitId, caseIds, heldAt, ...body } = request.body;
      const unit = await findUnitById(app.db, unitId);
      if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path: 'body.unitId', reason: 'not found' }] });
      if (!unitPolicy.read(actor, unit))
        await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district });
      if (!canManageMeeting(actor, { unitPath: unit.path }))
        await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district }, 'forbidden');
      const cases = [];
      for (const [i, caseId] of (caseIds ?? []).entries()) {
        const c = await loadReadableCase(request, caseId, `body.caseIds.${i}`);
        cases.push({ id: c.id, district: c.district, number: c.number });
      }
      const id = await createMeeting(context(request, actor), { ...body, unit, heldAt: new Date(heldAt), cases });
      return reply.status(201).send(await view(actor, id));
    },
  );

  r.get(
    '/api/joint-meetings/:id',
    {
      schema: {
        tags,
        summary: 'One joint meeting: minutes, attendees, cases and decisions / 联席会议详情',
        params: ZParams,
        response: { 200: ZMeetingView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      return presentMeeting(actor, await loadReadable(request, request.params.id));
    },
  );

  r.patch(
    '/api/joint-meetings/:id',
    {
      schema: {
        tags,
        summary: 'Change the record: minutes, time, place, subject / 修改会议记录',
        description: 'Send the `version` you saw; a stale one answers 409.',
        params: ZParams,
        body: ZUpdateMeetingRequest,
        response: { 200: ZMeetingView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const m = await loadManageable(request, request.params.id);
      const { version, heldAt, ...changes } = request.body;
      await updateMeeting(context(request, actor), {
        meetingId: m.id,
        version,
        changes: { ...changes, heldAt: heldAt ? new Date(heldAt) : undefined },
      });
      return view(actor, m.id);
    },
  );

  r.post(
    '/api/joint-meetings/:id/cases',
    {
      schema: {
        tags,
        summary: 'Link a case discussed at the meeting / 关联讨论的案件',
        description: 'The case must be one I may read; linking it again changes nothing.',
        params: ZParams,
        body: ZLinkCaseRequest,
        response: { 200: ZMeetingView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const m = await loadManageable(request, request.params.id);
      const c = await loadReadableCase(request, request.body.caseId, 'body.caseId');
      await linkMeetingCase(context(request, actor), {
        meetingId: m.id,
        case: { id: c.id, district: c.district, number: c.number },
      });
      return view(actor, m.id);
    },
  );

  r.post(
    '/api/joint-meetings/:id/decisions',
    {
      schema: {
        tags,
        summary: 'Add a decision with its owner and due date / 添加议定事项',
        params: ZParams,
        body: ZAddDecisionRequest,
        response: { 201: ZMeetingView, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const m = await loadManageable(request, request.params.id);
      await addDecision(context(request, actor), { ...request.body, meetingId: m.id });
      return reply.status(201).send(await view(actor, m.id));
    },
  );

  r.post(
    '/api/joint-meetings/:id/decisions/:decisionId/done',
    {
      schema: {
        tags,
        summary: 'Mark a decision done (convening side or its owner) / 议定事项办结',
        params: z.strictObject({ id: z.uuid(), decisionId: z.uuid() }),
        response: { 200: ZMeetingView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const m = await loadReadable(request, request.params.id);
      const d = m.decisions.find((x) => x.id === request.params.decisionId);
      if (!d) throw new AppError('NOT_FOUND');
      if (!mayCompleteDecision(actor, m, d))
        await denyOutOfScope(request, { type: 'joint_meeting', id: m.id, district: m.district }, 'forbidden');
      await markDecisionDone(context(request, actor), { meetingId: m.id, decisionId: d.id });
      return view(actor, m.id);
    },
  );
}
