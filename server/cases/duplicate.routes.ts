/**
 * Duplicate suggestion (重复案件提示) and following (关注): the dispatcher sees, at intake, the open
 * cases in scope that may report the same problem (to merge); the resident sees them before sending
 * (public fields only) and may follow one instead of reporting again.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_STATES } from '../../common/cases.js';
import { AppError } from '../http/app-error.js';
import { denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { canReadCase } from './case.policy.js';
import { findCase } from './case.repository.js';
import { selectReportable } from './catalogue/catalogue.repository.js';
import { followCase } from './commands/follow-case.js';
import { findDuplicates } from './duplicates.js';
import { countFollowers } from './followers.js';

const ZNamed = z.object({ zh: z.string(), en: z.string() });
const ZCategoryRef = z.object({ code: z.string(), name: ZNamed });

/** The public sees distances rounded up to this many metres, so that a case's point cannot be triangulated. */
export const PUBLIC_DISTANCE_STEP_M = 10;
const PUBLIC_LIMIT = 5;

const ZStaffCandidate = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  state: z.enum(CASE_STATES),
  category: ZCategoryRef,
  relation: z.enum(['same_category', 'related_category']),
  distanceM: z.number(),
  createdAt: z.string(),
  ageHours: z.number(),
  similarity: z.number(),
  score: z.number(),
  followers: z.number(),
});

const ZPublicCandidate = z.object({
  number: z.string(),
  title: z.string(),
  state: z.enum(CASE_STATES),
  category: ZCategoryRef,
  distanceM: z.number(),
  createdAt: z.string(),
  score: z.number(),
});

const ZPublicDuplicateRequest = z.strictObject({
  categoryCode: z.string().regex(/^\d{4}$/, '4 digits'),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  text: z.string().trim().max(4_000).default(''),
});

const ZContact = z.strictObject({
  name: z.string().trim().max(50).optional(),
  phone: z
    .string()
    .regex(/^1\d{10}$/)
    .optional(),
});

export async function duplicateRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/cases/:id/duplicates',
    {
      schema: {
        tags: ['cases'],
        summary: 'Open cases in my scope that may duplicate this one, most likely first / 疑似重复案件',
        description:
          'Same or related category (same major), inside the category’s radius and time window around the case’s report; ' +
          'ranked by distance, time and text similarity. `located` is false for a case without a map point.',
        params: z.strictObject({ id: z.uuid() }),
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(20).default(5) }),
        response: {
          200: z.object({ located: z.boolean(), items: z.array(ZStaffCandidate) }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const c = await findCase(app.db, request.params.id);
      if (!c) throw new AppError('NOT_FOUND');
      if (!canReadCase(actor, c)) await denyOutOfScope(request, { type: 'case', id: c.id, district: c.district });
      if (c.lng === null || c.lat === null) return { located: false, items: [] };
      const found = await findDuplicates(
        app.db,
        {
          categoryId: c.categoryId,
          lng: c.lng,
          lat: c.lat,
          text: `${c.title}\n${c.description}`,
          excludeCaseId: c.id,
          now: new Date(c.createdAt),
          actor,
        },
        request.query.limit,
      );
      const followers = await countFollowers(app.db, found);
      return {
        located: true,
        items: found.map((d) => ({
          id: d.id,
          number: d.number,
          title: d.title,
          state: d.state,
          category: { code: d.category.code, name: { zh: d.category.nameZh, en: d.category.nameEn } },
          relation: d.relation,
          distanceM: d.distanceM,
          createdAt: d.createdAt.toISOString(),
          ageHours: d.ageHours,
          similarity: d.similarity,
          score: d.score,
          followers: followers.get(d.id) ?? 0,
        })),
      };
    },
  );

  r.post(
    '/api/public/duplicates',
    {
      schema: {
        tags: ['public'],
        summary: 'Open cases near my point that may be the problem I am about to report / 提交前查看附近的相同问题',
        description:
          'Public fields only (number, title, state, category, rounded distance); follow one with ' +
          '`POST /api/public/cases/{number}/follow` instead of reporting it again.',
        security: [],
        body: ZPublicDuplicateRequest,
        response: { 200: z.object({ items: z.array(ZPublicCandidate) }), ...errorResponses(400, 422, 429) },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => {
      const { categoryCode, lng, lat, text } = request.body;
      const category = await selectReportable(app.db)
        .select(['id', 'code'])
        .where('code', '=', categoryCode)
        .executeTakeFirst();
      if (!category) {
        throw new AppError('CATEGORY_UNKNOWN', {
          fields: [{ path: 'body.categoryCode', reason: 'unknown, disabled or a major category' }],
        });
      }
      const found = await findDuplicates(app.db, { categoryId: category.id, lng, lat, text }, PUBLIC_LIMIT);
      return {
        items: found.map((d) => ({
          number: d.number,
          title: d.title,
          state: d.state,
          category: { code: d.category.code, name: { zh: d.category.nameZh, en: d.category.nameEn } },
          distanceM: Math.max(
            PUBLIC_DISTANCE_STEP_M,
            Math.ceil(d.distanceM / PUBLIC_DISTANCE_STEP_M) * PUBLIC_DISTANCE_STEP_M,
          ),
          createdAt: d.createdAt.toISOString(),
          score: d.score,
        })),
      };
    },
  );

  r.post(
    '/api/public/cases/:number/follow',
    {
      schema: {
        tags: ['public'],
        summary: 'Follow an open case instead of reporting it again / 关注此案件（不再重复上报）',
        description:
          'Answers a tracking code of your own that shows the case’s public progress (GET /api/public/cases/{trackingCode}). ' +
          'Signed in, you follow once: asking again answers the same code (200).',
        security: [],
        params: z.strictObject({ number: z.string().regex(/^\d{6}-\d{8}-\d{5,}$/, 'a case number') }),
        body: z.strictObject({ contact: ZContact.optional() }).nullish(),
        response: {
          201: z.object({ number: z.string(), trackingCode: z.string() }),
          200: z.object({ number: z.string(), trackingCode: z.string() }),
          ...errorResponses(400, 404, 409, 429),
        },
      },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const actor = request.actor?.kind === 'resident' ? request.actor : null;
      const result = await followCase(
        { db: app.db, actor, requestId: String(request.id), ip: request.ip },
        { number: request.params.number, contact: request.body?.contact },
      );
      return reply
        .status(result.created ? 201 : 200)
        .send({ number: result.number, trackingCode: result.trackingCode });
    },
  );
}
