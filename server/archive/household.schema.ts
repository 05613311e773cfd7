/** The archive API's shapes for households and their file (typed against common/archive.ts). */
import { z } from 'zod';
import { type HouseholdView, MEMBER_RELATIONS } from '../../common/archive.js';
import { ZDateText, ZPersonSummary, ZTagView } from './archive.schema.js';

const ZMember = z.strictObject({
  personId: z.uuid(),
  relation: z.enum(MEMBER_RELATIONS),
  joinedOn: ZDateText.nullable().optional(),
});

export const ZCreateHouseholdRequest = z.strictObject({
  unitId: z.uuid(),
  buildingId: z.uuid().optional(),
  dwellingId: z.uuid().optional(),
  number: z.string().trim().max(40).nullable().optional(),
  address: z.string().trim().min(1).max(200),
  notes: z.string().trim().max(2000).default(''),
  /** Exactly one with relation `head` (422 ARCHIVE_HOUSEHOLD_HEAD otherwise). */
  members: z.array(ZMember).min(1).max(50),
});

export const ZUpdateHouseholdRequest = z
  .strictObject({
    version: z.number().int().min(1),
    number: z.string().trim().max(40).nullable().optional(),
    address: z.string().trim().min(1).max(200).optional(),
    notes: z.string().trim().max(2000).optional(),
    /** The whole new list: exactly one head. */
    members: z.array(ZMember).min(1).max(50).optional(),
  })
  .refine((b) => Object.keys(b).length > 1, { message: 'nothing to change' });

export const ZHouseholdQuery = z.strictObject({
  address: z.string().trim().max(80).optional(),
  tag: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .optional(),
  unitId: z.uuid().optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const ZHouseholdView = z.object({
  id: z.string(),
  district: z.string(),
  number: z.string().nullable(),
  address: z.string(),
  unit: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  building: z.object({ id: z.string(), name: z.string() }).nullable(),
  dwelling: z.object({ id: z.string(), entrance: z.string(), room: z.string() }).nullable(),
  notes: z.string(),
  dissolvedAt: z.string().nullable(),
  members: z.array(
    z.object({ person: ZPersonSummary, relation: z.enum(MEMBER_RELATIONS), joinedOn: z.string().nullable() }),
  ),
  tags: z.array(ZTagView),
  attachments: z.array(z.object({ id: z.string(), key: z.string(), title: z.string(), createdAt: z.string() })),
  synthetic: z.boolean(),
  version: z.number(),
  abilities: z.object({ update: z.boolean(), tag: z.boolean(), attach: z.boolean() }),
}) satisfies z.ZodType<HouseholdView>;

export const ZHouseholdSummary = z.object({
  id: z.string(),
  district: z.string(),
  number: z.string().nullable(),
  address: z.string(),
  unit: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  head: z.object({ id: z.string(), name: z.string() }).nullable(),
  memberCount: z.number(),
  tags: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() })),
});

export const ZHouseholdPage = z.object({
  items: z.array(ZHouseholdSummary),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const ZAttachRequest = z.strictObject({
  /** A photo the actor uploaded (POST /api/media). */
  key: z.string().regex(/^[a-f0-9]{64}$/),
  title: z.string().trim().min(1).max(100),
});

export const ZAttachmentParams = z.strictObject({
  id: z.uuid(),
  attachmentId: z.uuid(),
  variant: z.enum(['thumb', 'public']),
});
