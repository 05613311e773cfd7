/**
 * The public side of the loop: a resident (signed in or anonymous) reports and follows a case by
 * its tracking code. Only public fields and public events leave here; never personal data.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { errorResponses } from '../http/schemas.js';
import { caseAbilities } from './case.policy.js';
import { findCase, listEvents } from './case.repository.js';
import { ZPublicCaseView, ZPublicReportRequest, ZReportResponse } from './case.schema.js';
import { reportCase } from './commands/report-case.js';

const tags = ['public'];

export async function publicCaseRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

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
        params: z.strictObject({ trackingCode: z.string().regex(/^[0-9A-Z]{10}$/) }),
        response: { 200: ZPublicCaseView, ...errorResponses(400, 404) },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => {
      const found = await app.db
        .selectFrom('cases')
        .select('id')
        .where('trackingCode', '=', request.params.trackingCode)
        .executeTakeFirst();
      const c = found && (await findCase(app.db, found.id));
      if (!c) throw new AppError('NOT_FOUND');
      const events = (await listEvents(app.db, c.district, c.id)).filter((e) => e.public);
      const abilities = caseAbilities(request.actor, c).filter(
        (a): a is 'callback' | 'reopen' => a === 'callback' || a === 'reopen',
      );
      return {
        number: c.number,
        state: c.state,
        category: { code: c.categoryCode, name: { zh: c.categoryNameZh, en: c.categoryNameEn } },
        title: c.title,
        createdAt: new Date(c.createdAt).toISOString(),
        closeReason: c.closeReason,
        abilities,
        version: c.version,
        events: events.map((e) => ({
          action: e.action,
          toState: e.toState,
          at: new Date(e.createdAt).toISOString(),
          reason: e.action === 'reject' || e.action === 'close' ? e.reason : null,
        })),
      };
    },
  );
}
