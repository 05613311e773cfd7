/**
 * GET /api/cases/hotspots: repeat problems in the reader's scope (hotspots.ts says how they are
 * found). A unit asked for must be in the reader's territorial scope (else 404, audited).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_STATES } from '../../common/cases.js';
import { AppError } from '../http/app-error.js';
import { denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { scopePaths } from '../policies/predicates.js';
import { CASES_PER_HOTSPOT, findHotspots, MAX_HOTSPOTS } from './hotspots.js';

const ZHotspotQuery = z.strictObject({
  unitId: z.uuid().optional().describe('Only this unit’s subtree; default: my whole scope'),
  category: z
    .string()
    .regex(/^\d{2}(\d{2})?$/, 'a 2-digit major or 4-digit minor category code')
    .optional(),
  days: z.coerce.number().int().min(1).max(365).default(30).describe('The window, in days up to now'),
  min: z.coerce.number().int().min(2).max(100).default(3).describe('Cases that make a place a hotspot'),
  radius: z.coerce.number().int().min(20).max(1_000).default(100).describe('Size of a place, in metres'),
});

const ZHotspot = z.object({
  category: z.object({ code: z.string(), name: z.object({ zh: z.string(), en: z.string() }) }),
  centre: z.object({ lng: z.number(), lat: z.number() }),
  count: z.number().int(),
  open: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
  unit: z.object({ id: z.string(), name: z.string() }),
  address: z.string().nullable(),
  cases: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      state: z.enum(CASE_STATES),
      title: z.string(),
      createdAt: z.string(),
    }),
  ),
});

export async function hotspotRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/cases/hotspots',
    {
      schema: {
        tags: ['cases', 'indicators'],
        summary: 'Repeat problems: the same category recurring at one place / 高发点位（重复问题）',
        description:
          `Places where at least \`min\` cases of one category fell within about \`radius\` metres in the last \`days\` ` +
          `days (rejected and merged cases are not counted; cases without a location cannot be placed). ` +
          `Most cases first; at most ${MAX_HOTSPOTS} places, each with its newest ${CASES_PER_HOTSPOT} cases.`,
        querystring: ZHotspotQuery,
        response: {
          200: z.object({
            days: z.number(),
            min: z.number(),
            radius: z.number(),
            asOf: z.string(),
            items: z.array(ZHotspot),
          }),
          ...errorResponses(400, 401, 404, 422),
        },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const q = request.query;
      let unitPath: string | undefined;
      if (q.unitId) {
        const unit = await app.db
          .selectFrom('unit')
          .select(['id', 'path', 'district'])
          .where('id', '=', q.unitId)
          .executeTakeFirst();
        if (!unit) throw new AppError('NOT_FOUND');
        if (!scopePaths(actor).some((p) => unit.path.startsWith(p)))
          await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district });
        unitPath = unit.path;
      }
      let categoryIds: string[] | undefined;
      if (q.category) {
        const code = q.category;
        const rows = await app.db
          .selectFrom('category')
          .select('id')
          .where(code.length === 2 ? 'majorCode' : 'code', '=', code)
          .execute();
        if (!rows.length)
          throw new AppError('INDICATOR_FILTER_UNKNOWN', { fields: [{ path: 'query.category', reason: 'unknown' }] });
        categoryIds = rows.map((r) => r.id);
      }
      const now = new Date();
      const items = await findHotspots(
        app.db,
        actor,
        { unitPath, categoryIds, days: q.days, min: q.min, radius: q.radius },
        now,
      );
      return { days: q.days, min: q.min, radius: q.radius, asOf: now.toISOString(), items };
    },
  );
}
