/**
 * The monthly community analysis over HTTP: one committee, one month, as JSON with the printable
 * figure set. Aggregates only (no personal data), for the archive's territorial readers of the
 * committee (administrators, leaders, committee staff).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Figure, MONTHLY_DEFINITIONS, type MonthlyAnalysis } from '../../common/monthly-analysis.js';
import { beijingDay } from '../../common/visits.js';
import { AppError } from '../http/app-error.js';
import { requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { readableUnit } from '../visits/coverage.service.js';
import { monthlyAnalysis } from './monthly-analysis.js';

const ZQuery = z.strictObject({
  /** The residents' committee (a community unit in scope). */
  unitId: z.uuid(),
  /** yyyy-mm, not after the current month (default: the current month, partial). */
  month: z.string().optional(),
});

const ZNamed = z.object({ zh: z.string(), en: z.string() });
const ZFigure = z.object({
  id: z.string(),
  kind: z.enum(['bar', 'pie']),
  title: ZNamed,
  unit: z.enum(['count', 'percent']),
  categories: z.array(ZNamed),
  series: z.array(z.object({ name: ZNamed, values: z.array(z.number()) })),
}) satisfies z.ZodType<Figure>;
const ZRef = z.object({ id: z.string(), code: z.string(), name: z.string() });
const n = z.number();

export const ZMonthlyAnalysis = z.object({
  unit: ZRef,
  month: z.string(),
  from: z.string(),
  to: z.string(),
  partial: z.boolean(),
  generatedAt: z.string(),
  population: z.object({
    start: n,
    end: n,
    added: n,
    movedOut: n,
    deceased: n,
    registered: n,
    floating: n,
    households: n,
    householdsAdded: n,
    householdsDissolved: n,
  }),
  tags: z.array(
    z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), active: n, started: n, ended: n }),
  ),
  visits: z.object({
    count: n,
    night: n,
    householdsVisited: n,
    coverage: z.object({ households: n, covered: n, overdue: n, neverVisited: n, rate: n }),
    grids: z.array(z.object({ unit: ZRef, households: n, covered: n, rate: n })),
  }),
  cases: z.object({
    reported: n,
    closed: n,
    byCategory: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), reported: n, closed: n })),
  }),
  needs: z.object({
    new: n,
    referred: n,
    resolved: n,
    open: n,
    openByKind: z.array(z.object({ kind: z.string(), count: n })),
  }),
  figures: z.array(ZFigure),
}) satisfies z.ZodType<MonthlyAnalysis>;

const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

export async function analysisRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/analysis/monthly',
    {
      schema: {
        tags: ['visits'],
        summary: 'Monthly community analysis: population, tags, visit coverage, cases, open needs / 社区月度分析',
        description: `Figures are defined in common/monthly-analysis.ts: ${Object.entries(MONTHLY_DEFINITIONS)
          .map(([k, d]) => `\`${k}\` ${d.zh} = ${d.formula}`)
          .join('; ')}.`,
        querystring: ZQuery,
        response: { 200: ZMonthlyAnalysis, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => {
      requireStaff(request);
      const now = new Date();
      const current = beijingDay(now).slice(0, 7);
      const month = request.query.month ?? current;
      if (!MONTH.test(month) || month > current)
        throw new AppError('ANALYSIS_MONTH_INVALID', {
          fields: [{ path: 'query.month', reason: 'yyyy-mm, not ahead' }],
        });
      const unit = await readableUnit(request, request.query.unitId, 'query.unitId');
      if (unit.level !== 'community')
        throw new AppError('ANALYSIS_UNIT_INVALID', { fields: [{ path: 'query.unitId', reason: `a ${unit.level}` }] });
      return monthlyAnalysis(app.db, unit, month, now);
    },
  );
}
