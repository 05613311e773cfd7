/**
 * Request and response schemas of /api/categories, typed against common/catalogue.ts. The code's
 * shape is checked by the command (a coded 422), not here, so a typo gets the catalogue's message.
 */
import { z } from 'zod';
import { STAGES, URGENCIES } from '../../../common/cases.js';
import {
  CATEGORY_KINDS,
  type CategoryDetail,
  type CategoryList,
  type CategoryQuestion,
  type CategoryView,
  type DispatchRuleView,
  isListDatatype,
  QUESTION_CODE_PATTERN,
  QUESTION_DATATYPES,
  QUESTION_LIMITS,
  TIME_LIMIT_UNITS,
  type TimeLimitView,
} from '../../../common/catalogue.js';
import { DEPARTMENT_KINDS, UNIT_LEVELS } from '../../../common/territory.js';

const ZNamed = z.object({ zh: z.string(), en: z.string() });

export const ZTimeLimit = z.object({
  urgency: z.enum(URGENCIES),
  stage: z.enum(STAGES),
  amount: z.number(),
  unit: z.enum(TIME_LIMIT_UNITS),
}) satisfies z.ZodType<TimeLimitView>;

export const ZCategoryQuestion = z.object({
  code: z.string(),
  datatype: z.enum(QUESTION_DATATYPES),
  required: z.boolean(),
  order: z.number(),
  description: ZNamed,
  values: z.array(z.object({ key: z.string(), name: ZNamed })),
}) satisfies z.ZodType<CategoryQuestion>;

export const ZCategoryView = z.object({
  id: z.string(),
  code: z.string(),
  majorCode: z.string(),
  isMajor: z.boolean(),
  kind: z.enum(CATEGORY_KINDS),
  name: ZNamed,
  departmentKind: z.enum(DEPARTMENT_KINDS).nullable(),
  selfRegister: z.boolean(),
  selfHandle: z.boolean(),
  duplicateRadiusM: z.number(),
  duplicateWindowDays: z.number(),
  serviceNotice: ZNamed.nullable(),
  keywords: z.array(z.string()),
  disabled: z.boolean(),
  questions: z.array(ZCategoryQuestion),
  limits: z.array(ZTimeLimit),
  abilities: z.object({ update: z.boolean() }),
}) satisfies z.ZodType<CategoryView>;

export const ZCategoryDetail = ZCategoryView.extend({
  effectiveLimits: z.array(ZTimeLimit.extend({ source: z.enum(['category', 'default', 'fallback']) })),
  openCases: z.number(),
}) satisfies z.ZodType<CategoryDetail>;

export const ZCategoryList = z.object({
  items: z.array(ZCategoryView),
  defaults: z.array(ZTimeLimit),
  abilities: z.object({ create: z.boolean(), setDefaults: z.boolean(), manageRules: z.boolean() }),
}) satisfies z.ZodType<CategoryList>;

export const ZDispatchRuleView = z.object({
  id: z.string(),
  category: z.object({ code: z.string(), name: ZNamed }),
  unit: z.object({ id: z.string(), code: z.string(), name: z.string(), level: z.enum(UNIT_LEVELS) }),
  department: z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(DEPARTMENT_KINDS).nullable(),
  }),
  createdAt: z.string(),
  abilities: z.object({ delete: z.boolean() }),
}) satisfies z.ZodType<DispatchRuleView>;

export const ZCodeParams = z.strictObject({ code: z.string().regex(/^\d{4}$/, '4 digits') });
export const ZRuleParams = z.strictObject({ id: z.uuid() });

const ZNameInput = z.strictObject({ zh: z.string().trim().min(1).max(50), en: z.string().trim().min(1).max(100) });
const ZNoticeInput = z.strictObject({ zh: z.string().trim().min(1).max(500), en: z.string().trim().min(1).max(1000) });
const ZKeywords = z.array(z.string().trim().min(1).max(20)).max(20);

const ZQuestionText = z.strictObject({ zh: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(400) });

/**
 * Extra questions as an administrator writes them: codes and orders unique within the category,
 * list questions with at least one value (keys unique), other questions with none.
 */
