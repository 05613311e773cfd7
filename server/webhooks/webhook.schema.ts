/**
 * The webhooks API's shapes (typed against common/webhooks.ts), and the payload a receiver gets,
 * documented in the OpenAPI as the component `WebhookPayload` and under the document's `webhooks`.
 */
import { z } from 'zod';
import { CASE_STATES, CHANNELS, CLOSE_REASONS, SATISFACTIONS, URGENCIES } from '../../common/cases.js';
import {
  DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryView,
  type WebhookPayload,
  type WebhookView,
} from '../../common/webhooks.js';
import { CASE_ACTIONS } from '../../common/workflow.js';
import { ZUnitRef } from '../http/schemas.js';

const ZEventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)]);

export const ZCreateWebhookRequest = z.strictObject({
  /** The unit whose subtree's cases the subscription receives. */
  unitId: z.uuid(),
  url: z.string().trim().min(1).max(2_000),
  eventTypes: ZEventTypes,
  description: z.string().trim().max(200).default(''),
});
export type TCreateWebhookRequest = z.infer<typeof ZCreateWebhookRequest>;

export const ZUpdateWebhookRequest = z
  .strictObject({
    url: z.string().trim().min(1).max(2_000).optional(),
    eventTypes: ZEventTypes.optional(),
    description: z.string().trim().max(200).optional(),
    /** false stops sending (outstanding deliveries are given up); true starts again with a clean record. */
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' });
export type TUpdateWebhookRequest = z.infer<typeof ZUpdateWebhookRequest>;

export const ZDeliveryQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const ZWebhookView = z.object({
  id: z.string(),
  district: z.string(),
  unit: ZUnitRef,
  url: z.string(),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  description: z.string(),
  enabled: z.boolean(),
  consecutiveFailures: z.number(),
  failingSince: z.string().nullable(),
  disabledReason: z.enum(['manual', 'failures']).nullable(),
  disabledAt: z.string().nullable(),
  secretRotatedAt: z.string().nullable(),
  previousSecretExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: z.object({ update: z.boolean(), delete: z.boolean(), replay: z.boolean() }),
}) satisfies z.ZodType<WebhookView>;

/** The secret appears in these answers only: creation and rotation. */
export const ZWebhookCreated = ZWebhookView.extend({
  secret: z.string().describe('whsec_…: shown this once, never again'),
});
export const ZSecretRotated = z.object({
  secret: z.string().describe('The new secret: shown this once, never again'),
  previousSecretExpiresAt: z.string().describe('Until then deliveries carry a second v1= under the old secret'),
});

export const ZWebhookPayload = z
  .object({
    id: z.uuid().describe('The event id: the same on every retry and replay; drop doubles by it'),
    type: z.enum([...WEBHOOK_EVENT_TYPES, 'ping']),
    occurredAt: z.string().describe('When the step was taken or the light turned, Beijing time (+08:00)'),
    case: z
      .object({
        number: z.string(),
        district: z.string(),
        state: z.enum(CASE_STATES).describe('The state the step left the case in'),
        categoryCode: z.string(),
        unitCode: z.string(),
        departmentCode: z.string().nullable(),
        light: z.enum(['none', 'green', 'yellow', 'red', 'paused']),
        urgency: z.enum(URGENCIES),
        channel: z.enum(CHANNELS),
      })
      .nullable()
      .describe('null for ping'),
    action: z.enum(CASE_ACTIONS).nullable().describe('The workflow step; null for lights and ping'),
    seq: z.number().nullable().describe("The step's number in the case's event log"),
    stage: z.string().nullable().describe('case.warned / case.overdue: the stage whose light turned'),
    satisfaction: z.enum(SATISFACTIONS).nullable().describe('case.rated'),
    solved: z.boolean().nullable().describe('case.rated'),
    closeReason: z.enum(CLOSE_REASONS).nullable().describe('case.closed'),
  })
  .describe(
    'The body of every webhook delivery. No personal data: no reporter, title, description, free text, ' +
      'point or tracking code. Headers: X-Gridloop-Event (the type), X-Gridloop-Delivery (the delivery id), ' +
      'X-Gridloop-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> (docs/webhooks.md).',
  ) satisfies z.ZodType<WebhookPayload>;

export const ZDeliveryView = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  eventType: z.enum([...WEBHOOK_EVENT_TYPES, 'ping']),
  caseNumber: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  replays: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastResponseStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  durationMs: z.number().nullable(),
  payload: ZWebhookPayload,
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<WebhookDeliveryView>;

export const ZDeliveryPage = z.object({
  items: z.array(ZDeliveryView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

/**
 * The OpenAPI 3.1 parts for app.ts: the payload as a component and the `webhooks` section that
 * describes the request Gridloop sends (one entry: every event type shares the body).
 */
export function webhookOpenApi() {
  const { $schema: _, ...payload } = z.toJSONSchema(ZWebhookPayload) as Record<string, unknown>;
  const header = (description: string) => ({ required: true, schema: { type: 'string' as const }, description });
  return {
    schemas: { WebhookPayload: payload },
    webhooks: {
      caseEvent: {
        post: {
          summary: 'A case event, sent to each subscription that matches it / 案件事件回调',
          parameters: [
            { in: 'header' as const, name: 'X-Gridloop-Event', ...header('The event type, e.g. case.dispatched') },
            { in: 'header' as const, name: 'X-Gridloop-Delivery', ...header('The delivery id (the same on retries)') },
            { in: 'header' as const, name: 'X-Gridloop-Signature', ...header('t=<unix seconds>,v1=<hex HMAC-SHA256>') },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookPayload' } } },
          },
          responses: { '2XX': { description: 'Received; any other answer or none within 10 s is retried' } },
        },
      },
    },
  };
}
