/**
 * API shapes of the hotline's machine side: a pushed order and its answer, and the status export.
 */
import { z } from 'zod';
import { CASE_STATES, SATISFACTIONS } from '../../common/cases.js';
import { HOTLINE_EXPORT_FORMATS, HOTLINE_STATUSES } from '../../common/hotline.js';

const ZValue = z.string().trim().max(200);
/** ISO 8601; without a zone it is Beijing time. Checked with the other fields (422 IMPORT_VALUE_INVALID). */
const ZTime = z.string().trim().max(40);

export const ZPushOrder = z.strictObject({
  orderNumber: z.string().trim().min(1).max(64),
  calledAt: ZTime.optional(),
  caller: z
    .strictObject({ name: z.string().trim().max(50).optional(), phone: z.string().trim().max(40).optional() })
    .optional(),
  /** Their category text (through the district's default mapping) or our category code. */
  category: ZValue.min(1),
  title: z.string().trim().max(100).optional(),
  description: z.string().trim().min(1).max(4_000),
  address: z.string().trim().max(500).optional(),
  lng: z.number().min(-180).max(180).optional(),
  lat: z.number().min(-90).max(90).optional(),
  /** 承办单位: their text (through the mapping) or our unit code. */
  unit: ZValue.optional(),
  deadline: ZTime.optional(),
  /** Their urgency text (through the mapping), or normal / urgent / emergency. */
  urgency: ZValue.optional(),
});

export const ZPushAnswer = z.object({
  orderNumber: z.string(),
  outcome: z.enum(['created', 'updated', 'unchanged']),
  /** The order's version here: 1, then one more per change of content. */
  version: z.number(),
  caseId: z.string(),
  /** The case's number (district-yyyymmdd-serial) and the caller's tracking code (查询码). */
  number: z.string(),
  trackingCode: z.string(),
  replay: z.boolean(),
});

export const ZStatusQuery = z.strictObject({
  /** From (inclusive), ISO 8601; orders whose case or order changed since then. */
  since: z.string().min(10).max(40),
  /** Until (exclusive), ISO 8601; now when left out. At most 92 days after since. */
  until: z.string().min(10).max(40).optional(),
  format: z.enum(HOTLINE_EXPORT_FORMATS).default('json'),
});

const ZBilingual = z.object({ zh: z.string(), en: z.string() });

export const ZOrderStatus = z.object({
  orderNumber: z.string(),
  caseNumber: z.string(),
  status: z.enum(HOTLINE_STATUSES),
  statusLabel: ZBilingual,
  state: z.enum(CASE_STATES),
  department: z.string().nullable(),
  /** The latest handling report's text. */
  result: z.string().nullable(),
  calledAt: z.string().nullable(),
  receivedAt: z.string(),
  dispatchedAt: z.string().nullable(),
  handledAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  callback: z
    .object({ satisfaction: z.enum(SATISFACTIONS), label: ZBilingual, solved: z.boolean().nullable() })
    .nullable(),
  mergedInto: z.string().nullable(),
  changedAt: z.string(),
});

export const ZStatusExport = z.object({
  since: z.string(),
  until: z.string(),
  items: z.array(ZOrderStatus),
});
