/** The base-map setting over HTTP: everyone reads it; installation administrators change it, audited. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { writeAudit } from '../audit/audit.writer.js';
import { AppError } from '../http/app-error.js';
import { auditContext, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { refreshContentSecurityPolicy } from '../http/security-headers.js';
import { isInstallationAdmin } from '../policies/predicates.js';
import { MAP_SETTINGS_KEY, readMapSettings, ZMapSettings } from './map-settings.js';

export async function mapSettingsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/public/map-settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'The base map under the grid polygons (none by default) / 底图设置',
        response: { 200: ZMapSettings },
      },
    },
    async () => readMapSettings(app.db),
  );

  r.put(
    '/api/settings/map',
    {
      schema: {
        tags: ['settings'],
        summary: 'Set or remove the base map (district administrators) / 修改底图设置',
        body: ZMapSettings,
        response: { 200: ZMapSettings, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      if (!isInstallationAdmin(requireStaff(request))) throw new AppError('FORBIDDEN');
      const value = JSON.stringify(request.body);
      await app.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('setting')
          .values({ key: MAP_SETTINGS_KEY, value })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value, updatedAt: sql`now()` }))
          .execute();
        await writeAudit(trx, auditContext(request), {
          action: 'settings.changed',
          data: {
            area: 'map',
            changes: [`tileUrl: ${request.body.tileUrl ?? '—'}`, `coordinateSystem: ${request.body.coordinateSystem}`],
          },
        });
      });
      // The tile server's origin is part of the Content-Security-Policy.
      refreshContentSecurityPolicy(app.db);
      return readMapSettings(app.db);
    },
  );
}
