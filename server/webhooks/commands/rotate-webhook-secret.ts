import { sql } from 'kysely';
import { writeAudit } from '../../audit/audit.writer.js';
import type { WebhookRow } from '../webhook.repository.js';
import { newWebhookSecret } from '../webhook-signature.js';
import { urlForLog } from './disable-webhook.js';
import type { WebhookContext } from './webhook-context.js';

/** How long deliveries still carry a signature under the secret before a rotation. */
export const PREVIOUS_SECRET_MS = 24 * 3_600_000;

/**
 * Gives a subscription a new secret, returned in this answer only. For a day deliveries carry
 * two v1 signatures, the new and the old, so the receiver can switch without losing any.
 */
export async function rotateWebhookSecret(
  ctx: WebhookContext,
  row: WebhookRow,
): Promise<{ secret: string; previousSecretExpiresAt: Date }> {
  const now = ctx.now ?? new Date();
  const secret = newWebhookSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_MS);
  await ctx.db.transaction().execute(async (trx) => {
    await sql`
      update webhook set previous_secret = secret, secret = ${secret},
        previous_secret_expires_at = ${previousSecretExpiresAt}, secret_rotated_at = ${now}, updated_at = ${now}
      where district = ${row.district} and id = ${row.id}`.execute(trx);
    await writeAudit(
      trx,
      ctx.who,
      { action: 'webhook.secret_rotated', data: { url: urlForLog(row.url) } },
      { type: 'webhook', id: row.id, district: row.district },
    );
  });
  return { secret, previousSecretExpiresAt };
}
