import { z } from 'zod';
import {
  CASE_STATES,
  CHANNELS,
  CLOSE_REASONS,
  REJECT_REASONS,
  SATISFACTIONS,
  STAGES,
  URGENCIES,
} from '../../common/cases.js';
import { MAX_FILES } from '../../common/media.js';
import { CASE_ACTIONS } from '../../common/workflow.js';
import { ZCasePhotoView, ZMediaKey, ZPublicPhotoView } from '../media/media.schema.js';

const LIMIT_UNITS = ['natural_minutes', 'natural_hours', 'working_hours', 'working_days'] as const;

const ZLocation = {
  lng: z.number().min(-180).max(180).optional(),
  lat: z.number().min(-90).max(90).optional(),
  address: z.string().trim().max(200).optional(),
};

const ZReportBase = {
  categoryCode: z.string().regex(/^\d{4}$/, '4 digits'),
  urgency: z.enum(URGENCIES).default('normal'),
  title: z.string().trim().max(80).optional(),
  description: z.string().trim().min(4).max(4_000),
  ...ZLocation,
  /** Keys from POST /api/media, uploaded by the reporter. */
  photos: z.array(ZMediaKey).max(MAX_FILES).optional(),
  /** Answers to the category's extra questions by code (GET /api/public/categories lists them). */
  answers: z
    .record(z.string().max(40), z.union([z.string().max(4_000), z.array(z.string().max(200)).max(50)]))
    .optional(),
};

/** Staff report: patrol (grid workers), hotline (dispatchers), survey and board (committee staff). */
export const ZStaffReportRequest = z.strictObject({
  ...ZReportBase,
  channel: z.enum(['patrol', 'hotline', 'survey', 'board']),
  caller: z
    .strictObject({ name: z.string().trim().max(50).optional(), phone: z.string().trim().max(20).optional() })
    .optional(),
  externalId: z.string().trim().min(1).max(100).optional(),
});

/** Resident (or anonymous) report from the public page. */
export const ZPublicReportRequest = z.strictObject({
  ...ZReportBase,
  contact: z
    .strictObject({
      name: z.string().trim().max(50).optional(),
      phone: z
        .string()
        .regex(/^1\d{10}$/)
        .optional(),
    })
    .optional(),
});

export const ZReportResponse = z.object({
  id: z.string(),
  number: z.string(),
  trackingCode: z.string(),
  created: z.boolean(),
});

export const ZTransitionRequest = z.strictObject({
  action: z.enum(CASE_ACTIONS).exclude(['report']),
  version: z.number().int().min(1),
  reason: z.string().trim().max(2_000).optional(),
  rejectReason: z.enum(REJECT_REASONS).optional(),
  departmentId: z.uuid().optional(),
  closeReason: z.enum(CLOSE_REASONS).optional(),
  mergedIntoId: z.uuid().optional(),
  satisfaction: z.enum(SATISFACTIONS).optional(),
  solved: z.boolean().optional(),
  amount: z.strictObject({ amount: z.number().positive().max(365), unit: z.enum(LIMIT_UNITS) }).optional(),
  /** A corrected category (改类) at registration. */
  categoryCode: z
    .string()
    .regex(/^\d{4}$/, 'a 4-digit category code')
    .optional(),
  photos: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[a-f0-9]{64}$/, 'a media key'),
        role: z.enum(['before', 'after', 'evidence']),
      }),
    )
    .max(9)
    .optional(),
});

export const ZCaseListQuery = z.strictObject({
  state: z
    .string()
    .transform((v) => v.split(','))
    .pipe(z.array(z.enum(CASE_STATES)))
    .optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** One case by its readable number. */
  number: z
    .string()
    .trim()
    .regex(/^\d{6}-\d{8}-\d{5}$/, 'district-yyyymmdd-serial')
    .optional(),
  /** Words in the title, description or address, or the start of a number. */
  q: z.string().trim().min(1).max(50).optional(),
  /** Only cases placed in this unit's subtree. */
  unitId: z.uuid().optional(),
  /** Only cases reported at or after this instant. */
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
});

const ZNamed = z.object({ zh: z.string(), en: z.string() });

