/**
 * Kysely's view of the tables (camelCase; the CamelCasePlugin maps to snake_case columns).
 * Migrations do not import this file: it describes the latest schema for application code only.
 */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CaseState, Channel, CloseReason, Satisfaction, SolvedLevel, Stage, Urgency } from '../../common/cases.js';
import type { CategoryQuestion } from '../../common/catalogue.js';
import type { Role } from '../../common/roles.js';
import type { AttendeeKind, SummonsReply, SummonsReplyUnit, SummonsState } from '../../common/summons.js';
import type { DepartmentKind, DepartmentLevel, UnitGeometry, UnitKind, UnitLevel } from '../../common/territory.js';
import type { DeliveryStatus, WebhookPayload } from '../../common/webhooks.js';
import type { CaseAction } from '../../common/workflow.js';
import type { ArchiveTables } from '../archive/archive.tables.js';
import type { HotlineTables } from '../hotline/hotline.tables.js';
import type { ImportTables } from '../imports/import.tables.js';
import type { VisitTables } from '../visits/visit.tables.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UnitTable {
  district: string;
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  parentId: string | null;
  path: string;
  depth: number;
  geometry: JSONColumnType<UnitGeometry | null, string | null, string | null>;
  minLng: number | null;
  minLat: number | null;
  maxLng: number | null;
  maxLat: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface DepartmentTable {
  id: string;
  code: string;
  name: string;
  kind: DepartmentKind;
  level: DepartmentLevel;
  servesUnitId: string;
  servesPath: string;
  district: string;
  deployedToUnitId: string | null;
  disabled: Generated<boolean>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface AccountTable {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  passwordHash: string;
  disabled: Generated<boolean>;
  mustChangePassword: Generated<boolean>;
  failedSignIns: Generated<number>;
  lockedUntil: Date | null;
  passwordChangedAt: Timestamp;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface AccountGrantTable {
  id: string;
  accountId: string;
  role: Role;
  unitId: string;
  unitPath: string;
  district: string;
  departmentId: string | null;
  grantedBy: string | null;
  createdAt: Timestamp;
}

export interface ResidentTable {
  id: string;
  phone: string;
  displayName: string;
  passwordHash: string;
  disabled: Generated<boolean>;
  failedSignIns: Generated<number>;
  lockedUntil: Date | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface SessionTable {
  id: string;
  kind: 'staff' | 'resident';
  accountId: string | null;
  residentId: string | null;
  csrfToken: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: Timestamp;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
}

export interface SettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updatedAt: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  occurredAt: Generated<Date>;
  district: string | null;
  actor: JSONColumnType<Record<string, unknown>, string, string>;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  requestId: string | null;
  ip: string | null;
  seq: string | null;
  prevHash: string | null;
  hash: string | null;
}

export interface CalendarDayTable {
  /** yyyy-mm-dd (the pg DATE parser is set to keep it a string). */
  day: string;
  kind: 'workday' | 'holiday';
  note: Generated<string>;
  createdBy: string | null;
  createdAt: Timestamp;
}

export interface CategoryTable {
  id: string;
  code: string;
  majorCode: string;
  kind: 'component' | 'event';
  nameZh: string;
  nameEn: string;
  departmentKind: string | null;
  selfRegister: Generated<boolean>;
  selfHandle: Generated<boolean>;
  duplicateRadiusM: Generated<number>;
  duplicateWindowDays: Generated<number>;
  serviceNoticeZh: string | null;
  serviceNoticeEn: string | null;
  keywords: Generated<string[]>;
  disabled: Generated<boolean>;
  /** Extra questions (migration 0011), checked by the catalogue's schema. */
  questions: ColumnType<CategoryQuestion[], string | undefined, string>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface TimeLimitTable {
  id: string;
  categoryId: string | null;
  urgency: Urgency;
  stage: Stage;
  amount: number;
  unit: 'natural_minutes' | 'natural_hours' | 'working_hours' | 'working_days';
}

export interface DispatchRuleTable {
  id: string;
  categoryId: string;
  unitId: string;
  unitPath: string;
  district: string;
  departmentId: string;
  createdAt: Timestamp;
}

export interface CaseSerialTable {
  district: string;
  day: string;
  last: number;
}

/** A pending extension or deferral request, waiting for a supervisor. */
export interface PendingRequest {
  kind: 'extension' | 'deferral';
  reason: string;
  amount?: { amount: number; unit: string };
  byAccountId: string;
  at: string;
}

export interface CaseTable {
  district: string;
  id: string;
  number: string;
  trackingCode: string;
  state: CaseState;
  channel: Channel;
  categoryId: string;
  urgency: Urgency;
  title: string;
  description: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  unitId: string;
  unitPath: string;
  outsideGrid: Generated<boolean>;
  reporterKind: 'resident' | 'staff' | 'anonymous' | 'caller' | 'machine';
  reporterResidentId: string | null;
  reporterAccountId: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  externalId: string | null;
  departmentId: string | null;
  coDepartmentIds: Generated<string[]>;
  handlerAccountId: string | null;
  level: Generated<string>;
  stage: Stage | null;
  stageUnit: 'natural_minutes' | 'natural_hours' | 'working_hours' | 'working_days' | null;
  stageStartedAt: Date | null;
  dueAt: Date | null;
  warnedAt: Date | null;
  overdueAt: Date | null;
  pausedAt: Date | null;
  pendingRequest: JSONColumnType<PendingRequest | null, string | null, string | null>;
  closeReason: CloseReason | null;
  solvedLevel: SolvedLevel | null;
  closedAt: Date | null;
  mergedIntoId: string | null;
  satisfaction: Satisfaction | null;
  callbackSolved: boolean | null;
  /** The handling deadline the closure indicators count from: set at dispatch, moved by extensions and deferrals (server/indicators). */
  handleDueAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Whether the latest closing kept its deadline (server/indicators/closing-deadline.ts); null while open. */
  closedOnTime: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  /** CaseCounter values, plus onTime<Stage> / overdue<Stage> (onTimeHandle …) for every stage clock stopped. */
  counters: JSONColumnType<Record<string, number>, string, string>;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/**
 * Daily rollup of the case event log (migration 0009), maintained by a trigger on case_event.
 * Counter columns are named in server/indicators/definitions.ts (FLOW_COUNTS).
 */
export interface IndicatorDayTable {
  district: string;
  day: string;
  unitId: string;
  unitPath: string;
  categoryId: string;
  departmentKey: string;
  channel: Channel;
  reported: Generated<number>;
  registered: Generated<number>;
  registeredOnTime: Generated<number>;
  rejected: Generated<number>;
  dispatched: Generated<number>;
  returned: Generated<number>;
  handled: Generated<number>;
  handledOnTime: Generated<number>;
  handledOverdue: Generated<number>;
  selfHandled: Generated<number>;
  verified: Generated<number>;
  reworked: Generated<number>;
  closed: Generated<number>;
  closedSolved: Generated<number>;
  closedOnTime: Generated<number>;
  closedFirstTime: Generated<number>;
  extended: Generated<number>;
  deferred: Generated<number>;
  escalated: Generated<number>;
  reopened: Generated<number>;
  merged: Generated<number>;
  supervised: Generated<number>;
  callbackDue: Generated<number>;
  callbackResponded: Generated<number>;
  callbacks: Generated<number>;
  callbackSatisfied: Generated<number>;
  callbackBasicallySatisfied: Generated<number>;
  callbackDissatisfied: Generated<number>;
  callbackSolved: Generated<number>;
  solvedGrid: Generated<number>;
  solvedCommunity: Generated<number>;
  solvedSubdistrict: Generated<number>;
  solvedDistrict: Generated<number>;
  solvedCity: Generated<number>;
  /** bigint sums: strings from pg. */
  registrationWorkingMinutes: Generated<string>;
  handlingWorkingMinutes: Generated<string>;
}

export interface CaseEventTable {
  district: string;
  caseId: string;
  seq: number;
  action: CaseAction;
  fromState: CaseState | null;
  toState: CaseState;
  actor: JSONColumnType<Record<string, unknown>, string, string>;
  actorRelation: string | null;
  reason: string | null;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  public: Generated<boolean>;
  createdAt: Timestamp;
  /** The writing transaction's id (xid8 as text, migration 0014): the webhook dispatcher's cursor; null before it. */
  xid: Generated<string | null>;
}

/** One upload of a photo (the file is in the store under `key`); the GPS point is for staff only. */
export interface PhotoTable {
  id: string;
  key: string;
  uploaderKind: 'staff' | 'resident' | 'anonymous' | 'system';
  accountId: string | null;
  residentId: string | null;
  /** HMAC of an anonymous uploader's address: recognises them for a while without keeping the address. */
  ipHash: string | null;
  format: 'jpeg' | 'png' | 'webp';
  width: number;
  height: number;
  bytes: number;
  hadGps: Generated<boolean>;
  gpsLng: number | null;
  gpsLat: number | null;
  filename: string | null;
  declaredMismatch: Generated<boolean>;
  createdAt: Timestamp;
}

/** A photo shown on a case: the report's own (seq null) or a step's (its event's seq). */
export interface CasePhotoTable {
  district: string;
  id: string;
  caseId: string;
  key: string;
  role: 'report' | 'before' | 'after' | 'evidence';
  seq: number | null;
  addedByKind: 'staff' | 'resident' | 'anonymous' | 'system';
  addedById: string | null;
  createdAt: Timestamp;
}

/** A follower (关注) of a case: by choice instead of a new report, or the reporter of a case merged into it. */
export interface CaseFollowerTable {
  district: string;
  id: string;
  caseId: string;
  /** The follower's own tracking code; for `merge`, the merged case's code. */
  trackingCode: string;
  via: 'follow' | 'merge';
  mergedCaseId: string | null;
  residentId: string | null;
  accountId: string | null;
  contactName: string | null;
  contactPhone: string | null;
  createdAt: Timestamp;
}

export interface NotificationTable {
  id: string;
  recipientKind: 'account' | 'resident';
  recipientId: string;
  kind: string;
  district: string | null;
  caseId: string | null;
  seq: number | null;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  createdAt: Timestamp;
  readAt: Date | null;
}

/** A summons (约请): a committee or subdistrict calls departments to the spot. */
export interface SummonsTable {
  district: string;
  id: string;
  unitId: string;
  unitPath: string;
  issuedBy: string;
  caseDistrict: string | null;
  caseId: string | null;
  place: string;
  lng: number | null;
  lat: number | null;
  subject: string;
  description: Generated<string>;
  requestedAt: Date;
  replyAmount: number;
  replyUnit: SummonsReplyUnit;
  sentAt: Date;
  replyDueAt: Date;
  state: SummonsState;
  outcome: string | null;
  endedAt: Date | null;
  endedBy: string | null;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** One summoned department and its single reply; the sweep sets warnedAt / overdueAt once. */
export interface SummonsDepartmentTable {
  district: string;
  summonsId: string;
  departmentId: string;
  reply: SummonsReply | null;
  arrivalAt: Date | null;
  declineReason: string | null;
  repliedBy: string | null;
  repliedAt: Date | null;
  warnedAt: Date | null;
  overdueAt: Date | null;
}

/** A joint meeting (联席会议) of departments and territories. */
export interface JointMeetingTable {
  district: string;
  id: string;
  unitId: string;
  unitPath: string;
  convenedBy: string;
  heldAt: Date;
  place: string;
  subject: string;
  minutes: Generated<string>;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface JointMeetingAttendeeTable {
  district: string;
  meetingId: string;
  seq: number;
  kind: AttendeeKind;
  accountId: string | null;
  departmentId: string | null;
  name: string | null;
  affiliation: string | null;
}

export interface JointMeetingCaseTable {
  district: string;
  meetingId: string;
  caseDistrict: string;
  caseId: string;
  linkedBy: string | null;
  linkedAt: Timestamp;
}

export interface JointMeetingDecisionTable {
  district: string;
  id: string;
  meetingId: string;
  text: string;
  ownerDepartmentId: string | null;
  ownerAccountId: string | null;
  /** yyyy-mm-dd (the pg DATE parser keeps it a string). */
  dueOn: string;
  doneAt: Date | null;
  doneBy: string | null;
  createdBy: string | null;
  createdAt: Timestamp;
}

/** Machine keys (migration 0010): one per device group, hashed, bound to a unit and a channel. */
export interface MachineKeyTable {
  id: string;
  district: string;
  name: string;
  channel: 'sensor' | 'open311' | 'hotline';
  unitId: string;
  unitPath: string;
  keyPrefix: string;
  keyHash: string;
  createdBy: string | null;
  createdAt: Generated<Date>;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Alarms received from machines (migration 0010), each with the case it opened or joined. */
export interface AlarmTable {
  id: string;
  machineKeyId: string;
  idempotencyKey: string;
  deviceId: string;
  categoryCode: string;
  lng: number;
  lat: number;
  occurredAt: Date;
  receivedAt: Generated<Date>;
  district: string;
  caseId: string;
  attached: boolean;
  /** SHA-256 of the alarm as sent (migration 0020); null for alarms received before it. */
  requestHash: string | null;
}

/** The case a report sent with an Idempotency-Key made, per sender and key (migration 0020). */
export interface ReportRequestTable {
  /** `account:<id>`, `resident:<id>`, `anonymous:<address hash>` or `machine:<key id>`. */
  owner: string;
  idempotencyKey: string;
  requestHash: string;
  district: string;
  caseId: string;
  createdAt: Generated<Date>;
}

/** What an Open311 request carried beyond its case (migration 0011); contact fields are never served back. */
export interface Open311RequestTable {
  district: string;
  caseId: string;
  machineKeyId: string;
  attributes: JSONColumnType<Record<string, string | string[]>, string, string>;
  mediaUrl: string | null;
  addressId: string | null;
  email: string | null;
  deviceId: string | null;
  accountId: string | null;
  createdAt: Generated<Date>;
}

/** A light the deadline sweep turned (migration 0014, written by a trigger on cases): webhooks' case.warned / case.overdue. */
export interface CaseLightTable {
  district: string;
  caseId: string;
  seq: number;
  light: 'yellow' | 'red';
  stage: Stage | null;
  at: Date;
  xid: Generated<string>;
}

/** A webhook subscription (migration 0014): a unit's subtree, event types, a target URL and its secret. */
export interface WebhookTable {
  district: string;
  id: string;
  unitId: string;
  unitPath: string;
  url: string;
  eventTypes: string[];
  /** Kept as it is (the HMAC needs it) and never returned after creation or rotation. */
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  secretRotatedAt: Date | null;
  description: Generated<string>;
  enabled: Generated<boolean>;
  consecutiveFailures: Generated<number>;
  failingSince: Date | null;
  disabledReason: 'manual' | 'failures' | null;
  disabledAt: Date | null;
  createdBy: string | null;
  createdXid: Generated<string>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** One event for one subscription, and how sending it went (migration 0014). */
export interface WebhookDeliveryTable {
  district: string;
  id: string;
  webhookId: string;
  eventKey: string;
  eventId: string;
  eventType: string;
  payload: JSONColumnType<WebhookPayload, string, string>;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  replays: Generated<number>;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  durationMs: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** How far the webhook dispatcher has read the case event log and the light log (migration 0014). */
export interface WebhookCursorTable {
  source: 'case_event' | 'case_light';
  xid: string;
  district: string;
  caseId: string;
  seq: number;
  updatedAt: Timestamp;
}

/** Some modules declare their tables beside them: the resident archive, imports, the hotline (`*.tables.ts`). */
export interface Database extends ArchiveTables, ImportTables, HotlineTables, VisitTables {
  caseLight: CaseLightTable;
  webhook: WebhookTable;
  webhookDelivery: WebhookDeliveryTable;
  webhookCursor: WebhookCursorTable;
  open311Request: Open311RequestTable;
  machineKey: MachineKeyTable;
  alarm: AlarmTable;
  reportRequest: ReportRequestTable;
  category: CategoryTable;
  timeLimit: TimeLimitTable;
  dispatchRule: DispatchRuleTable;
  caseSerial: CaseSerialTable;
  cases: CaseTable;
  caseEvent: CaseEventTable;
  indicatorDay: IndicatorDayTable;
  caseFollower: CaseFollowerTable;
  photo: PhotoTable;
  casePhoto: CasePhotoTable;
  notification: NotificationTable;
  summons: SummonsTable;
  summonsDepartment: SummonsDepartmentTable;
  jointMeeting: JointMeetingTable;
  jointMeetingAttendee: JointMeetingAttendeeTable;
  jointMeetingCase: JointMeetingCaseTable;
  jointMeetingDecision: JointMeetingDecisionTable;
  calendarDay: CalendarDayTable;
  unit: UnitTable;
  department: DepartmentTable;
  account: AccountTable;
  accountGrant: AccountGrantTable;
  resident: ResidentTable;
  session: SessionTable;
  setting: SettingTable;
  auditLog: AuditLogTable;
}
