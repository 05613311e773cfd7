/**
 * The loop's policy settings over HTTP: anyone on staff may read them (the web explains deadlines
 * and dispute windows with them); installation administrators change them, audited.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { writeAudit } from '../audit/audit.writer.js';
import { AppError } from '../http/app-error.js';
import { auditContext, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { isInstallationAdmin } from '../policies/predicates.js';
import { readCaseSettings, writeCaseSettings, ZCaseSettings } from './case-settings.js';

const tags = ['settings'];

export async function caseSettingsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/settings/cases',
    {
      schema: {
        tags,
        summary: 'Closed-loop policy: dispute window, yellow-light share / 案件办理规则设置',
        response: { 200: ZCaseSettings, ...errorResponses(401) },
      },
    },
    async (request) => {
      requireStaff(request);
      return readCaseSettings(app.db);
    },
  );

  r.put(
    '/api/settings/cases',
    {
      schema: {
        tags,
        summary: 'Change the closed-loop policy (district administrators) / 修改案件办理规则',
        body: ZCaseSettings,
        response: { 200: ZCaseSettings, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      if (!isInstallationAdmin(requireStaff(request))) throw new AppError('FORBIDDEN');
      await app.db.transaction().execute(async (trx) => {
        const before = await readCaseSettings(trx);
        await writeCaseSettings(trx, request.body);
        const changes = (Object.keys(request.body) as (keyof typeof before)[]).filter(
          (k) => before[k] !== request.body[k],
        );
        await writeAudit(trx, auditContext(request), {
          action: 'settings.changed',
          data: { area: 'cases', changes: changes.map((k) => `${k}: ${before[k]} → ${request.body[k]}`) },
        });
      });
      return readCaseSettings(app.db);
    },
  );
}
