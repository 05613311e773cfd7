import { v7 as uuidv7 } from 'uuid';
import type { WebhookEventType } from '../../../common/webhooks.js';
import { writeAudit } from '../../audit/audit.writer.js';
import { AppError } from '../../http/app-error.js';
import { newWebhookSecret } from '../webhook-signature.js';
import { checkTargetUrl } from '../webhook-target.js';
import { urlForLog } from './disable-webhook.js';
import type { WebhookContext } from './webhook-context.js';

export interface CreateWebhookProps {
  /** The unit whose subtree's cases the subscription receives (already checked to be in scope). */
  unit: { id: string; path: string; district: string; code: string };
  url: string;
  eventTypes: WebhookEventType[];
  description: string;
}

/** Throws the coded 422 for a target the installation refuses (webhook-target.ts). */
export function assertTargetAllowed(url: string, allowPrivate: boolean): void {
  const problem = checkTargetUrl(url, allowPrivate);
  if (problem) throw new AppError(problem.code, { fields: [{ path: 'body.url', reason: problem.reason }] });
}

/**
 * Subscribes a unit's subtree to event types. Returns the new id and the secret, which is in this
 * answer only; the subscription receives events of transactions that begin after this one.
 */
export async function createWebhook(
  ctx: WebhookContext,
  props: CreateWebhookProps,
): Promise<{ id: string; secret: string }> {
  assertTargetAllowed(props.url, ctx.allowPrivate);
  const id = uuidv7();
  const secret = newWebhookSecret();
  const now = ctx.now ?? new Date();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook')
      .values({
        district: props.unit.district,
        id,
        unitId: props.unit.id,
        unitPath: props.unit.path,
        url: props.url,
        eventTypes: props.eventTypes,
        secret,
        previousSecret: null,
        previousSecretExpiresAt: null,
        secretRotatedAt: null,
        description: props.description,
        failingSince: null,
        disabledReason: null,
        disabledAt: null,
        createdBy: ctx.who.actor?.kind === 'staff' ? ctx.who.actor.id : null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await writeAudit(
      trx,
      ctx.who,
      {
        action: 'webhook.created',
        data: { url: urlForLog(props.url), unit: props.unit.code, eventTypes: props.eventTypes },
      },
      { type: 'webhook', id, district: props.unit.district },
    );
  });
  return { id, secret };
}
