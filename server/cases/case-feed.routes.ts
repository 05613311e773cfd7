/**
 * The wall display's live feed over HTTP: the latest steps of cases in the actor's scope, with
 * nothing personal in them (see case-feed.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_STATES } from '../../common/cases.js';
import { CASE_ACTIONS } from '../../common/workflow.js';
import { requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { LIGHTS } from './case-board.js';
import { caseFeed, FEED_LIMIT } from './case-feed.js';

export const ZFeedQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(FEED_LIMIT.max).default(FEED_LIMIT.default),
});

export const ZFeedStep = z.object({
  caseId: z.string(),
  number: z.string(),
  seq: z.number().int(),
  action: z.enum(CASE_ACTIONS),
  toState: z.enum(CASE_STATES),
  category: z.object({ code: z.string(), name: z.object({ zh: z.string(), en: z.string() }) }),
  unitName: z.string().nullable().describe('The unit the case is placed in (its grid)'),
  light: z.enum(LIGHTS).describe('The case’s light now'),
  at: z.string(),
});

export async function caseFeedRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/cases/feed',
    {
      schema: {
        tags: ['cases'],
        summary: 'The latest steps of cases in my scope, newest first, without personal data / 大屏实时动态',
        querystring: ZFeedQuery,
        response: { 200: listOf(ZFeedStep), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const steps = await caseFeed(app.db, actor, request.query.limit);
      return {
        items: steps.map((s) => ({
          caseId: s.caseId,
          number: s.number,
          seq: s.seq,
          action: s.action,
          toState: s.toState,
          category: { code: s.categoryCode, name: { zh: s.categoryNameZh, en: s.categoryNameEn } },
          unitName: s.unitName,
          light: s.light,
          at: new Date(s.at).toISOString(),
        })),
      };
    },
  );
}