export const ZCaseView = z.object({
  id: z.string(),
  number: z.string(),
  trackingCode: z.string().nullable(),
  state: z.enum(CASE_STATES),
  channel: z.enum(CHANNELS),
  category: z.object({ code: z.string(), name: ZNamed }),
  urgency: z.enum(URGENCIES),
  title: z.string(),
  description: z.string(),
  address: z.string().nullable(),
  location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  unitId: z.string(),
  outsideGrid: z.boolean(),
  reporter: z.object({ kind: z.string(), name: z.string().nullable(), phone: z.string().nullable() }),
  departmentId: z.string().nullable(),
  coDepartmentIds: z.array(z.string()),
  level: z.string(),
  clock: z.object({
    stage: z.enum(STAGES).nullable(),
    startedAt: z.string().nullable(),
    dueAt: z.string().nullable(),
    light: z.enum(['none', 'green', 'yellow', 'red', 'paused']),
    /** Time used by the running stage, in its limit's basis (working minutes or natural minutes). */
    elapsed: z
      .object({ minutes: z.number(), basis: z.enum(['working', 'natural']) })
      .nullable()
      .optional(),
    /** Time left (or past due), with a ready sentence in both languages. */
    remaining: z
      .object({
        overdue: z.boolean(),
        minutes: z.number(),
        basis: z.enum(['working', 'natural']),
        text: ZNamed,
      })
      .nullable()
      .optional(),
  }),
  pendingRequest: z.object({ kind: z.enum(['extension', 'deferral']), reason: z.string() }).nullable(),
  closeReason: z.enum(CLOSE_REASONS).nullable(),
  solvedLevel: z.string().nullable(),
  satisfaction: z.enum(SATISFACTIONS).nullable(),
  counters: z.record(z.string(), z.number()),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: z.array(z.enum(CASE_ACTIONS)),
});

export const ZCaseEventView = z.object({
  seq: z.number(),
  action: z.enum(CASE_ACTIONS),
  fromState: z.enum(CASE_STATES).nullable(),
  toState: z.enum(CASE_STATES),
  actor: z.object({ name: z.string().nullable(), relation: z.string().nullable() }),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
  /** The photos of this step (the report event shows the report's own). */
  photos: z.array(ZCasePhotoView),
});

/** A category the words of a report suggest (类别建议). */
export const ZCategorySuggestion = z.object({
  code: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
  /** 0–1: how sure the model is. */
  confidence: z.number(),
});

export const ZCaseDetail = ZCaseView.extend({
  events: z.array(ZCaseEventView),
  /** The department the dispatch rules suggest (category × most specific unit), for the dispatcher. */
  suggestedDepartmentId: z.string().nullable(),
  /** While it waits to be registered: the categories its words suggest (改类), most likely first. */
  suggestedCategories: z.array(ZCategorySuggestion),
  /**
   * Its other reporters: people who follow it (关注) — residents who chose it instead of reporting
   * again, reporters of duplicates merged into it. Contacts masked like the reporter's.
   */
  /** Machine alarms that opened or joined it (物联感知), or null when none did. */
  alarms: z.object({ count: z.number(), devices: z.number(), lastAt: z.string() }).nullable(),
  followers: z.array(
    z.object({
      via: z.enum(['follow', 'merge']),
      mergedCaseNumber: z.string().nullable(),
      name: z.string().nullable(),
      phone: z.string().nullable(),
      resident: z.boolean(),
      since: z.string(),
    }),
  ),
});

export const ZPublicCallbackRequest = z.strictObject({
  version: z.number().int().min(1),
  satisfaction: z.enum(SATISFACTIONS),
  solved: z.boolean(),
  reason: z.string().trim().max(500).optional(),
});

export const ZPublicReopenRequest = z.strictObject({
  version: z.number().int().min(1),
  reason: z.string().trim().min(4).max(2_000),
});

const ZPublicEvents = z.array(
  z.object({
    action: z.enum(CASE_ACTIONS),
    toState: z.enum(CASE_STATES),
    at: z.string(),
    reason: z.string().nullable(),
    /** Public copies of the step's photos (never the original, never a position). */
    photos: z.array(ZPublicPhotoView),
  }),
);

export const ZPublicCaseView = z.object({
  number: z.string(),
  state: z.enum(CASE_STATES),
  category: z.object({ code: z.string(), name: ZNamed }),
  title: z.string(),
  createdAt: z.string(),
  closeReason: z.enum(CLOSE_REASONS).nullable(),
  satisfaction: z.enum(SATISFACTIONS).nullable(),
  abilities: z.array(z.enum(['callback', 'reopen'])),
  version: z.number(),
  events: ZPublicEvents,
  /** Every photo of the events above, in order (a gallery of the report's and public steps' photos). */
  photos: z.array(ZPublicPhotoView),
  /** The code is a follower's (关注), not the reporter's: it shows progress and rates nothing. */
  follower: z.boolean(),
  /** A merged case: the case it went into, with that case's public progress. */
  mergedInto: z
    .object({
      number: z.string(),
      state: z.enum(CASE_STATES),
      title: z.string(),
      createdAt: z.string(),
      closeReason: z.enum(CLOSE_REASONS).nullable(),
      events: ZPublicEvents,
    })
    .nullable(),
});
