/**
 * Webhooks (回调订阅): the event types a subscription may choose, the workflow steps and sweep marks
 * they come from, and the shapes of the API as the web sees them. Shared by the server (which
 * derives events from the case event log) and the web (which lists the types with their labels).
 */
import type { UnitRef } from './api.js';
import type { CaseState, Channel, CloseReason, Satisfaction, Urgency } from './cases.js';
import type { CaseAction } from './workflow.js';

export const WEBHOOK_EVENT_TYPES = [
  'case.reported',
  'case.registered',
  'case.rejected',
  'case.merged',
  'case.dispatched',
  'case.acknowledged',
  'case.returned',
  'case.handled',
  'case.verified',
  'case.reworked',
  'case.deferred',
  'case.resumed',
  'case.closed',
  'case.reopened',
  'case.supervised',
  'case.rated',
  'case.warned',
  'case.overdue',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The events a workflow step announces. A step may announce two (核查通过并结案 is verified and
 * closed); steps not listed (notes, requests, co-handlers, escalation) announce none.
 */
export const ACTION_EVENTS: Partial<Record<CaseAction, readonly WebhookEventType[]>> = {
  report: ['case.reported'],
  register: ['case.registered'],
  self_register: ['case.registered'],
  reject: ['case.rejected'],
  merge: ['case.merged'],
  dispatch: ['case.dispatched'],
  reassign: ['case.dispatched'],
  acknowledge: ['case.acknowledged'],
  return: ['case.returned'],
  submit_handling: ['case.handled'],
  self_handle: ['case.handled', 'case.closed'],
  verify_pass: ['case.verified', 'case.closed'],
  verify_fail: ['case.reworked'],
  approve_deferral: ['case.deferred'],
  resume: ['case.resumed'],
  close: ['case.closed'],
  reopen: ['case.reopened'],
  supervise: ['case.supervised'],
  callback: ['case.rated'],
};

/** The deadline sweep's marks: yellow (warned_at set) and red (overdue_at set). */
export const LIGHT_EVENTS = { yellow: 'case.warned', red: 'case.overdue' } as const satisfies Record<
  string,
  WebhookEventType
>;

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, { zh: string; en: string }> = {
  'case.reported': { zh: '上报', en: 'Reported' },
  'case.registered': { zh: '立案', en: 'Registered' },
  'case.rejected': { zh: '不予立案', en: 'Rejected' },
  'case.merged': { zh: '合并重复案件', en: 'Merged as duplicate' },
  'case.dispatched': { zh: '派遣（含转派）', en: 'Dispatched (or reassigned)' },
  'case.acknowledged': { zh: '签收', en: 'Acknowledged' },
  'case.returned': { zh: '退单', en: 'Returned' },
  'case.handled': { zh: '处理反馈', en: 'Handled' },
  'case.verified': { zh: '核查通过', en: 'Verified' },
  'case.reworked': { zh: '核查不通过（返工）', en: 'Sent back for rework' },
  'case.deferred': { zh: '缓办', en: 'Deferred' },
  'case.resumed': { zh: '恢复处置', en: 'Resumed' },
  'case.closed': { zh: '结案', en: 'Closed' },
  'case.reopened': { zh: '重新办理', en: 'Reopened' },
  'case.supervised': { zh: '督办', en: 'Supervision order' },
  'case.rated': { zh: '回访评价', en: 'Rated (callback)' },
  'case.warned': { zh: '即将超时（黄灯）', en: 'Due soon (yellow light)' },
  'case.overdue': { zh: '已超时（红灯）', en: 'Overdue (red light)' },
};

/** `ping`: the test event an administrator sends by hand; never subscribed to. */
export type WebhookDeliveryEventType = WebhookEventType | 'ping';

/** pending: not tried yet; failed: the last attempt failed, another is due; gave_up: no more attempts. */
export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'gave_up'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * What a receiver gets: no personal data (no reporter, no description, no title, no free-text
 * reason, no place finer than the unit, no tracking code — that code is the reporter's capability).
 */
export interface WebhookPayload {
  /** The event's id: the same on every retry and replay, so a receiver can drop doubles. */
  id: string;
  type: WebhookDeliveryEventType;
  /** When the step was taken or the light turned, in Beijing time (+08:00). */
  occurredAt: string;
  case: WebhookCase | null;
  /** The workflow step (null for lights and ping). */
  action: CaseAction | null;
  /** The step's number in the case's event log (null for lights and ping). */
  seq: number | null;
  /** The stage whose light turned (case.warned / case.overdue), else null. */
  stage: string | null;
  /** case.rated: the rating and whether the problem was solved; else null. */
  satisfaction: Satisfaction | null;
  solved: boolean | null;
  /** case.closed: why it was closed; else null. */
  closeReason: CloseReason | null;
}

export interface WebhookCase {
  number: string;
  district: string;
  /** The state the step left the case in (lights: the state when the light turned). */
  state: CaseState;
  categoryCode: string;
  unitCode: string;
  departmentCode: string | null;
  /** The running stage's light when the event was picked up (a few seconds after the step). */
  light: 'none' | 'green' | 'yellow' | 'red' | 'paused';
  urgency: Urgency;
  channel: Channel;
}

export interface WebhookView {
  id: string;
  district: string;
  unit: UnitRef;
  url: string;
  eventTypes: WebhookEventType[];
  description: string;
  enabled: boolean;
  /** Failed attempts in a row since the last success (pings aside). */
  consecutiveFailures: number;
  failingSince: string | null;
  /** Why it is off: `manual` (an administrator) or `failures` (failing for a day). */
  disabledReason: 'manual' | 'failures' | null;
  disabledAt: string | null;
  secretRotatedAt: string | null;
  /** Until when deliveries are also signed with the secret before the last rotation. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  abilities: { update: boolean; delete: boolean; replay: boolean };
}

export interface WebhookDeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookDeliveryEventType;
  caseNumber: string | null;
  status: DeliveryStatus;
  /** Attempts since it was created or last replayed. */
  attempts: number;
  replays: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  durationMs: number | null;
  payload: WebhookPayload;
  createdAt: string;
  updatedAt: string;
}
