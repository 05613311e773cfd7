/**
 * Zod schemas shared by several modules' routes: references, the error body, list wrappers.
 * Each is checked against the matching interface in common/api.ts so the two cannot drift.
 */
import { z } from 'zod';
import type { ApiErrorBody, DepartmentRef, GrantView, UnitRef } from '../../common/api.js';
import { ROLES } from '../../common/roles.js';
import { UNIT_LEVELS } from '../../common/territory.js';

export const ZUuid = z.uuid();

export const ZUnitRef = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  level: z.enum(UNIT_LEVELS),
}) satisfies z.ZodType<UnitRef>;

export const ZDepartmentRef = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
}) satisfies z.ZodType<DepartmentRef>;

export const ZGrantView = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  unit: ZUnitRef,
  department: ZDepartmentRef.nullable(),
}) satisfies z.ZodType<GrantView>;

export const ZErrorBody = z.object({
  // Loose: some errors carry details (problems of an import, lockedUntil of a lock).
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    messages: z.object({ 'zh-CN': z.string(), en: z.string() }),
    fields: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
}) satisfies z.ZodType<ApiErrorBody>;

/** The error answers a route may give, for the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, typeof ZErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ZErrorBody]));
}

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
