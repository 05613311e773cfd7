/**
 * Request and response shapes of the export routes (they land in the OpenAPI document).
 */
import { z } from 'zod';
import { ZCaseListQuery } from '../cases/case.schema.js';
import { ZDepartmentRef, ZUnitRef } from '../http/schemas.js';
import { EXPORT_FORMATS } from './case-export.js';
import { PURPOSE_MAX } from './export.policy.js';
import { MONTH_PATTERN } from './month.js';

/** The case list's filters (GET /api/cases), without its paging. */
export const ZCaseExportFilters = ZCaseListQuery.omit({ limit: true, before: true });

export const ZCaseExportRequest = z.strictObject({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  filters: ZCaseExportFilters.optional().describe('The same filters as GET /api/cases (state, overdue, number, q)'),
  personalData: z
    .enum(['masked', 'unmasked'])
    .default('masked')
    .describe('unmasked: reporters’ names and phones in full where you are a dispatcher; needs a purpose'),
  purpose: z
    .string()
    .trim()
    .max(PURPOSE_MAX)
    .optional()
    .describe('Why the personal data is needed (at least 4 characters when unmasked); recorded in the audit log'),
});

const ZMonth = z.string().regex(MONTH_PATTERN, 'yyyy-mm');

export const ZAssessmentQuery = z.strictObject({
  month: ZMonth.describe('The month assessed, yyyy-mm (Beijing time)'),
  unitId: z.uuid().optional().describe('The unit whose children (or departments) are assessed; default: my own'),
  group: z.enum(['units', 'departments']).default('units').describe('Assess the unit’s children or its departments'),
});

const ZValues = z.record(z.string(), z.number().nullable());

export const ZAssessment = z.object({
  month: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  unit: ZUnitRef,
  group: z.enum(['units', 'departments']),
  settings: z.object({ deferredLeaveDenominators: z.boolean() }),
  weights: z.record(z.string(), z.number()),
  columns: z.array(
    z.object({
      code: z.string(),
      kind: z.enum(['count', 'rate']),
      zh: z.string(),
      en: z.string(),
      weight: z.number().nullable(),
    }),
  ),
  items: z.array(
    z.object({
      rank: z.number().int().nullable(),
      score: z.number().nullable().describe('Weighted score 0–100'),
      unit: ZUnitRef.nullable(),
      department: ZDepartmentRef.nullable(),
      values: ZValues.describe('Rates 0–1 and counts by code (see columns)'),
    }),
  ),
  total: z.object({ score: z.number().nullable(), values: ZValues }),
  asOf: z.string(),
});

export const ZOpenDataQuery = z.strictObject({
  from: ZMonth.describe('First month, yyyy-mm'),
  to: ZMonth.optional().describe('Last month (included), at most 12 months after from; default: from'),
  unit: z
    .string()
    .regex(/^\d{12}(\d{3})?$/, 'a 12-digit division code or a 15-digit grid code')
    .optional()
    .describe('Only grids inside this unit'),
});

export const ZOpenData = z.object({
  from: z.string(),
  to: z.string(),
  unit: z.object({ code: z.string(), name: z.string() }).nullable(),
  generatedAt: z.string(),
  items: z.array(
    z.object({
      grid: z.object({ code: z.string(), name: z.string(), level: z.string() }),
      category: z.object({ code: z.string(), name: z.object({ zh: z.string(), en: z.string() }) }),
      reported: z.number().nullable(),
      registered: z.number().nullable(),
      closed: z.number().nullable(),
    }),
  ),
  suppressBelow: z.number().describe('Counts from 1 up to this (excluded) are published as null: fewer than it'),
});
