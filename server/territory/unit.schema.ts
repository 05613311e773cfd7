import { z } from 'zod';
import type { UnitDetailView, UnitFeatureCollection, UnitView } from '../../common/api.js';
import { UNIT_KINDS, UNIT_LEVELS } from '../../common/territory.js';
import { ZUnitRef } from '../http/schemas.js';

const ZPosition = z.tuple([z.number(), z.number()]);
export const ZGeometry = z.union([
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(ZPosition)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(ZPosition))) }),
]);

export const ZUnitView = ZUnitRef.extend({
  kind: z.enum(UNIT_KINDS),
  district: z.string(),
  parentId: z.string().nullable(),
  path: z.string(),
  childCount: z.number(),
  hasGeometry: z.boolean(),
  abilities: z.object({ update: z.boolean(), createChild: z.boolean(), import: z.boolean() }),
}) satisfies z.ZodType<UnitView>;

export const ZUnitDetailView = ZUnitView.extend({
  ancestors: z.array(ZUnitRef),
  geometry: ZGeometry.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<UnitDetailView>;

export const ZUnitFeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.string(),
      geometry: ZGeometry,
      properties: z.object({
        id: z.string(),
        code: z.string(),
        name: z.string(),
        level: z.enum(UNIT_LEVELS),
        parentId: z.string().nullable(),
      }),
    }),
  ),
}) satisfies z.ZodType<UnitFeatureCollection>;

export const ZUnitListQuery = z.strictObject({
  parentId: z.uuid().optional(),
  level: z.enum(UNIT_LEVELS).optional(),
  q: z.string().trim().min(1).max(50).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
});

export const ZUnitParams = z.strictObject({ id: z.uuid() });

export const ZGeoJsonQuery = z.strictObject({
  level: z.enum(UNIT_LEVELS),
  limit: z.coerce.number().int().min(1).max(50_000).default(10_000),
});

export const ZLocateQuery = z.strictObject({
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
});

export const ZLocateResponse = z.object({ grid: ZUnitRef, ancestors: z.array(ZUnitRef) });

export const ZCreateUnitRequest = z.strictObject({
  code: z.string().regex(/^\d{12}(\d{3})?$/, '12 or 15 digits'),
  name: z.string().trim().min(1).max(100),
  level: z.enum(UNIT_LEVELS).optional(),
  kind: z.enum(UNIT_KINDS).optional(),
  parentCode: z
    .string()
    .regex(/^\d{12}(\d{3})?$/)
    .optional(),
  geometry: z.unknown().optional(),
});

export const ZUpdateUnitRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    kind: z.enum(UNIT_KINDS).optional(),
    geometry: z.unknown().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

export const ZImportQuery = z.strictObject({ update: z.enum(['true', 'false']).default('false') });

export const ZImportSummary = z.object({ created: z.number(), updated: z.number() });
