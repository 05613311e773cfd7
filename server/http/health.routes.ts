import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { HealthView } from '../../common/api.js';
import { VERSION } from '../version.js';

const ZHealth = z.object({
  status: z.enum(['ok', 'degraded']),
  code: z
    .enum(['DATABASE_UNAVAILABLE', 'JOBS_UNAVAILABLE'])
    .optional()
    .describe('When degraded: what is down, by its code in the error catalogue'),
  database: z.object({ ok: z.boolean(), latencyMs: z.number().nullable() }),
  jobs: z.object({ ok: z.boolean(), detail: z.string() }),
  version: z.string(),
}) satisfies z.ZodType<HealthView>;

/**
 * Liveness and readiness: the database answers, the job queue runs. 503 when degraded, with the
 * catalogue's code of what is down (the database first: without it the queue cannot run either).
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Health of the database and job queue / 服务健康状态',
        security: [],
        response: { 200: ZHealth, 503: ZHealth },
      },
    },
    async (_request, reply) => {
      const started = performance.now();
      let database: HealthView['database'] = { ok: false, latencyMs: null };
      try {
        await sql`select 1`.execute(app.db);
        database = { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
      } catch {
        // reported below as degraded
      }
      const jobs = app.jobs ? await app.jobs.health() : { ok: false, detail: 'job queue not started in this process' };
      const healthy = database.ok && (jobs.ok || !app.jobs);
      const code = !database.ok ? 'DATABASE_UNAVAILABLE' : healthy ? undefined : 'JOBS_UNAVAILABLE';
      const body: HealthView = {
        status: healthy ? 'ok' : 'degraded',
        ...(code ? { code } : {}),
        database,
        jobs,
        version: VERSION,
      };
      return reply.status(healthy ? 200 : 503).send(body);
    },
  );
}
