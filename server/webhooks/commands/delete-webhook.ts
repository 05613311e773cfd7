import { writeAudit } from '../../audit/audit.writer.js';
import type { WebhookRow } from '../webhook.repository.js';
import { urlForLog } from './disable-webhook.js';
import type { WebhookContext } from './webhook-context.js';

/** Deletes a subscription and its delivery log (the audit log keeps that it existed). */
export async function deleteWebhook(ctx: WebhookContext, row: WebhookRow): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhook').where('district', '=', row.district).where('id', '=', row.id).execute();
    await writeAudit(
      trx,
      ctx.who,
      { action: 'webhook.deleted', data: { url: urlForLog(row.url) } },
      { type: 'webhook', id: row.id, district: row.district },
    );
  });
}
