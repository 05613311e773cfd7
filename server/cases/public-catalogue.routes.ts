/**
 * Public reads for the resident's report page, without sign-in: the enabled category catalogue
 * (to pick what the problem is) and the unit-grid polygons (the map to pin it on). Reference data
 * only — no staff, no cases, no personal data — rate limited like every public route.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PublicCatalogue, PublicGridCollection } from '../../common/public-api.js';
import { errorResponses } from '../http/schemas.js';
import { ZGeometry } from '../territory/unit.schema.js';
import { ZCategoryQuestion } from './catalogue/catalogue.schema.js';

const tags = ['public'];

/** One answer carries at most this many grids; a phone asks for the box around it. */
export const PUBLIC_GRID_LIMIT = 5_000;

const ZNamed = z.object({ zh: z.string(), en: z.string() });
const ZKind = z.enum(['component', 'event']);

const ZPublicCatalogue = z.object({
  majors: z.array(z.object({ code: z.string(), kind: ZKind, name: ZNamed })),
  items: z.array(
    z.object({
      code: z.string(),
      major: z.string(),
      kind: ZKind,
      name: ZNamed,
      keywords: z.array(z.string()),
      serviceNotice: ZNamed.nullable(),
      questions: z.array(ZCategoryQuestion),
    }),
  ),
}) satisfies z.ZodType<PublicCatalogue>;

const ZPublicGridCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.string(),
      geometry: ZGeometry,
      properties: z.object({ id: z.string(), code: z.string(), name: z.string() }),
    }),
  ),
  truncated: z.boolean(),
}) satisfies z.ZodType<PublicGridCollection>;

const ZGridQuery = z.strictObject({
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'west,south,east,north in degrees')
    .transform((v) => v.split(',').map(Number) as [number, number, number, number])
    .refine(
      ([w, s, e, n]) => w >= -180 && e <= 180 && s >= -90 && n <= 90 && w <= e && s <= n,
      'west ≤ east, south ≤ north, within ±180/±90',
    )
    .optional(),
});

export async function publicCatalogueRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/public/categories',
    {
      schema: {
        tags,
        summary: 'Case categories a resident may report under / 居民可选的问题类别',
        description: 'Enabled minor categories grouped by their enabled major; reference data only.',
        security: [],
        response: { 200: ZPublicCatalogue, ...errorResponses(429) },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (_request, reply) => {
      const rows = await app.db
        .selectFrom('category')
        .select([
          'code',
          'majorCode',
          'kind',
          'nameZh',
          'nameEn',
          'keywords',
          'serviceNoticeZh',
          'serviceNoticeEn',
          'questions',
        ])
        .where('disabled', '=', false)
        .orderBy('code')
        .execute();
      // A major row is `xx00`; a disabled major takes its minors off the public list with it.
      const majorRows = rows.filter((row) => row.code.endsWith('00'));
      const enabledMajors = new Set(majorRows.map((row) => row.majorCode));
      const items = rows
        .filter((row) => !row.code.endsWith('00') && enabledMajors.has(row.majorCode))
        .map((row) => ({
          code: row.code,
          major: row.majorCode,
          kind: row.kind,
          name: { zh: row.nameZh, en: row.nameEn },
          keywords: row.keywords,
          serviceNotice:
            row.serviceNoticeZh || row.serviceNoticeEn
              ? {
                  zh: row.serviceNoticeZh ?? row.serviceNoticeEn ?? '',
                  en: row.serviceNoticeEn ?? row.serviceNoticeZh ?? '',
                }
              : null,
          questions: [...row.questions].sort((a, b) => a.order - b.order),
        }));
      const usedMajors = new Set(items.map((item) => item.major));
      const majors = majorRows
        .filter((row) => usedMajors.has(row.majorCode))
        .map((row) => ({ code: row.majorCode, kind: row.kind, name: { zh: row.nameZh, en: row.nameEn } }));
      reply.header('cache-control', 'public, max-age=60');
      return { majors, items };
    },
  );

  r.get(
    '/api/public/grids',
    {
      schema: {
        tags,
        summary: 'Unit grid polygons for the report map / 上报地图的单元网格边界',
        description: `Unit grids with a boundary, optionally only those meeting \`bbox=west,south,east,north\` (WGS84); at most ${PUBLIC_GRID_LIMIT} per answer.`,
        security: [],
        querystring: ZGridQuery,
        response: { 200: ZPublicGridCollection, ...errorResponses(400, 429) },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const bbox = request.query.bbox;
      let query = app.db
        .selectFrom('unit')
        .select(['id', 'code', 'name', 'geometry'])
        .where('level', '=', 'grid')
        .where('geometry', 'is not', null);
      if (bbox) {
        const [west, south, east, north] = bbox;
        query = query
          .where('maxLng', '>=', west)
          .where('minLng', '<=', east)
          .where('maxLat', '>=', south)
          .where('minLat', '<=', north);
      }
      const rows = await query
        .orderBy('code')
        .limit(PUBLIC_GRID_LIMIT + 1)
        .execute();
      const truncated = rows.length > PUBLIC_GRID_LIMIT;
      const features = rows.slice(0, PUBLIC_GRID_LIMIT).flatMap((row) =>
        row.geometry
          ? [
              {
                type: 'Feature' as const,
                id: row.id,
                geometry: row.geometry,
                properties: { id: row.id, code: row.code, name: row.name },
              },
            ]
          : [],
      );
      reply.header('cache-control', 'public, max-age=300');
      return { type: 'FeatureCollection' as const, features, truncated };
    },
  );
}
