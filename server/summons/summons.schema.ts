import { z } from 'zod';
import {
  MAX_SUMMONED_DEPARTMENTS,
  SUMMONS_REPLIES,
  SUMMONS_REPLY_UNITS,
  SUMMONS_STATES,
} from '../../common/summons.js';
import { ZDepartmentRef, ZUnitRef } from '../http/schemas.js';

const ZInstant = z.iso.datetime({ offset: true });
const ZNamed = z.object({ zh: z.string(), en: z.string() });
const ZPerson = z.object({ id: z.string(), name: z.string().nullable() });

export const ZIssueSummonsRequest = z.strictObject({
  /** The committee or subdistrict that summons (the actor must speak for it). */
  unitId: z.uuid(),
  departmentIds: z.array(z.uuid()).min(1).max(MAX_SUMMONED_DEPARTMENTS),
  caseId: z.uuid().optional(),
  subject: z.string().trim().min(2).max(100),
  description: z.string().trim().max(4_000).optional(),
  place: z.string().trim().min(2).max(200),
  lng: z.number().min(-180).max(180).optional(),
  lat: z.number().min(-90).max(90).optional(),
  /** When the departments are asked to be on the spot. */
  requestedAt: ZInstant,
  /** How long the departments have to reply (working time); 1 working day when absent. */
  replyLimit: z.strictObject({ amount: z.number().positive(), unit: z.enum(SUMMONS_REPLY_UNITS) }).optional(),
});

export const ZReplyRequest = z.strictObject({
  /** The department answering (the actor must be one of its handlers). */
  departmentId: z.uuid(),
  reply: z.enum(SUMMONS_REPLIES),
  /** With `accepted`: when the department will be there. */
  arrivalAt: ZInstant.optional(),
  /** With `declined`: why (at least 4 characters). */
  reason: z.string().max(2_000).optional(),
});

export const ZEndRequest = z.strictObject({
  version: z.number().int().min(1),
  /** The outcome (close) or the reason (cancel), at least 4 characters. */
  text: z.string().max(4_000),
});

export const ZSummonsListQuery = z.strictObject({
  state: z
    .string()
    .transform((v) => v.split(','))
    .pipe(z.array(z.enum(SUMMONS_STATES)))
    .optional(),
  overdue: z.enum(['true', 'false']).optional(),
  waiting: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: ZInstant.optional(),
});

const ZLight = z.enum(['none', 'green', 'yellow', 'red']);

export const ZSummonsDepartmentView = z.object({
  department: ZDepartmentRef,
  reply: z.enum(SUMMONS_REPLIES).nullable(),
  arrivalAt: z.string().nullable(),
  declineReason: z.string().nullable(),
  repliedBy: ZPerson.nullable(),
  repliedAt: z.string().nullable(),
  /** Replied after the reply time. */
  late: z.boolean(),
  warnedAt: z.string().nullable(),
  overdueAt: z.string().nullable(),
  /** none once replied; else green, yellow (warned) or red (overdue). */
  light: ZLight,
});

export const ZSummonsView = z.object({
  id: z.string(),
  unit: ZUnitRef,
  issuedBy: ZPerson,
  case: z.object({ id: z.string(), number: z.string() }).nullable(),
  subject: z.string(),
  description: z.string(),
  place: z.string(),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  requestedAt: z.string(),
  replyLimit: z.object({ amount: z.number(), unit: z.enum(SUMMONS_REPLY_UNITS) }),
  sentAt: z.string(),
  replyDueAt: z.string(),
  state: z.enum(SUMMONS_STATES),
  /** The worst light of the departments still to answer. */
  light: ZLight,
  /** Working time left to reply (or past due), while some department is still to answer. */
  remaining: z
    .object({ overdue: z.boolean(), minutes: z.number(), basis: z.enum(['working', 'natural']), text: ZNamed })
    .nullable(),
  outcome: z.string().nullable(),
  endedAt: z.string().nullable(),
  departments: z.array(ZSummonsDepartmentView),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: z.object({ reply: z.array(z.string()), close: z.boolean(), cancel: z.boolean() }),
});
