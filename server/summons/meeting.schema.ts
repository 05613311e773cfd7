import { z } from 'zod';
import { ATTENDEE_KINDS } from '../../common/summons.js';
import { ZDepartmentRef, ZUnitRef } from '../http/schemas.js';

const ZInstant = z.iso.datetime({ offset: true });
const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');
const ZPerson = z.object({ id: z.string(), name: z.string().nullable() });

export const ZAttendeeInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('account'), accountId: z.uuid() }),
  z.strictObject({ kind: z.literal('department'), departmentId: z.uuid() }),
  z.strictObject({
    kind: z.literal('person'),
    name: z.string().trim().min(1).max(50),
    affiliation: z.string().trim().max(100).optional(),
  }),
]);

export const ZCreateMeetingRequest = z.strictObject({
  /** The convening unit: a district, subdistrict or committee the actor speaks for. */
  unitId: z.uuid(),
  heldAt: ZInstant,
  place: z.string().trim().min(2).max(200),
  subject: z.string().trim().min(2).max(200),
  minutes: z.string().trim().max(20_000).optional(),
  attendees: z.array(ZAttendeeInput).min(1).max(100),
  /** Cases discussed; each must be readable by the actor. */
  caseIds: z.array(z.uuid()).max(50).optional(),
});

export const ZUpdateMeetingRequest = z.strictObject({
  version: z.number().int().min(1),
  heldAt: ZInstant.optional(),
  place: z.string().trim().min(2).max(200).optional(),
  subject: z.string().trim().min(2).max(200).optional(),
  minutes: z.string().trim().max(20_000).optional(),
});

export const ZLinkCaseRequest = z.strictObject({ caseId: z.uuid() });

export const ZAddDecisionRequest = z.strictObject({
  text: z.string().trim().min(4).max(2_000),
  owner: z.union([z.strictObject({ departmentId: z.uuid() }), z.strictObject({ accountId: z.uuid() })]),
  dueOn: ZDay,
});

export const ZMeetingListQuery = z.strictObject({
  /** Only meetings with decisions past their due date and not done. */
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: ZInstant.optional(),
});

export const ZAttendeeView = z.object({
  kind: z.enum(ATTENDEE_KINDS),
  account: ZPerson.nullable(),
  department: ZDepartmentRef.nullable(),
  name: z.string().nullable(),
  affiliation: z.string().nullable(),
});

export const ZDecisionView = z.object({
  id: z.string(),
  text: z.string(),
  owner: z.object({ department: ZDepartmentRef.nullable(), account: ZPerson.nullable() }),
  dueOn: z.string(),
  doneAt: z.string().nullable(),
  /** Past its due date (Asia/Shanghai) and not done. */
  overdue: z.boolean(),
  abilities: z.object({ markDone: z.boolean() }),
});

export const ZMeetingSummary = z.object({
  id: z.string(),
  unit: ZUnitRef,
  convenedBy: ZPerson,
  heldAt: z.string(),
  place: z.string(),
  subject: z.string(),
  decisionCounts: z.object({ total: z.number(), open: z.number(), overdue: z.number() }),
  version: z.number(),
});

export const ZMeetingView = ZMeetingSummary.extend({
  minutes: z.string(),
  attendees: z.array(ZAttendeeView),
  cases: z.array(z.object({ id: z.string(), number: z.string() })),
  decisions: z.array(ZDecisionView),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: z.object({ update: z.boolean(), linkCase: z.boolean(), addDecision: z.boolean() }),
});
