/**
 * The dispatch centre's board of lights and case map over HTTP, both cut to the actor's scope like
 * every case list.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_STATES, STAGES } from '../../common/cases.js';
import { requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { caseBoard, casePoints, LIGHTS } from './case-board.js';

const tags = ['cases'];
const ZLights = z.object({
  green: z.number(),
  yellow: z.number(),
  red: z.number(),
  paused: z.number(),
  none: z.number(),
});

const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((v) => v.split(','))
    .pipe(z.array(z.enum(values)))
    .optional();

const ZMapQuery = z.strictObject({
  /** west,south,east,north in WGS84 degrees. */
  bbox: z
    .string()
    .transform((v) => v.split(',').map(Number))
    .pipe(
      z
        .tuple([
          z.number().min(-180).max(180),
          z.number().min(-90).max(90),
          z.number().min(-180).max(180),
          z.number().min(-90).max(90),
        ])
        .refine(([w, s, e, n]) => w <= e && s <= n, 'west ≤ east and south ≤ north'),
    )
    .optional(),
  state: list(CASE_STATES),
  light: list(LIGHTS),
  since: z.iso.datetime({ offset: true }).optional().describe('Reported at or after this instant'),
  until: z.iso.datetime({ offset: true }).optional().describe('Reported before this instant'),
  limit: z.coerce.number().int().min(1).max(5_000).default(5_000),
});

export async function caseBoardRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/cases/board',
    {
      schema: {
        tags,
        summary: 'Open cases in my scope by light, per stage and per department / 红黄灯看板',
        response: {
          200: z.object({
            total: ZLights,
            byStage: z.array(z.object({ stage: z.enum(STAGES).nullable(), lights: ZLights })),
            byDepartment: z.array(
              z.object({ departmentId: z.string().nullable(), name: z.string().nullable(), lights: ZLights }),
            ),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => caseBoard(app.db, requireStaff(request)),
  );

  r.get(
    '/api/cases/map',
    {
      schema: {
        tags,
        summary: 'Points of cases in my scope, most urgent first, for the case map / 案件地图点位',
        querystring: ZMapQuery,
        response: {
          200: z.object({
            type: z.literal('FeatureCollection'),
            truncated: z.boolean(),
            features: z.array(
              z.object({
                type: z.literal('Feature'),
                geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
                properties: z.object({
                  id: z.string(),
                  number: z.string(),
                  state: z.enum(CASE_STATES),
                  light: z.enum(LIGHTS),
                  category: z.string(),
                }),
              }),
            ),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const { bbox, state, light, limit, since, until } = request.query;
      const { points, truncated } = await casePoints(app.db, actor, {
        bbox: bbox as [number, number, number, number] | undefined,
        states: state,
        lights: light,
        since: since ? new Date(since) : undefined,
        until: until ? new Date(until) : undefined,
        limit,
      });
      return {
        type: 'FeatureCollection' as const,
        truncated,
        features: points.map((p) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [p.lng, p.lat] as [number, number] },
          properties: { id: p.id, number: p.number, state: p.state, light: p.light, category: p.categoryCode },
        })),
      };
    },
  );
}
