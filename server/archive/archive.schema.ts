/**
 * The archive API's shapes for people and search (typed against common/archive.ts). Request
 * schemas check shape only; what an ID number, a date or a phone means is checked by the
 * commands (person-fields.ts), so imports get the same coded answers per row.
 */
import { z } from 'zod';
import {
  ACCESS_VIA,
  type AccessHistoryEntry,
  GENDERS,
  MEMBER_RELATIONS,
  PERSON_RELATIONS,
  PERSON_STATUSES,
  type PersonSummary,
  type PersonView,
  POLITICAL_STATUSES,
  PURPOSE_TEXT_MAX,
  RESIDENCIES,
  SEARCH_PAGE_SIZE_MAX,
  type TagView,
  UNMASK_PURPOSES,
  type UnmaskedPerson,
} from '../../common/archive.js';

export const ZId = z.strictObject({ id: z.uuid() });

const text = (max: number) => z.string().trim().max(max);
/** A calendar date as typed: its meaning (real day, not future) is checked by the command. */
export const ZDateText = z.string().trim().max(10).describe('YYYY-MM-DD');

export const ZPersonFields = z.strictObject({
  name: z.string().trim().min(1).max(64),
  /** Derived from the ID number when one is given (a different value is refused). */
  gender: z.enum(GENDERS).optional(),
  birthDate: ZDateText.optional(),
  idNumber: z.string().trim().max(32).nullable().optional(),
  phones: z.array(text(32)).max(5).default([]),
  ethnicity: text(20).nullable().optional(),
  residency: z.enum(RESIDENCIES).default('registered'),
  politicalStatus: z.enum(POLITICAL_STATUSES).nullable().optional(),
  /** The person agrees that their party membership is shown as an identity. */
  politicalStatusShown: z.boolean().default(false),
  work: text(200).default(''),
  notes: text(2000).default(''),
  address: text(200).default(''),
});

export const ZCreatePersonRequest = ZPersonFields.extend({
  /** The community or grid where the person lives. */
  unitId: z.uuid(),
});
export type TCreatePersonRequest = z.infer<typeof ZCreatePersonRequest>;

export const ZUpdatePersonRequest = z
  .strictObject({
    version: z.number().int().min(1),
    unitId: z.uuid().optional(),
    name: z.string().trim().min(1).max(64).optional(),
    gender: z.enum(GENDERS).optional(),
    birthDate: ZDateText.optional(),
    idNumber: z.string().trim().max(32).nullable().optional(),
    phones: z.array(text(32)).max(5).optional(),
    ethnicity: text(20).nullable().optional(),
    residency: z.enum(RESIDENCIES).optional(),
    politicalStatus: z.enum(POLITICAL_STATUSES).nullable().optional(),
    politicalStatusShown: z.boolean().optional(),
    work: text(200).optional(),
    notes: text(2000).optional(),
    address: text(200).optional(),
    status: z.enum(PERSON_STATUSES).optional(),
  })
  .refine((b) => Object.keys(b).length > 1, { message: 'nothing to change' });
export type TUpdatePersonRequest = z.infer<typeof ZUpdatePersonRequest>;

export const ZRelationRequest = z.strictObject({ relatedId: z.uuid(), relation: z.enum(PERSON_RELATIONS) });

export const ZPurpose = z.strictObject({
  purpose: z.enum(UNMASK_PURPOSES),
  /** What for, in words (at least PURPOSE_TEXT_MIN characters; checked with a coded answer). */
  purposeText: z.string().trim().max(PURPOSE_TEXT_MAX).default(''),
});

export const ZReadQuery = z.strictObject({
  /** Why the record is opened; plain browsing in one's duty when absent. */
  purpose: z.enum(UNMASK_PURPOSES).optional(),
});

export const ZPeopleQuery = z.strictObject({
  q: text(40).optional().describe('Name in Chinese (any part) or pinyin initials / full pinyin (from the start)'),
  idNumber: text(32).optional().describe('Exact ID number (validated)'),
  address: text(80).optional(),
  tag: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,39}$/)
    .optional()
    .describe('Tag type code'),
  unitId: z.uuid().optional(),
  status: z.enum(PERSON_STATUSES).optional(),
  residency: z.enum(RESIDENCIES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(SEARCH_PAGE_SIZE_MAX).default(20),
});
export type TPeopleQuery = z.infer<typeof ZPeopleQuery>;

const ZUnitRef = z.object({ id: z.string(), code: z.string(), name: z.string() });

export const ZTagView = z.object({
  id: z.string(),
  type: z.object({ id: z.string(), code: z.string(), nameZh: z.string(), nameEn: z.string() }),
  grade: z.number().nullable(),
  sourceDepartment: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  evidence: z.string(),
  active: z.boolean(),
}) satisfies z.ZodType<TagView>;

const summaryShape = {
  id: z.string(),
  district: z.string(),
  name: z.string(),
  gender: z.enum(GENDERS),
  birthDate: z.string(),
  idNumber: z.string().nullable().describe('Masked: 310105********1234'),
  phones: z.array(z.string()).describe('Masked: 138****5678'),
  masked: z.literal(true),
  residency: z.enum(RESIDENCIES),
  status: z.enum(PERSON_STATUSES),
  address: z.string(),
  unit: ZUnitRef,
  household: z.object({ id: z.string(), relation: z.enum(MEMBER_RELATIONS) }).nullable(),
  synthetic: z.boolean(),
};

export const ZPersonSummary = z.object({
  ...summaryShape,
  tags: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() })),
}) satisfies z.ZodType<PersonSummary>;

export const ZPersonView = z.object({
  ...summaryShape,
  view: z.enum(['full', 'department']),
  ethnicity: z.string().nullable(),
  politicalStatus: z.enum(POLITICAL_STATUSES).nullable(),
  politicalStatusShown: z.boolean(),
  work: z.string(),
  notes: z.string(),
  tags: z.array(ZTagView),
  relations: z.array(
    z.object({ person: z.object({ id: z.string(), name: z.string() }), relation: z.enum(PERSON_RELATIONS) }),
  ),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: z.object({ update: z.boolean(), unmask: z.boolean(), tag: z.boolean(), readHistory: z.boolean() }),
}) satisfies z.ZodType<PersonView>;

export const ZPeoplePage = z.object({
  items: z.array(ZPersonSummary),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const ZUnmaskedPerson = z.object({
  id: z.string(),
  idNumber: z.string().nullable(),
  phones: z.array(z.string()),
  purpose: z.enum(UNMASK_PURPOSES),
  showUntil: z.string(),
}) satisfies z.ZodType<UnmaskedPerson>;

export const ZAccessHistory = z.object({
  items: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      actor: z.object({ kind: z.string(), name: z.string().nullable(), username: z.string().nullable() }),
      fields: z.array(z.string()),
      purpose: z.string().nullable(),
      via: z.enum(ACCESS_VIA),
    }) satisfies z.ZodType<AccessHistoryEntry>,
  ),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const ZHistoryQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZDuplicatePerson = z.object({ existingId: z.string() });
