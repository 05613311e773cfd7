import { z } from 'zod';
import type { DepartmentView } from '../../common/api.js';
import { DEPARTMENT_KINDS, DEPARTMENT_LEVELS } from '../../common/territory.js';
import { ZDepartmentRef, ZUnitRef } from '../http/schemas.js';

export const ZDepartmentView = ZDepartmentRef.extend({
  kind: z.enum(DEPARTMENT_KINDS),
  level: z.enum(DEPARTMENT_LEVELS),
  servesUnit: ZUnitRef,
  deployedTo: ZUnitRef.nullable(),
  abilities: z.object({ update: z.boolean() }),
}) satisfies z.ZodType<DepartmentView>;

export const ZCreateDepartmentRequest = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/, 'letters, digits, - and _ (2–40)'),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(DEPARTMENT_KINDS),
  level: z.enum(DEPARTMENT_LEVELS),
  servesUnitId: z.uuid(),
  deployedToUnitId: z.uuid().nullable().optional(),
});

export const ZUpdateDepartmentRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    kind: z.enum(DEPARTMENT_KINDS).optional(),
    deployedToUnitId: z.uuid().nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
