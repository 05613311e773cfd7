import { v7 as uuidv7 } from 'uuid';
import type { WebhookPayload } from '../../../common/webhooks.js';
import type { WebhookRow } from '../webhook.repository.js';
import { beijingIso } from '../webhook-events.js';
import type { WebhookContext } from './webhook-context.js';

/**
 * Records a `ping` delivery for the subscription, due now; the caller sends it at once. A ping is
 * tried once, whether the subscription is on or off, and leaves its failure record alone.
 */
export async function pingWebhook(ctx: WebhookContext, row: WebhookRow): Promise<string> {
  const now = ctx.now ?? new Date();
  const id = uuidv7();
  const eventId = uuidv7();
  const payload: WebhookPayload = {
    id: eventId,
    type: 'ping',
    occurredAt: beijingIso(now),
    case: null,
    action: null,
    seq: null,
    stage: null,
    satisfaction: null,
    solved: null,
    closeReason: null,
  };
  await ctx.db
    .insertInto('webhookDelivery')
    .values({
      district: row.district,
      id,
      webhookId: row.id,
      eventKey: `ping:${eventId}`,
      eventId,
      eventType: 'ping',
      payload: JSON.stringify(payload),
      nextAttemptAt: now,
      lastAttemptAt: null,
      lastResponseStatus: null,
      lastError: null,
      durationMs: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return id;
}
