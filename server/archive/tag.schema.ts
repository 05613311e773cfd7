/** The archive API's shapes for tag types, department grants and tags on records. */
import { z } from 'zod';
import { TAG_SUBJECTS } from '../../common/archive.js';
import { ZDateText } from './archive.schema.js';

const ZCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);

export const ZTagTypeView = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  appliesTo: z.enum(TAG_SUBJECTS),
  graded: z.boolean(),
  builtIn: z.boolean(),
  disabled: z.boolean(),
  /** The departments that see records carrying this tag (administrators only; empty for others). */
  departments: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
});

export const ZCreateTagTypeRequest = z.strictObject({
  code: ZCode,
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().min(1).max(80),
  appliesTo: z.enum(TAG_SUBJECTS),
  graded: z.boolean().default(false),
});

export const ZUpdateTagTypeRequest = z
  .strictObject({
    nameZh: z.string().trim().min(1).max(40).optional(),
    nameEn: z.string().trim().min(1).max(80).optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

export const ZTagGrantParams = z.strictObject({ id: z.uuid(), departmentId: z.uuid() });

export const ZAddTagRequest = z.strictObject({
  /** Tag type code. */
  tagType: ZCode,
  grade: z.number().int().min(1).max(4).nullable().optional(),
  /** The department the fact comes from (民政, 残联 …). */
  sourceDepartmentId: z.uuid().nullable().optional(),
  validFrom: ZDateText,
  validTo: ZDateText.nullable().optional(),
  evidence: z.string().trim().max(500).default(''),
});

export const ZEndTagRequest = z.strictObject({ validTo: ZDateText });
export const ZTagParams = z.strictObject({ id: z.uuid(), tagId: z.uuid() });
