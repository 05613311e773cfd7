/**
 * Webhook subscriptions (回调订阅) and their delivery log (server/webhooks). Shapes come from
 * common/webhooks.ts, which the server's zod schemas are typed against.
 */
import type { DeliveryStatus, WebhookDeliveryView, WebhookEventType, WebhookView } from '@common/webhooks';
import { api } from './client';

export function listWebhooks(signal?: AbortSignal): Promise<{ items: WebhookView[] }> {
  return api.get('/api/webhooks', { signal });
}

export interface NewWebhook {
  unitId: string;
  url: string;
  eventTypes: WebhookEventType[];
  description: string;
}

/** The answer carries the secret: the only time it is ever shown. */
export function createWebhook(body: NewWebhook): Promise<WebhookView & { secret: string }> {
  return api.post('/api/webhooks', body);
}

export interface WebhookChanges {
  url?: string;
  eventTypes?: WebhookEventType[];
  description?: string;
  enabled?: boolean;
}

export function updateWebhook(id: string, changes: WebhookChanges): Promise<WebhookView> {
  return api.patch(`/api/webhooks/${encodeURIComponent(id)}`, changes);
}

export function deleteWebhook(id: string): Promise<void> {
  return api.delete(`/api/webhooks/${encodeURIComponent(id)}`);
}

export function rotateWebhookSecret(id: string): Promise<{ secret: string; previousSecretExpiresAt: string }> {
  return api.post(`/api/webhooks/${encodeURIComponent(id)}/rotate-secret`);
}

/** Sends a ping now; resolves with how the attempt went. */
export function testWebhook(id: string): Promise<WebhookDeliveryView> {
  return api.post(`/api/webhooks/${encodeURIComponent(id)}/test`);
}

export interface DeliveryPage {
  items: WebhookDeliveryView[];
  total: number;
  page: number;
  pageSize: number;
}

export function listDeliveries(
  id: string,
  query: { status?: DeliveryStatus | ''; page: number; pageSize: number },
  signal?: AbortSignal,
): Promise<DeliveryPage> {
  return api.get(`/api/webhooks/${encodeURIComponent(id)}/deliveries`, { query, signal });
}

export function replayDelivery(id: string): Promise<WebhookDeliveryView> {
  return api.post(`/api/webhooks/deliveries/${encodeURIComponent(id)}/replay`);
}
