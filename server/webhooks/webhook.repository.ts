/**
 * Reading webhooks and their deliveries. The secrets are never selected here: only the sender
 * reads them (webhook-sender.ts), so no view can leak one by mistake.
 */
import type { DeliveryStatus } from '../../common/webhooks.js';
import type { Db, Trx } from '../db/database.js';
import { escapeLike } from '../policies/scope.js';

const WEBHOOK_COLUMNS = [
  'w.district',
  'w.id',
  'w.unitId',
  'w.unitPath',
  'w.url',
  'w.eventTypes',
  'w.description',
  'w.enabled',
  'w.consecutiveFailures',
  'w.failingSince',
  'w.disabledReason',
  'w.disabledAt',
  'w.secretRotatedAt',
  'w.previousSecretExpiresAt',
  'w.createdBy',
  'w.createdAt',
  'w.updatedAt',
  'u.code as unitCode',
  'u.name as unitName',
  'u.level as unitLevel',
] as const;

function webhooks(db: Db | Trx) {
  return db
    .selectFrom('webhook as w')
    .innerJoin('unit as u', (j) => j.onRef('u.district', '=', 'w.district').onRef('u.id', '=', 'w.unitId'))
    .select(WEBHOOK_COLUMNS);
}

export type WebhookRow = NonNullable<Awaited<ReturnType<typeof findWebhook>>>;

export async function findWebhook(db: Db | Trx, id: string) {
  return webhooks(db).where('w.id', '=', id).executeTakeFirst();
}

/** Subscriptions of units under one of the paths (an administrator's scope), newest first. */
export async function listWebhooks(db: Db, paths: string[]): Promise<WebhookRow[]> {
  if (paths.length === 0) return [];
  return webhooks(db)
    .where((eb) => eb.or(paths.map((p) => eb('w.unitPath', 'like', `${escapeLike(p)}%`))))
    .orderBy('w.createdAt', 'desc')
    .orderBy('w.id', 'desc')
    .execute();
}

const DELIVERY_COLUMNS = [
  'district',
  'id',
  'webhookId',
  'eventId',
  'eventType',
  'payload',
  'status',
  'attempts',
  'replays',
  'nextAttemptAt',
  'lastAttemptAt',
  'lastResponseStatus',
  'lastError',
  'durationMs',
  'createdAt',
  'updatedAt',
] as const;

export type DeliveryRow = NonNullable<Awaited<ReturnType<typeof findDelivery>>>;

export async function findDelivery(db: Db | Trx, id: string) {
  return db.selectFrom('webhookDelivery').select(DELIVERY_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** A page of a subscription's deliveries, newest first, optionally of one status, with the total. */
export async function listDeliveries(
  db: Db,
  webhook: { district: string; id: string },
  query: { status?: DeliveryStatus | undefined; page: number; pageSize: number },
): Promise<{ items: DeliveryRow[]; total: number }> {
  const base = db
    .selectFrom('webhookDelivery')
    .where('district', '=', webhook.district)
    .where('webhookId', '=', webhook.id)
    .$if(Boolean(query.status), (q) => q.where('status', '=', query.status as DeliveryStatus));
  const [items, count] = await Promise.all([
    base
      .select(DELIVERY_COLUMNS)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}
