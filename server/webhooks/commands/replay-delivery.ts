import { writeAudit } from '../../audit/audit.writer.js';
import { AppError } from '../../http/app-error.js';
import type { DeliveryRow, WebhookRow } from '../webhook.repository.js';
import type { WebhookContext } from './webhook-context.js';

/**
 * Puts a delivery back in line, due now, with a fresh run of attempts (same event id and delivery
 * id: the receiver can tell it has seen it). Only for an enabled subscription.
 */
export async function replayDelivery(ctx: WebhookContext, webhook: WebhookRow, delivery: DeliveryRow): Promise<void> {
  if (!webhook.enabled) throw new AppError('WEBHOOK_DISABLED');
  const now = ctx.now ?? new Date();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhookDelivery')
      .set((eb) => ({
        status: 'pending',
        attempts: 0,
        replays: eb('replays', '+', 1),
        nextAttemptAt: now,
        updatedAt: now,
      }))
      .where('district', '=', delivery.district)
      .where('id', '=', delivery.id)
      .execute();
    await writeAudit(
      trx,
      ctx.who,
      {
        action: 'webhook.delivery_replayed',
        data: { delivery: delivery.id, eventType: delivery.eventType, case: delivery.payload.case?.number ?? null },
      },
      { type: 'webhook', id: webhook.id, district: webhook.district },
    );
  });
}
