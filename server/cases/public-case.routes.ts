/**
 * The public side of the loop: a resident (signed in or anonymous) reports and follows a case by
 * its tracking code. Only public fields and public events leave here; never personal data.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { errorResponses } from '../http/schemas.js';
import { caseAbilities, type TrackingActor } from './case.policy.js';
import { type CaseRow, findCase, listEvents } from './case.repository.js';
import {
  ZPublicCallbackRequest,
  ZPublicCaseView,
  ZPublicReopenRequest,
  ZPublicReportRequest,
  ZReportResponse,
} from './case.schema.js';
import { reportCase } from './commands/report-case.js';
import { type TransitionProps, transitionCase } from './commands/transition-case.js';

const tags = ['public'];

const ZTrackingParams = z.strictObject({ trackingCode: z.string().regex(/^[0-9A-Z]{10}$/) });

export async function publicCaseRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** The case a tracking code belongs to, or 404 (the same answer for a wrong code and a missing case). */
  async function byTrackingCode(trackingCode: string): Promise<CaseRow> {
    const found = await app.db
      .selectFrom('cases')
      .select('id')
      .where('trackingCode', '=', trackingCode)
      .executeTakeFirst();
    const c = found && (await findCase(app.db, found.id));
    if (!c) throw new AppError('NOT_FOUND');
    return c;
  }

  /** Public fields and public events only; the holder of the code may rate or dispute. */
  async function publicView(c: CaseRow) {
    const events = (await listEvents(app.db, c.district, c.id)).filter((e) => e.public);
    const holder: TrackingActor = { kind: 'tracking', id: null, caseId: c.id };
    const abilities = caseAbilities(holder, c).filter(
      (a): a is 'callback' | 'reopen' => a === 'callback' || a === 'reopen',
    );
    return {
      number: c.number,
      state: c.state,
      category: { code: c.categoryCode, name: { zh: c.categoryNameZh, en: c.categoryNameEn } },
      title: c.title,
      createdAt: new Date(c.createdAt).toISOString(),
      closeReason: c.closeReason,
      satisfaction: c.satisfaction,
      abilities,
      version: c.version,
      events: events.map((e) => ({
        action: e.action,
        toState: e.toState,
        at: new Date(e.createdAt).toISOString(),
        reason: e.action === 'reject' || e.action === 'close' ? e.reason : null,
      })),
    };
  }

  /** The reporter's own step by tracking code: a callback rating or a dispute that reopens the case. */
  async function reporterStep(
    request: FastifyRequest,
    trackingCode: string,
    step: Pick<TransitionProps, 'action' | 'version' | 'reason' | 'satisfaction' | 'solved'>,
  ) {
    const c = await byTrackingCode(trackingCode);
    await transitionCase(
      {
        db: app.db,
        locator: app.locator,
        actor: { kind: 'tracking', id: null, caseId: c.id },
        requestId: String(request.id),
        ip: request.ip,
      },
      { ...step, caseId: c.id },
    );
    return publicView(await byTrackingCode(trackingCode));
  }

  r.post(
    '/api/public/cases/:trackingCode/callback',
    {
      schema: {
        tags,
        summary: 'Rate the handling of my case after it was closed (回访评价) / 结案后评价',
        description: 'One rating per closure. Send the `version` from the public view; 409 if the case changed.',
        security: [],
        params: ZTrackingParams,
        body: ZPublicCallbackRequest,
        response: { 200: ZPublicCaseView, ...errorResponses(400, 403, 404, 409, 422, 429) },
      },
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (request) => reporterStep(request, request.params.trackingCode, { action: 'callback', ...request.body }),
  );

  r.post(
    '/api/public/cases/:trackingCode/reopen',
    {
      schema: {
        tags,
        summary:
          'Dispute the closure of my case within the dispute window; it goes back to the dispatcher / 对结案有异议，申请重新办理',
        security: [],
        params: ZTrackingParams,
        body: ZPublicReopenRequest,
        response: { 200: ZPublicCaseView, ...errorResponses(400, 403, 404, 409, 422, 429) },
      },
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (request) => reporterStep(request, request.params.trackingCode, { action: 'reopen', ...request.body }),
  );

  r.post(
    '/api/public/cases',
    {
      schema: {
        tags,
        summary: 'Report a problem as a resident, signed in or anonymously / 居民随手拍',
        security: [],
        body: ZPublicReportRequest,
        response: { 201: ZReportResponse, ...errorResponses(400, 422, 429) },
      },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const actor = request.actor?.kind === 'resident' ? request.actor : null;
      const { contact, ...body } = request.body;
      const result = await reportCase(
        { db: app.db, locator: app.locator, actor, requestId: String(request.id), ip: request.ip },
        {
          ...body,
          channel: 'resident',
          reporter: actor
            ? {
                kind: 'resident',
                residentId: actor.id,
                name: contact?.name ?? actor.displayName,
                phone: contact?.phone ?? actor.phone,
              }
            : { kind: 'anonymous', name: contact?.name, phone: contact?.phone },
        },
      );
      return reply.status(201).send(result);
    },
  );

  r.get(
    '/api/public/cases/:trackingCode',
    {
      schema: {
        tags,
        summary: 'Follow a case by its tracking code (public fields only) / 按查询码查看进度',
        security: [],
        params: ZTrackingParams,
        response: { 200: ZPublicCaseView, ...errorResponses(400, 404) },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => {
      const c = await byTrackingCode(request.params.trackingCode);
      return publicView(c);
    },
  );
}
