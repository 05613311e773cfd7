/**
 * Category suggestion over HTTP (类别建议): for a text being typed (staff report forms, the resident's
 * form) and, at intake, for the dispatcher's queue — each case waiting to be registered with the
 * categories its words suggest and the open cases it may duplicate.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { canReadCase } from './case.policy.js';
import { findCase } from './case.repository.js';
import { ZCategorySuggestion } from './case.schema.js';
import { presentSuggestion, suggestCategories } from './category-suggest.js';
import { findDuplicates } from './duplicates.js';

const ZTextQuery = z.strictObject({
  text: z.string().trim().min(1).max(600),
  limit: z.coerce.number().int().min(1).max(5).default(3),
});

/** At most this many cases per intake-hints request (one page of the queue). */
const MAX_HINT_CASES = 50;
const HINT_DUPLICATES = 3;

export async function categorySuggestRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/cases/category-suggestions',
    {
      schema: {
        tags: ['cases'],
        summary: 'Likely categories of a description, learnt from registered cases / 按描述建议案件类别',
        description:
          'A naive Bayes over the words of the district’s recent registered cases and the categories’ names and ' +
          'keywords. Empty when no word is known.',
        querystring: ZTextQuery,
        response: { 200: z.object({ items: z.array(ZCategorySuggestion) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const district = actor.grants[0]?.district ?? null;
      const found = await suggestCategories(app.db, district, request.query.text, request.query.limit);
      return { items: found.map(presentSuggestion) };
    },
  );

  r.get(
    '/api/public/category-suggestions',
    {
      schema: {
        tags: ['public'],
        summary: 'Likely categories of what I am describing / 按描述建议问题类别',
        security: [],
        querystring: ZTextQuery,
        response: { 200: z.object({ items: z.array(ZCategorySuggestion) }), ...errorResponses(400, 429) },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => {
      const found = await suggestCategories(app.db, null, request.query.text, request.query.limit);
      return { items: found.map(presentSuggestion) };
    },
  );

  r.get(
    '/api/cases/intake-hints',
    {
      schema: {
        tags: ['cases'],
        summary: 'For cases waiting to be registered: suggested categories and likely duplicates / 受理提示',
        description:
          `Up to ${MAX_HINT_CASES} case ids (comma-separated). Cases I may not read, or no longer waiting to be ` +
          'registered, are left out of the answer.',
        querystring: z.strictObject({
          ids: z
            .string()
            .transform((v) => [...new Set(v.split(',').filter(Boolean))])
            .pipe(z.array(z.uuid()).min(1).max(MAX_HINT_CASES)),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                categories: z.array(ZCategorySuggestion),
                duplicates: z.array(z.object({ id: z.string(), number: z.string(), score: z.number() })),
              }),
            ),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const items = [];
      // One by one: a page of the queue is at most 50, and each duplicate search is one indexed query.
      for (const id of request.query.ids) {
        const c = await findCase(app.db, id);
        if (!c || c.state !== 'reported' || !canReadCase(actor, c)) continue;
        const text = `${c.title}\n${c.description}`;
        const [categories, duplicates] = await Promise.all([
          suggestCategories(app.db, c.district, text),
          c.lng === null || c.lat === null
            ? []
            : findDuplicates(
                app.db,
                {
                  categoryId: c.categoryId,
                  lng: c.lng,
                  lat: c.lat,
                  text,
                  excludeCaseId: c.id,
                  now: new Date(c.createdAt),
                  actor,
                },
                HINT_DUPLICATES,
              ),
        ]);
        items.push({
          id: c.id,
          categories: categories.map(presentSuggestion),
          duplicates: duplicates.map((d) => ({ id: d.id, number: d.number, score: d.score })),
        });
      }
      return { items };
    },
  );
}
