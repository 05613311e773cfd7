/**
 * The visit API's shapes (typed against common/visits.ts). Requests check shape; what a time or a
 * photo key means is checked by the commands.
 */
import { z } from 'zod';
import { URGENCIES } from '../../common/cases.js';
import {
  type CoverageView,
  type DueItemView,
  NEED_KINDS,
  NEED_STATUSES,
  type NeedView,
  VISIT_LIMITS,
  type VisitView,
} from '../../common/visits.js';

const ZInstant = z.iso.datetime({ offset: true });
const ZDay = z.iso.date();
const ZKey = z.string().regex(/^[a-f0-9]{64}$/, 'a media key from POST /api/media');

export const ZVisitParams = z.strictObject({ id: z.uuid() });
export const ZNeedParams = z.strictObject({ id: z.uuid(), needId: z.uuid() });
export const ZVisitPhotoParams = z.strictObject({ id: z.uuid(), key: ZKey, variant: z.enum(['thumb', 'public']) });

export const ZNeedInput = z.strictObject({
  kind: z.enum(NEED_KINDS),
  description: z.string().trim().min(VISIT_LIMITS.needTextMin).max(VISIT_LIMITS.needTextMax),
});

export const ZRecordVisitRequest = z.strictObject({
  householdId: z.uuid(),
  /** When the visit took place (default now); up to 31 days back, never ahead. */
  visitedAt: ZInstant.optional(),
  /** A night visit (夜访); by default, whether the time falls between 19:00 and 07:00 Beijing time. */
  night: z.boolean().optional(),
  findings: z.string().trim().max(VISIT_LIMITS.findingsMax).default(''),
  needs: z.array(ZNeedInput).max(VISIT_LIMITS.needsMax).default([]),
  /** Keys of photos the visitor uploaded (POST /api/media). */
  photos: z.array(ZKey).max(VISIT_LIMITS.photosMax).default([]),
});

export const ZReferNeedRequest = z.strictObject({
  /** The case category (小类 code). */
  categoryCode: z.string().regex(/^[0-9]{4}$/),
  urgency: z.enum(URGENCIES).default('normal'),
  /** Defaults to the start of the need's description. */
  title: z.string().trim().min(2).max(100).optional(),
  /** Added to the need's description in the case. */
  note: z.string().trim().max(2_000).optional(),
  /** Photos for the case: the visit's own, or new uploads of the actor. */
  photos: z.array(ZKey).max(VISIT_LIMITS.photosMax).default([]),
});

export const ZResolveNeedRequest = z.strictObject({
  resolution: z.string().trim().min(VISIT_LIMITS.resolutionMin).max(VISIT_LIMITS.resolutionMax),
});

const ZUnitRef = z.object({ id: z.string(), code: z.string(), name: z.string() });

export const ZNeedView = z.object({
  id: z.string(),
  kind: z.enum(NEED_KINDS),
  description: z.string(),
  status: z.enum(NEED_STATUSES),
  open: z.boolean(),
  case: z.object({ id: z.string(), number: z.string(), state: z.string() }).nullable(),
  referredAt: z.string().nullable(),
  resolution: z.string().nullable(),
  resolvedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
  abilities: z.object({ refer: z.boolean(), resolve: z.boolean() }),
}) satisfies z.ZodType<NeedView>;

export const ZVisitView = z.object({
  id: z.string(),
  household: z.object({ id: z.string(), address: z.string(), dissolved: z.boolean() }),
  unit: ZUnitRef,
  visitor: z.object({ id: z.string(), name: z.string() }),
  visitedAt: z.string(),
  night: z.boolean(),
  findings: z.string(),
  needs: z.array(ZNeedView),
  photos: z.array(z.object({ key: z.string(), thumbUrl: z.string(), publicUrl: z.string() })),
  synthetic: z.boolean(),
  createdAt: z.string(),
}) satisfies z.ZodType<VisitView>;

export const ZVisitListQuery = z.strictObject({
  householdId: z.uuid().optional(),
  /** A unit in scope: its subtree. */
  unitId: z.uuid().optional(),
  visitorId: z.uuid().optional(),
  from: ZInstant.optional(),
  to: ZInstant.optional(),
  /** Keyset paging: visits before this instant (the last `visitedAt` of the previous page). */
  before: ZInstant.optional(),
  limit: z.coerce.number().int().min(1).max(VISIT_LIMITS.pageMax).default(50),
});

export const ZVisitPage = z.object({ items: z.array(ZVisitView) });

export const ZDueQuery = z.strictObject({
  /** A unit in scope (default: the whole scope; a grid worker's grids). */
  unitId: z.uuid().optional(),
  /** Only households not covered on the day (the half-year rule's list). */
  overdue: z.enum(['true', 'false']).default('false'),
  limit: z.coerce.number().int().min(1).max(VISIT_LIMITS.pageMax).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ZDueItem = z.object({
  household: z.object({ id: z.string(), address: z.string(), members: z.number() }),
  unit: ZUnitRef,
  head: z.object({ id: z.string(), name: z.string() }).nullable(),
  lastVisitedAt: z.string().nullable(),
  dueOn: ZDay.nullable(),
  overdue: z.boolean(),
}) satisfies z.ZodType<DueItemView>;

export const ZDuePage = z.object({
  day: ZDay,
  coveredSince: ZDay,
  total: z.number(),
  items: z.array(ZDueItem),
});

export const ZCoverageQuery = z.strictObject({
  /** A unit in scope (default: the actor's first scope). */
  unitId: z.uuid().optional(),
  /** The day counted (default today, Beijing); not in the future. */
  day: ZDay.optional(),
});

const ZFigures = z.object({
  households: z.number(),
  covered: z.number(),
  overdue: z.number(),
  neverVisited: z.number(),
  rate: z.number(),
});
const ZLevelledUnit = ZUnitRef.extend({ level: z.string() });

export const ZCoverageView = z.object({
  day: ZDay,
  coveredSince: ZDay,
  unit: ZLevelledUnit,
  total: ZFigures,
  committees: z.array(ZFigures.extend({ unit: ZLevelledUnit })),
  grids: z.array(ZFigures.extend({ unit: ZLevelledUnit })),
}) satisfies z.ZodType<CoverageView>;

export const ZReferredView = z.object({
  need: ZNeedView,
  case: z.object({ id: z.string(), number: z.string() }),
});
