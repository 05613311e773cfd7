import { sql } from 'kysely';
import type { WebhookEventType } from '../../../common/webhooks.js';
import { writeAudit } from '../../audit/audit.writer.js';
import type { WebhookRow } from '../webhook.repository.js';
import { assertTargetAllowed } from './create-webhook.js';
import { giveUpOutstanding, urlForLog } from './disable-webhook.js';
import type { WebhookContext } from './webhook-context.js';

export interface UpdateWebhookProps {
  url?: string | undefined;
  eventTypes?: WebhookEventType[] | undefined;
  description?: string | undefined;
  enabled?: boolean | undefined;
}

/**
 * Changes a subscription. Switching it off gives up what was waiting; switching it on starts a
 * clean record and listens from now (events while it was off are not sent); a new URL starts a
 * clean record too. Nothing that stays the same is written or audited.
 */
export async function updateWebhook(ctx: WebhookContext, row: WebhookRow, props: UpdateWebhookProps): Promise<void> {
  const now = ctx.now ?? new Date();
  const changes: string[] = [];
  const set: Record<string, unknown> = {};
  if (props.url !== undefined && props.url !== row.url) {
    assertTargetAllowed(props.url, ctx.allowPrivate);
    Object.assign(set, { url: props.url, consecutiveFailures: 0, failingSince: null });
    changes.push(`url: ${urlForLog(row.url)} → ${urlForLog(props.url)}`);
  }
  if (props.eventTypes && [...props.eventTypes].sort().join() !== [...row.eventTypes].sort().join()) {
    set.eventTypes = props.eventTypes;
    changes.push(`eventTypes: ${row.eventTypes.join(',')} → ${props.eventTypes.join(',')}`);
  }
  if (props.description !== undefined && props.description !== row.description) {
    set.description = props.description;
    changes.push('description');
  }
  const switching = props.enabled !== undefined && props.enabled !== row.enabled;
  if (switching && props.enabled === false) {
    Object.assign(set, { enabled: false, disabledReason: 'manual', disabledAt: now });
  }
  if (switching && props.enabled === true) {
    Object.assign(set, {
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      consecutiveFailures: 0,
      failingSince: null,
      createdXid: sql`pg_current_xact_id()`,
    });
  }
  if (switching) changes.push(`enabled: ${row.enabled} → ${props.enabled}`);
  if (changes.length === 0) return;

  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhook')
      .set({ ...set, updatedAt: now })
      .where('district', '=', row.district)
      .where('id', '=', row.id)
      .execute();
    if (switching && props.enabled === false) await giveUpOutstanding(trx, row, now, 'webhook disabled / 回调已停用');
    await writeAudit(
      trx,
      ctx.who,
      { action: 'webhook.updated', data: { url: urlForLog(props.url ?? row.url), changes } },
      { type: 'webhook', id: row.id, district: row.district },
    );
  });
}
