/**
 * Request and response shapes of the indicator routes (they land in the OpenAPI document).
 */
import { z } from 'zod';
import { CHANNELS } from '../../common/cases.js';
import { UNIT_LEVELS } from '../../common/territory.js';
import { ZDepartmentRef, ZUnitRef } from '../http/schemas.js';
import { BREAKDOWN_BY, MAX_TREND_PERIODS } from './breakdown.js';
import { AVERAGE_CODES, CURRENT_COUNTS, DUE_COUNTS, FLOW_COUNTS, RATE_CODES } from './definitions.js';
import { ZIndicatorSettings } from './indicator-settings.js';
import { PERIOD_KINDS } from './period.js';
import { POSTS } from './posts.js';

const ZDay = z.string().describe('yyyy-mm-dd (+08:00)');

const sliceFields = {
  unitId: z.uuid().optional().describe('The unit (subtree); default: my own'),
  departmentId: z.uuid().optional().describe('Only this department’s part'),
  category: z
    .string()
    .regex(/^\d{2}(\d{2})?$/, 'a 2-digit major or 4-digit minor category code')
    .optional(),
  channel: z.enum(CHANNELS).optional(),
  period: z.enum(PERIOD_KINDS).default('month'),
  date: ZDay.optional().describe('A day inside the period (day … year); default: today'),
  from: ZDay.optional().describe('First day of a custom period'),
  to: ZDay.optional().describe('Last day of a custom period (included)'),
};

export const ZPanelQuery = z.strictObject(sliceFields);

export const ZRankingQuery = z.strictObject({
  ...sliceFields,
  group: z.enum(['units', 'departments']).default('units').describe('Rank the unit’s children or its departments'),
  by: z.string().default('score').describe('score, or a rate code'),
  level: z
    .enum(UNIT_LEVELS)
    .exclude(['city'])
    .optional()
    .describe('Rank every unit of this level under the unit (e.g. all subdistricts of a city) instead of its children'),
});

export const ZTrendQuery = z.strictObject({
  ...sliceFields,
  period: z.enum(PERIOD_KINDS).exclude(['custom']).default('month'),
  date: ZDay.optional().describe('A day inside the last period; default: today'),
  count: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_TREND_PERIODS)
    .default(12)
    .describe(`How many periods, ending with the one holding \`date\` (at most ${MAX_TREND_PERIODS})`),
});

export const ZBreakdownQuery = z.strictObject({
  ...sliceFields,
  by: z
    .enum(BREAKDOWN_BY)
    .describe('places: the unit each case is placed in (its grid); categories: minor; majors; channels'),
});

export const ZPostQuery = z.strictObject({
  ...sliceFields,
  post: z.enum(POSTS).describe('grid_worker, dispatcher or handler'),
});

const ZRange = z.object({ from: ZDay, to: ZDay });

const ZScope = z.object({
  unit: ZUnitRef,
  department: ZDepartmentRef.nullable(),
  category: z.string().nullable(),
  channel: z.enum(CHANNELS).nullable(),
});

const ZCompared = z.object({
  value: z.number().nullable(),
  previous: z.number().nullable().describe('环比: the period before'),
  lastYear: z.number().nullable().describe('同比: a year earlier'),
  vsPrevious: z.number().nullable().describe('relative change (counts, averages) or difference (rates)'),
  vsLastYear: z.number().nullable(),
});

const COUNT_CODES = [...FLOW_COUNTS, ...DUE_COUNTS, ...CURRENT_COUNTS] as const;

export const ZPanel = z.object({
  scope: ZScope,
  period: ZRange.extend({ kind: z.enum(PERIOD_KINDS), previous: ZRange, lastYear: ZRange }),
  settings: z.object({ deferredLeaveDenominators: z.boolean() }),
  asOf: z.string().describe('The instant of the snapshot counts (overdueUnhandled)'),
  counts: z.record(z.enum(COUNT_CODES), ZCompared),
  rates: z.record(z.enum(RATE_CODES), ZCompared.extend({ numerator: z.number(), denominator: z.number() })),
  averages: z.record(z.enum(AVERAGE_CODES), ZCompared),
});

