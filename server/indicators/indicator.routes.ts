/**
 * Indicators over HTTP: the panel of a slice, a ranking, the definitions; and their settings
 * (deferred cases out of the denominators, score weights) for installation administrators.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { StaffActor } from '../accounts/actor.js';
import { writeAudit } from '../audit/audit.writer.js';
import { DAY_MS, formatDay, OFFSET_MS } from '../calendar/civil.js';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses } from '../http/schemas.js';
import { isInstallationAdmin } from '../policies/predicates.js';
import { breakdown, trend } from './breakdown.js';
import { AVERAGE_DEFINITIONS, COUNT_DEFINITIONS, RATE_CODES, RATE_DEFINITIONS, type RateCode } from './definitions.js';
import { indicatorPolicy } from './indicator.policy.js';
import {
  ZBreakdown,
  ZBreakdownQuery,
  ZDefinitions,
  ZPanel,
  ZPanelQuery,
  ZPostQuery,
  ZPosts,
  ZRanking,
  ZRankingQuery,
  ZTrend,
  ZTrendQuery,
} from './indicator.schema.js';
import {
  type IndicatorSettings,
  readIndicatorSettings,
  writeIndicatorSettings,
  ZIndicatorSettings,
} from './indicator-settings.js';
import { formatRange, parsePeriod } from './period.js';
import { postDefinitions, postIndicators } from './posts.js';
import { panel, type Slice } from './query.js';
import { ranking } from './ranking.js';
import { loadSlice } from './slice.js';

const tags = ['indicators'];

const today = () => formatDay(Math.floor((Date.now() + OFFSET_MS) / DAY_MS));

function scopeOf(slice: Slice) {
  const { id, code, name, level } = slice.unit;
  return {
    unit: { id, code, name, level },
    department: slice.department,
    category: slice.category?.code ?? null,
    channel: slice.channel,
  };
}

const weightsOf = (settings: IndicatorSettings) =>
  Object.fromEntries(Object.entries(settings.scoreWeights).filter((e): e is [string, number] => e[1] !== undefined));

export async function indicatorRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** Load the slice, then authorize it (out of scope: 404, audited). */
  async function authorizedSlice(
    request: FastifyRequest,
    actor: StaffActor,
    query: Parameters<typeof loadSlice>[2],
    purpose: 'panel' | 'ranking',
  ) {
    const slice = await loadSlice(app.db, actor, query);
    const target = { unitPath: slice.unit.path, departmentId: slice.department?.id ?? null };
    if (!indicatorPolicy[purpose](actor, target))
      await denyOutOfScope(request, { type: 'unit', id: slice.unit.id, district: slice.unit.district });
    return slice;
  }

  r.get(
    '/api/indicators',
    {
      schema: {
        tags,
        summary: 'Indicators of a unit (department, category, channel) over a period, with 环比 and 同比 / 指标面板',
        querystring: ZPanelQuery,
        response: { 200: ZPanel, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const q = request.query;
      const period = parsePeriod({ ...q, date: q.date ?? today() });
      const slice = await authorizedSlice(request, actor, q, 'panel');
      const settings = await readIndicatorSettings(app.db);
      const now = new Date();
      const result = await panel(app.db, slice, period, settings, now);
      return {
        scope: scopeOf(slice),
        period: {
          kind: period.kind,
          ...formatRange(period),
          previous: formatRange(period.previous),
          lastYear: formatRange(period.lastYear),
        },
        settings: { deferredLeaveDenominators: settings.deferredLeaveDenominators },
        asOf: now.toISOString(),
        ...result,
      };
    },
  );

  r.get(
    '/api/indicators/ranking',
    {
      schema: {
        tags,
        summary: 'Rank a unit’s children or its departments by the weighted score or a rate / 综合得分排名',
        querystring: ZRankingQuery,
        response: { 200: ZRanking, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const q = request.query;
      if (q.by !== 'score' && !RATE_CODES.includes(q.by as RateCode))
        throw new AppError('INDICATOR_UNKNOWN', { fields: [{ path: 'query.by', reason: `score or a rate code` }] });
      const by = q.by as RateCode | 'score';
      const period = parsePeriod({ ...q, date: q.date ?? today() });
      const slice = await authorizedSlice(request, actor, q, 'ranking');
      const settings = await readIndicatorSettings(app.db);
      const items = await ranking(app.db, slice, period, { group: q.group, by, level: q.level }, settings, new Date());
      return {
        scope: scopeOf(slice),
        period: { kind: period.kind, ...formatRange(period) },
        group: q.group,
        by,
        weights: weightsOf(settings),
        items,
      };
    },
  );

  r.get(
    '/api/indicators/trend',
    {
      schema: {
        tags,
        summary: 'A slice’s counts, rates and score period by period (the last `count` periods) / 指标趋势',
        querystring: ZTrendQuery,
        response: { 200: ZTrend, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const q = request.query;
      const last = parsePeriod({ period: q.period, date: q.date ?? today() });
      const slice = await authorizedSlice(request, actor, q, 'panel');
      const settings = await readIndicatorSettings(app.db);
      const items = await trend(app.db, slice, last, q.count, settings, new Date());
      return { scope: scopeOf(slice), kind: last.kind, weights: weightsOf(settings), items };
    },
  );

  r.get(
    '/api/indicators/breakdown',
    {
      schema: {
        tags,
        summary:
          'A slice over a period part by part: by grid (heat map), category, major category or channel / 指标分解',
        description:
          'Parts without cases in the period are left out; most reported first. The parts add up to the panel.',
        querystring: ZBreakdownQuery,
        response: { 200: ZBreakdown, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const q = request.query;
      const period = parsePeriod({ ...q, date: q.date ?? today() });
      const slice = await authorizedSlice(request, actor, q, 'panel');
      const settings = await readIndicatorSettings(app.db);
      const items = await breakdown(app.db, slice, period, q.by, settings, new Date());
      return { scope: scopeOf(slice), period: { kind: period.kind, ...formatRange(period) }, by: q.by, items };
    },
  );

  r.get(
    '/api/indicators/posts',
    {
      schema: {
        tags,
        summary: 'Indicators by post: each grid worker, dispatcher or handler of a unit over a period / 岗位考核',
        description:
          'Counted from the case event log by who took each step, on cases of the unit. Everyone holding the post ' +
          'on the unit or below is listed, also with nothing done. Figures and rates are defined in /api/indicators/definitions.',
        querystring: ZPostQuery,
        response: { 200: ZPosts, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const q = request.query;
      const period = parsePeriod({ ...q, date: q.date ?? today() });
      const slice = await authorizedSlice(request, actor, q, 'ranking');
      const items = await postIndicators(app.db, slice, period, q.post);
      return { scope: scopeOf(slice), period: { kind: period.kind, ...formatRange(period) }, post: q.post, items };
    },
  );

  r.get(
    '/api/indicators/definitions',
    {
      schema: {
        tags,
        summary: 'Every indicator: names, what is counted, formulas, settings / 指标定义',
        response: { 200: ZDefinitions, ...errorResponses(401) },
      },
    },
    async (request) => {
      requireStaff(request);
      return {
        counts: COUNT_DEFINITIONS.map((d) => ({ ...d })),
        rates: RATE_DEFINITIONS.map((d) => ({
          ...d,
          numerator: { plus: [...d.numerator.plus], minus: [...(d.numerator.minus ?? [])] },
          denominator: { plus: [...d.denominator.plus], minus: [...(d.denominator.minus ?? [])] },
          deferredLeave: [...(d.deferredLeave ?? [])],
        })),
        averages: AVERAGE_DEFINITIONS.map((d) => ({
          ...d,
          numerator: { plus: [...d.numerator.plus], minus: [...(d.numerator.minus ?? [])] },
          denominator: { plus: [...d.denominator.plus], minus: [...(d.denominator.minus ?? [])] },
        })),
        posts: postDefinitions(),
        settings: await readIndicatorSettings(app.db),
      };
    },
  );

  r.get(
    '/api/settings/indicators',
    {
      schema: {
        tags: ['settings'],
        summary: 'Indicator settings: deferred cases and denominators, score weights / 指标统计设置',
        response: { 200: ZIndicatorSettings, ...errorResponses(401) },
      },
    },
    async (request) => {
      requireStaff(request);
      return readIndicatorSettings(app.db);
    },
  );

  r.put(
    '/api/settings/indicators',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change the indicator settings (district administrators) / 修改指标统计设置',
        body: ZIndicatorSettings,
        response: { 200: ZIndicatorSettings, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      if (!isInstallationAdmin(requireStaff(request))) throw new AppError('FORBIDDEN');
      await app.db.transaction().execute(async (trx) => {
        const before = await readIndicatorSettings(trx);
        await writeIndicatorSettings(trx, request.body);
        const changes = (Object.keys(request.body) as (keyof typeof before)[])
          .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(request.body[k]))
          .map((k) => `${k}: ${JSON.stringify(before[k])} → ${JSON.stringify(request.body[k])}`);
        await writeAudit(trx, auditContext(request), {
          action: 'settings.changed',
          data: { area: 'indicators', changes },
        });
      });
      return readIndicatorSettings(app.db);
    },
  );
}
