/**
 * The public side of the loop: a resident (signed in or anonymous) reports and follows a case by
 * its tracking code. Only public fields and public events leave here; never personal data.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { errorResponses } from '../http/schemas.js';
import { photosBySeq, presentPublicPhoto } from '../media/photo.presenter.js';
import { listCasePhotos } from '../media/photo.repository.js';
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
import { mergeTarget, resolveTrackingCode } from './followers.js';
import { IDEMPOTENCY_DESCRIPTION, reportIdempotency, ZIdempotencyHeaders } from './report-requests.js';

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

  /**
   * A case's public events, with the reasons the public may read and the public copies of their
   * photos, fetched through the code that asks (a follower's code never reveals the reporter's).
   */
  async function publicEvents(c: CaseRow, trackingCode: string) {
    const events = (await listEvents(app.db, c.district, c.id)).filter((e) => e.public);
    const photos = photosBySeq((await listCasePhotos(app.db, c.district, c.id)).filter((p) => p.public));
    return events.map((e) => ({
      action: e.action,
      toState: e.toState,
      at: new Date(e.createdAt).toISOString(),
      reason: e.action === 'reject' || e.action === 'close' ? e.reason : null,
      photos: (photos.get(e.seq) ?? []).map((p) => presentPublicPhoto(trackingCode, p)),
    }));
  }

  /** The public events and, gathered from them, the photos (the tracking page's gallery). */
  async function timeline(c: CaseRow, trackingCode: string) {
    const events = await publicEvents(c, trackingCode);
    return { events, photos: events.flatMap((e) => e.photos) };
  }

  /**
   * Public fields and public events only; the reporter's code may rate or dispute, a follower's only
   * watches. A merged case carries the progress of the case it went into.
   */
  async function publicView(c: CaseRow, trackingCode: string, follower = false) {
    const holder: TrackingActor = { kind: 'tracking', id: null, caseId: c.id };
    const abilities = follower
      ? []
      : caseAbilities(holder, c).filter((a): a is 'callback' | 'reopen' => a === 'callback' || a === 'reopen');
    const target = c.state === 'merged' ? await mergeTarget(app.db, c) : undefined;
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
      ...(await timeline(c, trackingCode)),
      follower,
      mergedInto: target
        ? {
            number: target.number,
            state: target.state,
            title: target.title,
            createdAt: new Date(target.createdAt).toISOString(),
            closeReason: target.closeReason,
            events: await publicEvents(target, trackingCode),
          }
        : null,
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
    return publicView(await byTrackingCode(trackingCode), trackingCode);
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
        description: `201 with the new case and its tracking code. ${IDEMPOTENCY_DESCRIPTION}`,
        security: [],
        headers: ZIdempotencyHeaders,
        body: ZPublicReportRequest,
        response: { 201: ZReportResponse, 200: ZReportResponse, ...errorResponses(400, 422, 429) },
      },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const actor = request.actor?.kind === 'resident' ? request.actor : null;
      const { contact, ...body } = request.body;
      const key = request.headers['idempotency-key'];
      const result = await reportCase(
        { db: app.db, locator: app.locator, actor, requestId: String(request.id), ip: request.ip },
        {
          ...body,
          idempotency: await reportIdempotency(app.db, actor, request.ip, key, request.body),
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
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  r.get(
    '/api/public/cases/:trackingCode',
    {
      schema: {
        tags,
        summary: 'Follow a case by its tracking code (public fields only) / 按查询码查看进度',
        description:
          'A reporter’s code or a follower’s (关注). A merged case shows the case it went into under `mergedInto`.',
        security: [],
        params: ZTrackingParams,
        response: { 200: ZPublicCaseView, ...errorResponses(400, 404) },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => {
      const found = await resolveTrackingCode(app.db, request.params.trackingCode);
      const c = found && (await findCase(app.db, found.caseId));
      if (!found || !c) throw new AppError('NOT_FOUND');
      return publicView(c, request.params.trackingCode, found.follower);
    },
  );
}