export const ZCategoryQuestionsInput = z
  .array(
    z.strictObject({
      code: z.string().trim().regex(QUESTION_CODE_PATTERN, 'letters, digits, _ or -, at most 40'),
      datatype: z.enum(QUESTION_DATATYPES),
      required: z.boolean().default(false),
      order: z.number().int().min(1).max(999),
      description: ZQuestionText,
      values: z
        .array(
          z.strictObject({
            key: z.string().trim().regex(QUESTION_CODE_PATTERN, 'letters, digits, _ or -, at most 40'),
            name: z.strictObject({ zh: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(200) }),
          }),
        )
        .max(QUESTION_LIMITS.values)
        .default([]),
    }),
  )
  .max(QUESTION_LIMITS.questions)
  .superRefine((questions, ctx) => {
    const seen = { code: new Set<string>(), order: new Set<number>() };
    questions.forEach((q, i) => {
      if (seen.code.has(q.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: 'used twice' });
      if (seen.order.has(q.order)) ctx.addIssue({ code: 'custom', path: [i, 'order'], message: 'used twice' });
      seen.code.add(q.code);
      seen.order.add(q.order);
      const list = isListDatatype(q.datatype);
      if (list && q.values.length === 0)
        ctx.addIssue({ code: 'custom', path: [i, 'values'], message: 'a list question needs values' });
      if (!list && q.values.length > 0)
        ctx.addIssue({ code: 'custom', path: [i, 'values'], message: 'only list questions take values' });
      const keys = new Set<string>();
      q.values.forEach((v, j) => {
        if (keys.has(v.key)) ctx.addIssue({ code: 'custom', path: [i, 'values', j, 'key'], message: 'used twice' });
        keys.add(v.key);
      });
    });
  });

const editable = {
  departmentKind: z.enum(DEPARTMENT_KINDS).nullable().optional(),
  selfRegister: z.boolean().optional(),
  selfHandle: z.boolean().optional(),
  duplicateRadiusM: z.number().int().min(1).max(5_000).optional(),
  duplicateWindowDays: z.number().int().min(1).max(365).optional(),
  serviceNotice: ZNoticeInput.nullable().optional(),
  keywords: ZKeywords.optional(),
  questions: ZCategoryQuestionsInput.optional(),
};

export const ZCreateCategoryRequest = z.strictObject({
  /** 4 digits; checked by the command (CATEGORY_CODE_INVALID). */
  code: z.string().trim().max(16),
  /** Required for a major (`xx00`); a minor takes its major's kind. */
  kind: z.enum(CATEGORY_KINDS).optional(),
  name: ZNameInput,
  ...editable,
});
export type CreateCategoryRequest = z.infer<typeof ZCreateCategoryRequest>;

export const ZUpdateCategoryRequest = z
  .strictObject({
    /** Accepted only unchanged: a code never changes (CATEGORY_CODE_IMMUTABLE). */
    code: z.string().trim().max(16).optional(),
    name: ZNameInput.optional(),
    ...editable,
  })
  .refine((v) => Object.keys(v).some((k) => k !== 'code'), 'nothing to change');
export type UpdateCategoryRequest = z.infer<typeof ZUpdateCategoryRequest>;

export const ZTimeLimitInput = z.strictObject({
  urgency: z.enum(URGENCIES),
  stage: z.enum(STAGES),
  amount: z.number().positive(),
  unit: z.enum(TIME_LIMIT_UNITS),
});
export type TimeLimitInput = z.infer<typeof ZTimeLimitInput>;

/** The whole set replaces the old one; an empty list falls back to the defaults (or the built-in fallback). */
export const ZTimeLimitsRequest = z.strictObject({
  limits: z.array(ZTimeLimitInput).max(URGENCIES.length * STAGES.length),
});

export const ZRuleQuery = z.strictObject({
  categoryCode: z
    .string()
    .regex(/^\d{4}$/, '4 digits')
    .optional(),
  /** Rules at this unit or below it. */
  unitId: z.uuid().optional(),
});

export const ZCreateRuleRequest = z.strictObject({
  categoryCode: z.string().regex(/^\d{4}$/, '4 digits'),
  unitId: z.uuid(),
  departmentId: z.uuid(),
});
