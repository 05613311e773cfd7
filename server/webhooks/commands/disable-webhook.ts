/**
 * Turning a subscription off: by hand (update-webhook.ts) or because it kept failing (the sender).
 * Either way what was still waiting to be sent is given up — replayable one by one — so switching
 * it back on never floods the receiver with old events.
 */
import { sql } from 'kysely';
import { writeAudit } from '../../audit/audit.writer.js';
import type { Trx } from '../../db/database.js';
import { writeNotifications } from '../../notifications/notify.js';

export const WEBHOOK_SENDER = { kind: 'system', id: null, name: 'webhook-sender' } as const;

type Key = { district: string; id: string };

/** Gives up a subscription's pending and failed deliveries; returns how many. */
export async function giveUpOutstanding(trx: Trx, webhook: Key, now: Date, why: string): Promise<number> {
  const result = await trx
    .updateTable('webhookDelivery')
    .set({ status: 'gave_up', nextAttemptAt: null, lastError: why, updatedAt: now })
    .where('district', '=', webhook.district)
    .where('webhookId', '=', webhook.id)
    .where('status', 'in', ['pending', 'failed'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The log's form of a URL: without its query, which may carry the receiver's token. */
export const urlForLog = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

/**
 * Disables a subscription whose failures have run long enough (the caller decides), in the
 * caller's transaction: audited as the sender, and its creator told if their account is active.
 */
export async function disableFailingWebhook(trx: Trx, webhook: Key, now: Date): Promise<void> {
  const { rows } = await sql<{
    url: string;
    consecutiveFailures: number;
    failingSince: Date;
    createdBy: string | null;
  }>`
    update webhook set enabled = false, disabled_reason = 'failures', disabled_at = ${now}, updated_at = ${now}
    where district = ${webhook.district} and id = ${webhook.id} and enabled
    returning url, consecutive_failures, failing_since, created_by`.execute(trx);
  const row = rows[0];
  if (!row) return;
  await giveUpOutstanding(trx, webhook, now, 'webhook disabled after failing / 回调连续失败已停用');
  const since = new Date(row.failingSince).toISOString();
  await writeAudit(
    trx,
    { actor: WEBHOOK_SENDER },
    {
      action: 'webhook.disabled',
      data: { url: urlForLog(row.url), reason: 'failures', failures: row.consecutiveFailures, since },
    },
    { type: 'webhook', id: webhook.id, district: webhook.district },
  );
  if (!row.createdBy) return;
  const creator = await trx
    .selectFrom('account')
    .select('id')
    .where('id', '=', row.createdBy)
    .where('disabled', '=', false)
    .executeTakeFirst();
  if (!creator) return;
  await writeNotifications(trx, [{ kind: 'account', id: creator.id }], {
    kind: 'webhook_disabled',
    district: webhook.district,
    data: {
      title: new URL(row.url).host,
      reason: `连续失败 ${row.consecutiveFailures} 次，已停用 / disabled after ${row.consecutiveFailures} failures in a row`,
    },
    at: now,
  });
}