export const ZRanking = z.object({
  scope: ZScope,
  period: ZRange.extend({ kind: z.enum(PERIOD_KINDS) }),
  group: z.enum(['units', 'departments']),
  by: z.string(),
  weights: z.record(z.string(), z.number()),
  items: z.array(
    z.object({
      rank: z.number().int().nullable(),
      value: z.number().nullable().describe('What the rank is by: the score (0–100) or the rate'),
      score: z.number().nullable(),
      unit: ZUnitRef.nullable(),
      department: ZDepartmentRef.nullable(),
      rates: z.record(z.enum(RATE_CODES), z.number().nullable()),
      counts: z.record(z.enum([...FLOW_COUNTS, ...DUE_COUNTS]), z.number()),
    }),
  ),
});

const ZFlowCounts = z.record(z.enum([...FLOW_COUNTS, ...DUE_COUNTS]), z.number());
const ZRateValues = z.record(z.enum(RATE_CODES), z.number().nullable());

export const ZTrend = z.object({
  scope: ZScope,
  kind: z.enum(PERIOD_KINDS),
  weights: z.record(z.string(), z.number()),
  items: z.array(
    ZRange.extend({ counts: ZFlowCounts, rates: ZRateValues, score: z.number().nullable() }).describe(
      'One period, oldest first',
    ),
  ),
});

export const ZBreakdown = z.object({
  scope: ZScope,
  period: ZRange.extend({ kind: z.enum(PERIOD_KINDS) }),
  by: z.enum(BREAKDOWN_BY),
  items: z.array(
    z.object({
      key: z.string().describe('Unit id, category code, major code (2 digits) or channel'),
      unit: ZUnitRef.nullable(),
      category: z
        .object({
          code: z.string(),
          kind: z.enum(['component', 'event']),
          name: z.object({ zh: z.string(), en: z.string() }),
        })
        .nullable(),
      channel: z.enum(CHANNELS).nullable(),
      counts: ZFlowCounts,
      rates: ZRateValues,
      score: z.number().nullable(),
    }),
  ),
});

export const ZPosts = z.object({
  scope: ZScope,
  period: ZRange.extend({ kind: z.enum(PERIOD_KINDS) }),
  post: z.enum(POSTS),
  items: z.array(
    z.object({
      account: z.object({ id: z.string(), name: z.string() }),
      where: z.array(z.string()).describe('The units or departments where they hold the post'),
      figures: z.record(z.string(), z.number()),
      rates: z.record(z.string(), z.number().nullable()),
    }),
  ),
});

const ZPostFigure = z.object({ code: z.string(), zh: z.string(), en: z.string(), definition: z.string() });

const ZFormula = z.object({ plus: z.array(z.string()), minus: z.array(z.string()) });

export const ZDefinitions = z.object({
  counts: z.array(
    z.object({
      code: z.string(),
      source: z.enum(['events', 'cases', 'now']),
      zh: z.string(),
      en: z.string(),
      definition: z.string(),
    }),
  ),
  rates: z.array(
    z.object({
      code: z.string(),
      zh: z.string(),
      en: z.string(),
      numerator: ZFormula,
      denominator: ZFormula,
      deferredLeave: z.array(z.string()),
      definition: z.string(),
    }),
  ),
  averages: z.array(
    z.object({
      code: z.string(),
      zh: z.string(),
      en: z.string(),
      numerator: ZFormula,
      denominator: ZFormula,
      divisor: z.number(),
      unit: z.string(),
      definition: z.string(),
    }),
  ),
  posts: z.record(
    z.enum(POSTS),
    z.object({
      figures: z.array(ZPostFigure),
      rates: z.array(ZPostFigure.extend({ numerator: z.string(), denominator: z.string() })),
    }),
  ),
  settings: ZIndicatorSettings,
});
