/**
 * Webhooks and deliveries as the API shows them: never a secret, times as ISO instants, and the
 * actor's abilities on each subscription.
 */
import type { UnitLevel } from '../../common/territory.js';
import type { WebhookDeliveryView, WebhookEventType, WebhookView } from '../../common/webhooks.js';
import type { Actor } from '../accounts/actor.js';
import { webhookPolicy } from './webhook.policy.js';
import type { DeliveryRow, WebhookRow } from './webhook.repository.js';

const iso = (at: Date | null) => (at ? new Date(at).toISOString() : null);

export function presentWebhook(row: WebhookRow, actor: Actor | null): WebhookView {
  const manage = webhookPolicy.manage(actor, row);
  return {
    id: row.id,
    district: row.district,
    unit: { id: row.unitId, code: row.unitCode, name: row.unitName, level: row.unitLevel as UnitLevel },
    url: row.url,
    eventTypes: row.eventTypes as WebhookEventType[],
    description: row.description,
    enabled: row.enabled,
    consecutiveFailures: row.consecutiveFailures,
    failingSince: iso(row.failingSince),
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    secretRotatedAt: iso(row.secretRotatedAt),
    previousSecretExpiresAt: iso(row.previousSecretExpiresAt),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    abilities: { update: manage, delete: manage, replay: manage && row.enabled },
  };
}

export function presentDelivery(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    webhookId: row.webhookId,
    eventId: row.eventId,
    eventType: row.eventType as WebhookDeliveryView['eventType'],
    caseNumber: row.payload.case?.number ?? null,
    status: row.status,
    attempts: row.attempts,
    replays: row.replays,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastAttemptAt: iso(row.lastAttemptAt),
    lastResponseStatus: row.lastResponseStatus,
    lastError: row.lastError,
    durationMs: row.durationMs,
    payload: row.payload,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
