/**
 * Webhooks over HTTP (administrators, units in their scope): subscriptions, their secret (shown on
 * creation and rotation only), a test ping, the delivery log and replay. Each route: authenticate →
 * validate → load through scope (out of scope answers 404, audited) → one command → present.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';
import { auditContext, denyOutOfScope, requireStaff } from '../http/request-context.js';
import { errorResponses, listOf } from '../http/schemas.js';
import { scopePaths } from '../policies/predicates.js';
import { createWebhook } from './commands/create-webhook.js';
import { deleteWebhook } from './commands/delete-webhook.js';
import { pingWebhook } from './commands/ping-webhook.js';
import { replayDelivery } from './commands/replay-delivery.js';
import { rotateWebhookSecret } from './commands/rotate-webhook-secret.js';
import { updateWebhook } from './commands/update-webhook.js';
import type { WebhookContext } from './commands/webhook-context.js';
import { webhookPolicy } from './webhook.policy.js';
import { presentDelivery, presentWebhook } from './webhook.presenter.js';
import { findDelivery, findWebhook, listDeliveries, listWebhooks, type WebhookRow } from './webhook.repository.js';
import {
  ZCreateWebhookRequest,
  ZDeliveryPage,
  ZDeliveryQuery,
  ZDeliveryView,
  ZSecretRotated,
  ZUpdateWebhookRequest,
  ZWebhookCreated,
  ZWebhookView,
} from './webhook.schema.js';
import { sendNow } from './webhook-sender.js';

const tags = ['webhooks'];
const ZId = z.strictObject({ id: z.uuid() });

export async function webhookRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const allowPrivate = app.config.webhookAllowPrivate;
  const context = (request: FastifyRequest): WebhookContext => ({
    db: app.db,
    who: auditContext(request),
    allowPrivate,
  });

  async function loadManageable(request: FastifyRequest, id: string): Promise<WebhookRow> {
    const row = await findWebhook(app.db, id);
    if (!row) throw new AppError('NOT_FOUND');
    if (!webhookPolicy.manage(request.actor, row))
      await denyOutOfScope(request, { type: 'webhook', id, district: row.district });
    return row;
  }

  /** Loads again after a command: the answer shows what was written. */
  async function reloaded(request: FastifyRequest, id: string) {
    const row = await findWebhook(app.db, id);
    if (!row) throw new AppError('NOT_FOUND');
    return presentWebhook(row, request.actor);
  }

  r.get(
    '/api/webhooks',
    {
      schema: {
        tags,
        summary: 'Webhook subscriptions of units in my scope / 回调订阅列表',
        response: { 200: listOf(ZWebhookView), ...errorResponses(401) },
      },
    },
    async (request) => {
      const actor = requireStaff(request);
      const rows = await listWebhooks(app.db, scopePaths(actor, 'admin'));
      return { items: rows.map((row) => presentWebhook(row, actor)) };
    },
  );

  r.post(
    '/api/webhooks',
    {
      schema: {
        tags,
        summary: 'Subscribe a unit’s cases to event types; the secret is in this answer only / 新建回调订阅',
        description:
          'The target must be https:// and may not resolve to a private, loopback or reserved address ' +
          '(422 WEBHOOK_URL_INVALID / WEBHOOK_URL_FORBIDDEN) unless the server allows private targets. ' +
          'Deliveries: see the `webhooks` section and the WebhookPayload schema.',
        body: ZCreateWebhookRequest,
        response: { 201: ZWebhookCreated, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request);
      const unit = await app.db
        .selectFrom('unit')
        .select(['id', 'path', 'district', 'code'])
        .where('id', '=', request.body.unitId)
        .executeTakeFirst();
      if (!unit) throw new AppError('NOT_FOUND', { fields: [{ path: 'body.unitId', reason: 'no such unit' }] });
      if (!webhookPolicy.manage(actor, { unitPath: unit.path }))
        await denyOutOfScope(request, { type: 'unit', id: unit.id, district: unit.district });
      const { id, secret } = await createWebhook(context(request), { ...request.body, unit });
      return reply.status(201).send({ ...(await reloaded(request, id)), secret });
    },
  );

  r.get(
    '/api/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'One webhook subscription (never its secret) / 回调订阅详情',
        params: ZId,
        response: { 200: ZWebhookView, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      requireStaff(request);
      return presentWebhook(await loadManageable(request, request.params.id), request.actor);
    },
  );

  r.patch(
    '/api/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change a subscription: target, event types, description, on/off / 修改回调订阅',
        params: ZId,
        body: ZUpdateWebhookRequest,
        response: { 200: ZWebhookView, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      requireStaff(request);
      const row = await loadManageable(request, request.params.id);
      await updateWebhook(context(request), row, request.body);
      return reloaded(request, row.id);
    },
  );

  r.delete(
    '/api/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Delete a subscription and its delivery log / 删除回调订阅',
        params: ZId,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireStaff(request);
      await deleteWebhook(context(request), await loadManageable(request, request.params.id));
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'A new secret, shown once; the old one still signs for a day / 更换签名密钥',
        params: ZId,
        response: { 200: ZSecretRotated, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireStaff(request);
      const rotated = await rotateWebhookSecret(context(request), await loadManageable(request, request.params.id));
      return { secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() };
    },
  );

  r.post(
    '/api/webhooks/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a ping now and answer how it went (tried once, up to 10 s) / 发送测试推送',
        params: ZId,
        response: { 200: ZDeliveryView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireStaff(request);
      const row = await loadManageable(request, request.params.id);
      const id = await pingWebhook(context(request), row);
      await sendNow(app.db, id, { allowPrivate });
      return presentDelivery(await loadDelivery(id));
    },
  );

  r.get(
    '/api/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'The delivery log of a subscription, newest first / 推送记录',
        params: ZId,
        querystring: ZDeliveryQuery,
        response: { 200: ZDeliveryPage, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      requireStaff(request);
      const row = await loadManageable(request, request.params.id);
      const page = await listDeliveries(app.db, row, request.query);
      return {
        ...page,
        items: page.items.map(presentDelivery),
        page: request.query.page,
        pageSize: request.query.pageSize,
      };
    },
  );

  r.post(
    '/api/webhooks/deliveries/:id/replay',
    {
      schema: {
        tags,
        summary: 'Send a delivery again now, with a fresh run of retries / 重新推送',
        description: '409 WEBHOOK_DISABLED while the subscription is off.',
        params: ZId,
        response: { 200: ZDeliveryView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      requireStaff(request);
      const delivery = await loadDelivery(request.params.id);
      const webhook = await loadManageable(request, delivery.webhookId);
      await replayDelivery(context(request), webhook, delivery);
      await sendNow(app.db, delivery.id, { allowPrivate });
      return presentDelivery(await loadDelivery(delivery.id));
    },
  );

  async function loadDelivery(id: string) {
    const delivery = await findDelivery(app.db, id);
    if (!delivery) throw new AppError('NOT_FOUND');
    return delivery;
  }
}
